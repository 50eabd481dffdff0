"""The one write path (ingest.loader.save_parsed) on a small parsed disclosure: what a page
needs to show a figure as "needs checking" or "unclear" is saved with it."""

from decimal import Decimal

import pytest
from django.utils import translation

from budgets.models import ThreeCosts
from ingest.loader import IngestError, save_parsed
from tests.base import make_source_document

pytestmark = pytest.mark.django_db

# A final account (决算): its 三公 table prints the budgeted figures beside the spent ones.
PARSED = {
    "county": "甲县",
    "department": "甲县财政局",
    "year": 2024,
    "kind": "final_accounts",
    "totals": {"income": "120.00", "expenditure": "100.00"},
    "three_costs": {"total": "1.50", "reception": "0.50", "vehicle": "1.00"},
    "three_costs_budget": {"total": "2.00", "reception": "1.00", "vehicle": "1.00", "overseas": None},
    "line_items": [
        {"kind": "functional", "code": "201", "name": "一般公共服务支出", "amount": "100.00"},
        {
            "kind": "functional",
            "code": "20106",
            "name": "财政事务",
            "amount": "100.00",
            "basic": None,
            "project": None,
            "uncertain": ["project", "basic"],
        },
    ],
    "findings": [
        {
            "severity": "error",
            "check": "income_equals_expenditure",
            "message": "收入总计 120.00 与支出总计 100.00 不等，相差 20.00万元",
            "line": 12,
            "figures": ["totals.income", "totals.expenditure"],
        },
        {"severity": "info", "check": "rounding", "message": "相差 0.01万元"},
    ],
    "needs_checking": ["totals.expenditure", "totals.income"],
}


def test_what_needs_checking_and_what_is_unclear_is_saved_with_the_figures():
    budget_year = save_parsed(make_source_document(), PARSED)

    assert budget_year.needs_checking == ["totals.expenditure", "totals.income"]
    assert budget_year.doubts("totals") == {"income", "expenditure"}
    assert budget_year.doubts("three_costs") == set()
    error, info = budget_year.findings.order_by("severity")
    assert error.figures == ["totals.income", "totals.expenditure"]
    assert info.figures == []
    item = budget_year.line_items.get(code="20106")
    assert (item.amount, item.basic, item.project, item.uncertain) == (
        Decimal("100.00"),
        None,
        None,
        ["basic", "project"],
    )
    assert budget_year.line_items.get(code="201").uncertain == []


def test_the_budgeted_three_costs_of_a_final_account_are_kept_beside_the_spent_ones():
    costs = save_parsed(make_source_document(), PARSED).three_costs
    assert (costs.total, costs.budgeted_total) == (Decimal("1.50"), Decimal("2.00"))
    assert (costs.reception, costs.budgeted_reception) == (Decimal("0.50"), Decimal("1.00"))
    assert costs.budgeted_overseas is None
    assert costs.has_budgeted


def test_a_budget_has_no_budgeted_three_costs():
    parsed = {**PARSED, "year": 2023, "three_costs_budget": {}}
    costs = save_parsed(make_source_document("甲县-2023.txt"), parsed).three_costs
    assert not costs.has_budgeted
    assert ThreeCosts.objects.count() == 1


@pytest.mark.parametrize(
    ("missing", "language", "message"),
    [
        ("county", "zh-hans", "文件中没有写明县，无法归档。"),
        ("year", "zh-hans", "文件中没有写明年度，无法归档。"),
        ("department", "en", "The document does not say its department; it cannot be filed."),
    ],
)
def test_a_disclosure_without_its_county_says_so_in_the_readers_words(missing, language, message):
    with translation.override(language), pytest.raises(IngestError) as refused:
        save_parsed(make_source_document(), {**PARSED, missing: None})
    assert str(refused.value) == message
