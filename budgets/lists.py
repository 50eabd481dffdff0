"""The list pages: budget years, line items, three public costs, performance indicators.

Each list is a FilterSet (budgets.filters) and a tuple of columns. The page, its CSV
(?format=csv) and its JSON (?format=json) read the same columns from the same filtered
queryset, so an export holds exactly the rows the pages show, all pages of them.
"""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets import exports
from budgets.execution import execution_queryset
from budgets.filters import (
    BudgetYearFilter,
    ExecutionFilter,
    LineItemFilter,
    PerformanceIndicatorFilter,
    RankingFilter,
    ThreeCostsFilter,
)
from budgets.models import BudgetYear, LineItem, PerformanceIndicator, ThreeCosts
from budgets.rankings import latest_budgets

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    key: str  # the CSV/JSON name and the `sort` value
    label: str  # the header people read (translated)
    path: str  # the model path read with values_list
    type: str = "text"  # text, amount, int, kind, doubts, unclear
    sortable: bool = True
    # A `doubts` column holds the figures of its row that need checking, as paths of the
    # parsed JSON (`totals.income`) of which those under `block` are the row's own.
    block: str = ""


DISCLOSURES = dict(BudgetYear.Kind.choices)

# Columns naming other columns of their row: those that need checking, those printed unclearly.
FLAGS = ("doubts", "unclear")


# The path from each row to its county, department and year, shared by the lists.
def _place(prefix):
    return (
        Column("county", _("County"), f"{prefix}department__county__name"),
        Column("department", _("Department"), f"{prefix}department__name"),
        Column("year", _("Year"), f"{prefix}year", "int"),
    )


# What tells rows apart since names repeat and a year has a budget and final accounts: last,
# so that the columns every export has always had keep their places.
def _identity(prefix):
    return (
        Column("disclosure", _("Disclosure"), f"{prefix}kind", "disclosure", sortable=False),
        Column("department_kind", _("Kind of department"), f"{prefix}department__kind", sortable=False),
        Column("division_code", _("Division code"), f"{prefix}department__county__code", sortable=False),
    )


@dataclass(frozen=True)
class Listing:
    slug: str  # URL name and file name
    title: str
    filterset: type
    queryset: object
    columns: tuple
    kinds: dict | None = None  # labels of a `kind` column


BUDGET_YEARS = Listing(
    "budget-years",
    _("Budget years"),
    BudgetYearFilter,
    BudgetYear.objects.order_by("department__county__name", "department__name", "-year", "pk"),
    _place("")
    + (
        Column("income", _("Income total (万元)"), "income", "amount"),
        Column("expenditure", _("Expenditure total (万元)"), "expenditure", "amount"),
        Column("basic", _("Basic expenditure (万元)"), "basic", "amount"),
        Column("project", _("Project expenditure (万元)"), "project", "amount"),
        Column("personnel", _("Personnel costs (万元)"), "personnel", "amount"),
        Column("public", _("Public costs (万元)"), "public", "amount"),
        Column("operating", _("Office running costs (万元)"), "operating", "amount"),
        Column("staff", _("Staff in service"), "staff_in_service", "int"),
        Column(
            "needs_checking", _("Needs checking"), "needs_checking", "doubts", sortable=False, block="totals"
        ),
    )
    + _identity(""),
)

LINE_ITEMS = Listing(
    "line-items",
    _("Line items"),
    LineItemFilter,
    LineItem.objects.order_by(
        "budget_year__department__county__name",
        "budget_year__department__name",
        "-budget_year__year",
        "kind",
        "position",
        "pk",
    ),
    _place("budget_year__")
    + (
        Column("kind", _("Kind"), "kind", "kind"),
        Column("code", _("Code"), "code"),
        Column("name", _("Name"), "name"),
        Column("amount", _("Amount (万元)"), "amount", "amount"),
        Column("basic", _("Basic expenditure (万元)"), "basic", "amount"),
        Column("project", _("Project expenditure (万元)"), "project", "amount"),
        Column("source_line", _("Line in the disclosure"), "source_line", "int", sortable=False),
        Column("uncertain", _("Unclear in the document"), "uncertain", "unclear", sortable=False),
    )
    + _identity("budget_year__"),
    kinds=dict(LineItem.Kind.choices),
)

THREE_COSTS = Listing(
    "three-costs",
    _("Three public costs"),
    ThreeCostsFilter,
    ThreeCosts.objects.order_by(
        "budget_year__department__county__name", "budget_year__department__name", "-budget_year__year", "pk"
    ),
    _place("budget_year__")
    + (
        Column("total", _("Three public costs (万元)"), "total", "amount"),
        Column("overseas", _("Overseas trips (万元)"), "overseas", "amount"),
        Column("vehicle", _("Official cars (万元)"), "vehicle", "amount"),
        Column("vehicle_purchase", _("Car purchase (万元)"), "vehicle_purchase", "amount", sortable=False),
        Column("vehicle_operation", _("Car operation (万元)"), "vehicle_operation", "amount", sortable=False),
        Column("reception", _("Receptions (万元)"), "reception", "amount"),
        Column("change", _("Change on previous year (万元)"), "total_change", "amount"),
        Column(
            "needs_checking",
            _("Needs checking"),
            "budget_year__needs_checking",
            "doubts",
            sortable=False,
            block="three_costs",
        ),
    )
    + _identity("budget_year__"),
)

INDICATORS = Listing(
    "indicators",
    _("Performance indicators"),
    PerformanceIndicatorFilter,
    PerformanceIndicator.objects.order_by(
        "budget_year__department__county__name",
        "budget_year__department__name",
        "-budget_year__year",
        "position",
        "pk",
    ),
    _place("budget_year__")
    + (
        Column("kind", _("Kind"), "kind", "kind"),
        Column("group", _("Project or activity"), "group"),
        Column("level1", _("Level-1 indicator"), "level1", sortable=False),
        Column("level2", _("Level-2 indicator"), "level2", sortable=False),
        Column("name", _("Indicator"), "name"),
        Column("target", _("Target as printed"), "target", sortable=False),
        Column("source_line", _("Line in the disclosure"), "source_line", "int", sortable=False),
    )
    + _identity("budget_year__"),
    kinds=dict(PerformanceIndicator.Kind.choices),
)


def _labelled(template, figure):
    """A column label read in the language of the request, not of the import."""
    return lazy(lambda: str(template) % {"figure": figure}, str)()


def _rate_columns(key, label, budget_path, actual_path):
    return (
        Column(f"{key}_budget", _labelled(_("%(figure)s budgeted (万元)"), label), budget_path, "amount"),
        Column(f"{key}_actual", _labelled(_("%(figure)s spent (万元)"), label), actual_path, "amount"),
        Column(f"{key}_rate", _labelled(_("%(figure)s execution rate (%%)"), label), f"{key}_rate", "rate"),
    )


EXECUTION = Listing(
    "execution",
    _("Execution rates"),
    ExecutionFilter,
    execution_queryset().order_by("department__county__code", "department__name", "-year", "level", "pk"),
    (
        Column("county", _("County"), "department__county__name"),
        Column("division_code", _("Division code"), "department__county__code", sortable=False),
        Column("department", _("Department"), "department__name"),
        Column("department_kind", _("Kind of department"), "department__kind", sortable=False),
        Column("year", _("Year"), "year", "int"),
    )
    + _rate_columns("expenditure", _("Expenditure"), "budget_expenditure", "expenditure")
    + _rate_columns("basic", _("Basic expenditure"), "budget_basic", "basic")
    + _rate_columns("project", _("Project expenditure"), "budget_project", "project")
    + _rate_columns("three_costs", _("Three public costs"), "budget_three_costs", "three_costs__total")
    + _rate_columns("overseas", _("Overseas trips"), "budget_overseas", "three_costs__overseas")
    + _rate_columns("vehicle", _("Official cars"), "budget_vehicle", "three_costs__vehicle")
    + _rate_columns("reception", _("Receptions"), "budget_reception", "three_costs__reception")
    + (
        Column(
            "needs_checking",
            _("Needs checking (final accounts)"),
            "needs_checking",
            "doubts",
            sortable=False,
            block="totals",
        ),
    ),
)


RANKINGS = Listing(
    "rankings",
    _("Rankings"),
    RankingFilter,
    latest_budgets(),
    (
        Column("rank", _("Rank"), "rank", "int"),
        Column("county", _("County"), "department__county__name"),
        Column("division_code", _("Division code"), "department__county__code", sortable=False),
        Column("prefecture", _("Prefecture"), "department__county__prefecture", sortable=False),
        Column("department", _("Department"), "department__name"),
        Column("department_kind", _("Kind of department"), "department__kind", sortable=False),
        Column("year", _("Latest budget"), "year", "int"),
        Column("value", _("Figure ranked (万元)"), "ranked_value", "amount"),
    ),
)


class ListParams(forms.Form):
    """The parameters of a list that are not filters."""

    format = forms.ChoiceField(choices=[("html", "html"), ("csv", "csv"), ("json", "json")], required=False)
    page = forms.IntegerField(min_value=1, required=False)


def budget_years(request):
    return _list(request, BUDGET_YEARS)


def line_items(request):
    return _list(request, LINE_ITEMS)


def three_costs(request):
    return _list(request, THREE_COSTS)


def indicators(request):
    return _list(request, INDICATORS)


def rankings(request):
    """Departments ranked within a province or prefecture at their latest budget."""
    return _list(request, RANKINGS)


def execution_rates(request):
    """Final accounts beside the budget of the same department, year and level: who spent
    least of their project budget, who overspent receptions most."""
    return _list(request, EXECUTION)


def _list(request, listing):
    params = ListParams(request.GET)
    f = listing.filterset(request.GET, queryset=listing.queryset)
    valid = params.is_valid() & f.is_valid()  # both, so every error is reported at once
    fmt = params.cleaned_data.get("format") or "html"
    if not valid:
        errors = {**params.errors, **f.errors}
        if fmt == "json":
            return JsonResponse({"errors": errors}, status=400)
        if fmt == "csv":
            return HttpResponseBadRequest(_error_text(errors), content_type="text/plain; charset=utf-8")
        ctx = {"listing": listing, "filter": f, "errors": _error_text(errors), "columns": listing.columns}
        return render(request, "budgets/lists/list.html", ctx, status=400)

    paths = [column.path for column in listing.columns]
    rows = f.qs.values_list(*paths)
    exported = (_exported(listing, row) for row in rows.iterator(chunk_size=2000))
    if fmt == "csv":
        data = f.form.cleaned_data
        county = [data["county"].name] if data.get("county") else []
        years = _one_year(data.get("year"))
        filename = exports.filename_for(listing.slug, county, years)
        header = [column.label for column in listing.columns]
        return exports.csv_response(header, exported, filename)
    if fmt == "json":
        keys = [column.key for column in listing.columns]
        return exports.json_response(keys, exported, {"count": rows.count()})

    page = Paginator(rows, PAGE_SIZE).get_page(params.cleaned_data.get("page"))
    ctx = {
        "listing": listing,
        "filter": f,
        "page": page,
        "columns": _headers(listing.columns, f.form.cleaned_data.get("sort")),
        "rows": [_display(listing, row) for row in page.object_list],
    }
    return render(request, "budgets/lists/list.html", ctx)


def _one_year(year_range):
    if year_range and year_range.start is not None and year_range.start == year_range.stop:
        return [int(year_range.start)]
    return []


def _error_text(errors):
    lines = [gettext("Invalid query parameters:")]
    for name, messages in errors.items():
        lines.append(f"{name}: {' '.join(str(m) for m in messages)}")
    return "\n".join(lines)


def _headers(columns, sort):
    """Each column with the `sort` value its header link sets: ascending first, then descending."""
    current = (sort or [None])[0]
    headers = []
    for column in columns:
        direction = {column.key: "asc", f"-{column.key}": "desc"}.get(current)
        headers.append(
            {
                "column": column,
                "sorted": direction,
                "sort_param": f"-{column.key}" if direction == "asc" else column.key,
            }
        )
    return headers


def _flags(column, value) -> list[str]:
    """The figures of its row a flag column names: `total` from `three_costs.total`."""
    if column.type == "unclear":
        return list(value or ())
    prefix = f"{column.block}."
    return [path.removeprefix(prefix) for path in value or () if path.startswith(prefix)]


def _exported(listing, row):
    """A row as the CSV and JSON write it: a flag column as the names of the figures it flags."""
    return tuple(
        _flags(column, value)
        if column.type in FLAGS
        else _rate_text(value)
        if column.type == "rate"
        else value
        for column, value in zip(listing.columns, row, strict=True)
    )


def _rate_text(value):
    """A rate as the pages print it, one decimal (94.3), not as an amount (94.30)."""
    return None if value is None else format(value, ".1f")


def _flagged(listing, row, kind) -> set[str]:
    return {
        name
        for column, value in zip(listing.columns, row, strict=True)
        if column.type == kind
        for name in _flags(column, value)
    }


def _display(listing, row):
    """One row's cells for the page: (text, css class). Amounts print as the CSV writes them;
    one that needs checking and one the document printed in a column that cannot be told for
    sure get a css class the template shows as a mark, never as a plain figure."""
    doubted, unclear = _flagged(listing, row, "doubts"), _flagged(listing, row, "unclear")
    cells = []
    for column, value in zip(listing.columns, row, strict=True):
        if column.type in FLAGS:
            cells.append(("", f"flag {column.type}" if _flags(column, value) else ""))
        elif column.type == "amount" and column.path in unclear:
            cells.append(("", "num unclear"))
        elif column.type == "amount" and column.path in doubted and value is not None:
            cells.append((exports.plain_decimal(value), "num needs-checking"))
        elif value is None or value == "":
            cells.append(("—", "missing num" if column.type in ("amount", "int") else "missing"))
        elif column.type == "amount":
            cells.append((exports.plain_decimal(value), "num"))
        elif column.type == "kind":
            cells.append((listing.kinds.get(value, value), ""))
        elif column.type == "disclosure":
            cells.append((DISCLOSURES.get(value, value), ""))
        elif column.type == "rate":
            cells.append((f"{value:.1f}%", "num rate"))
        elif column.type == "int" and column.key != "year":
            cells.append((str(value), "num"))
        else:
            cells.append((str(value), ""))
    return cells
