"""The list pages: budget years, line items, three public costs, performance indicators.

Each list is a FilterSet (budgets.filters) and a tuple of columns. The page, its CSV
(?format=csv) and its JSON (?format=json) read the same columns from the same filtered
queryset, so an export holds exactly the rows the pages show, all pages of them.
"""

from dataclasses import dataclass

from django import forms
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets import (
    copy_export,
    corrections,
    coverage,
    execution,
    exports,
    levels,
    links,
    missing,
    paging,
    summaries,
)
from budgets.anchors import figure_anchor
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
from budgets.search.query import NameStart

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    key: str  # the CSV/JSON name and the `sort` value
    label: str  # the header people read (translated)
    path: str  # the model path read with values_list
    # text, amount, int, kind, doubts, unclear, level (1 类 …), leaf (true/false), and the links
    # `permalink` (the row's budget-year page at its figure) and `source_url` (the original there)
    type: str = "text"
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


def _labelled(template, figure):
    """A column label read in the language of the request, not of the import."""
    return lazy(lambda: str(template) % {"figure": figure}, str)()


# Where a row's figure was printed and its links, appended after the columns every export had
# before them (issue 12). Every one is a model field or a queryset annotation (budgets.links),
# never a value computed per row in Python, so an export run in the database writes the same.
def _printed(figure=None, line=True):
    """Table, page (and line, unless the list has it already), the original opened there and the
    budget-year page at the figure. On a list of whole disclosures `figure` names the figure."""

    def label(text, with_figure):
        return _labelled(with_figure, figure) if figure else text

    def column(key, text, with_figure, column_type="text"):
        return Column(key, label(text, with_figure), key, column_type, sortable=False)

    columns = [
        column("source_table", _("Printed in"), _("%(figure)s: printed in")),
        column("source_page", _("Page in the disclosure"), _("%(figure)s: page"), "int"),
    ]
    if line:
        columns.append(column("source_line", _("Line in the disclosure"), _("%(figure)s: line"), "int"))
    columns.append(column("source_url", _("Original at that place"), _("%(figure)s: original"), "source_url"))
    return (*columns, _permalink())


def _permalink():
    return Column("permalink", _("Permalink"), "permalink", "permalink", sortable=False)


# Whether a figure of the row was changed by hand after it was read (budgets.corrections):
# appended after every column the exports had before it.
def _corrected():
    return Column("corrected", _("Corrected"), "corrected", "corrected", sortable=False)


@dataclass(frozen=True)
class Listing:
    slug: str  # URL name and file name
    title: str
    filterset: type
    queryset: object
    columns: tuple
    kinds: dict | None = None  # labels of a `kind` column
    note: str = ""  # the page's help text, under its title


BUDGET_YEARS = Listing(
    "budget-years",
    _("Budget years"),
    BudgetYearFilter,
    BudgetYear.objects.order_by("department__county__name", "department__name", "-year", "pk")
    .annotate(**links.figure_source("", "totals", "expenditure"))
    .annotate(source_url=links.source_link("source_document"), permalink=links.permalink())
    .annotate(corrected=corrections.corrected(corrections.Subject.BUDGET_YEAR)),
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
    + _identity("")
    + _printed(_("Expenditure total"))
    + (
        # What the disclosure printed: the standard tables of which the site has no figure.
        Column(
            "tables_missing", _("Standard tables not found or not read"), "tables_missing", "coverage", False
        ),
        _corrected(),
    ),
)

LINE_ITEMS = Listing(
    "line-items",
    _("Line items"),
    LineItemFilter,
    # The disclosures saved last first, each as printed: one index gives this order (budgets.models),
    # where an order by county and department names makes SQLite sort every line item.
    LineItem.objects.order_by("-budget_year_id", "kind", "position", "pk").annotate(
        source_url=links.source_link("budget_year__source_document"),
        permalink=links.permalink("budget_year__", links.pk_anchor("line-")),
        corrected=corrections.corrected(corrections.Subject.LINE_ITEM),
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
    + _identity("budget_year__")
    + (
        Column("level", _("Classification level"), "level", "level", sortable=False),
        Column("leaf", _("Leaf (no row under it)"), "leaf", "leaf", sortable=False),
    )
    + _printed(line=False)
    + (_corrected(),),
    kinds=dict(LineItem.Kind.choices),
    note=_(
        "A classification prints every level as a row: 201 (类) holds 20103 (款), which holds "
        "2010301 (项). Adding rows of several levels counts the same money two or three times: to "
        "add up, keep one level, or the leaf rows only (rows with nothing printed under them). A "
        "code lists that class alone; tick “with the classes under it” for those too. A row printed "
        "without a code takes its level from the document's numbering (一、 over 1、 over （1）); a "
        "project has level 0 and the code of the functional class it is spent under."
    ),
)

THREE_COSTS = Listing(
    "three-costs",
    _("Three public costs"),
    ThreeCostsFilter,
    ThreeCosts.objects.order_by(
        "budget_year__department__county__name", "budget_year__department__name", "-budget_year__year", "pk"
    )
    .annotate(**links.figure_source("budget_year__", "three_costs", "total"))
    .annotate(
        source_url=links.source_link("budget_year__source_document"),
        permalink=links.permalink("budget_year__", figure_anchor("three_costs.total")),
        corrected=corrections.corrected(corrections.Subject.THREE_COSTS),
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
    + _identity("budget_year__")
    + _printed(_("Three public costs"))
    + (_corrected(),),
)

INDICATORS = Listing(
    "indicators",
    _("Performance indicators"),
    PerformanceIndicatorFilter,
    # As the line items: the disclosures saved last first, each as printed, off one index.
    PerformanceIndicator.objects.order_by("-budget_year_id", "position", "pk")
    .alias(name_start=NameStart("name"))
    .annotate(
        source_url=links.source_link("budget_year__source_document"),
        permalink=links.permalink("budget_year__", links.pk_anchor("indicator-")),
        corrected=corrections.corrected(corrections.Subject.INDICATOR),
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
    + _identity("budget_year__")
    + _printed(line=False)
    + (_corrected(),),
    kinds=dict(PerformanceIndicator.Kind.choices),
)


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
    # The pairings and rates kept when a disclosure is saved (budgets.summaries), read by joins.
    summaries.execution_rows()
    .order_by("department__county__code", "department__name", "-year", "level", "pk")
    .annotate(permalink=links.permalink()),
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
        _permalink(),
    ),
)


RANKINGS = Listing(
    "rankings",
    _("Rankings"),
    RankingFilter,
    latest_budgets().annotate(permalink=links.permalink()),
    (
        Column("rank", _("Rank"), "rank", "int"),
        Column("county", _("County"), "department__county__name"),
        Column("division_code", _("Division code"), "department__county__code", sortable=False),
        Column("prefecture", _("Prefecture"), "department__county__prefecture", sortable=False),
        Column("department", _("Department"), "department__name"),
        Column("department_kind", _("Kind of department"), "department__kind", sortable=False),
        Column("year", _("Latest budget"), "year", "int"),
        Column("value", _("Figure ranked (万元)"), "ranked_value", "amount"),
        _permalink(),
    ),
)


class ListParams(forms.Form):
    """The parameters of a list that are not filters."""

    format = forms.ChoiceField(
        choices=[("html", "html"), ("csv", "csv"), ("json", "json"), ("xlsx", "xlsx")], required=False
    )
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
        if fmt in ("csv", "xlsx"):
            return HttpResponseBadRequest(_error_text(errors), content_type="text/plain; charset=utf-8")
        ctx = {"listing": listing, "filter": f, "errors": _error_text(errors), "columns": listing.columns}
        return render(request, "budgets/lists/list.html", ctx, status=400)

    paths = [column.path for column in listing.columns]
    rows = f.qs.values_list(*paths)
    exported = exported_rows(listing, f.qs)
    if fmt in ("csv", "xlsx"):
        data = f.form.cleaned_data
        county = [data["county"].name] if data.get("county") else []
        years = _one_year(data.get("year"))
        filename = exports.filename_for(listing.slug, county, years, fmt)
        header = [column.label for column in listing.columns]
        if fmt == "xlsx":
            return _xlsx(listing, header, exported, filename, rows.count())
        # PostgreSQL writes the same bytes itself (COPY), many times faster; else row by row.
        copied = copy_export.csv_response(rows, listing.columns, header, filename)
        return copied or exports.csv_response(header, exported, filename)
    if fmt == "json":
        keys = [column.key for column in listing.columns]
        return exports.json_response(keys, exported, {"count": rows.count()})

    # The count stops at paging.LIMIT rows and only those are paged (budgets.paging).
    everything = not listing.queryset.query.where and not any(f.form.cleaned_data.values())
    paginator = paging.BoundedPaginator(
        rows, PAGE_SIZE, everything=everything, years=_listed_years(listing, f)
    )
    number = params.cleaned_data.get("page")
    beyond = paginator.beyond(number)
    page = paginator.get_page(number)
    ctx = {
        "listing": listing,
        "filter": f,
        "page": page,
        "beyond": beyond,
        "columns": _headers(listing.columns, f.form.cleaned_data.get("sort")),
        "rows": [] if beyond else [_display(listing, row) for row in page.object_list],
    }
    return render(request, "budgets/lists/list.html", ctx)


def _listed_years(listing, f):
    """Where a line-item or indicator list in its own order (the disclosures saved last first)
    is filtered to a place, or by words within one year, its page is read from those budget
    years (budgets.paging, budgets.filters.listed_years)."""
    if listing not in (LINE_ITEMS, INDICATORS) or f.form.cleaned_data.get("sort"):
        return None
    return f.listed_years()


def exported_rows(listing, queryset):
    """The rows of a list as its CSV, JSON and .xlsx write them (and the bulk download)."""
    rows = queryset.values_list(*[column.path for column in listing.columns])
    return (_exported(listing, row) for row in rows.iterator(chunk_size=2000))


def _xlsx(listing, header, exported, filename, count):
    if count >= exports.XLSX_MAX_ROWS:
        text = gettext(
            "%(count)s rows are more than a spreadsheet holds (%(limit)s): narrow the filters, "
            "or download the CSV."
        ) % {"count": count, "limit": exports.XLSX_MAX_ROWS - 1}
        return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")
    # Rates arrive as numbers (budgets.percent.Percent), `n/a` as text.
    return exports.xlsx_response(header, exported, filename, sheet=listing.slug)


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
    by_key = {column.key: value for column, value in zip(listing.columns, row, strict=True)}
    return tuple(
        _flags(column, value)
        if column.type in FLAGS
        else _rate(column, by_key)
        if column.type == "rate"
        else value
        for column, value in zip(listing.columns, row, strict=True)
    )


def _rate(column, by_key):
    """An execution rate as the pages print it (94.3, budgets.percent), from the exact figures
    beside it rather than the database's sorting value: `n/a` where the budget is zero, None
    where either figure is not printed (budgets.missing)."""
    stem = column.key.removesuffix("_rate")
    budget, actual = by_key[f"{stem}_budget"], by_key[f"{stem}_actual"]
    if budget is not None and actual is not None and not budget:
        return missing.NOT_APPLICABLE
    return execution.rate(actual, budget)


def _flagged(listing, row, kind) -> set[str]:
    return {
        name
        for column, value in zip(listing.columns, row, strict=True)
        if column.type == kind
        for name in _flags(column, value)
    }


def _display(listing, row):
    """One row's cells for the page: (text, css class, link). Amounts print as the CSV writes
    them; one that needs checking and one the document printed in a column that cannot be told
    for sure get a css class the template shows as a mark, never as a plain figure. The year
    links to the row's budget-year page at its figure, as the permalink column does."""
    doubted, unclear = _flagged(listing, row, "doubts"), _flagged(listing, row, "unclear")
    by_key = {column.key: value for column, value in zip(listing.columns, row, strict=True)}
    page = links.as_uri(by_key["permalink"]) if by_key.get("permalink") else ""
    cells = []
    for column, value in zip(listing.columns, row, strict=True):
        if column.type == "rate":
            value = _rate(column, by_key)
        if column.type == "coverage":
            cells.append((coverage.missing_names(value), "parts", ""))
        elif column.type == "corrected":
            cells.append((gettext("corrected"), "corrected", page) if value else ("", "", ""))
        elif column.type in FLAGS:
            cells.append(("", f"flag {column.type}" if _flags(column, value) else "", ""))
        elif column.type == "amount" and column.path in unclear:
            cells.append(("", "num unclear", ""))
        elif column.type == "amount" and column.path in doubted and value is not None:
            cells.append((exports.plain_decimal(value), "num needs-checking", ""))
        elif column.key.startswith("source_") and value is None:
            cells.append(("", "", ""))  # a text has no pages: nothing left unprinted
        elif value is None or value == "":
            cells.append(("—", "missing num" if column.type in ("amount", "int") else "missing", ""))
        elif column.type == "amount":
            cells.append((exports.plain_decimal(value), "num", ""))
        elif column.type == "kind":
            cells.append((listing.kinds.get(value, value), "", ""))
        elif column.type == "disclosure":
            cells.append((DISCLOSURES.get(value, value), "", ""))
        elif column.type == "rate" and value == missing.NOT_APPLICABLE:
            cells.append((gettext("n/a"), "num rate not-applicable", ""))
        elif column.type == "rate":
            cells.append((f"{value}%", "num rate", ""))
        elif column.type == "level":
            cells.append((levels.name(value, coded=bool(by_key.get("code"))), "level", ""))
        elif column.type == "leaf":
            cells.append((gettext("yes") if value else gettext("no"), "", ""))
        elif column.type == "permalink":
            cells.append((gettext("Open"), "link", page))
        elif column.type == "source_url":
            cells.append((gettext("Original"), "link", value))
        elif column.key == "year":
            cells.append((str(value), "", page))
        elif column.type == "int":
            cells.append((str(value), "num", ""))
        else:
            cells.append((str(value), "", ""))
    return cells
