"""Chart specifications built by the views and drawn by static/js/charts.js.

A chart is plain data: `spec` goes to the page through `json_script` for Chart.js, and
`rows` fill the data table printed beside the canvas for screen readers and copying, so
the picture and the table always show the same numbers. Amounts travel as exact decimal
strings in 万元; the script turns them into numbers only to draw.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.classification import class_label


@dataclass
class Chart:
    id: str
    title: str
    labels: list
    series: list  # [(name, [Decimal | None, …]), …], one value per label
    label_heading: str = ""
    kind: str = "bar"  # "bar" or "line"
    horizontal: bool = False
    stacked: bool = False
    # Years on a line chart sit on a linear axis, so 2019 → 2022 reads as three steps, not one.
    linear: bool = False
    extra: dict = field(default_factory=dict)
    note: str = ""  # printed under the chart, e.g. that some of its figures need checking

    @property
    def json_id(self):
        return f"{self.id}-data"

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
            "linear": self.linear,
            "unit": _("10,000 yuan"),
            "filename": self.id,
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

    def has_data(self):
        return any(v is not None for _name, values in self.series for v in values)


def _sum(values):
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def county_totals(budget_years):
    """Expenditure of every published department, summed per year (county page)."""
    years = sorted({b.year for b in budget_years})
    return Chart(
        id="county-totals",
        title=_("Expenditure of the published departments by year"),
        label_heading=_("Year"),
        labels=years,
        series=[
            (_("Expenditure"), [_sum(b.expenditure for b in budget_years if b.year == y) for y in years])
        ],
    )


THREE_COST_PARTS = [
    ("overseas", gettext_lazy("Overseas trips")),
    ("vehicle", gettext_lazy("Official cars")),
    ("reception", gettext_lazy("Receptions")),
]


def _three_cost_parts():
    return [(key, str(label)) for key, label in THREE_COST_PARTS]


def three_costs_by_year(budget_years, chart_id="three-costs"):
    """The three costs, part by part, stacked per year (county and department pages)."""
    years = sorted({b.year for b in budget_years})

    def part(year, key):
        return _sum(
            getattr(b.three_costs, key) for b in budget_years if b.year == year and hasattr(b, "three_costs")
        )

    return Chart(
        id=chart_id,
        title=_("Three public costs by year"),
        label_heading=_("Year"),
        labels=years,
        series=[(label, [part(y, key) for y in years]) for key, label in _three_cost_parts()],
        stacked=True,
    )


def department_totals(budget_years):
    """Expenditure and its basic/project split over the years (department page)."""
    return Chart(
        id="department-totals",
        title=_("Expenditure by year"),
        label_heading=_("Year"),
        kind="line",
        linear=True,
        labels=[b.year for b in budget_years],
        series=[
            (_("Expenditure"), [b.expenditure for b in budget_years]),
            (_("Basic expenditure"), [b.basic for b in budget_years]),
            (_("Project expenditure"), [b.project for b in budget_years]),
        ],
    )


def classes(chart_id, title, items, previous_items=(), this_year=None, previous_year=None):
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
    )


def three_costs_compared(three_costs, previous, this_year, previous_year):
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
    )
