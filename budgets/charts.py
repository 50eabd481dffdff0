"""Chart specifications built by the views and drawn by static/js/charts.js (and, as SVG, by
budgets/svg.py).

A chart is plain data: `spec` goes to the page through `json_script` for Chart.js, and
`rows` fill the data table printed beside the canvas for screen readers and copying, so
the picture and the table always show the same numbers. Amounts travel as exact decimal
strings in 万元; the script turns them into numbers only to draw.

A chart fit for an article says what and where (`heading`), its unit, the disclosures it
comes from (`source`) and is saved under a name made of its content (`filename`). Charts
across years have one label per year from the first to the last, so a year not disclosed is
a gap, never a straight line over it.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from budgets import levels
from budgets.classification import class_label
from budgets.models import BudgetYear, LineItem


@dataclass
class Chart:
    id: str
    title: str  # what it shows: “三公”经费
    labels: list
    series: list  # [(name, [Decimal | None, …]), …], one value per label
    label_heading: str = ""
    kind: str = "bar"  # "bar" or "line"
    horizontal: bool = False
    stacked: bool = False
    note: str = ""  # printed under the chart, e.g. that some of its figures need checking
    caption: str = ""  # how to read it, printed under it
    place: str = ""  # where: 高邑县人民政府办公室, or the counties compared
    years: list = field(default_factory=list)  # the years it covers, for its heading and file name
    source: str = ""  # Source: the disclosures drawn, with their years (source_line)
    file_parts: list = field(default_factory=list)  # what names the file before the title and years
    unit: str = ""  # empty: 万元
    table: bool = True  # the data table beside the canvas; off where the page prints the figures

    @property
    def json_id(self):
        return f"{self.id}-data"

    @property
    def figure_id(self):
        """The id of its figure on the page: an embed's link back lands there."""
        return f"{self.id}-chart"

    @property
    def unit_text(self):
        return self.unit or _("10,000 yuan")

    @property
    def heading(self):
        """What, where and when, as an article's chart is titled:
        高邑县人民政府办公室：“三公”经费（2019、2022年）."""
        when = years_text(self.years)
        if self.place and when:
            return _("%(place)s: %(what)s, %(years)s") % {
                "place": self.place,
                "what": self.title,
                "years": when,
            }
        if self.place:
            return _("%(place)s: %(what)s") % {"place": self.place, "what": self.title}
        return str(self.title)

    @property
    def filename(self):
        """The download's name without extension: 高邑县-人民政府办公室-三公经费-2019-2022."""
        return chart_filename([*self.file_parts, self.title], self.years)

    @property
    def height(self):
        """Rem of canvas height: horizontal bars need room for each label."""
        if self.horizontal:
            return max(12, round(2 + len(self.labels) * (1.2 + 0.6 * len(self.series))))
        return 20

    @property
    def spec(self):
        return {
            "type": self.kind,
            "horizontal": self.horizontal,
            "stacked": self.stacked,
            "title": self.heading,
            "unit": self.unit_text,
            "unit_line": _("Unit: %(unit)s") % {"unit": self.unit_text},
            "note": self.note,
            "source": self.source,
            "site": str(SITE_NAME),
            "colours": PALETTE,
            "filename": self.filename,
            "labels": [str(label) for label in self.labels],
            "datasets": [
                {"label": str(name), "data": [None if v is None else str(v) for v in values]}
                for name, values in self.series
            ],
        }

    @property
    def headings(self):
        return [self.label_heading or _("Item")] + [str(name) for name, _values in self.series]

    @property
    def rows(self):
        return [
            (label, [values[index] for _name, values in self.series])
            for index, label in enumerate(self.labels)
        ]


SITE_NAME = gettext_lazy("County budgets")
# One colour per series, the same in Chart.js (through the spec) and in the SVG.
PALETTE = ["#b3261e", "#1f5f8b", "#6b8e23", "#8e5ea2", "#d98c1f", "#3c8d7a", "#5f6b73", "#c2185b"]

# Characters a file name cannot hold on some system, and the quotes of “三公”经费.
_UNSAFE = re.compile(r"[\\/:*?\"<>|\s]+")
_QUOTES = re.compile(r"[“”‘’'「」《》]")


def chart_filename(parts, years=()) -> str:
    """A file name made of what the chart shows: the parts (county, department, figure) and the
    span of years, joined by hyphens, without characters a file system refuses or quotes:
    (["高邑县", "人民政府办公室", "“三公”经费"], [2019, 2022]) → 高邑县-人民政府办公室-三公经费-2019-2022."""
    years = sorted(set(years))
    span = [str(years[0]), str(years[-1])] if len(years) > 1 else [str(y) for y in years]
    words = [_UNSAFE.sub("-", _QUOTES.sub("", str(part))).strip("-") for part in [*parts, *span]]
    return "-".join(word for word in words if word)


def years_text(years) -> str:
    """2022; 2019、2022; 2016–2022 (three years or more read as a span)."""
    years = sorted(set(years))
    if not years:
        return ""
    if len(years) > 2:
        return _("%(first)s–%(last)s") % {"first": years[0], "last": years[-1]}
    return pgettext("years", "%(years)s") % {"years": pgettext("list separator", ", ").join(map(str, years))}


# How a source line names a disclosure: 部门预算, 单位决算 …
_DISCLOSURE_NAMES = {
    ("budget", "department"): gettext_lazy("departmental budget"),
    ("final_accounts", "department"): gettext_lazy("departmental final accounts"),
    ("budget", "unit"): gettext_lazy("unit budget"),
    ("final_accounts", "unit"): gettext_lazy("unit final accounts"),
}


def disclosure_name(budget_year) -> str:
    return str(_DISCLOSURE_NAMES[(str(budget_year.kind), str(budget_year.level))])


def source_line(budget_years) -> str:
    """The disclosures a chart draws, with their years: "来源：高邑县人民政府办公室部门预算（2019、2022年）".
    More than six departments are counted, with their counties, rather than listed."""
    budget_years = list(budget_years)
    if not budget_years:
        return ""
    by_department = {}
    for by in sorted(budget_years, key=lambda b: (b.department.county.name, b.department.name, b.year)):
        by_department.setdefault(by.department.name, {}).setdefault(disclosure_name(by), set()).add(by.year)
    separator = pgettext("list separator", ", ")
    if len(by_department) <= 6:
        disclosures = _("; ").join(
            _("%(department)s %(kind)s %(years)s")
            % {"department": name, "kind": kind, "years": years_text(years)}
            for name, kinds in by_department.items()
            for kind, years in kinds.items()
        )
    else:
        counties = list(dict.fromkeys(by.department.county.name for by in budget_years))
        kinds = sorted({disclosure_name(by) for by in budget_years})
        disclosures = ngettext(
            "%(count)s department of %(counties)s, %(kinds)s %(years)s",
            "%(count)s departments of %(counties)s, %(kinds)s %(years)s",
            len(by_department),
        ) % {
            "count": len(by_department),
            "counties": separator.join(counties),
            "kinds": separator.join(kinds),
            "years": years_text(by.year for by in budget_years),
        }
    return _("Source: %(disclosures)s") % {"disclosures": disclosures}


def department_short_name(department) -> str:
    """The department without its county's name, for file names: 人民政府办公室."""
    if department.kind:
        return department.kind
    return department.name.removeprefix(department.county.name) or department.name


def year_range(years):
    """Every year from the first to the last: the labels of a chart across years."""
    years = sorted(set(years))
    return list(range(years[0], years[-1] + 1)) if years else []


def line_or_bars(series) -> str:
    """A line needs two neighbouring years with a figure; where no series has any, the chart
    would be lone dots, so the years are drawn as bars (a gap is a missing bar)."""
    for _name, values in series:
        if any(a is not None and b is not None for a, b in zip(values, values[1:], strict=False)):
            return "line"
    return "bar"


def _sum(values):
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def county_charts(county, budget_years):
    """The county page's charts. Sums over departments make sense for one kind of disclosure:
    the departmental budgets (not final accounts, not a unit's own, counted in its department's)."""
    budget_years = [
        b for b in budget_years if b.kind == BudgetYear.Kind.BUDGET and b.level == BudgetYear.Level.DEPARTMENT
    ]
    if not budget_years:
        return []
    return [
        county_totals(county, budget_years),
        three_costs_by_year(budget_years, county.name, [county.name]),
    ]


def county_totals(county, budget_years):
    """Expenditure of every published department, summed per year (county page)."""
    years = year_range(b.year for b in budget_years)
    return Chart(
        id="county-totals",
        title=_("Expenditure of published departments"),
        label_heading=_("Year"),
        labels=years,
        series=[
            (_("Expenditure"), [_sum(b.expenditure for b in budget_years if b.year == y) for y in years])
        ],
        place=county.name,
        years=[b.year for b in budget_years],
        source=source_line(budget_years),
        file_parts=[county.name],
    )


THREE_COST_PARTS = [
    ("overseas", gettext_lazy("Overseas trips")),
    ("vehicle", gettext_lazy("Official cars")),
    ("reception", gettext_lazy("Receptions")),
]


def _three_cost_parts():
    return [(key, str(label)) for key, label in THREE_COST_PARTS]


def three_costs_by_year(budget_years, place, file_parts):
    """The three costs, part by part, stacked per year (county and department pages)."""
    years = year_range(b.year for b in budget_years)

    def part(year, key):
        return _sum(
            getattr(b.three_costs, key) for b in budget_years if b.year == year and hasattr(b, "three_costs")
        )

    return Chart(
        id="three-costs",
        title=_("Three public costs"),
        label_heading=_("Year"),
        labels=years,
        series=[(label, [part(y, key) for y in years]) for key, label in _three_cost_parts()],
        stacked=True,
        place=place,
        years=[b.year for b in budget_years],
        source=source_line(budget_years),
        file_parts=file_parts,
    )


def department_charts(department, budget_years):
    """The department page's charts, from its budgets (its final accounts have a page of their own)."""
    budget_years = [b for b in budget_years if b.kind == BudgetYear.Kind.BUDGET]
    if not budget_years:
        return []
    file_parts = [department.county.name, department_short_name(department)]
    return [
        department_totals(department, budget_years, file_parts),
        three_costs_by_year(budget_years, department.name, file_parts),
    ]


def department_totals(department, budget_years, file_parts):
    """Expenditure and its basic/project split over the years (department page)."""
    years = year_range(b.year for b in budget_years)
    by_year = {b.year: b for b in budget_years}

    def values(name):
        return [getattr(by_year[y], name) if y in by_year else None for y in years]

    series = [
        (_("Expenditure"), values("expenditure")),
        (_("Basic expenditure"), values("basic")),
        (_("Project expenditure"), values("project")),
    ]
    return Chart(
        id="department-totals",
        title=_("Expenditure, basic and project"),
        label_heading=_("Year"),
        kind=line_or_bars(series),
        labels=years,
        series=series,
        place=department.name,
        years=[b.year for b in budget_years],
        source=source_line(budget_years),
        file_parts=file_parts,
    )


def budget_year_charts(budget_year, previous, this_items, before_items):
    """The budget-year page's charts by id: functional and economic classes and the three
    costs, each this year beside the previous disclosure of the same kind where there is one."""
    department = budget_year.department
    file_parts = [department.county.name, department_short_name(department)]
    if budget_year.page:  # the final accounts' chart is not saved under the budget's name
        file_parts.append(disclosure_name(budget_year))
    place = _("%(department)s, %(disclosure)s") % {
        "department": department.name,
        "disclosure": disclosure_name(budget_year),
    }

    def common(with_previous):
        """Place, years, source and file name of a chart that draws the previous year too or not."""
        drawn = [budget_year, previous] if with_previous else [budget_year]
        years = [by.year for by in drawn]
        return {"place": place, "years": years, "source": source_line(drawn), "file_parts": file_parts}

    def level1(kind, of):
        return levels.top(of.get(kind, []))  # one level: never a class beside its own parts

    found = {}
    for kind, title in (
        (LineItem.Kind.FUNCTIONAL, _("Expenditure by functional class")),
        (LineItem.Kind.ECONOMIC, _("Expenditure by economic class")),
    ):
        if this_items.get(kind):
            before = level1(kind, before_items)
            found[str(kind)] = classes(
                str(kind),
                title,
                level1(kind, this_items),
                before,
                budget_year.year,
                previous and previous.year,
                **common(bool(before)),
            )
    three_costs = getattr(budget_year, "three_costs", None)
    if three_costs is not None:
        previous_three_costs = getattr(previous, "three_costs", None)
        chart = three_costs_compared(
            three_costs,
            previous_three_costs,
            budget_year.year,
            previous and previous.year,
            **common(previous_three_costs is not None),
        )
        drawn_keys = {"total", *(key for key, _label in THREE_COST_PARTS)}
        if drawn_keys & (
            budget_year.doubts("three_costs") | (previous.doubts("three_costs") if previous else set())
        ):
            chart.note = _(
                "The chart draws the figures as printed; those marked “needs checking” in the "
                "table above are in doubt."
            )
        found[chart.id] = chart
    return found


def classes(chart_id, title, items, previous_items=(), this_year=None, previous_year=None, **common):
    """Expenditure by class, this year beside the previous one where it was printed
    (budget-year page). Items are LineItems of one kind and level, matched by code
    (by name where the document printed no codes); in English each label adds the
    reference list's name of the code beside the printed one (budgets.classification)."""

    def key(item):
        return item.code or item.name

    labels = {}
    for item in [*items, *previous_items]:
        labels.setdefault(key(item), class_label(item.kind, item.code, item.name))
    this = {key(item): item.amount for item in items}
    series = [(str(this_year or _("This year")), [this.get(k) for k in labels])]
    if previous_items:
        before = {key(item): item.amount for item in previous_items}
        series.append((str(previous_year), [before.get(k) for k in labels]))
    return Chart(
        id=chart_id,
        title=title,
        label_heading=_("Class"),
        labels=list(labels.values()),
        series=series,
        horizontal=True,
        **common,
    )


def three_costs_compared(three_costs, previous, this_year, previous_year, **common):
    """The three costs part by part, this year beside the previous one (budget-year page)."""
    parts = [("total", _("Total"))] + _three_cost_parts()
    series = [(str(this_year), [getattr(three_costs, key) for key, _label in parts])]
    if previous is not None:
        series.append((str(previous_year), [getattr(previous, key) for key, _label in parts]))
    return Chart(
        id="three-costs",
        title=_("Three public costs"),
        label_heading=_("Part"),
        labels=[label for _key, label in parts],
        series=series,
        **common,
    )
