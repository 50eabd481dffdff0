"""What pages read of the whole country, kept up to date when the data changes instead of
computed on each view (at national scale that would read every budget year on every request).

- `CountySummary`: a county's years of budgets and of final accounts, departments, disclosures,
  line items, indicators, errors (the home page's counties, the places pages' counts, the about
  page's totals, the comparison's years and the counties a filter accepts);
- `Headline`: the home page's three headlines (largest three public costs among the departments'
  latest budgets, biggest change in expenditure between two budgets of a department, most errors);
- `BudgetYear.latest_budget`: each department's latest department-level budget (rankings);
- `Execution`: each final accounts paired with its budget, with the execution rates
  (budgets.execution computes them) that the execution-rate list sorts by.

They are refreshed for the departments a change touches: by `ingest.loader.save_parsed`, which
saves a disclosure inside `refreshing()` so its many rows make one refresh; by signals when a
budget year, its three costs, a finding or a department is saved or deleted elsewhere (the admin,
corrections, tests); in full by `refresh_all()` after a bulk load (`manage.py synthesize`) and in
migration 0005 for the data saved before. A headline's department changed, or anything deleted,
looks for it again everywhere; otherwise the best of the stored one and the changed departments'
own candidates is the best overall.

The functions that take `apps` run in migration 0005 on its historical models.
"""

import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps as global_apps
from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import Abs, Lag

from budgets.percent import percent

MONEY = Decimal("0.000001")
BUDGET, FINAL_ACCOUNTS, DEPARTMENT, ERROR = "budget", "final_accounts", "department", "error"


def _models(apps, *names):
    return [apps.get_model("budgets", name) for name in names]


# County summaries ------------------------------------------------------------------------


def refresh_counties(county_ids=None, apps=global_apps) -> None:
    """Recount what the counties (all where None) have published: five queries and the writes."""
    BudgetYear, CountySummary, Finding, LineItem, PerformanceIndicator = _models(
        apps, "BudgetYear", "CountySummary", "Finding", "LineItem", "PerformanceIndicator"
    )
    rows = BudgetYear.objects.order_by()
    summaries = CountySummary.objects.all()
    if county_ids is not None:
        rows = rows.filter(department__county__in=county_ids)
        summaries = summaries.filter(county__in=county_ids)
    found = defaultdict(
        lambda: {BUDGET: set(), FINAL_ACCOUNTS: set(), "departments": set(), "disclosures": 0, "budgets": 0}
    )
    for county_id, department_id, year, kind in rows.values_list(
        "department__county_id", "department_id", "year", "kind"
    ).iterator(chunk_size=10_000):
        county = found[county_id]
        county[kind].add(year)
        county["departments"].add(department_id)
        county["disclosures"] += 1
        county["budgets"] += kind == BUDGET
    by_year = "budget_year__department__county"
    line_items = _count_by_county(LineItem.objects, by_year, county_ids)
    indicators = _count_by_county(PerformanceIndicator.objects, by_year, county_ids)
    errors = _count_by_county(Finding.objects.filter(severity=ERROR), by_year, county_ids)
    doubted = _count_by_county(
        BudgetYear.objects.exclude(needs_checking=[]), "department__county", county_ids
    )
    summaries.delete()
    CountySummary.objects.bulk_create(
        [
            CountySummary(
                county_id=county_id,
                budget_years=sorted(county[BUDGET]),
                final_years=sorted(county[FINAL_ACCOUNTS]),
                departments=len(county["departments"]),
                disclosures=county["disclosures"],
                budgets=county["budgets"],
                line_items=line_items.get(county_id, 0),
                indicators=indicators.get(county_id, 0),
                errors=errors.get(county_id, 0),
                doubted=doubted.get(county_id, 0),
            )
            for county_id, county in found.items()
        ],
        batch_size=1000,
    )


def _count_by_county(rows, county_path, county_ids):
    """{county id: rows} of `rows`, `county_path` leading from a row to its county."""
    rows = rows.order_by()
    if county_ids is not None:
        rows = rows.filter(**{f"{county_path}__in": county_ids})
    return dict(rows.values(county_path).annotate(n=Count("pk")).values_list(county_path, "n"))


def published_years():
    """Every year some county has published a budget or final accounts for, from the county
    summaries: counties publish in few distinct runs of years."""
    from budgets.models import CountySummary

    years = set()
    for budget_years, final_years in CountySummary.objects.values_list(
        "budget_years", "final_years"
    ).distinct():
        years.update(budget_years, final_years)
    return sorted(years)


# Latest budgets and execution rates ------------------------------------------------------


def refresh_latest(departments=None, apps=global_apps) -> None:
    """Mark each department's department-level budget of its latest year (rankings): two updates."""
    (BudgetYear,) = _models(apps, "BudgetYear")
    rows = (
        BudgetYear.objects.all()
        if departments is None
        else BudgetYear.objects.filter(department__in=departments)
    )
    latest = (
        BudgetYear.objects.filter(department=OuterRef("department"), kind=BUDGET, level=DEPARTMENT)
        .order_by("-year")
        .values("year")[:1]
    )
    rows.filter(latest_budget=True).update(latest_budget=False)
    rows.filter(kind=BUDGET, level=DEPARTMENT, year=Subquery(latest)).update(latest_budget=True)


def refresh_executions(departments=None) -> None:
    """Pair each final accounts with the budget of its department, year and level and store
    the rates as budgets.execution computes them: one INSERT … SELECT, whatever the number.
    It reads the current models (budgets.execution), so migration 0005 runs it only where
    there is data to pair."""
    from budgets.execution import RATES, execution_queryset
    from budgets.models import BudgetYear, Execution

    finals = execution_queryset()
    stored = Execution.objects.all()
    if departments is not None:
        finals = finals.filter(department__in=departments)
        stored = stored.filter(final_accounts__department__in=departments)
    budget = BudgetYear.objects.filter(
        department=OuterRef("department"), year=OuterRef("year"), level=OuterRef("level"), kind=BUDGET
    ).order_by()
    rows = finals.annotate(budget_pk=Subquery(budget.values("pk")[:1])).order_by()
    # values_list keeps this order in the SELECT (Django 5.2), the columns' order below.
    sql, params = rows.values_list("pk", "budget_pk", *RATES).query.sql_with_params()
    fields = ["final_accounts", "budget", *RATES]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Execution._meta.get_field(name).column) for name in fields)
    stored.delete()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(Execution._meta.db_table)} ({columns}) {sql}", params)


def execution_rows():
    """The execution-rate list's rows: final accounts with their stored pairing, annotated as
    budgets.execution.execution_queryset annotates them (the budget's figures, each rate), read
    through joins and indexes instead of a subquery per figure and row."""
    from budgets.execution import BUDGET_FIGURES, RATES
    from budgets.models import BudgetYear

    return BudgetYear.objects.filter(execution__isnull=False).annotate(
        **{name: F(f"execution__budget__{path}") for name, path in BUDGET_FIGURES.items()},
        **{name: F(f"execution__{name}") for name in RATES},
    )


# Headlines -------------------------------------------------------------------------------


def _largest_three_costs(apps, departments):
    """The budget with the largest three public costs among each department's latest budget."""
    (BudgetYear,) = _models(apps, "BudgetYear")
    latest = (
        BudgetYear.objects.filter(department=OuterRef("department"), kind=BUDGET)
        .order_by("-year")
        .values("year")[:1]
    )
    rows = BudgetYear.objects.filter(kind=BUDGET, year=Subquery(latest), three_costs__total__isnull=False)
    if departments is not None:
        rows = rows.filter(department__in=departments)
    best = (
        rows.order_by("-three_costs__total", "department__county__name", "department__name", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    return None if best is None else {"budget_year_id": best}


def _biggest_change(apps, departments):
    """The largest change in expenditure between two consecutive budgets of a department
    (department level; a change from nothing has no percentage and is likelier a misread)."""
    (BudgetYear,) = _models(apps, "BudgetYear")
    by_department = {"partition_by": [F("department_id")], "order_by": F("year").asc()}
    rows = BudgetYear.objects.filter(expenditure__isnull=False, kind=BUDGET, level=DEPARTMENT)
    if departments is not None:
        rows = rows.filter(department__in=departments)
    rows = rows.annotate(
        previous_year=Window(Lag("year"), **by_department),
        previous_expenditure=Window(Lag("expenditure"), **by_department),
    )
    # Filtering on a window makes Django wrap the query; the order is over the wrapped rows.
    best = (
        rows.filter(previous_expenditure__gt=0)
        .annotate(change=Abs(F("expenditure") - F("previous_expenditure")))
        .order_by("-change", "department__county__name", "department__name", "year", "pk")
        .values_list("pk", "previous_year", "previous_expenditure")
        .first()
    )
    if best is None:
        return None
    pk, previous_year, previous_expenditure = best
    # The window's copy of last year's figure comes back as a bare number on SQLite: money again.
    previous = Decimal(str(previous_expenditure)).quantize(MONEY)
    return {"budget_year_id": pk, "previous_year": previous_year, "previous_expenditure": previous}


def _most_errors(apps, departments):
    """The disclosure whose checks found the most errors, with its first error (by line)."""
    (Finding,) = _models(apps, "Finding")
    errors = Finding.objects.filter(severity=ERROR)
    if departments is not None:
        errors = errors.filter(budget_year__department__in=departments)
    best = (
        errors.values("budget_year")
        .annotate(count=Count("pk"))
        .order_by(
            "-count",
            "budget_year__department__county__name",
            "budget_year__department__name",
            "-budget_year__year",
            "budget_year",
        )
        .first()
    )
    if best is None:
        return None
    first = (
        errors.filter(budget_year=best["budget_year"]).order_by("line", "pk").values_list("pk", flat=True)[0]
    )
    return {"budget_year_id": best["budget_year"], "count": best["count"], "finding_id": first}


FINDERS = {"three_costs": _largest_three_costs, "change": _biggest_change, "errors": _most_errors}
STORED = ("budget_year_id", "previous_year", "previous_expenditure", "count", "finding_id")


def refresh_headlines(departments=None, apps=global_apps) -> None:
    """Find the headlines again: everywhere where `departments` is None, else the best of those
    stored and the changed departments' own (a headline whose department changed is looked
    for everywhere: its figure may have fallen)."""
    (Headline,) = _models(apps, "Headline")
    stored = {
        h.kind: h
        for h in Headline.objects.select_related("budget_year").only(
            "kind", *STORED, "budget_year__department_id"
        )
    }
    for kind, find in FINDERS.items():
        current = stored.get(kind)
        scope = None if departments is None else set(departments)
        if scope is not None and current is not None:
            own = current.budget_year.department_id
            scope = None if own in scope else scope | {own}
        found = find(apps, scope)
        if found is None:
            if current is not None:
                current.delete()
            continue
        values = dict.fromkeys(STORED) | found
        if current is None or any(getattr(current, key) != value for key, value in values.items()):
            Headline.objects.update_or_create(kind=kind, defaults=values)


def refresh_all(apps=global_apps) -> None:
    """Everything kept, from scratch (after a bulk load, or migration 0005)."""
    refresh_counties(None, apps)
    refresh_headlines(None, apps)
    refresh_latest(None, apps)
    refresh_executions(None)


# What changed, and when to refresh -------------------------------------------------------


@dataclass
class Changes:
    departments: set = field(default_factory=set)
    counties: set = field(default_factory=set)
    deleted: bool = False  # something went: every headline is looked for again


_local = threading.local()


@contextmanager
def refreshing():
    """Saves inside only note what they change; one refresh follows (ingest.loader saves a
    disclosure's budget year, three costs and findings, then refreshes once)."""
    if getattr(_local, "changes", None) is not None:
        yield
        return
    _local.changes = Changes()
    try:
        yield
        changes = _local.changes
    finally:
        _local.changes = None
    apply(changes)


def apply(changes: Changes) -> None:
    from budgets.models import Department

    counties = changes.counties | set(
        Department.objects.filter(pk__in=changes.departments).values_list("county_id", flat=True)
    )
    if counties:
        refresh_counties(counties)
    if changes.departments:
        refresh_latest(changes.departments)
        refresh_executions(changes.departments)
    if changes.departments or changes.deleted:
        refresh_headlines(None if changes.deleted else changes.departments)


def note(*, department=None, county=None, deleted=False) -> None:
    """Record a change: refreshed at the end of `refreshing()`, or at once outside it."""
    changes = getattr(_local, "changes", None)
    pending = changes if changes is not None else Changes()
    if department is not None:
        pending.departments.add(department)
    if county is not None:
        pending.counties.add(county)
    pending.deleted |= deleted
    if changes is None:
        apply(pending)


def headlines():
    """The home page's headlines, as its template reads them: one query."""
    from budgets.models import Headline

    found = []
    for headline in Headline.objects.select_related(
        "budget_year__department__county", "budget_year__three_costs", "finding"
    ).order_by("kind"):
        budget_year = headline.budget_year
        row = {"kind": headline.kind, "budget_year": budget_year}
        if headline.kind == Headline.Kind.THREE_COSTS:
            row |= {
                "amount": budget_year.three_costs.total,
                "needs_checking": "total" in budget_year.doubts("three_costs"),
            }
        elif headline.kind == Headline.Kind.CHANGE:
            previous = headline.previous_expenditure
            difference = budget_year.expenditure - previous
            row |= {
                "amount": budget_year.expenditure,
                "previous": previous,
                "previous_year": headline.previous_year,
                "difference": abs(difference),
                "increase": difference > 0,
                "percent": percent(abs(difference), previous),
                "needs_checking": "expenditure" in budget_year.doubts("totals"),
            }
        else:
            row |= {"count": headline.count, "message": headline.finding.text}
        found.append(row)
    order = list(FINDERS)
    return sorted(found, key=lambda row: order.index(row["kind"]))


# Signals: saves and deletes made one row at a time (the admin, corrections, tests). Bulk
# writes send none: the loader refreshes at the end of `refreshing()`, a bulk load calls
# `refresh_all()`.


def _budget_year_saved(sender, instance, **kwargs):
    note(department=instance.department_id)


def _deleting() -> set:
    """The budget years being deleted in this thread: their parts go first, while the budget
    year is still there, and a refresh then would find it again (a headline pointing at it)."""
    if not hasattr(_local, "deleting"):
        _local.deleting = set()
    return _local.deleting


def _budget_year_deleting(sender, instance, **kwargs):
    _deleting().add(instance.pk)


def _budget_year_deleted(sender, instance, **kwargs):
    _deleting().discard(instance.pk)
    note(department=instance.department_id, deleted=True)


def _part_saved(sender, instance, **kwargs):
    note(department=instance.budget_year.department_id)


def _part_deleted(sender, instance, **kwargs):
    # A finding deleted by itself changes its county's count of errors; deleted with its budget
    # year, the budget year's deletion refreshes, once it is gone.
    if instance.budget_year_id in _deleting():
        return
    from budgets.models import BudgetYear

    department = (
        BudgetYear.objects.filter(pk=instance.budget_year_id).values_list("department_id", flat=True).first()
    )
    note(department=department, deleted=True)


def _department_moving(sender, instance, **kwargs):
    """Keep the county a department is moved from: both counties are counted again."""
    instance._county_before = (
        type(instance).objects.filter(pk=instance.pk).values_list("county_id", flat=True).first()
        if instance.pk
        else None
    )


def _department_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_county_before", None)
    if before is not None and before != instance.county_id:
        note(department=instance.pk, county=before)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    from budgets.models import BudgetYear, Department, Finding, ThreeCosts

    uid = "budgets-summaries"
    post_save.connect(_budget_year_saved, sender=BudgetYear, dispatch_uid=f"{uid}-by-save")
    pre_delete.connect(_budget_year_deleting, sender=BudgetYear, dispatch_uid=f"{uid}-by-deleting")
    post_delete.connect(_budget_year_deleted, sender=BudgetYear, dispatch_uid=f"{uid}-by-delete")
    for model in (ThreeCosts, Finding):
        post_save.connect(_part_saved, sender=model, dispatch_uid=f"{uid}-{model.__name__}-save")
        post_delete.connect(_part_deleted, sender=model, dispatch_uid=f"{uid}-{model.__name__}-delete")
    pre_save.connect(_department_moving, sender=Department, dispatch_uid=f"{uid}-department-before")
    post_save.connect(_department_saved, sender=Department, dispatch_uid=f"{uid}-department-save")


# Up to this many counties the home page lists each with its years; beyond, it counts them by
# province (a national table of 2,850 rows is no reading and takes long to render), and the
# places pages list every county.
HOME_COUNTIES = 100


def counties_for_home() -> dict:
    """The home page's counties: {"counties": [(county, [years…], departments)]} while few have
    published (one query), else {"provinces": rows of queries.provinces_published that have
    published, "published": how many counties} (two)."""
    from budgets import queries
    from budgets.models import CountySummary

    summaries = list(
        CountySummary.objects.select_related("county").order_by("county__name", "county__code")[
            : HOME_COUNTIES + 1
        ]
    )
    if len(summaries) <= HOME_COUNTIES:
        return {"counties": [(s.county, s.years, s.departments) for s in summaries]}
    provinces = [row for row in queries.provinces_published() if row["published"]]
    return {"provinces": provinces, "published": sum(row["published"] for row in provinces)}
