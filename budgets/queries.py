"""Reads shared by pages, charts and exports, each a single query or two."""

from collections import defaultdict

from budgets.models import BudgetYear, County, LineItem


def counties_with_years():
    """Every county with the years its departments have published, for the home page:
    [(county, [years…], department count)], in two queries whatever the data size."""
    years = defaultdict(set)
    departments = defaultdict(set)
    for county_id, department_id, year in BudgetYear.objects.values_list(
        "department__county_id", "department_id", "year"
    ):
        years[county_id].add(year)
        departments[county_id].add(department_id)
    return [
        (county, sorted(years[county.pk]), len(departments[county.pk]))
        for county in County.objects.filter(pk__in=years.keys())
    ]


def latest_budget_years(limit=10):
    return BudgetYear.objects.with_place().order_by("-created_at")[:limit]


def county_budget_years(county):
    """Every budget year a county's departments have published, with their three costs,
    for the county page: one query."""
    return list(
        BudgetYear.objects.for_county(county)
        .select_related("department", "three_costs")
        .order_by("department__name", "year")
    )


def department_budget_years(department):
    """All years of one department, oldest first, with their three costs: one query.
    The department page shows them side by side; the budget-year page takes the previous one."""
    return list(
        BudgetYear.objects.filter(department=department).select_related("three_costs").order_by("year")
    )


def budget_year_for_page(county_name, department_name, year):
    """The budget year a permalink names, with its place, document and three costs, as a
    queryset for get_object_or_404: one query."""
    return (
        BudgetYear.objects.with_place()
        .select_related("three_costs")
        .filter(department__county__name=county_name, department__name=department_name, year=year)
    )


def line_items_by_year_and_kind(budget_years):
    """{budget_year_id: {kind: [items in printed order]}} for several years in one query,
    so a page shows this year and the previous one side by side."""
    items = defaultdict(lambda: defaultdict(list))
    for item in LineItem.objects.filter(budget_year__in=budget_years).order_by("position", "pk"):
        items[item.budget_year_id][item.kind].append(item)
    return items


def indicators_by_group(budget_year):
    """[(kind, group, [indicators])] in printed order: one query."""
    groups = {}
    for indicator in budget_year.indicators.order_by("position", "pk"):
        groups.setdefault((indicator.kind, indicator.group), []).append(indicator)
    return [(kind, group, indicators) for (kind, group), indicators in groups.items()]
