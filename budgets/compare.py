"""Counties side by side: one column per county-department-year, one row per figure.

The page, its chart and its CSV all call `compare_rows(...)`, so the three always agree.
The whole state of the page is its GET query string: county (repeated, each a division code, a
name only one county has, or several of them: budgets.county_input), department (the kind of
department stored on Department, e.g. 人民政府办公室), year (repeated), disclosure (budgets,
final accounts, or the execution rate 决算 ÷ 预算), measure, chart.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from budgets import charts, compare_exports, corrections, execution, exports, missing, summaries
from budgets.county_input import CountiesField
from budgets.filters import department_kinds
from budgets.models import BudgetYear, CountySummary, LineItem, PerformanceIndicator
from budgets.percent import percent
from budgets.templatetags.budget_format import format_amount, signed_wan

MAX_COLUMNS = 30  # wider than this a table stops being readable; the page says what it left out
NAME_THE_COUNTIES = _(
    "Type the counties to compare, by code or name (130127 高邑 平乡): more than %(most)s counties "
    "have published, more than one table can show."
)

RATE = ("rate", _("execution rate: final accounts ÷ budget, %"))
MEASURES = [
    ("amount", _("amount as printed")),
    ("share", _("share of expenditure total")),
    ("change", _("change on the previous disclosed year")),
    ("change_pct", _("change on the previous disclosed year, %")),
    ("per_staff", _("per staff member")),
]

# (key, label, group, how to read it off a BudgetYear, is it money)
_FIGURES = [
    ("income", _("Income total"), _("Totals"), lambda by: by.income, True),
    ("expenditure", _("Expenditure total"), _("Totals"), lambda by: by.expenditure, True),
    (
        "general_budget_income",
        _("General public budget income"),
        _("Totals"),
        lambda by: by.general_budget_income,
        True,
    ),
    ("basic", _("Basic expenditure"), _("Basic and project"), lambda by: by.basic, True),
    ("project", _("Project expenditure"), _("Basic and project"), lambda by: by.project, True),
    ("personnel", _("Personnel costs"), _("Personnel and public"), lambda by: by.personnel, True),
    ("public", _("Public costs"), _("Personnel and public"), lambda by: by.public, True),
    (
        "operating",
        _("Office running costs (机关运行经费)"),
        _("Personnel and public"),
        lambda by: by.operating,
        True,
    ),
    ("three_costs", _("Three public costs"), _("Three public costs"), lambda by: _three(by, "total"), True),
    ("overseas", _("Overseas trips"), _("Three public costs"), lambda by: _three(by, "overseas"), True),
    ("vehicle", _("Official cars"), _("Three public costs"), lambda by: _three(by, "vehicle"), True),
    (
        "vehicle_purchase",
        _("Car purchase"),
        _("Three public costs"),
        lambda by: _three(by, "vehicle_purchase"),
        True,
    ),
    (
        "vehicle_operation",
        _("Car operation"),
        _("Three public costs"),
        lambda by: _three(by, "vehicle_operation"),
        True,
    ),
    ("reception", _("Receptions"), _("Three public costs"), lambda by: _three(by, "reception"), True),
    (
        "three_costs_change",
        _("Three public costs: change on the year before, as printed"),
        _("Three public costs"),
        lambda by: _three(by, "total_change"),
        True,
    ),
]
# The parsed-JSON path of each figure an error finding can cast doubt on (BudgetYear.needs_checking).
_PATHS = {
    **{
        key: f"totals.{key}"
        for key in (
            "income",
            "expenditure",
            "general_budget_income",
            "basic",
            "project",
            "personnel",
            "public",
            "operating",
        )
    },
    "three_costs": "three_costs.total",
    **{
        key: f"three_costs.{key}"
        for key in ("overseas", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")
    },
    "three_costs_change": "three_costs.total_change",
}
# Rows that are themselves a change on the previous year, as printed: shown as amounts only.
CHANGES = {"three_costs_change"}
# What a reader returns for a line item the document printed in a column that cannot be told
# for sure (LineItem.uncertain): unknown, so neither a number nor "not printed".
UNCLEAR = object()
_STAFF = [
    ("staff_authorized", _("Authorised staff"), _("Staff"), lambda by: by.staff_authorized, False),
    ("staff_in_service", _("Staff in service"), _("Staff"), lambda by: by.staff_in_service, False),
]
# Where the editors' corrections of each headline figure are kept (budgets.corrections): its
# subject and field. Functional classes and the count of indicators stay unmarked here; the
# budget-year page marks a corrected line item.
_CORRECTED = {
    **{
        key: (corrections.Subject.BUDGET_YEAR, path.removeprefix("totals."))
        for key, path in _PATHS.items()
        if path.startswith("totals.")
    },
    **{
        key: (corrections.Subject.THREE_COSTS, path.removeprefix("three_costs."))
        for key, path in _PATHS.items()
        if path.startswith("three_costs.")
    },
    **{key: (corrections.Subject.BUDGET_YEAR, key) for key, *_rest in _STAFF},
}
FUNCTIONAL_GROUP = _("Expenditure by functional class")
# The figures a one-year bar chart groups, and the ones a line chart can follow.
BAR_FIGURES = ["expenditure", "basic", "project", "personnel", "public", "operating", "three_costs"]
CHART_CHOICES = sorted(
    [(key, label) for key, label, _g, _r, money in _FIGURES if money]
    + [("indicators", _("Performance indicators"))],
    key=lambda choice: choice[0] != "expenditure",  # the default first, as the form's select shows it
)


def _three(budget_year, name):
    try:
        return getattr(budget_year.three_costs, name)
    except ObjectDoesNotExist:
        return None


DISCLOSURES = [
    ("budget", _("budgets (预算)")),
    ("final_accounts", _("final accounts (决算)")),
    ("rate", _("execution rate: final accounts ÷ budget, %")),
]


def department_kind(department):
    """What lines up the same office across counties: the kind stored on the department (财政局),
    else its own name (a kind unknown is shown, never guessed)."""
    return department.kind or department.name


def _county_filter(keys):
    codes = [key for key in keys if not key.startswith("id")]
    ids = [int(key[2:]) for key in keys if key.startswith("id") and key[2:].isdigit()]
    return Q(department__county__code__in=codes) | Q(department__county__pk__in=ids)


@dataclass
class Cell:
    value: Decimal | int | None  # None: missing, and `note` says why
    note: str = ""
    needs_checking: bool = False  # an error finding casts doubt on the figure it comes from
    why_missing: str | None = None  # as the exports write it (budgets.missing); None: not printed
    # What the editors changed of the figures it comes from (budgets.corrections.of_headlines).
    corrections: list = field(default_factory=list)

    @property
    def exported(self):
        """What the CSV and JSON write: the value; else empty (null) where a figure is not
        printed, `n/a` where the measure does not apply, `unclear` (budgets.missing)."""
        return self.value if self.value is not None else self.why_missing


@dataclass
class Column:
    budget_year: BudgetYear
    county: str
    department: str
    year: int
    previous: BudgetYear | None = None
    budget: BudgetYear | None = None  # the execution rate's denominator

    @property
    def label(self):
        return f"{self.county} · {self.department} · {self.year}"


@dataclass
class Comparison:
    columns: list
    rows: list  # dicts: key, label, group, money, cells
    left_out: int = 0
    figures: dict = field(default_factory=dict)  # key → row, for the chart


def compare_rows(counties=(), department="", years=(), measure="amount", disclosure="budget"):
    """The comparison table: columns for the disclosures of `counties` (keys, county_key; all
    when empty) whose department is of kind `department` (all when empty), in `years` (all
    when empty), of kind `disclosure` (budget, final_accounts, or rate: final accounts that
    have a budget, each figure as 决算 ÷ 预算), each figure in `measure`. Four queries
    whatever the selection, and one more where a year shown has a correction."""
    kinds = ["budget", "final_accounts"] if disclosure == "rate" else [disclosure]
    matching = BudgetYear.objects.filter(kind__in=kinds, level=BudgetYear.Level.DEPARTMENT)
    if counties:
        matching = matching.filter(_county_filter(counties))
    if department:
        matching = matching.filter(department__kind=department)

    # First the keys of every budget year that matches, in the table's order (ten counties
    # hold some 5,000), then the budget years the table shows, read whole (at most 90).
    by_department = defaultdict(list)
    budgets = {}
    for pk, department_id, year, kind in matching.order_by(
        "department__county__name", "department__county__code", "department__name", "year", "kind"
    ).values_list("pk", "department_id", "year", "kind"):
        if disclosure == "rate" and kind == BudgetYear.Kind.BUDGET:
            budgets[(department_id, year)] = pk
            continue
        by_department[department_id].append((pk, year))

    chosen = []  # (budget year, the one before it, its budget), as keys
    for department_id, years_of_one in by_department.items():
        previous = None
        for pk, year in years_of_one:  # oldest first
            budget = budgets.get((department_id, year))
            if disclosure == "rate" and budget is None:
                continue
            if not years or year in years:
                chosen.append((pk, previous, budget))
            previous = pk
    left_out = max(0, len(chosen) - MAX_COLUMNS)
    chosen = chosen[:MAX_COLUMNS]
    read = (
        BudgetYear.objects.select_related("department__county", "three_costs")
        .annotate(has_corrections=corrections.any_for_year())
        .in_bulk({pk for keys in chosen for pk in keys if pk is not None})
    )
    columns = [
        Column(
            read[pk],
            read[pk].department.county.name,
            department_kind(read[pk].department),
            read[pk].year,
            read.get(previous),
            read.get(budget),
        )
        for pk, previous, budget in chosen
    ]

    wanted = (
        {c.budget_year.pk for c in columns}
        | {c.previous.pk for c in columns if c.previous}
        | {c.budget.pk for c in columns if c.budget}
    )
    functional = defaultdict(dict)  # budget year id → code → amount
    names = {}
    # Classes line up across counties by code: a row printed without one (level 1 of its own
    # outline, budgets.levels) has nothing to line up with.
    for by_id, code, name, amount, uncertain in (
        LineItem.objects.filter(budget_year__in=wanted, kind=LineItem.Kind.FUNCTIONAL, level=1)
        .exclude(code="")
        # The first name printed for a code names its row; ordered by "budget_year", the model
        # would order by the budget year's own ordering and join its county to do so.
        .order_by("budget_year_id", "position")
        .values_list("budget_year_id", "code", "name", "amount", "uncertain")
    ):
        functional[by_id][code] = UNCLEAR if "amount" in (uncertain or ()) else amount
        names.setdefault(code, name)
    indicator_counts = dict(
        # No ordering: the model's own (by county) would join three tables into the count.
        PerformanceIndicator.objects.filter(budget_year__in=wanted)
        .order_by()
        .values("budget_year_id")
        .annotate(n=Count("pk"))
        .values_list("budget_year_id", "n")
    )

    readers = list(_FIGURES)
    readers += [
        (
            f"functional_{code}",
            f"{code} {names[code]}",
            FUNCTIONAL_GROUP,
            lambda by, code=code: functional[by.pk].get(code),
            True,
        )
        for code in sorted(names)
    ]
    # A count is never missing: a disclosure without indicator tables has none.
    readers.append(
        (
            "indicators",
            _("Performance indicators"),
            _("Performance indicators"),
            lambda by: indicator_counts.get(by.pk, 0),
            False,
        )
    )
    readers += _STAFF

    corrected = corrections.of_headlines(
        {
            by.pk: by for c in columns for by in (c.budget_year, c.previous, c.budget) if by is not None
        }.values()
    )
    rows = []
    for key, label, group, read, money in readers:
        if key in CHANGES and (disclosure == "rate" or measure != "amount"):
            # A share, change or rate of a change (−99.9 % of a −0.02 change) means nothing.
            note = gettext("itself a change")
            cells = [Cell(None, note, why_missing=missing.NOT_APPLICABLE) for _column in columns]
        elif disclosure == "rate":
            cells = [_rate(read, column, money, _PATHS.get(key)) for column in columns]
        else:
            cells = [_measure(measure, read, column, money, _PATHS.get(key)) for column in columns]
        if corrected and key in _CORRECTED:
            for cell, column in zip(cells, columns, strict=True):
                cell.corrections = _corrections(corrected, key, cell, column, measure, disclosure)
        rows.append({"key": key, "label": str(label), "group": str(group), "money": money, "cells": cells})
    return Comparison(columns, rows, left_out, {row["key"]: row for row in rows})


def _rate(read, column, money, path=None):
    """决算 ÷ 预算 of one figure, marked when either figure needs checking."""
    if not money:
        return Cell(None, gettext("not an amount"), why_missing=missing.NOT_APPLICABLE)
    actual, budgeted = read(column.budget_year), read(column.budget)
    if actual is UNCLEAR or budgeted is UNCLEAR:
        return Cell(None, gettext("unclear"), why_missing=missing.UNCLEAR)
    if budgeted is None:
        return Cell(None, gettext("not budgeted"))
    if actual is None:
        return Cell(None, gettext("not printed"))
    value = execution.rate(actual, budgeted)
    if value is None:
        return Cell(None, gettext("budget was zero"), why_missing=missing.NOT_APPLICABLE)
    doubted = bool(path) and any(
        path in (by.needs_checking or ()) for by in (column.budget_year, column.budget)
    )
    return Cell(value, needs_checking=doubted)


def _measure(measure, read, column, money, path=None):
    """One figure of one column in `measure`, marked when a figure it comes from needs checking."""
    cell = _measured(measure, read, column, money)
    cell.needs_checking = cell.value is not None and _in_doubt(measure, path, column)
    return cell


def _in_doubt(measure, path, column):
    """Whether a measure comes from a figure that needs checking: the figure itself, the
    expenditure total a share divides by, or the previous year's figure a change starts from."""
    paths = {path} if path else set()
    if measure == "share":
        paths.add("totals.expenditure")
    years = [column.budget_year]
    if measure in ("change", "change_pct") and column.previous is not None:
        years.append(column.previous)
    return any(paths & set(by.needs_checking or ()) for by in years)


def _corrections(corrected, key, cell, column, measure, disclosure):
    """The corrections of the figures a cell comes from, as `_in_doubt` and `_rate` follow them:
    the figure itself, the expenditure total a share divides by, the previous year's figure a
    change starts from, the budget a rate divides by. Oldest first. A cell that does not apply
    has none; a missing one only its own figure's (one an editor cleared)."""
    if cell.why_missing == missing.NOT_APPLICABLE:
        return []
    figures, years = [_CORRECTED[key]], [column.budget_year]
    if cell.value is not None:
        if measure == "share":
            figures.append(_CORRECTED["expenditure"])
        if disclosure == "rate":
            years.append(column.budget)
        elif measure in ("change", "change_pct") and column.previous is not None:
            years.append(column.previous)
    found = [
        e for by in years for subject, name in figures for e in corrected.get((by.pk, subject, name), ())
    ]
    return sorted(found, key=lambda e: e["at"])


def _measured(measure, read, column, money):
    by = column.budget_year
    value = read(by)
    if value is UNCLEAR:
        return Cell(None, gettext("unclear"), why_missing=missing.UNCLEAR)
    if value is None:
        return Cell(None, gettext("not printed"))
    if measure == "amount":
        return Cell(value)
    if measure == "share":
        if not money:
            return Cell(None, gettext("not an amount"), why_missing=missing.NOT_APPLICABLE)
        if by.expenditure is None:
            return Cell(None, gettext("total not printed"))
        if not by.expenditure:
            return Cell(None, gettext("total is zero"), why_missing=missing.NOT_APPLICABLE)
        return Cell(percent(value, by.expenditure))
    if measure == "per_staff":
        if not money:
            return Cell(None, gettext("not an amount"), why_missing=missing.NOT_APPLICABLE)
        staff = by.staff_in_service or by.staff_authorized
        if not staff:
            return Cell(None, gettext("staffing not printed"))
        return Cell((Decimal(value) / staff).quantize(Decimal("0.01")))
    # change on the previous disclosed year of the same department
    if column.previous is None:
        return Cell(None, gettext("no earlier year"), why_missing=missing.NOT_APPLICABLE)
    before = read(column.previous)
    if before is UNCLEAR:
        return Cell(
            None, gettext("unclear in %(year)s") % {"year": column.previous.year}, why_missing=missing.UNCLEAR
        )
    if before is None:
        return Cell(None, gettext("not printed in %(year)s") % {"year": column.previous.year})
    if measure == "change":
        return Cell(value - before)
    if not before:
        zero = gettext("%(year)s was zero") % {"year": column.previous.year}
        return Cell(None, zero, why_missing=missing.NOT_APPLICABLE)
    return Cell(percent(Decimal(value) - Decimal(before), before))


# The unit a chart of each measure is drawn in; a count (indicators) is a number.
_UNITS = {
    "share": "%",
    "change_pct": "%",
    "rate": "%",
    "per_staff": _("10,000 yuan per staff member"),
}


def comparison_chart(comparison, chart_key, measure):
    """The comparison drawn (budgets.charts.Chart). When no department has two years: the main
    figures, one bar per column. Otherwise the figure `chart_key` across the years, one series
    per department, every year from the first to the last, so a year it did not disclose or a
    figure it did not print is a gap (lines where some department has two neighbouring years,
    else bars: charts.line_or_bars)."""
    columns = comparison.columns
    if len({c.budget_year.department_id for c in columns}) == len(columns):
        rows = [comparison.figures[key] for key in BAR_FIGURES]
        title, kind, labels = gettext("Main figures"), "bar", [row["label"] for row in rows]
        series = [(column.label, [row["cells"][i].value for row in rows]) for i, column in enumerate(columns)]
        caption = gettext(
            "Main figures, one bar per county, department and year; a missing bar means the figure is "
            "not printed."
        )
    else:
        row = comparison.figures[chart_key]
        rows = [row]
        labels = charts.year_range(c.year for c in columns)
        by_department = {}
        for column, cell in zip(columns, row["cells"], strict=True):
            name = f"{column.county} · {column.department}"
            values = by_department.setdefault(column.budget_year.department_id, (name, {}))[1]
            values[column.year] = cell.value
        series = [(name, [values.get(year) for year in labels]) for name, values in by_department.values()]
        title, kind = row["label"], charts.line_or_bars(series)
        caption = (
            gettext(
                "One line per county and department across the years; a gap means the year was not "
                "disclosed or the figure not printed."
            )
            if kind == "line"
            else gettext(
                "One bar per county and department in each year (no department has two neighbouring "
                "years to draw a line through); a missing bar means the year was not disclosed or the "
                "figure not printed."
            )
        )
    counties = list(dict.fromkeys(c.county for c in columns))
    kinds = list(dict.fromkeys(c.department for c in columns))
    named = (
        counties
        if len(counties) <= 4
        else [ngettext("%(count)s county", "%(count)s counties", len(counties)) % {"count": len(counties)}]
    )
    unit = _UNITS.get(measure) or ("" if all(row["money"] for row in rows) else pgettext("unit", "count"))
    doubted = any(cell.needs_checking for row in rows for cell in row["cells"])
    return charts.Chart(
        id="compare",
        title=title,
        labels=labels,
        series=series,
        kind=kind,
        place=" ".join([pgettext("list separator", ", ").join(named), *(kinds if len(kinds) == 1 else [])]),
        years=[c.year for c in columns],
        source=charts.source_line(
            [c.budget_year for c in columns] + [c.budget for c in columns if c.budget is not None]
        ),
        file_parts=[*named, *(kinds if len(kinds) == 1 else [])],
        unit=str(unit),
        table=False,
        caption=caption,
        note=gettext(
            "The chart draws the figures as printed; those marked “needs checking” in the "
            "table below are in doubt."
        )
        if doubted
        else "",
    )


def _selection(data):
    """The comparison a valid form asks for, and the measure it is shown in."""
    disclosure = data["disclosure"] or "budget"
    measure = "rate" if disclosure == "rate" else data["measure"] or "amount"
    comparison = compare_rows(
        data["county"],
        data["department"],
        data["year"],
        "amount" if measure == "rate" else measure,
        disclosure,
    )
    return comparison, measure


def chart_for(query):
    """The chart of the comparison a query string asks for (the embed and its SVG); None where the
    query is not valid or matches nothing."""
    form = CompareForm(query)
    if not form.is_valid() or form.counties_needed():
        return None
    comparison, measure = _selection(form.cleaned_data)
    if not comparison.columns:
        return None
    return comparison_chart(comparison, form.cleaned_data["chart"] or "expenditure", measure)


# What the page answers in: the page itself first, then its exports (wide, tidy, spreadsheet).
FORMATS = ("html", "csv", "json", "xlsx", "tidy-csv", "tidy-json")


class CompareForm(forms.Form):
    county = CountiesField(MAX_COLUMNS, label=_("Counties"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    year = forms.TypedMultipleChoiceField(
        label=_("Years"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    disclosure = forms.ChoiceField(label=_("Disclosures"), choices=DISCLOSURES, required=False)
    measure = forms.ChoiceField(label=_("Show"), choices=MEASURES, required=False)
    chart = forms.ChoiceField(label=_("Chart across years"), choices=CHART_CHOICES, required=False)
    format = forms.ChoiceField(choices=[(f, f) for f in FORMATS], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments")), *department_kinds()]
        self.fields["year"].choices = [(y, y) for y in summaries.published_years()]

    def counties_needed(self):
        """Whether a valid form must name its counties: an empty choice compares every county only
        while no more have published than a table shows (nationally it would read and order
        660,000 budget years for 30 columns)."""
        return not self.cleaned_data["county"] and CountySummary.objects.count() > MAX_COLUMNS


def compare(request):
    form = CompareForm(request.GET)
    if not form.is_valid():
        if request.GET.get("format") in FORMATS[1:]:
            text = "\n".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
            return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")
        return render(request, "budgets/lists/compare.html", {"form": form}, status=400)

    data = form.cleaned_data
    fmt = data["format"] or "html"
    if fmt == "html" and request.GET.getlist("county") != data["county"]:
        # Counties typed by name (高邑 平乡) or several to a box: the address a reader copies
        # names each by its code, once.
        query = request.GET.copy()
        query.setlist("county", data["county"])
        return redirect(f"{request.path}?{query.urlencode()}")
    if form.counties_needed():
        message = NAME_THE_COUNTIES % {"most": MAX_COLUMNS}
        if fmt != "html":
            return HttpResponseBadRequest(f"county: {message}", content_type="text/plain; charset=utf-8")
        return render(request, "budgets/lists/compare.html", {"form": form, "counties_needed": message})
    comparison, measure = _selection(data)
    if fmt != "html":
        names = sorted({c.county for c in comparison.columns}) if len(data["county"]) == 1 else []
        years = sorted({c.year for c in comparison.columns})
        if fmt.startswith("tidy-"):
            rows = compare_exports.tidy_rows(comparison, measure)
            if fmt == "tidy-json":
                return exports.json_response(compare_exports.TIDY_KEYS, rows, {"measure": measure})
            filename = exports.filename_for(f"compare-{measure}-tidy", names, years)
            return exports.csv_response(compare_exports.TIDY_KEYS, rows, filename)
        figure = gettext("Figure (%(measure)s)") % {"measure": dict([*MEASURES, RATE])[measure]}
        labels = compare_exports.column_names(comparison.columns)
        header = [gettext("Group"), figure, *labels, gettext("Needs checking"), gettext("Corrected")]
        # The last columns name the budget years whose figure in this row needs checking, and
        # those where the site's editors corrected a figure it comes from.
        rows = [
            [row["group"], row["label"]]
            + [cell.exported for cell in row["cells"]]
            + [[label for label, cell in zip(labels, row["cells"], strict=True) if cell.needs_checking]]
            + [[label for label, cell in zip(labels, row["cells"], strict=True) if cell.corrections]]
            for row in comparison.rows
        ]
        if fmt == "json":
            # `key` names the figure in every language (income, functional_201), as the tidy form does.
            keys = ["key", "group", "figure", *labels, "needs_checking", "corrected"]
            keyed = ([row["key"], *line] for row, line in zip(comparison.rows, rows, strict=True))
            return exports.json_response(keys, keyed, {"measure": measure})
        filename = exports.filename_for(f"compare-{measure}", names, years, fmt)
        if fmt == "xlsx":
            return exports.xlsx_response(header, rows, filename, sheet=f"compare-{measure}")
        return exports.csv_response(header, rows, filename)

    ctx = {
        "form": form,
        "comparison": comparison,
        "measure": measure,
        "measure_label": dict([*MEASURES, RATE])[measure],
        "rows": [_display_row(row, measure) for row in comparison.rows],
        "chart": comparison_chart(comparison, data["chart"] or "expenditure", measure)
        if comparison.columns
        else None,
    }
    return render(request, "budgets/lists/compare.html", ctx)


def _display_row(row, measure):
    """A table row for the page: the label, its group and each cell's text, css class and
    corrections."""
    cells = []
    for cell in row["cells"]:
        css = "num needs-checking" if cell.needs_checking else "num"
        if cell.value is None:
            cells.append((cell.note, "missing", cell.corrections))
        else:
            cells.append((_shown(cell.value, measure, row["key"] in CHANGES), css, cell.corrections))
    return {"label": row["label"], "group": row["group"], "key": row["key"], "cells": cells}


def _shown(value, measure, is_change):
    """A cell as the other pages print it: an amount with its separators, a change with its sign
    (a real minus), a percentage at the precision computed, a count as it is."""
    if measure in ("share", "change_pct", "rate"):
        sign = "+" if measure == "change_pct" and value > 0 else "−" if value < 0 else ""
        return f"{sign}{abs(value)}%"
    if not isinstance(value, Decimal):
        return f"+{value}" if measure == "change" and value > 0 else str(value).replace("-", "−")
    return signed_wan(value) if measure == "change" or is_change else format_amount(value)
