"""Reads shared by pages, charts and exports, each a single query or two."""

from collections import defaultdict

from budgets.models import BudgetYear, County


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
