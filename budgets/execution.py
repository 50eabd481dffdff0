"""Budget against actual: a department's final accounts (决算) of a year beside its budget (预算)
of the same year and level, and the execution rate 决算 ÷ 预算 of each figure.

The department page, the budget-against-actual page, the execution-rate list and the
comparison all compute the rate here, so they agree: a percentage by the site's one rule
(budgets.percent: one decimal, halves away from zero); none where the budget is not printed or
zero (a rate of nothing is no rate) or the final accounts do not print the figure.
"""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from budgets import levels
from budgets.classification import class_label
from budgets.percent import Percent, percent

# (key, label, indent) of the figures the pages set side by side, by block.
TOTALS = [
    ("income", _("Income total"), 0),
    ("expenditure", _("Expenditure total"), 0),
    ("basic", _("Basic expenditure"), 1),
    ("personnel", _("Personnel costs"), 2),
    ("public", _("Public costs"), 2),
    ("project", _("Project expenditure"), 1),
    ("operating", _("Office running costs"), 0),
]
THREE_COSTS = [
    ("total", _("Three public costs"), 0),
    ("overseas", _("Overseas trips"), 1),
    ("vehicle", _("Official cars"), 1),
    ("vehicle_purchase", _("Car purchase"), 2),
    ("vehicle_operation", _("Car operation"), 2),
    ("reception", _("Receptions"), 1),
]


def rate(actual, budget) -> Percent | None:
    """决算 ÷ 预算 in percent, one decimal: 0.95 budgeted and 0 spent is 0.0%."""
    return percent(actual, budget)


def pairs(budget_years):
    """{(department id, year, level): {"budget": …, "final_accounts": …}} of the disclosures given."""
    found = defaultdict(dict)
    for budget_year in budget_years:
        found[(budget_year.department_id, budget_year.year, budget_year.level)][budget_year.kind] = (
            budget_year
        )
    return found


def counterpart(budget_year, budget_years):
    """The other kind of the same department, year and level among `budget_years`, or None."""
    return next(
        (
            other
            for other in budget_years
            if other.department_id == budget_year.department_id
            and other.year == budget_year.year
            and other.level == budget_year.level
            and other.kind != budget_year.kind
        ),
        None,
    )


def _row(key, label, indent, budget, actual, doubted):
    return {
        "key": key,
        "label": label,
        "indent": indent,
        "budget": budget,
        "actual": actual,
        "difference": actual - budget if actual is not None and budget is not None else None,
        "rate": rate(actual, budget),
        "needs_checking": doubted,
    }


def _three(budget_year, key):
    return getattr(getattr(budget_year, "three_costs", None), key, None)


def figure_rows(budget, final):
    """The totals and the three costs, each row with budget, actual, difference and rate;
    `needs_checking` where a check casts doubt on either figure."""
    totals = [
        _row(
            key,
            label,
            indent,
            getattr(budget, key),
            getattr(final, key),
            key in budget.doubts("totals") or key in final.doubts("totals"),
        )
        for key, label, indent in TOTALS
    ]
    three_costs = [
        _row(
            key,
            label,
            indent,
            _three(budget, key),
            _three(final, key),
            key in budget.doubts("three_costs") or key in final.doubts("three_costs"),
        )
        for key, label, indent in THREE_COSTS
    ]
    return totals, three_costs


def class_rows(budget_items, final_items):
    """Level-1 classes (类) of one classification, budget beside actual, by code; a class
    only one of the two prints has the other side empty."""
    budget_items, final_items = levels.top(budget_items), levels.top(final_items)
    budget_by = {item.code or item.name: item for item in budget_items}
    final_by = {item.code or item.name: item for item in final_items}
    rows = []
    for key in sorted(budget_by.keys() | final_by.keys()):
        b, f = budget_by.get(key), final_by.get(key)
        item = b or f
        label = class_label(item.kind, item.code, item.name)
        unclear = "amount" in ((b.uncertain if b else []) or []) or "amount" in (
            (f.uncertain if f else []) or []
        )
        rows.append(_row(key, label, 0, b and b.amount, f and f.amount, False) | {"unclear": unclear})
    return rows


# The execution-rate list's budget figures, each read from the budget of the same department,
# year and level as the final accounts of the row: (annotation, path on the budget).
BUDGET_FIGURES = {
    "budget_expenditure": "expenditure",
    "budget_basic": "basic",
    "budget_project": "project",
    "budget_three_costs": "three_costs__total",
    "budget_overseas": "three_costs__overseas",
    "budget_vehicle": "three_costs__vehicle",
    "budget_reception": "three_costs__reception",
}
# rate annotation → (actual path on the final accounts, budget annotation)
RATES = {
    "expenditure_rate": ("expenditure", "budget_expenditure"),
    "basic_rate": ("basic", "budget_basic"),
    "project_rate": ("project", "budget_project"),
    "three_costs_rate": ("three_costs__total", "budget_three_costs"),
    "overseas_rate": ("three_costs__overseas", "budget_overseas"),
    "vehicle_rate": ("three_costs__vehicle", "budget_vehicle"),
    "reception_rate": ("three_costs__reception", "budget_reception"),
}


def execution_queryset():
    """Final accounts that have a budget of the same department, year and level, annotated
    with the budget's figures and each rate (决算 ÷ 预算, percent, unrounded: the list rounds it
    by budgets.percent; null where the budget is not printed or zero): one query however many
    rows, sortable by any rate."""
    from django.db.models import (
        Case,
        DecimalField,
        Exists,
        ExpressionWrapper,
        F,
        FloatField,
        OuterRef,
        Subquery,
        Value,
        When,
    )
    from django.db.models.functions import Cast

    from budgets.models import BudgetYear

    budget = BudgetYear.objects.filter(
        department=OuterRef("department"),
        year=OuterRef("year"),
        level=OuterRef("level"),
        kind=BudgetYear.Kind.BUDGET,
    ).order_by()  # no default ordering: it would join the county into every subquery
    money = DecimalField(max_digits=16, decimal_places=6)
    unrounded = DecimalField(max_digits=30, decimal_places=10)  # any amount over any budget
    # A float 100.0: SQLite keeps 66.00 as the integer 66 (and casts a decimal 100.0 to 100),
    # so it would divide integers. The cast to ten places drops the float's noise (66.65 comes
    # back as 66.6499999…); rounding to one decimal is left to budgets.percent, which each
    # database would otherwise do its own way (SQLite half even, PostgreSQL half away from zero).
    hundred = Value(100.0, output_field=FloatField())
    queryset = BudgetYear.objects.filter(kind=BudgetYear.Kind.FINAL_ACCOUNTS).filter(Exists(budget))
    queryset = queryset.annotate(
        **{
            name: Subquery(budget.values(path)[:1], output_field=money)
            for name, path in BUDGET_FIGURES.items()
        }
    )
    return queryset.annotate(
        **{
            name: Case(
                When(
                    **{f"{budget_name}__gt": 0},
                    then=Cast(
                        ExpressionWrapper(F(actual) * hundred / F(budget_name), output_field=FloatField()),
                        output_field=unrounded,
                    ),
                ),
                default=None,
                output_field=unrounded,
            )
            for name, (actual, budget_name) in RATES.items()
        }
    )
