"""Budgets and final accounts of one department and year side by side: saved apart (unique on
department, year, kind and level), shown with their execution rate (决算 ÷ 预算) on the
department and budget-against-actual pages, listed, sorted and exported in /execution/."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from budgets.models import BudgetYear
from ingest.loader import YearConflict, save_parsed
from tests.base import make_department, make_source_document
from tests.disclosures import budget_text, final_text, ingest_text

pytestmark = pytest.mark.django_db

ZHOUSHAN = ("330903-普陀区", "舟山市普陀区财政局")


@pytest.fixture
def pair(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    budget = ingest_text(budget_text(), "budget-2023.txt").budget_year
    final = ingest_text(final_text(), "final-2023.txt").budget_year
    return budget, final


def body(response):
    return b"".join(response.streaming_content)


def test_a_final_account_is_saved_beside_the_budget_of_its_year(pair):
    budget, final = pair
    assert budget.department == final.department
    assert (budget.kind, final.kind) == ("budget", "final_accounts")
    assert (budget.year, final.year) == (2023, 2023)
    assert final.three_costs.budgeted_reception == 1 and final.three_costs.reception == 0


def test_replacing_final_accounts_never_touches_the_budget(pair):
    budget, final = pair
    corrected = final_text(expenditure="95.00")
    with pytest.raises(YearConflict):
        ingest_text(corrected, "final-2023-corrected.txt")
    replaced = ingest_text(corrected, "final-2023-corrected.txt", replace=True).budget_year
    assert replaced.expenditure == 95
    assert BudgetYear.objects.filter(kind="final_accounts").count() == 1
    assert BudgetYear.objects.get(kind="budget").pk == budget.pk  # the 预算 is the same row


def test_one_disclosure_per_department_year_kind_and_level():
    department = make_department()
    document = make_source_document()
    for kind, level in [("budget", "department"), ("final_accounts", "department"), ("budget", "unit")]:
        BudgetYear.objects.create(
            department=department, year=2023, kind=kind, level=level, source_document=document
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetYear.objects.create(
            department=department, year=2023, kind="budget", level="unit", source_document=document
        )


def test_a_unit_links_to_the_department_its_name_begins_with():
    education = save_parsed(
        make_source_document("edu.txt"), {"county": "甲县", "department": "甲县教育局", "year": 2023}
    )
    school = save_parsed(
        make_source_document("school.txt"),
        {"county": "甲县", "department": "甲县教育局第一中学", "year": 2023, "level": "unit"},
    )
    assert school.level == "unit"
    assert school.department.parent == education.department
    assert education.department.kind == "教育局"
    assert school.get_absolute_url().endswith("/2023/unit-budget/")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_budget_against_actual_page_shows_the_rates(client, pair, django_assert_num_queries, language):
    url = reverse("budgets:execution-detail", args=[*ZHOUSHAN, 2023])
    # The department with its county, its disclosures, the classes of both.
    with django_assert_num_queries(3):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()

    def rate(table, key):
        row = html[html.index(f'id="{table}"') :]
        row = row[row.index(f'data-key="{key}"') :]
        row = row[: row.index("</tr>")]
        return row[row.index('class="num rate">') + len('class="num rate">') :].split("<")[0].strip()

    assert rate("execution-totals", "expenditure") == "90.0%"
    assert rate("execution-totals", "project") == "80.0%"
    assert rate("execution-three-costs", "total") == "50.0%"
    assert rate("execution-three-costs", "reception") == "0.0%"  # budgeted 1.00, spent nothing
    assert rate("execution-three-costs", "overseas") == "—"  # nothing budgeted: no rate
    assert rate("execution-functional", "201") == "90.0%"
    assert ("budget against actual 2023" in html) == (language == "en")


def test_department_page_puts_budget_final_accounts_and_rate_side_by_side(
    client, pair, django_assert_num_queries
):
    url = reverse("budgets:department-detail", args=list(ZHOUSHAN))
    # Department, disclosures, its ranking in 舟山市 and in 浙江省.
    with django_assert_num_queries(4):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("budgets:execution-detail", args=[*ZHOUSHAN, 2023]) in html
    assert '<td class="num rate">90.0%</td>' in html


def test_year_pages_link_each_kind_and_the_comparison(client, pair):
    budget, final = pair
    assert final.get_absolute_url() == reverse(
        "budgets:budget-year-page", args=[*ZHOUSHAN, 2023, "final-accounts"]
    )
    html = client.get(final.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "final accounts 2023" in html
    assert reverse("budgets:execution-detail", args=[*ZHOUSHAN, 2023]) in html
    assert budget.get_absolute_url() in html


def test_execution_rate_list_csv_is_exact(english, pair, samples):
    response = english.get(reverse("budgets:execution") + "?format=csv&department_kind=财政局")
    assert response["Content-Disposition"].endswith('filename="execution.csv"')
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0][:11] == [
        "County",
        "Division code",
        "Department",
        "Kind of department",
        "Year",
        "Expenditure budgeted (万元)",
        "Expenditure spent (万元)",
        "Expenditure execution rate (%)",
        "Basic expenditure budgeted (万元)",
        "Basic expenditure spent (万元)",
        "Basic expenditure execution rate (%)",
    ]
    assert body(english.get(reverse("budgets:execution") + "?format=csv")).decode("utf-8-sig").splitlines()[
        1
    ] == (
        "普陀区,330903,舟山市普陀区财政局,财政局,2023,100.00,90.00,90.0,70.00,66.00,94.3,30.00,24.00,80.0,"
        "3.00,1.50,50.0,0.00,0.00,n/a,2.00,1.50,75.0,1.00,0.00,0.0,,"
        "/counties/330903-普陀区/舟山市普陀区财政局/2023/final-accounts/"
    )


def test_execution_rate_list_sorts_and_filters(english, pair, django_assert_num_queries):
    # Another department that spent more of its reception budget.
    ingest_text(budget_text("舟山市普陀区教育局", reception="0.50"), "b2.txt")
    ingest_text(final_text("舟山市普陀区教育局"), "f2.txt")
    data = json.loads(
        body(english.get(reverse("budgets:execution") + "?format=json&sort=-expenditure_budget"))
    )
    # The same expenditure budgeted: tied rows in the key's order, descending as the sort is.
    assert [(row["department"], row["reception_budget"]) for row in data["rows"]] == [
        ("舟山市普陀区教育局", "0.50"),
        ("舟山市普陀区财政局", "1.00"),
    ]
    data = json.loads(body(english.get(reverse("budgets:execution") + "?format=json&department_kind=教育局")))
    assert [row["department"] for row in data["rows"]] == ["舟山市普陀区教育局"]
    # Kind choices, count, the page's keys, its rows.
    with django_assert_num_queries(4):
        assert english.get(reverse("budgets:execution") + "?sort=-expenditure_rate").status_code == 200


def test_the_comparison_shows_budgets_final_accounts_or_the_rate(english, pair):
    from budgets.compare import compare_rows

    def expenditure(disclosure):
        comparison = compare_rows(["330903"], disclosure=disclosure)
        return [cell.value for cell in comparison.figures["expenditure"]["cells"]]

    assert expenditure("budget") == [100]
    assert expenditure("final_accounts") == [90]
    assert expenditure("rate") == [Decimal("90.0")]
    reception = compare_rows(["330903"], disclosure="rate").figures["reception"]["cells"][0]
    assert reception.value == 0
    response = english.get(reverse("budgets:compare") + "?county=330903&disclosure=rate")
    html = response.content.decode()
    assert response.status_code == 200 and "90.0%" in html
    csv_text = body(english.get(reverse("budgets:compare") + "?county=330903&disclosure=rate&format=csv"))
    assert "Expenditure total,90.0" in csv_text.decode("utf-8-sig")
