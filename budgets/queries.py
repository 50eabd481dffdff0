"""Reads shared by pages, charts and exports, each a single query or two."""

from collections import defaultdict

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from budgets import corrections
from budgets.models import BudgetYear, County, LineItem


def latest_budget_years(limit=10):
    """The disclosures saved last, with what the home page prints of them (its link, the
    document's name): the large JSON of their sources and parse stays in the database."""
    return (
        BudgetYear.objects.with_place()
        .only(
            "year",
            "kind",
            "level",
            "department__name",
            "department__county__code",
            "department__county__name",
            "source_document__original_name",
        )
        .order_by("-created_at")[:limit]
    )


def county_budget_years(county):
    """Every disclosure a county's departments have published, with their three costs, for
    the county page: one query, without where each figure was printed (a large JSON per year
    that the page does not show). The county and each department are one object for all their
    years (hundreds in a large county), not one per row."""
    budget_years = list(
        BudgetYear.objects.for_county(county)
        .select_related("department", "three_costs")
        .defer("sources")
        .order_by("department__name", "year", "level", "kind")
    )
    departments = {}
    for budget_year in budget_years:
        budget_year.department = departments.setdefault(budget_year.department_id, budget_year.department)
        budget_year.department.county = county
    return budget_years


def department_budget_years(department):
    """All disclosures of one department (budgets and final accounts), oldest first, with
    their three costs and whether each has a correction: one query. The department page shows
    them side by side; the budget-year page takes the previous one of its kind."""
    budget_years = list(
        BudgetYear.objects.filter(department=department)
        # The document says where and when each was published (not its parse, which is large).
        .select_related("three_costs", "source_document")
        .defer("source_document__parsed")
        .annotate(has_corrections=corrections.any_for_year())
        .order_by("year", "level", "kind")
    )
    for budget_year in budget_years:
        budget_year.department = department  # their links need it; no query per row
    return budget_years


def budget_year_for_page(county_lookup, department_name, year, kind="budget", level="department"):
    """The disclosure a permalink names (the county by `county_lookup`, County filters), with
    its place, document and three costs, as a queryset: one query."""
    return (
        BudgetYear.objects.with_place()
        .select_related("three_costs")
        .filter(
            department__name=department_name,
            year=year,
            kind=kind,
            level=level,
            **{f"department__county__{key}": value for key, value in county_lookup.items()},
        )
    )


def line_items_by_year_and_kind(budget_years, level=None):
    """{budget_year_id: {kind: [items in printed order]}} for several years in one query,
    so a page shows this year and the previous one side by side (`level` 1: classes only)."""
    items = defaultdict(lambda: defaultdict(list))
    rows = LineItem.objects.filter(budget_year__in=budget_years)
    if level is not None:
        rows = rows.filter(level=level)
    for item in rows.order_by("position", "pk"):
        items[item.budget_year_id][item.kind].append(item)
    return items


def indicators_by_group(budget_year):
    """[(kind, group, [indicators])] in printed order: one query."""
    groups = {}
    for indicator in budget_year.indicators.order_by("position", "pk"):
        groups.setdefault((indicator.kind, indicator.group), []).append(indicator)
    return [(kind, group, indicators) for (kind, group), indicators in groups.items()]


# The places pages read the counts kept per county (budgets.summaries), not every budget year.
def provinces_published():
    """[{province, counties, published, disclosures}] for every province with counties: one query."""
    return list(
        County.objects.exclude(province="")
        .values("province")
        .annotate(
            counties=Count("pk"),
            published=Count("summary"),
            disclosures=Coalesce(Sum("summary__disclosures"), 0),
        )
        .order_by("-published", "province")
    )


def prefectures_published(province):
    """The prefectures of a province with the same counts ("" for counties directly under it): one query."""
    return list(
        County.objects.filter(province=province)
        .values("prefecture")
        .annotate(
            counties=Count("pk"),
            published=Count("summary"),
            disclosures=Coalesce(Sum("summary__disclosures"), 0),
        )
        .order_by("-published", "prefecture")
    )


def counties_published(province, prefecture):
    """The counties of a prefecture (or directly under a province: prefecture ""), each with the
    years of its budgets and of its final accounts and its department count: one query.
    [(county, budget years, final-accounts years, departments)], those that published first."""
    counties = County.objects.filter(province=province, prefecture=prefecture).select_related("summary")
    result = []
    for county in counties.order_by("code", "name"):
        summary = getattr(county, "summary", None)
        if summary is None:
            result.append((county, [], [], 0))
        else:
            result.append((county, summary.budget_years, summary.final_years, summary.departments))
    return sorted(result, key=lambda row: not row[3])


def previous_disclosure(budget_year, all_years):
    """The latest earlier disclosure of the same kind and level among `all_years` (a department's,
    oldest first): what a budget-year page and its charts set beside the year."""
    same = (budget_year.kind, budget_year.level)
    earlier = [b for b in all_years if (b.kind, b.level) == same and b.year < budget_year.year]
    return earlier[-1] if earlier else None
