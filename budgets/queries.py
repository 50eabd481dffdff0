"""Reads shared by pages, charts and exports, each a single query or two."""

import json
from collections import defaultdict

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.expressions import Window
from django.db.models.functions import Abs, Lag

from budgets.models import BudgetYear, County, Department, Finding, LineItem, PerformanceIndicator


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
        for county in County.objects.filter(pk__in=years.keys()).order_by("name", "code")
    ]


def latest_budget_years(limit=10):
    return BudgetYear.objects.with_place().order_by("-created_at")[:limit]


def county_budget_years(county):
    """Every disclosure a county's departments have published, with their three costs, for
    the county page: one query."""
    return list(
        BudgetYear.objects.for_county(county)
        .select_related("department__county", "three_costs")
        .order_by("department__name", "year", "level", "kind")
    )


def department_budget_years(department):
    """All disclosures of one department (budgets and final accounts), oldest first, with
    their three costs: one query. The department page shows them side by side; the
    budget-year page takes the previous one of its kind."""
    budget_years = list(
        BudgetYear.objects.filter(department=department)
        .select_related("three_costs")
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


# How many hits of each kind the search page lists; it says so when there are more.
SEARCH_LIMIT = 50


def _matching(terms, *fields):
    """Every term in one of the fields (case-insensitive, or the field's own lookup such as
    code__startswith), so 高邑 政府办 narrows, not widens."""
    condition = Q()
    for term in terms:
        either = Q()
        for name in fields:
            either |= Q(**{name if "__" in name else f"{name}__icontains": term})
        condition &= either
    return condition


def _alias_matching(terms):
    """Department aliases are a JSON list: PostgreSQL's jsonb text shows 政府办 as is, SQLite
    stores it escaped (\\u653f…), so each term is looked for in both spellings."""
    condition = Q()
    for term in terms:
        condition &= Q(aliases__icontains=term) | Q(aliases__icontains=json.dumps(term)[1:-1])
    return condition


def _first(queryset, limit):
    """The first `limit` rows and whether there were more, in one query."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def search(terms, limit=None):
    """What the home page's search box finds, by kind: counties, departments (by name or a
    name they were printed under), projects, classification lines and indicators (by their
    project or activity, or their own name). Each kind is one query, five in all:
    {kind: (rows, more)}; indicators come as [(budget_year, group, [indicators])]."""
    limit = limit or SEARCH_LIMIT
    place = "budget_year__department__county"
    found = {
        "counties": _first(County.objects.filter(_matching(terms, "name")).order_by("name"), limit),
        "departments": _first(
            Department.objects.select_related("county")
            .filter(_matching(terms, "name") | _alias_matching(terms))
            .order_by("county__name", "name"),
            limit,
        ),
        "projects": _first(
            LineItem.objects.select_related(place)
            .filter(_matching(terms, "name"), kind=LineItem.Kind.PROJECT)
            .order_by(f"{place}__name", "budget_year__department__name", "-budget_year__year", "position"),
            limit,
        ),
        "classes": _first(
            LineItem.objects.select_related(place)
            .filter(_matching(terms, "name", "code__startswith"))
            .exclude(kind=LineItem.Kind.PROJECT)
            .order_by(
                f"{place}__name", "budget_year__department__name", "-budget_year__year", "kind", "position"
            ),
            limit,
        ),
    }
    # Indicators are many to a project: the page lists each project or activity once.
    indicators, more = _first(
        PerformanceIndicator.objects.select_related(place)
        .filter(_matching(terms, "group", "name"))
        .order_by(f"{place}__name", "budget_year__department__name", "-budget_year__year", "position", "pk"),
        limit * 5,
    )
    groups = {}
    for indicator in indicators:
        groups.setdefault((indicator.budget_year, indicator.group), []).append(indicator)
    found["indicators"] = ([(year, group, rows) for (year, group), rows in groups.items()], more)
    return found


def _latest_year_of_department():
    return Subquery(
        BudgetYear.objects.filter(department=OuterRef("department"), kind=BudgetYear.Kind.BUDGET)
        .order_by("-year")
        .values("year")[:1]
    )


def largest_three_costs():
    """The budget year with the largest three public costs among each department's latest
    year (home page headline): one query, None without data."""
    return (
        BudgetYear.objects.select_related("department__county", "three_costs")
        .filter(
            year=_latest_year_of_department(), kind=BudgetYear.Kind.BUDGET, three_costs__total__isnull=False
        )
        .order_by("-three_costs__total", "department__county__name", "department__name")
        .first()
    )


def biggest_expenditure_change():
    """The largest change in expenditure between two consecutive years a department
    disclosed (home page headline): one query. The budget year comes with `previous_year`
    and `previous_expenditure`; None where no department has two years."""
    by_department = {"partition_by": [F("department_id")], "order_by": F("year").asc()}
    # Budgets only: the headline says "budgets", and a 决算 beside its 预算 is no change of year.
    changes = (
        BudgetYear.objects.select_related("department__county")
        .filter(expenditure__isnull=False, kind=BudgetYear.Kind.BUDGET, level=BudgetYear.Level.DEPARTMENT)
        .annotate(
            previous_year=Window(Lag("year"), **by_department),
            previous_expenditure=Window(Lag("expenditure"), **by_department),
        )
    )
    # A change from nothing has no percentage and is more likely a misread than a story.
    # Filtering on a window makes Django wrap the query, so the order is over the wrapped rows.
    return (
        changes.filter(previous_expenditure__gt=0)
        .annotate(change=Abs(F("expenditure") - F("previous_expenditure")))
        .order_by("-change", "department__county__name", "department__name", "year")
        .first()
    )


def most_errors():
    """The budget year whose checks found the most errors, with `error_count` and the first
    error's `first_error` message (home page headline): one query, None when nothing is wrong."""
    errors = Finding.objects.filter(budget_year=OuterRef("pk"), severity=Finding.Severity.ERROR)
    return (
        BudgetYear.objects.select_related("department__county")
        .annotate(
            error_count=Count("findings", filter=Q(findings__severity=Finding.Severity.ERROR)),
            first_error=Subquery(errors.order_by("line", "pk").values("message")[:1]),
        )
        .filter(error_count__gt=0)
        .order_by("-error_count", "department__county__name", "department__name", "-year")
        .first()
    )


def provinces_published():
    """[{province, counties, published, disclosures}] for every province with counties: one query."""
    return list(
        County.objects.exclude(province="")
        .values("province")
        .annotate(
            counties=Count("pk", distinct=True),
            published=Count("pk", filter=Q(departments__budget_years__isnull=False), distinct=True),
            disclosures=Count("departments__budget_years", distinct=True),
        )
        .order_by("-published", "province")
    )


def prefectures_published(province):
    """The prefectures of a province with the same counts ("" for counties directly under it): one query."""
    return list(
        County.objects.filter(province=province)
        .values("prefecture")
        .annotate(
            counties=Count("pk", distinct=True),
            published=Count("pk", filter=Q(departments__budget_years__isnull=False), distinct=True),
            disclosures=Count("departments__budget_years", distinct=True),
        )
        .order_by("-published", "prefecture")
    )


def counties_published(province, prefecture):
    """The counties of a prefecture (or directly under a province: prefecture ""), each with the
    years of its budgets and of its final accounts and its department count: two queries.
    [(county, budget years, final-accounts years, departments)], those that published first."""
    counties = list(County.objects.filter(province=province, prefecture=prefecture).order_by("code", "name"))
    budgets, finals, departments = defaultdict(set), defaultdict(set), defaultdict(set)
    rows = BudgetYear.objects.filter(department__county__in=counties).values_list(
        "department__county_id", "department_id", "year", "kind"
    )
    for county_id, department_id, year, kind in rows:
        (budgets if kind == BudgetYear.Kind.BUDGET else finals)[county_id].add(year)
        departments[county_id].add(department_id)
    result = [
        (county, sorted(budgets[county.pk]), sorted(finals[county.pk]), len(departments[county.pk]))
        for county in counties
    ]
    return sorted(result, key=lambda row: not row[3])
