"""The filters of the list pages (budgets.lists), one FilterSet per list, as django-filter's guide has them.

Every list is of rows that belong to a budget year, so all four filter by county, department
and year; the rest is what each kind of row has: a kind, a classification code, an amount, text.
Every parameter is validated: a value that is not a county, a number or a code prefix makes
the form invalid, and the list answers 400 naming the parameter.
"""

from array import array

import django_filters
import django_filters.fields
from django import forms
from django.core.validators import RegexValidator
from django.db import connection
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from budgets import coverage, levels, paging
from budgets.county_input import CountyInput, county_label, find_county, published_counties
from budgets.models import BudgetYear, Department, LineItem, PerformanceIndicator, ThreeCosts
from budgets.search.query import text_filter

code_prefix = RegexValidator(
    r"^\d{1,12}$", _("A classification code prefix is digits only, e.g. 201 or 2010301.")
)


class Tick(forms.CheckboxInput):
    """A tick box that sends and reads `?name=1`; absent, 0 or false is not ticked."""

    def __init__(self):
        super().__init__(attrs={"value": "1"})

    def value_from_datadict(self, data, files, name):
        return str(data.get(name, "")).lower() in ("1", "true", "on")


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting by a column that has ties (county, year …) ends on the primary key, so pages
    never repeat or skip a row and the CSV comes out in the order the pages show. The key
    runs the way the first column does, so that an index on (figure, key) hands the database
    the rows already in order, either way (budgets.models: the figures' indexes)."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if not value:
            return qs
        first = str(qs.query.order_by[0]) if qs.query.order_by else ""
        sign = "-" if first.startswith("-") else ""
        # A column of a related row (a line item's year, county …) ties thousands of rows: those
        # of one budget year come together, so the database sorts a few dozen by key at a time
        # (an incremental sort) instead of a whole year's.
        hop = first.lstrip("-").split("__")[0] if "__" in first else None
        return qs.order_by(*qs.query.order_by, *([f"{sign}{hop}_id"] if hop else []), f"{sign}pk")

    def build_choices(self, fields, labels):
        """Each column ascending, then descending, both read in the language of the request:
        django-filter formats "(descending)" once, at import, and has no Simplified Chinese."""
        choices = []
        for field, param in fields.items():
            label = labels.get(field, param)
            choices += [(param, label), (f"-{param}", format_lazy(_("{} (descending)"), label))]
        return choices


def _ordering(*fields):
    """A `sort` parameter over (model path, column key, label) triples."""
    return StableOrderingFilter(
        fields=[(path, key) for path, key, _label in fields],
        field_labels={path: label for path, _key, label in fields},
        label=_("Sort by"),
    )


class _CountyField(django_filters.fields.ModelChoiceField):
    widget = CountyInput

    def label_from_instance(self, county):
        return county_label(county)

    def to_python(self, value):
        """A code, or a name (or its start: 高邑) only one county that has published has."""
        if str(value or "").strip() in self.empty_values:
            return None
        county = find_county(value, self.queryset)
        self.widget.found = (value, county)
        return county


class CountyChoiceFilter(django_filters.ModelChoiceFilter):
    """A county by its 6-digit code (`?county=130127`), or a name only one county has."""

    field_class = _CountyField


def department_kinds():
    """Every kind saved, in order, each found with one step down department_kind_idx from
    the last: some 30 kinds among 85,000 departments nationally, where SELECT DISTINCT read
    every entry of the index on each list page (9 ms on PostgreSQL, which has no skip scan)."""
    table = connection.ops.quote_name(Department._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE kinds(kind) AS ("
            f" SELECT MIN(kind) FROM {table} WHERE kind > ''"
            f" UNION ALL SELECT (SELECT MIN(kind) FROM {table} WHERE kind > kinds.kind)"
            f" FROM kinds WHERE kinds.kind IS NOT NULL"
            f") SELECT kind FROM kinds WHERE kind IS NOT NULL"
        )
        return [(kind, kind) for (kind,) in cursor.fetchall()]


class _BudgetYearRowFilterSet(django_filters.FilterSet):
    """Place (province, prefecture, county by code), department (kind, name) and year range,
    through `year_path` (the path to the BudgetYear)."""

    year_path = "budget_year__"

    province = django_filters.CharFilter(label=_("Province"), method="filter_place")
    prefecture = django_filters.CharFilter(label=_("Prefecture"), method="filter_place")
    county = CountyChoiceFilter(
        label=_("County"),
        queryset=published_counties(),
        to_field_name="code",
        method="filter_county",
    )
    department_kind = django_filters.ChoiceFilter(
        label=_("Kind of department"),
        choices=department_kinds,
        empty_label=_("All kinds of department"),
        method="filter_department_kind",
    )
    department = django_filters.CharFilter(label=_("Department name contains"), method="filter_department")
    year = django_filters.RangeFilter(label=_("Years"), method="filter_year")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read the kinds once per request, and only where needed (validating, rendering).
        kinds = []

        def choices():
            if not kinds:
                kinds.extend(department_kinds())
            return kinds

        self.filters["department_kind"].extra["choices"] = choices

    def filter_place(self, queryset, name, value):
        return queryset.filter(_where(self.year_path, name, value))

    def filter_county(self, queryset, name, value):
        return queryset.filter(_where(self.year_path, name, value)) if value else queryset

    def filter_department_kind(self, queryset, name, value):
        return queryset.filter(_where(self.year_path, name, value))

    def filter_department(self, queryset, name, value):
        return queryset.filter(_where(self.year_path, name, value))

    def filter_year(self, queryset, name, value):
        return queryset.filter(_where(self.year_path, name, value))

    def listed_years(self):
        """The budget years the list is filtered to, newest first, with the rows filtered by
        all that is not of the budget year (budgets.paging.ListedYears); None where the list
        is better read through its joins.

        A place's years are read and sorted here: asked to sort them, PostgreSQL walks every
        budget year of the country newest first. One year's, for a list filtered by words and
        nothing else of the budget year, are read a batch at a time off budget_year_listed_idx
        in that order: joined to the year, PostgreSQL looked for a word's indicators through
        the whole table, every year's (100 ms for 车辆 in 2022, 24 ms among 2022's newest
        disclosures). Other one-year lists stay on their joins, which measured as fast or
        faster (a department kind's: 28 ms, 64 ms a batch at a time); reading all 98,000 of a
        year's keys at once took 54 ms."""
        data = self.form.cleaned_data
        if any(data.get(name) for name in PLACE):
            where = [_where("", name, data[name]) for name in OF_BUDGET_YEAR if data.get(name)]
            keys = BudgetYear.objects.filter(*where).order_by().values_list("pk", flat=True)
            keys = array("q", sorted(keys, reverse=True))
        elif data.get("q") and one_year(data.get("year")) and not any(data.get(n) for n in OF_DEPARTMENT):
            keys = BudgetYear.objects.filter(_where("", "year", data["year"])).order_by("-pk")
            keys = keys.values_list("pk", flat=True)
        else:
            return None
        # The model's rows in the list's order: the list's columns join the place, and an inner
        # join stays in the query whether or not a column is read.
        rows = self.queryset.model._default_manager.order_by(*self.queryset.query.order_by)
        for name, value in data.items():
            if name not in OF_BUDGET_YEAR:
                rows = self.filters[name].filter(rows, value)
        return paging.ListedYears(keys, rows)


def one_year(value) -> bool:
    """A year range of one year (`?year_min=2022&year_max=2022`)."""
    return bool(value) and value.start is not None and value.start == value.stop


PLACE = ("province", "prefecture", "county")
OF_DEPARTMENT = ("department_kind", "department")
OF_BUDGET_YEAR = (*PLACE, *OF_DEPARTMENT, "year")


def _where(path, name, value) -> Q:
    """A filter on the budget years at `path` (one of OF_BUDGET_YEAR), as every list applies it."""
    if name == "county":
        return Q(**{f"{path}department__county": value})
    if name == "department_kind":
        return Q(**{f"{path}department__kind": value})
    if name == "department":
        return Q(**{f"{path}department__name__icontains": value.strip()})
    if name != "year":
        return Q(**{f"{path}department__county__{name}": value.strip()})
    if one_year(value):
        # One year as an equality, not a range of one: PostgreSQL reads one year's disclosures
        # in the lists' order off budget_year_listed_idx only where the year is equal.
        return Q(**{f"{path}year": value.start})
    where = Q()
    if value.start is not None:
        where &= Q(**{f"{path}year__gte": value.start})
    if value.stop is not None:
        where &= Q(**{f"{path}year__lte": value.stop})
    return where


class BudgetYearFilter(_BudgetYearRowFilterSet):
    year_path = ""
    kind = django_filters.ChoiceFilter(
        label=_("Disclosure"), choices=BudgetYear.Kind.choices, empty_label=_("Budgets and final accounts")
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=BudgetYear.Level.choices, empty_label=_("Departments and units")
    )
    expenditure = django_filters.RangeFilter(label=_("Expenditure total (万元)"))
    # Years without a standard table (`?missing=three_costs`): not found, or printed but not read.
    missing = django_filters.ChoiceFilter(
        label=_("Not found or not read"),
        choices=coverage.MISSING_CHOICES,
        empty_label=_("All disclosures"),
        method="filter_missing",
    )
    sort = _ordering(
        ("department__county__name", "county", _("county")),
        ("department__name", "department", _("department")),
        ("year", "year", _("year")),
        ("income", "income", _("income total")),
        ("expenditure", "expenditure", _("expenditure total")),
        ("basic", "basic", _("basic expenditure")),
        ("project", "project", _("project expenditure")),
        ("personnel", "personnel", _("personnel costs")),
        ("public", "public", _("public costs")),
        ("operating", "operating", _("office running costs")),
        ("staff_in_service", "staff", _("staff in service")),
    )

    class Meta:
        model = BudgetYear
        fields = []

    def filter_missing(self, queryset, name, value):
        return queryset.filter(coverage.missing_filter(value))


class LineItemFilter(_BudgetYearRowFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=LineItem.Kind.choices, empty_label=_("All kinds")
    )
    # A code is the class alone (201: one row, not 201 beside 20103 and 2010301, which would
    # count its money three times in a sum); `children` adds the classes under it.
    code = django_filters.CharFilter(
        label=_("Classification code"), validators=[code_prefix], max_length=12, method="filter_code"
    )
    children = django_filters.BooleanFilter(
        label=_("with the classes under it"), widget=Tick(), method="filter_nothing"
    )
    level = django_filters.ChoiceFilter(
        label=_("Classification level"),
        choices=list(levels.NAMES.items()),
        empty_label=_("All levels"),
    )
    leaf = django_filters.BooleanFilter(
        label=_("Leaf rows only (nothing printed under them)"), widget=Tick(), method="filter_leaf"
    )
    amount = django_filters.RangeFilter(label=_("Amount (万元)"))
    q = django_filters.CharFilter(label=_("Name contains"), method="filter_text")
    sort = _ordering(
        ("budget_year__department__county__name", "county", _("county")),
        ("budget_year__department__name", "department", _("department")),
        ("budget_year__year", "year", _("year")),
        ("kind", "kind", _("kind")),
        ("code", "code", _("code")),
        ("name", "name", _("name")),
        ("amount", "amount", _("amount")),
        ("basic", "basic", _("basic expenditure")),
        ("project", "project", _("project expenditure")),
    )

    class Meta:
        model = LineItem
        fields = []

    def filter_code(self, queryset, name, value):
        if self.form.cleaned_data.get("children"):
            return queryset.filter(code__startswith=value)
        return queryset.filter(code=value)

    def filter_nothing(self, queryset, name, value):
        return queryset  # `children` changes what `code` matches

    def filter_leaf(self, queryset, name, value):
        return queryset.filter(leaf=True) if value else queryset

    def filter_text(self, queryset, name, value):
        return text_filter(queryset, value)  # every word, as the search finds it (budgets.search)


class ThreeCostsFilter(_BudgetYearRowFilterSet):
    total = django_filters.RangeFilter(label=_("Three public costs (万元)"))
    sort = _ordering(
        ("budget_year__department__county__name", "county", _("county")),
        ("budget_year__department__name", "department", _("department")),
        ("budget_year__year", "year", _("year")),
        ("total", "total", _("three public costs")),
        ("overseas", "overseas", _("overseas trips")),
        ("vehicle", "vehicle", _("official cars")),
        ("reception", "reception", _("receptions")),
        ("total_change", "change", _("change on previous year")),
    )

    class Meta:
        model = ThreeCosts
        fields = []


class PerformanceIndicatorFilter(_BudgetYearRowFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=PerformanceIndicator.Kind.choices, empty_label=_("All kinds")
    )
    q = django_filters.CharFilter(label=_("Text contains"), method="filter_text")
    sort = _ordering(
        ("budget_year__department__county__name", "county", _("county")),
        ("budget_year__department__name", "department", _("department")),
        ("budget_year__year", "year", _("year")),
        ("group", "group", _("project or activity")),
        # Its start, as indicator_name_idx holds it (budgets.models).
        ("name_start", "name", _("indicator")),
    )

    class Meta:
        model = PerformanceIndicator
        fields = []

    def filter_text(self, queryset, name, value):
        return text_filter(queryset, value)  # the project or activity, or the indicator's name


EXECUTION_FIGURES = (
    ("expenditure", _("expenditure total")),
    ("basic", _("basic expenditure")),
    ("project", _("project expenditure")),
    ("three_costs", _("three public costs")),
    ("overseas", _("overseas trips")),
    ("vehicle", _("official cars")),
    ("reception", _("receptions")),
)


class ExecutionFilter(_BudgetYearRowFilterSet):
    """The execution-rate list: final accounts beside their budget (budgets.execution)."""

    year_path = ""
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=BudgetYear.Level.choices, empty_label=_("Departments and units")
    )
    expenditure_rate = django_filters.RangeFilter(label=_("Expenditure execution rate (%)"))
    sort = _ordering(
        ("department__county__name", "county", _("county")),
        ("department__name", "department", _("department")),
        ("year", "year", _("year")),
        *(
            (path, f"{key}_{suffix}", format_lazy("{} · {}", label, suffix_label))
            for key, label in EXECUTION_FIGURES
            for path, suffix, suffix_label in (
                (f"budget_{key}", "budget", _("budgeted")),
                (f"{key}_rate", "rate", _("execution rate")),
            )
        ),
        ("expenditure", "expenditure_actual", _("expenditure spent")),
        ("basic", "basic_actual", _("basic expenditure spent")),
        ("project", "project_actual", _("project expenditure spent")),
        ("three_costs__total", "three_costs_actual", _("three public costs spent")),
        ("three_costs__overseas", "overseas_actual", _("overseas trips spent")),
        ("three_costs__vehicle", "vehicle_actual", _("official cars spent")),
        ("three_costs__reception", "reception_actual", _("receptions spent")),
    )

    class Meta:
        model = BudgetYear
        fields = []


# What a ranking can rank by: (choice, model path, label).
RANKED_BY = (
    ("three_costs", "three_costs__total", _("three public costs")),
    ("expenditure", "expenditure", _("expenditure total")),
    ("project", "project", _("project expenditure")),
    ("operating", "operating", _("office running costs")),
    ("reception", "three_costs__reception", _("receptions")),
)


class RankingFilter(_BudgetYearRowFilterSet):
    """Rankings: each department's latest budget, ranked (1 = highest) by one figure within
    the place and kind chosen (every 人民政府办公室 in 石家庄市). The rank is computed over
    exactly the rows the filters keep, so it is the position within the place chosen."""

    year_path = ""
    by = django_filters.ChoiceFilter(
        label=_("Rank by"),
        choices=[(key, label) for key, _path, label in RANKED_BY],
        empty_label=None,
        method="filter_nothing",
    )
    sort = _ordering(
        ("rank", "rank", _("rank")),
        ("department__county__name", "county", _("county")),
        ("department__name", "department", _("department")),
        ("year", "year", _("year")),
        ("ranked_value", "value", _("figure ranked")),
    )

    class Meta:
        model = BudgetYear
        fields = []

    def filter_nothing(self, queryset, name, value):
        return queryset  # `by` chooses the figure; filter_queryset ranks by it

    def filter_queryset(self, queryset):
        """Filter first, then rank what is left, then sort (by rank unless told otherwise)."""
        from django.db.models import F, Window
        from django.db.models.functions import Rank

        data = self.form.cleaned_data
        sort = data.pop("sort", None)
        queryset = super().filter_queryset(queryset)
        path = dict((key, path) for key, path, _label in RANKED_BY)[data.get("by") or "three_costs"]
        queryset = queryset.filter(**{f"{path}__isnull": False}).annotate(
            ranked_value=F(path),
            rank=Window(Rank(), order_by=F(path).desc()),
        )
        data["sort"] = sort
        if sort:
            return self.filters["sort"].filter(queryset, sort)
        # The rank's own order (ties by place), written as the figure descending so that the
        # database reads the first rows off the figure's index instead of ranking every row first.
        return queryset.order_by(F(path).desc(), "department__county__code", "department__name", "pk")
