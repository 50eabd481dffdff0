"""What /api/ documents: every machine-readable endpoint, its parameters, its keys and examples.

One structure, ENDPOINTS, is both the page and the test: the page prints it, and
tests/test_about_api_pages.py fetches every example and checks that the answer has exactly the
keys printed here. A list's parameters and keys are read from the list itself (its FilterSet's
form and its columns), so a filter or column added to a list appears here without a word changed.
ROUTES are the addresses that answer something other than rows (a chart on its own, its SVG, a
figure's citation), with examples made from a disclosure the database holds, fetched the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from django import forms
from django.urls import reverse
from django.utils.encoding import uri_to_iri
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets import anchors, compare, compare_exports, lists
from budgets.county_input import county_key
from budgets.models import BudgetYear

# A parameter's choices are listed in full up to this many; more are shown by example.
MAX_LISTED = 8
# What the parameters that are not filters (no label on the page) are called.
UNLABELLED = {"format": _("Format"), "page": _("Page")}


@dataclass(frozen=True)
class Param:
    names: tuple  # the query parameters, e.g. ("year_min", "year_max")
    label: str
    values: str = ""  # what it takes


@dataclass(frozen=True)
class Endpoint:
    slug: str  # the anchor on /api/
    title: object
    url_name: str
    description: object
    formats: tuple
    examples: tuple  # query strings, each fetched by the tests; the first format is JSON
    keys: tuple = ()  # (key, meaning) of each row, in order; empty where `dynamic_keys` says
    dynamic_keys: object = ""  # what the keys are where they depend on the request
    listing: lists.Listing | None = None
    form: type | None = None

    @property
    def path(self):
        return reverse(self.url_name)

    def example_urls(self):
        return [f"{self.path}?{query}" if query else self.path for query in self.examples]

    def params(self):
        """The parameters, read from the list's or the form's fields in the active language."""
        if self.listing is not None:
            form = self.listing.filterset(queryset=self.listing.queryset).form
            found = [_param(name, f) for name, f in form.fields.items()]
            found += [_param(name, f) for name, f in lists.ListParams().fields.items()]
        else:
            found = [_param(name, f) for name, f in self.form().fields.items()]
        return found

    def row_keys(self):
        if self.listing is not None:
            return [(column.key, column.label) for column in self.listing.columns]
        return list(self.keys)


def _param(name, form_field):
    widget = form_field.widget
    suffixes = getattr(widget, "suffixes", None)
    names = tuple(f"{name}_{suffix}" if suffix else name for suffix in suffixes) if suffixes else (name,)
    return Param(names, str(form_field.label or UNLABELLED.get(name, name)), _values(name, form_field))


def _values(name, form_field):
    if name == "county":
        return gettext("a 6-digit division code, e.g. 130127 (repeat it for several in the comparison)")
    if name == "page":
        return gettext("the page of the HTML list; the exports hold every row")
    if name == "format":
        return " · ".join(value for value, _label in form_field.choices)
    if isinstance(form_field, forms.NullBooleanField):
        return "true"
    if isinstance(form_field, forms.MultiValueField):
        return gettext("a number")
    choices = [value for value, _label in getattr(form_field, "choices", ()) if value not in ("", None)]
    if name == "sort":
        keys = [str(value) for value in choices if not str(value).startswith("-")]
        return gettext("%(keys)s; with a leading - for descending") % {"keys": " · ".join(keys)}
    if not choices:
        return gettext("text")
    shown = " · ".join(str(value) for value in choices[:MAX_LISTED])
    if len(choices) > MAX_LISTED:
        return gettext("e.g. %(values)s …") % {"values": " · ".join(str(v) for v in choices[:3])}
    return shown


def _list_endpoint(listing, title, description, *examples):
    return Endpoint(
        slug=listing.slug,
        title=title,
        url_name=f"budgets:{listing.slug}",
        description=description,
        formats=("json", "csv", "xlsx"),
        examples=examples,
        listing=listing,
    )


COMPARE_KEYS_WIDE = _(
    "key (the figure's stable name: income, three_costs, functional_201 …), group, figure (its name "
    "in the page's language), then one key per column, “county · kind of department · year” (with "
    "the division code added where two columns would share one), then needs_checking (the columns "
    "whose figure in this row needs checking), then corrected (the columns whose figure in this row "
    "the site's editors corrected)"
)

TIDY_MEANINGS = {
    "county": _("County"),
    "division_code": _("Division code"),
    "department": _("Department"),
    "department_kind": _("Kind of department"),
    "year": _("Year"),
    "disclosure": _("budget or final_accounts"),
    "measure": _("amount, share, change, change_pct, per_staff or rate"),
    "figure": _("The figure's stable name: income, three_costs, functional_201 …"),
    "figure_label": _("The figure's name in the language asked for"),
    "group": _("The group of figures it belongs to, in the language asked for"),
    "value": _(
        "The figure as an exact decimal string; null where it is not printed, n/a where the measure "
        "does not apply, unclear where it was printed in a column that cannot be told for sure"
    ),
    "unit": _("万元, % or empty for a count"),
    "note": _("Why a figure is missing: not printed, unclear …"),
    "needs_checking": _("true where an error found in the document casts doubt on the figure"),
    "corrected": _(
        "true where the site's editors changed a figure it comes from after it was read; its "
        "budget year's page shows what, when and why"
    ),
}

ENDPOINTS = (
    _list_endpoint(
        lists.BUDGET_YEARS,
        _("Budget years"),
        _("One row per disclosure: a department's budget or final accounts of one year, with its totals."),
        "county=130127&format=json",
        "province=河北省&department_kind=人民政府办公室&sort=-expenditure&format=json",
        "missing=three_costs&format=json",  # years without a three-costs table (budgets.coverage)
    ),
    _list_endpoint(
        lists.LINE_ITEMS,
        _("Line items"),
        _("Expenditure by functional and economic class, and projects, as each disclosure prints them."),
        "county=130127&kind=economic&code=301&format=json",
        "q=会议&format=json",
    ),
    _list_endpoint(
        lists.THREE_COSTS,
        _("Three public costs"),
        _("The three public costs (三公经费) and their parts, one row per disclosure."),
        "sort=-total&format=json",
    ),
    _list_endpoint(
        lists.INDICATORS,
        _("Performance indicators"),
        _("Performance indicators with their targets as printed."),
        "county=130127&year_min=2022&year_max=2022&format=json",
    ),
    _list_endpoint(
        lists.EXECUTION,
        _("Execution rates"),
        _("Final accounts beside the budget of the same department, year and level: budgeted, spent, rate."),
        "sort=-expenditure_rate&format=json",
    ),
    _list_endpoint(
        lists.RANKINGS,
        _("Rankings"),
        _("Departments of one kind ranked within a place at their latest budget."),
        "province=河北省&department_kind=人民政府办公室&by=three_costs&format=json",
    ),
    Endpoint(
        slug="compare",
        title=_("Comparison"),
        url_name="budgets:compare",
        description=_(
            "Counties side by side: the wide form has one column per county, department and year "
            "(as the page); the tidy form one row per county, department, year and figure."
        ),
        formats=("json", "csv", "xlsx"),
        examples=("county=130127&county=130630&format=json",),
        dynamic_keys=COMPARE_KEYS_WIDE,
        form=compare.CompareForm,
    ),
    Endpoint(
        slug="compare-tidy",
        title=_("Comparison, tidy"),
        url_name="budgets:compare",
        description=_(
            "The same comparison in long form, with the same keys whatever the columns: one row per "
            "county, department, year and figure."
        ),
        formats=("tidy-json", "tidy-csv"),
        examples=(
            "county=130127&county=130630&format=tidy-json",
            "county=130127&measure=change&format=tidy-json",
        ),
        keys=tuple((key, TIDY_MEANINGS[key]) for key in compare_exports.TIDY_KEYS),
        form=compare.CompareForm,
    ),
)


def endpoint(slug):
    return next(e for e in ENDPOINTS if e.slug == slug)


# --- charts on their own and citations ---------------------------------------------------------

# What an embed or SVG can draw: the charts of each page that has some (budgets.charts, by id).
CHARTS = (
    (_("a county"), ("county-totals", "three-costs")),
    (_("a department"), ("department-totals", "three-costs")),
    (_("a budget year"), ("functional", "economic", "three-costs")),
    (_("the comparison"), ("compare",)),
)


def _chart_values():
    return "; ".join(f"{' · '.join(ids)} ({page})" for page, ids in CHARTS)


@dataclass(frozen=True)
class Route:
    slug: str  # the anchor on /api/
    title: object
    pattern: str  # the address, its parameters in <>
    description: object
    answers: object
    params: Callable[[], list]  # Param of each, read in the active language
    examples: Callable[[BudgetYear], list]  # paths on a department's budget with its three costs


def _page_path(url):
    """A page as the chart routes take it: its path without the leading slash, unescaped."""
    return unquote(url).lstrip("/")


def _chart_params():
    return [
        Param(("chart",), gettext("Chart"), _chart_values()),
        Param(
            ("page",),
            gettext("The page it is on"),
            gettext(
                "the address of the page the chart is on, without its leading slash; the "
                "comparison's choices follow as its query (county=130127&year=2022)"
            ),
        ),
        Param(
            ("lang",),
            gettext("Language"),
            gettext(
                "en · zh-hans; without it, the language of the request (a frame on another site has none)"
            ),
        ),
    ]


def _embed_examples(budget_year):
    department = _page_path(budget_year.department.get_absolute_url())
    county = county_key(budget_year.department.county)
    return [
        uri_to_iri(reverse("budgets:embed", args=["three-costs", department])) + "?lang=en",
        uri_to_iri(reverse("budgets:embed", args=["compare", "compare/"])) + f"?county={county}&lang=zh-hans",
    ]


def _svg_examples(budget_year):
    page = _page_path(budget_year.get_absolute_url())
    return [uri_to_iri(reverse("budgets:chart-svg", args=["three-costs", page])) + "?lang=en"]


def _cite_params():
    return [
        Param(("pk",), gettext("Budget year"), gettext("its id, as its page's cite box has it")),
        Param(
            ("anchor",),
            gettext("The figure's anchor"),
            gettext(
                "the figure's anchor on the budget year's page, as its permalink ends: "
                "fig-totals-income, fig-three-costs-reception, line-23, indicator-7"
            ),
        ),
    ]


def _cite_examples(budget_year):
    anchor = anchors.figure_anchor("totals.expenditure")
    return [reverse("budgets:cite", args=[budget_year.pk, anchor])]


ROUTES = (
    Route(
        slug="embed",
        title=_("A chart on its own"),
        pattern="/embed/<chart>/<page>",
        description=_(
            "Any chart of a page, drawn alone with its title, unit, source and a link back to the page: "
            "the one address other sites may show in a frame (<iframe>)."
        ),
        answers=_("an HTML page"),
        params=_chart_params,
        examples=_embed_examples,
    ),
    Route(
        slug="chart-svg",
        title=_("A chart as SVG"),
        pattern="/svg/<chart>/<page>",
        description=_(
            "The same chart as an SVG file, with its title, unit, source and the site's name drawn in."
        ),
        answers=_("an SVG image (image/svg+xml)"),
        params=_chart_params,
        examples=_svg_examples,
    ),
    Route(
        slug="cite",
        title=_("A figure's citation"),
        pattern="/cite/<pk>/<anchor>/",
        description=_(
            "A ready sentence in Chinese and in English naming the figure, the department, the year, the "
            "document and where it was printed, the permalink and the date retrieved."
        ),
        answers=_('JSON: {"zh": …, "en": …, "permalink": …}'),
        params=_cite_params,
        examples=_cite_examples,
    ),
)


def example_budget_year():
    """The disclosure the routes' examples are made from: a department's budget with its three
    costs, the first by division code; None where the database has none."""
    return (
        BudgetYear.objects.with_place()
        .filter(kind=BudgetYear.Kind.BUDGET, level=BudgetYear.Level.DEPARTMENT, three_costs__isnull=False)
        .order_by("department__county__code", "department__name", "-year")
        .first()
    )
