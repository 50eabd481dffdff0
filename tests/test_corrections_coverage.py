"""Corrections in the open (budgets.corrections, budgets.admin_corrections) and what each disclosure
printed (budgets.coverage): the admin's history of changed figures, the public page and the exports
showing it; the standard tables and sections of the samples, the list filter and the backfill."""

import csv
import importlib
import io
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from lxml import html as lxml_html

from budgets import coverage
from budgets.models import BudgetYear, Correction, LineItem, PerformanceIndicator, ThreeCosts
from tests.base import make_budget_year, make_department, make_unclear_line_item

pytestmark = pytest.mark.django_db

REASON = "县财政局2022年6月的更正公告：公务接待费为0.45万元。"


def body(response):
    return b"".join(response.streaming_content)


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("li.xiaoming", "li@example.com", "x")
    client.force_login(user)
    return user


@pytest.fixture
def year():
    return make_budget_year(make_department(), 2022)


def form_data(client, url, **language):
    """The admin change form of `url` as the browser would send it back unchanged."""
    page = lxml_html.fromstring(client.get(url, **language).content.decode())
    form = page.xpath("//form[@method='post' and .//input[@name='_save']]")[0]
    data = {}
    for field in form.xpath(".//input[@name] | .//textarea[@name] | .//select[@name]"):
        name, kind = field.get("name"), field.get("type")
        if field.tag == "textarea":
            data[name] = field.text or ""
        elif field.tag == "select":
            data[name] = [o.get("value") for o in field.xpath(".//option[@selected]")] or ""
        elif kind in ("checkbox", "radio"):
            if field.get("checked") is not None:
                data.setdefault(name, []).append(field.get("value") or "on")
        elif kind not in ("submit", "button", "file"):
            data[name] = field.get("value") or ""
    return data


def change_url(obj):
    return reverse(f"admin:budgets_{obj._meta.model_name}_change", args=[obj.pk])


def history(**filters):
    return list(
        Correction.objects.filter(**filters)
        .order_by("pk")
        .values_list("subject", "field", "old_value", "new_value", "reason", "user__username")
    )


# --- corrections in the admin ----------------------------------------------------------------


def test_an_admin_edit_with_a_reason_keeps_the_exact_old_and_new_values_and_who(client, editor, year):
    url = change_url(year)
    data = form_data(client, url)
    data.update({"income": "100.50", "three_costs-0-reception": "0.45", "correction_reason": f"  {REASON}  "})

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert history() == [
        ("budget_year", "income", "100.00", "100.50", REASON, "li.xiaoming"),
        ("three_costs", "reception", "0.50", "0.45", REASON, "li.xiaoming"),
    ]
    assert {c.budget_year_id for c in Correction.objects.all()} == {year.pk}
    year.refresh_from_db()
    assert year.income == Decimal("100.50")
    assert year.three_costs.reception == Decimal("0.45")
    # The admin's history names the figures, never their keys.
    listed = client.get(reverse("admin:budgets_correction_changelist")).content.decode()
    assert (
        '<td class="field-figure">收入总计</td>' in listed
        and '<td class="field-figure">公务接待费</td>' in listed
    )


def test_without_a_reason_the_form_refuses_in_the_admins_language(client, editor, year):
    url = change_url(year)
    for language, message in (
        ({}, "有数字改动：请在“数字改动的原因”中说明原因"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "A figure changes: say why in “Why the figures change”"),
    ):
        data = form_data(client, url, **language)
        data["three_costs-0-reception"] = "0.45"
        response = client.post(url, data, **language)
        assert response.status_code == 200
        assert message in response.content.decode()
        data = form_data(client, url, **language)
        data["expenditure"] = "99.00"
        response = client.post(url, data, **language)
        assert message in response.content.decode()
    assert not Correction.objects.exists()
    year.refresh_from_db()
    assert (year.expenditure, year.three_costs.reception) == (Decimal("100.00"), Decimal("0.50"))


def test_a_save_that_changes_no_figure_needs_no_reason_and_records_nothing(client, editor, year):
    url = change_url(year)
    data = form_data(client, url)
    data["needs_checking"] = ["totals.income"]  # not a figure: what the pages mark
    assert client.post(url, data).status_code == 302
    assert not Correction.objects.exists()
    assert BudgetYear.objects.get(pk=year.pk).needs_checking == ["totals.income"]


def test_a_line_item_set_by_hand_is_no_longer_unclear_and_an_indicator_target_is_recorded(
    client, editor, year
):
    item = make_unclear_line_item(year)
    indicator = PerformanceIndicator.objects.create(
        budget_year=year, group="综合业务", name="满意度", target="≥90%"
    )
    url = change_url(item)
    data = form_data(client, url)
    data.update({"basic": "60.00", "correction_reason": "第3页表格，基本支出列为60.00。"})
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.basic, item.uncertain) == (Decimal("60.00"), ["project"])
    url = change_url(indicator)
    data = form_data(client, url)
    data.update({"target": "≥95%", "correction_reason": "原文为≥95%。"})
    assert client.post(url, data).status_code == 302
    assert history() == [
        ("line_item", "basic", "", "60.00", "第3页表格，基本支出列为60.00。", "li.xiaoming"),
        ("indicator", "target", "≥90%", "≥95%", "原文为≥95%。", "li.xiaoming"),
    ]
    assert list(Correction.objects.values_list("row", flat=True)) == [
        "20103 政府办公厅（室）及相关机构事务",
        "综合业务 · 满意度",
    ]


def test_figure_rows_are_not_deleted_one_by_one_and_the_history_is_read_only(client, editor, year):
    item = year.line_items.get()
    assert client.get(reverse("admin:budgets_lineitem_delete", args=[item.pk])).status_code == 403
    assert client.get(reverse("admin:budgets_correction_add")).status_code == 403


# --- the public page and the exports -----------------------------------------------------------


def corrected_year(year, editor):
    from budgets import corrections

    corrections.record(year, [("income", "100.00", "100.50")], editor, "收入总计应为100.50。")
    corrections.record(year.three_costs, [("reception", "0.50", "0.45")], editor, REASON)
    BudgetYear.objects.filter(pk=year.pk).update(income=Decimal("100.50"))
    ThreeCosts.objects.filter(pk=year.three_costs.pk).update(reception=Decimal("0.45"))


def test_the_public_page_shows_the_history_beside_the_figure(client, editor, year, django_assert_num_queries):
    corrected_year(year, editor)
    correction = Correction.objects.get(field="reception")
    with django_assert_num_queries(6):  # the page's five, and its corrections
        html = client.get(year.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    at = timezone.localtime(correction.at)
    date = at.strftime("%Y-%m-%d")
    assert (
        f'<td class="num value">0.45 <a class="corrected-mark" href="#correction-{correction.pk}" '
        f'title="Corrected by the site&#x27;s editors. {date}: 0.50 → 0.45. {REASON}">corrected</a></td>'
    ) in html
    assert (
        f'<li id="correction-{correction.pk}"><strong>Receptions</strong>: <span class="old">0.50</span> → '
        f'<span class="new">0.45</span> · <time datetime="{at.isoformat()}">{date}</time>'
    ) in html
    assert f'Why: {REASON} · <a href="#fig-three-costs-reception">To the figure</a>' in html
    assert (
        '<strong>Income total</strong>: <span class="old">100.00</span> → <span class="new">100.50</span>'
        in html
    )
    assert "li.xiaoming" not in html  # the site answers for its figures; the admin names the person


def test_the_exports_mark_rows_with_a_corrected_figure(english, editor, year):
    other = make_budget_year(make_department(name="甲县财政局"), 2022)
    corrected_year(year, editor)
    rows = list(csv.reader(io.StringIO(body(english.get("/budget-years/?format=csv")).decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Standard tables not found or not read", "Corrected"]
    assert {(row[1], row[-1]) for row in rows[1:]} == {
        (year.department.name, "true"),
        (other.department.name, "false"),
    }
    data = json.loads(body(english.get("/three-costs/?format=json")))
    assert data["columns"][-1] == "corrected"
    assert {(row["department"], row["corrected"]) for row in data["rows"]} == {
        (year.department.name, True),
        (other.department.name, False),
    }
    # A correction of the year's three costs does not mark its line items.
    items = json.loads(body(english.get("/line-items/?format=json")))["rows"]
    assert [row["corrected"] for row in items] == [False, False]
    page = english.get("/three-costs/").content.decode()
    assert (
        f'<td class="corrected"><a href="{year.get_absolute_url()}#fig-three-costs-total">corrected</a></td>'
        in page
    )


# --- the department page and the comparison, away from the budget-year page -------------------


def counted(client, url):
    with CaptureQueriesContext(connection) as caught:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return html, len(caught)


def marked(correction, title, text):
    """The mark of a figure shown away from its budget year: it links to the history there."""
    history = f"{correction.budget_year.get_absolute_url()}#correction-{correction.pk}"
    return f'<a class="corrected-mark" href="{history}" title="{title}">{text}</a>'


def test_the_department_page_marks_a_corrected_figure_with_its_history_there(client, editor, year):
    make_budget_year(year.department, 2021)
    url = year.department.get_absolute_url()
    _html, before = counted(client, url)
    corrected_year(year, editor)
    english, after = counted(client, url)
    assert after == before + 1  # the corrections of every year shown, in one query
    income, reception = Correction.objects.get(field="income"), Correction.objects.get(field="reception")
    date = timezone.localtime(income.at).strftime("%Y-%m-%d")
    assert (
        '<td class="num">100.00</td><td class="num">100.50 '
        + marked(
            income,
            f"Corrected by the site&#x27;s editors. {date}: 100.00 → 100.50. 收入总计应为100.50。",
            "corrected",
        )
        + "</td>"
    ) in english
    assert (
        '<td class="num">0.50</td><td class="num">0.45 '
        + marked(
            reception, f"Corrected by the site&#x27;s editors. {date}: 0.50 → 0.45. {REASON}", "corrected"
        )
        + "</td>"
    ) in english
    assert english.count('class="corrected-mark"') == 2
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert marked(reception, f"本站编辑已更正此数字。 {date}：0.50 → 0.45。{REASON}", "已更正") in chinese
    assert "li.xiaoming" not in english + chinese
    # The link lands on the history of that figure on the year's page.
    assert (
        f'<li id="correction-{reception.pk}"><strong>Receptions</strong>'
        in client.get(year.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_the_comparison_marks_corrected_figures_and_its_tidy_export_says_which(client, editor, year):
    from budgets import corrections

    earlier = make_budget_year(year.department, 2021)
    url = reverse("budgets:compare") + f"?county=id{year.department.county.pk}"
    _html, before = counted(client, url)
    corrected_year(year, editor)
    corrections.record(earlier, [("expenditure", "100.00", "90.00")], editor, "2021年支出总计为90.00。")
    BudgetYear.objects.filter(pk=earlier.pk).update(expenditure=Decimal("90.00"))
    english, after = counted(client, url)
    assert after == before + 1
    income, spent = Correction.objects.get(field="income"), Correction.objects.get(field="expenditure")
    date = timezone.localtime(income.at).strftime("%Y-%m-%d")
    assert (
        '<tr data-key="income"><th scope="row">Income total</th><td class="num">100.00</td>'
        '<td class="num">100.50 '
        + marked(
            income,
            f"Corrected by the site&#x27;s editors. {date}: 100.00 → 100.50. 收入总计应为100.50。",
            "corrected",
        )
        + "</td></tr>"
    ) in english
    assert (
        '<tr data-key="expenditure"><th scope="row">Expenditure total</th><td class="num">90.00 '
        + marked(
            spent,
            f"Corrected by the site&#x27;s editors. {date}: 100.00 → 90.00. 2021年支出总计为90.00。",
            "corrected",
        )
        + '</td><td class="num">100.00</td></tr>'
    ) in english
    assert english.count('class="corrected-mark"') == 3  # income, expenditure, receptions
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert chinese.count(">已更正</a>") == 3

    def corrected_rows(measure):
        response = client.get(f"{url}&measure={measure}&format=tidy-csv", HTTP_ACCEPT_LANGUAGE="en")
        rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
        assert {row["corrected"] for row in rows} == {"true", "false"}
        return sorted((row["year"], row["figure"]) for row in rows if row["corrected"] == "true")

    assert corrected_rows("amount") == [("2021", "expenditure"), ("2022", "income"), ("2022", "reception")]
    # The wide form names, in its last column, the years whose figure in the row was corrected.
    wide_csv = client.get(f"{url}&format=csv", HTTP_ACCEPT_LANGUAGE="en")
    wide = list(csv.reader(io.StringIO(body(wide_csv).decode("utf-8-sig"))))
    earlier_label, year_label = wide[0][2:4]
    assert wide[0][-1] == "Corrected"
    assert {row[1]: row[-1] for row in wide[1:] if row[-1]} == {
        "Income total": year_label,
        "Expenditure total": earlier_label,
        "Receptions": year_label,
    }
    data = json.loads(body(client.get(f"{url}&format=json")))
    assert {row["key"]: row["corrected"] for row in data["rows"] if row["corrected"]} == {
        "income": [year_label],
        "expenditure": [earlier_label],
        "reception": [year_label],
    }
    # A change comes from the year before too; the first year has none (n/a).
    assert corrected_rows("change") == [("2022", "expenditure"), ("2022", "income"), ("2022", "reception")]
    # A share comes from the year's expenditure total: every share of 2021 that has a value.
    assert corrected_rows("share") == [
        ("2021", "expenditure"),
        ("2021", "income"),
        ("2021", "overseas"),
        ("2021", "reception"),
        ("2021", "three_costs"),
        ("2021", "vehicle"),
        ("2022", "income"),
        ("2022", "reception"),
    ]
    data = json.loads(body(client.get(f"{url}&format=tidy-json", HTTP_ACCEPT_LANGUAGE="zh-hans")))
    assert data["columns"][-1] == "corrected"
    assert [row["corrected"] for row in data["rows"] if row["figure"] == "income"] == [False, True]


# --- what each disclosure printed ----------------------------------------------------------------

# Which standard tables each sample prints, as its text shows them (the other three print the
# explanation alone, their tables published elsewhere).
PRINTED = {
    "高邑县人民政府办公室 2022": "none",
    "涞源县人民政府办公室 2016": "income; expenditure; fiscal_summary; general_budget; functional",
    "高邑县人民政府办公室 2019": (
        "summary; income; expenditure; fiscal_summary; general_budget; basic; three_costs; "
        "functional; economic"
    ),
}
TEXT_ONLY = ("高邑县人民政府办公室 2019", "平乡县人民政府办公室 2021", "无极县人民政府办公室 2018")


def named(budget_years):
    return {f"{b.department.name} {b.year}" for b in budget_years}


def test_coverage_of_the_samples_is_exact(samples):
    years = {f"{b.department.name} {b.year}": b for b in BudgetYear.objects.select_related("department")}
    for name, missing in PRINTED.items():
        assert years[name].tables_missing == missing, name
    for name in TEXT_ONLY:
        assert years[name].tables_missing == PRINTED["高邑县人民政府办公室 2019"]
    gaoyi = years["高邑县人民政府办公室 2022"].coverage
    assert {kind: entry["status"] for kind, entry in gaoyi["tables"].items()} == {
        **dict.fromkeys(coverage.STANDARD, "read"),
        "fund": "empty",
        "state_capital": "empty",
    }
    assert gaoyi["tables"]["three_costs"] == {
        "status": "read",
        "table": "部门预算财政拨款“三公”经费支出表",
        "line": 373,
    }
    assert gaoyi["tables"]["fund"]["note"] == "注：无政府基金预算财政拨款预算，空表列示。"
    assert all(gaoyi["sections"].values()) and gaoyi["unidentified"] == []
    laiyuan = years["涞源县人民政府办公室 2016"].coverage
    assert {kind for kind, entry in laiyuan["tables"].items() if entry["status"] == "read"} == {
        "summary",
        "basic",
        "three_costs",
        "project",
        "personnel",
        "public",
    }
    assert {name for name, found in laiyuan["sections"].items() if not found} == {
        "机关运行经费",
        "政府采购",
        "国有资产",
        "名词解释",
    }


def test_a_table_printed_but_not_read_or_read_unclear_says_so():
    tables = [
        {"title": "财政拨款收支总表", "kind": "fiscal_summary", "line": 40, "page": 13, "empty": False},
        {"title": "支出总表", "kind": "expenditure", "line": 60, "empty": False},
        {"title": "机构设置表", "kind": "table", "line": 5, "empty": False},
    ]
    items = [{"kind": "functional", "code": "201", "source": {"table": "支出总表"}, "uncertain": ["basic"]}]
    found = coverage.of_parse({"tables": tables, "line_items": items, "unread": []})
    assert found["tables"]["fiscal_summary"] == {
        "status": "unread",
        "table": "财政拨款收支总表",
        "line": 40,
        "page": 13,
    }
    assert found["tables"]["expenditure"]["status"] == "unclear"
    assert found["unidentified"] == [{"table": "机构设置表", "line": 5}]
    assert (
        coverage.missing_text(found)
        == "summary; income; fiscal_summary; general_budget; basic; three_costs; economic"
    )
    # A parse that does not list what it did not find (an older parser): not known.
    assert coverage.fields({"tables": []}) == {"coverage": {}, "tables_missing": ""}


# What `?missing=` finds among the samples (one ingest of them for all the cases).
MISSING = {
    "three_costs": TEXT_ONLY,
    "functional": (*TEXT_ONLY, "涞源县人民政府办公室 2016"),
    "economic": TEXT_ONLY,
    "classification": TEXT_ONLY,
    "fiscal_summary": (*TEXT_ONLY, "涞源县人民政府办公室 2016"),
    "summary": TEXT_ONLY,  # 涞源 prints its 收支总表 but no 财政拨款收支总表: not confused
}


def test_the_budget_years_list_filters_years_without_a_standard_table(english, samples):
    for missing, expected in MISSING.items():
        data = json.loads(body(english.get(f"/budget-years/?missing={missing}&format=json")))
        assert {f"{row['department']} {row['year']}" for row in data["rows"]} == set(expected), missing
        assert {row["tables_missing"] for row in data["rows"]} <= {
            PRINTED["高邑县人民政府办公室 2019"],
            PRINTED["涞源县人民政府办公室 2016"],
        }
    assert english.get("/budget-years/?missing=tables").status_code == 400


def test_the_budget_years_list_names_the_missing_tables_in_words(english, samples):
    page = english.get("/budget-years/?missing=functional&county=130630").content.decode()
    assert (
        '<td class="parts">income table, expenditure table, fiscal appropriation summary table, '
        "general public budget expenditure table, tables of functional classes</td>"
    ) in page
    page = english.get("/budget-years/?county=130130").content.decode()
    assert '<td class="parts">every standard table</td>' in page
    page = english.get("/budget-years/?county=130127&year_min=2022").content.decode()
    assert '<td class="parts">none</td>' in page


def test_the_budget_year_page_says_what_the_disclosure_printed(client, english, samples):
    gaoyi = BudgetYear.objects.get(department__name="高邑县人民政府办公室", year=2022)
    page = client.get(gaoyi.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    tree = lxml_html.fromstring(page)
    rows = tree.xpath("//table[@id='printed-tables']/tbody/tr")
    assert [(r.get("data-kind"), r.get("class")) for r in rows] == [
        *((kind, "part-read") for kind in coverage.STANDARD),
        ("fund", "part-empty"),
        ("state_capital", "part-empty"),
    ]
    assert rows[6].xpath("string(th)") == "“三公”经费表"
    assert rows[7].xpath("normalize-space(td[2])") == (
        "部门预算政府基金预算财政拨款支出表，第 345 行注：无政府基金预算财政拨款预算，空表列示。"
    )
    assert "no-classification" not in page
    text_only = BudgetYear.objects.get(department__name="无极县人民政府办公室")
    page = english.get(text_only.get_absolute_url()).content.decode()
    tree = lxml_html.fromstring(page)
    assert tree.xpath("normalize-space(//p[@id='no-classification'])").startswith(
        "No table of functional or economic classes was found in this disclosure"
    )
    assert tree.xpath("//ul[@id='printed-tables']/li/text()") == [
        " income and expenditure summary table",
        " income table",
        " expenditure table",
        " fiscal appropriation summary table",
        " general public budget expenditure table",
        " basic expenditure table",
        " three public costs table",
    ]
    shown = tree.xpath("normalize-space(//section[@id='printed'])")
    for key in ("fiscal_summary", "three_costs", "general_budget", "部门职责及机构设置 ("):
        assert key not in shown


def test_the_county_page_has_a_row_of_marks_per_disclosure(
    client, english, samples, django_assert_num_queries
):
    with django_assert_num_queries(2):
        page = english.get("/counties/130127-高邑县/").content.decode()
    tree = lxml_html.fromstring(page)
    assert tree.xpath("normalize-space(//p[@id='classification-note'])").startswith(
        "1 of the county's 2 disclosures print tables of functional or economic classes."
    )
    rows = tree.xpath("//table[@id='printed-tables']/tbody/tr")
    assert [r.xpath("string(td[1]//a)").split()[0] for r in rows] == ["2019", "2022"]
    assert [r.xpath("td[contains(@class, 'part')]/span[1]/text()") for r in rows] == [["–"] * 7, ["●"] * 7]
    assert [r.xpath("string(td[last()])") for r in rows] == ["8 of 8", "8 of 8"]
    page = client.get("/counties/130130-无极县/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    note = lxml_html.fromstring(page).xpath("//p[@id='classification-note']")[0]
    assert note.get("class") == "printed-note"  # the red box: no classification table at all
    assert note.xpath("normalize-space()").startswith("本县的公开文件中未找到功能分类或经济分类表")


def test_the_migration_fills_years_saved_before(samples):
    saved = dict(BudgetYear.objects.values_list("pk", "tables_missing"))
    covered = dict(BudgetYear.objects.values_list("pk", "coverage"))
    BudgetYear.objects.update(coverage={}, tables_missing="")
    unknown = make_budget_year(make_department(), 2022)  # its document kept no parse
    migration = importlib.import_module("budgets.migrations.0009_corrections_coverage")

    migration.cover_saved_years(apps, None)

    assert dict(BudgetYear.objects.exclude(pk=unknown.pk).values_list("pk", "tables_missing")) == saved
    assert dict(BudgetYear.objects.exclude(pk=unknown.pk).values_list("pk", "coverage")) == covered
    unknown.refresh_from_db()
    assert (unknown.coverage, unknown.tables_missing) == ({}, "")
    with translation.override("en"):
        assert coverage.missing_names(unknown.tables_missing) == "not known"


def test_line_item_rows_keep_their_amount_when_corrected(client, editor, year):
    item = LineItem.objects.get(budget_year=year)
    from budgets import corrections

    corrections.record(item, [("amount", "100.00", "101.00")], editor, "原表第5行。")
    LineItem.objects.filter(pk=item.pk).update(amount=Decimal("101.00"))
    html = client.get(year.get_absolute_url()).content.decode()
    correction = Correction.objects.get()
    assert f'<td class="num">101.00 <a class="corrected-mark" href="#correction-{correction.pk}"' in html
    assert f'<a href="#line-{item.pk}">' in html


def test_a_citation_of_a_corrected_figure_says_what_the_document_prints(client, editor, year):
    corrected_year(year, editor)
    cited = client.get(f"/cite/{year.pk}/fig-three-costs-reception/").json()
    date = timezone.localtime(Correction.objects.get(field="reception").at).strftime("%Y-%m-%d")
    assert cited["en"].endswith(
        f" Corrected by the site's editors on {date}: the document prints 0.50. Why: {REASON}"
    )
    assert cited["zh"].endswith(f" 本站编辑已于 {date} 更正此数字：原文件所印为 0.50。原因：{REASON}")
    assert "0.45" in cited["en"]
    # The budgeted figure beside it, and the other figures, are cited as they were.
    assert "Corrected" not in client.get(f"/cite/{year.pk}/fig-totals-expenditure/").json()["en"]
