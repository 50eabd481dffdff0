"""The filters of the list pages (budgets.lists), one FilterSet per list, as django-filter's guide has them.

Every list is of rows that belong to a budget year, so all four filter by county, department
and year; the rest is what each kind of row has: a kind, a classification code, an amount, text.
Every parameter is validated: a value that is not a county, a number or a code prefix makes
the form invalid, and the list answers 400 naming the parameter.
"""

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from budgets.models import BudgetYear, County, LineItem, PerformanceIndicator, ThreeCosts

code_prefix = RegexValidator(
    r"^\d{1,12}$", _("A classification code prefix is digits only, e.g. 201 or 2010301.")
)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting by a column that has ties (county, year …) ends on the primary key, so pages
    never repeat or skip a row and the CSV comes out in the order the pages show."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


def _ordering(*fields):
    """A `sort` parameter over (model path, column key, label) triples."""
    return StableOrderingFilter(
        fields=[(path, key) for path, key, _label in fields],
        field_labels={path: label for path, _key, label in fields},
        label=_("Sort by"),
    )


class _BudgetYearRowFilterSet(django_filters.FilterSet):
    """County, department and year range, through `year_path` (the path to the BudgetYear)."""

    year_path = "budget_year__"

    county = django_filters.ModelChoiceFilter(
        label=_("County"),
        queryset=County.objects.all(),
        to_field_name="name",
        empty_label=_("All counties"),
        method="filter_county",
    )
    department = django_filters.CharFilter(label=_("Department name contains"), method="filter_department")
    year = django_filters.RangeFilter(label=_("Years"), method="filter_year")

    def filter_county(self, queryset, name, value):
        return queryset.filter(**{f"{self.year_path}department__county": value}) if value else queryset

    def filter_department(self, queryset, name, value):
        return queryset.filter(**{f"{self.year_path}department__name__icontains": value.strip()})

    def filter_year(self, queryset, name, value):
        if value.start is not None:
            queryset = queryset.filter(**{f"{self.year_path}year__gte": value.start})
        if value.stop is not None:
            queryset = queryset.filter(**{f"{self.year_path}year__lte": value.stop})
        return queryset


class BudgetYearFilter(_BudgetYearRowFilterSet):
    year_path = ""
    expenditure = django_filters.RangeFilter(label=_("Expenditure total (万元)"))
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


class LineItemFilter(_BudgetYearRowFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=LineItem.Kind.choices, empty_label=_("All kinds")
    )
    code = django_filters.CharFilter(
        label=_("Code begins with"), lookup_expr="startswith", validators=[code_prefix], max_length=12
    )
    amount = django_filters.RangeFilter(label=_("Amount (万元)"))
    q = django_filters.CharFilter(label=_("Name contains"), field_name="name", lookup_expr="icontains")
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
        ("name", "name", _("indicator")),
    )

    class Meta:
        model = PerformanceIndicator
        fields = []

    def filter_text(self, queryset, name, value):
        words = value.strip()
        return queryset.filter(
            Q(group__icontains=words)
            | Q(name__icontains=words)
            | Q(target__icontains=words)
            | Q(description__icontains=words)
        )
