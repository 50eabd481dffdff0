"""The exports beside the CSV: .xlsx for every list and the comparison (the same rows as the
CSV), the comparison's tidy form (exact bytes), and JSON keys that do not change with the
language of the request."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from budgets import exports, lists, missing
from budgets.compare_exports import TIDY_KEYS
from budgets.models import County, LineItem
from tests.base import make_budget_year, make_county, make_department

pytestmark = pytest.mark.django_db

LISTINGS = (
    lists.BUDGET_YEARS,
    lists.LINE_ITEMS,
    lists.THREE_COSTS,
    lists.INDICATORS,
    lists.EXECUTION,
    lists.RANKINGS,
)


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv_rows(response):
    return list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))


def _xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(_body(response)))
    sheet = workbook.active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def _as_csv_text(value, text):
    """What the CSV has for a cell the .xlsx holds as `value`: the same text, or for a number the
    same number (Excel keeps a float; the CSV the digits)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return text if Decimal(repr(value)) == Decimal(text) else repr(value)
    return str(value)


@pytest.fixture
def final_accounts(samples):
    """A 决算 beside 高邑's 2022 budget, so that the execution list has a row."""
    from budgets.models import BudgetYear

    budget = BudgetYear.objects.get(department__county__code="130127", year=2022)
    make_budget_year(
        budget.department, 2022, kind="final_accounts", expenditure=Decimal("380.15"), basic=Decimal("200.10")
    )


def test_each_list_as_xlsx_has_the_rows_of_its_csv_with_numbers_a_header_and_frozen_panes(
    english, final_accounts
):
    for listing in LISTINGS:  # one test, so the samples are loaded once
        _check_xlsx_against_csv(english, listing)


def _check_xlsx_against_csv(english, listing):
    slug = listing.slug
    url = reverse(f"budgets:{slug}") + ("?province=河北省&format=" if slug == "rankings" else "?format=")
    csv_rows = _csv_rows(english.get(url + "csv"))
    response = english.get(url + "xlsx")
    assert response["Content-Type"] == exports.XLSX
    assert response["Content-Disposition"] == f'attachment; filename="{slug}.xlsx"'
    sheet, rows = _xlsx_rows(response)
    assert len(rows) == len(csv_rows) > 1, slug
    assert sheet.freeze_panes == "A2"
    assert rows[0] == csv_rows[0] and sheet["A1"].font.b
    for xlsx_row, csv_row in zip(rows[1:], csv_rows[1:], strict=True):
        assert [_as_csv_text(v, t) for v, t in zip(xlsx_row, csv_row, strict=True)] == csv_row, slug
    # Amounts, counts, years and rates are numbers in the sheet, not text.
    numeric = [i for i, column in enumerate(listing.columns) if column.type in ("amount", "int", "rate")]
    values = [row[i] for row in rows[1:] for i in numeric if row[i] not in (None, missing.NOT_APPLICABLE)]
    assert values and all(isinstance(value, int | float) for value in values), slug


def test_xlsx_shows_an_amount_with_the_digits_the_csv_prints_and_keeps_formulas_as_text(english):
    budget_year = make_budget_year(
        make_department(make_county("甲县", code="999001")), 2022, expenditure=Decimal("435.353586")
    )
    LineItem.objects.create(
        budget_year=budget_year, kind="project", name="=HYPERLINK(1)", amount=Decimal("0.8")
    )
    response = english.get(reverse("budgets:line-items") + "?format=xlsx&kind=project")
    sheet, rows = _xlsx_rows(response)
    name, amount = rows[0].index("Name"), rows[0].index("Amount (万元)")
    assert rows[1][name] == "=HYPERLINK(1)" and sheet.cell(2, name + 1).data_type == "s"
    assert rows[1][amount] == 0.8 and sheet.cell(2, amount + 1).number_format == "0.00"

    sheet, rows = _xlsx_rows(english.get(reverse("budgets:budget-years") + "?format=xlsx"))
    column = rows[0].index("Expenditure total (万元)") + 1
    assert sheet.cell(2, column).value == 435.353586 and sheet.cell(2, column).number_format == "0.000000"


def test_a_list_longer_than_a_sheet_is_refused_not_cut(english, monkeypatch):
    make_budget_year(make_department(make_county("甲县", code="999001")), 2022)
    make_budget_year(make_department(make_county("甲县", code="999001")), 2021)
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    response = english.get(reverse("budgets:budget-years") + "?format=xlsx")
    assert response.status_code == 400
    assert response.content.decode() == (
        "2 rows are more than a spreadsheet holds (1): narrow the filters, or download the CSV."
    )


FOUR = "county=130127&county=130630&county=130532&county=130130"


def test_comparison_xlsx_has_the_rows_of_its_csv(english, samples):
    url = reverse("budgets:compare") + "?" + FOUR + "&format="
    csv_rows = _csv_rows(english.get(url + "csv"))
    sheet, rows = _xlsx_rows(english.get(url + "xlsx"))
    assert len(rows) == len(csv_rows) > 1
    for xlsx_row, csv_row in zip(rows, csv_rows, strict=True):
        assert [_as_csv_text(v, t) for v, t in zip(xlsx_row, csv_row, strict=True)] == csv_row


@pytest.fixture
def office():
    county = make_county("甲县", code="999001", province="乙省", prefecture="丙市")
    department = make_department(county)
    make_budget_year(department, 2021, expenditure=Decimal("80.00"))
    budget_year = make_budget_year(department, 2022, basic=Decimal("60.50"), staff_in_service=5)
    budget_year.needs_checking = ["three_costs.total"]
    budget_year.save()
    return department


# What every row of the 2022 column begins with: its county, department, year and disclosure.
ROW = "甲县,999001,甲县人民政府办公室,人民政府办公室,2022,budget,change,"
TIDY_2022 = "\ufeff" + "".join(
    f"{line}\r\n"
    for line in [
        "county,division_code,department,department_kind,year,disclosure,measure,figure,figure_label,"
        "group,value,unit,note,needs_checking,corrected",
        ROW + "income,Income total,Totals,0.00,万元,,false,false",
        ROW + "expenditure,Expenditure total,Totals,20.00,万元,,false,false",
        ROW + "general_budget_income,General public budget income,Totals,,,not printed,false,false",
        ROW + "basic,Basic expenditure,Basic and project,,,not printed in 2021,false,false",
        ROW + "project,Project expenditure,Basic and project,,,not printed,false,false",
        ROW + "personnel,Personnel costs,Personnel and public,,,not printed,false,false",
        ROW + "public,Public costs,Personnel and public,,,not printed,false,false",
        ROW + "operating,Office running costs (机关运行经费),Personnel and public,,,not printed,false,false",
        ROW + "three_costs,Three public costs,Three public costs,0.00,万元,,true,false",
        ROW + "overseas,Overseas trips,Three public costs,0.00,万元,,false,false",
        ROW + "vehicle,Official cars,Three public costs,0.00,万元,,false,false",
        ROW + "vehicle_purchase,Car purchase,Three public costs,,,not printed,false,false",
        ROW + "vehicle_operation,Car operation,Three public costs,,,not printed,false,false",
        ROW + "reception,Receptions,Three public costs,0.00,万元,,false,false",
        ROW
        + 'three_costs_change,"Three public costs: change on the year before, as printed",Three public costs,'
        "n/a,,itself a change,false,false",
        ROW + "functional_201,201 一般公共服务支出,Expenditure by functional class,0.00,万元,,false,false",
        ROW + "indicators,Performance indicators,Performance indicators,0,,,false,false",
        ROW + "staff_authorized,Authorised staff,Staff,,,not printed,false,false",
        ROW + "staff_in_service,Staff in service,Staff,,,not printed in 2021,false,false",
    ]
)


def test_the_tidy_comparison_is_one_row_per_county_department_year_and_figure_exact_bytes(english, office):
    response = english.get(
        reverse("budgets:compare") + "?county=999001&year=2022&measure=change&format=tidy-csv"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''compare-change-tidy-%E7%94%B2%E5%8E%BF-2022.csv"
    )
    assert _body(response).decode() == TIDY_2022


def test_the_tidy_comparison_keeps_its_headers_and_keys_in_chinese(client, office):
    url = reverse("budgets:compare") + "?county=999001&year=2022&format=tidy-"
    rows = _csv_rows(client.get(url + "csv"))
    assert rows[0] == list(TIDY_KEYS)
    assert rows[1][7:9] == ["income", "收入总计"]  # the names follow the language, the keys do not
    data = json.loads(_body(client.get(url + "json")))
    assert data["columns"] == list(TIDY_KEYS)
    assert [row["figure"] for row in data["rows"]][:3] == ["income", "expenditure", "general_budget_income"]
    assert data["rows"][0]["value"] == "100.00"


def test_two_counties_of_one_name_are_two_columns_of_the_wide_json(english):
    for code, name in (("310107", "普陀区人民政府办公室"), ("330903", "舟山市普陀区人民政府办公室")):
        make_budget_year(make_department(make_county(f"普陀区{code}", code=code), name=name), 2022)
    County.objects.filter(code__in=["310107", "330903"]).update(name="普陀区")
    data = json.loads(
        _body(english.get(reverse("budgets:compare") + "?county=310107&county=330903&format=json"))
    )
    assert data["columns"] == [
        "key",
        "group",
        "figure",
        "普陀区 · 人民政府办公室 · 2022 (310107)",
        "普陀区 · 人民政府办公室 · 2022 (330903)",
        "needs_checking",
        "corrected",
    ]


def _keys(data):
    return sorted(data), data["columns"], [list(row) for row in data["rows"]]


def test_list_json_keys_are_the_same_in_both_languages(client, final_accounts):
    for listing in LISTINGS:
        url = reverse(f"budgets:{listing.slug}") + (
            "?province=河北省&format=json" if listing.slug == "rankings" else "?format=json"
        )
        chinese = json.loads(_body(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")))
        english = json.loads(_body(client.get(url, HTTP_ACCEPT_LANGUAGE="en")))
        assert chinese["rows"], listing.slug
        assert _keys(chinese) == _keys(english), listing.slug
        assert chinese["columns"] == [column.key for column in listing.columns]


def test_comparison_json_keys_are_the_same_in_both_languages(client, samples):
    for fmt, label in (("json", "figure"), ("tidy-json", "figure_label")):
        url = reverse("budgets:compare") + f"?{FOUR}&format={fmt}"
        chinese = json.loads(_body(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")))
        english = json.loads(_body(client.get(url, HTTP_ACCEPT_LANGUAGE="en")))
        assert chinese["rows"]
        assert _keys(chinese) == _keys(english), fmt
        # The names people read do follow the language.
        assert (chinese["rows"][0][label], english["rows"][0][label]) == ("收入总计", "Income total")
