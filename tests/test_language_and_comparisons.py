"""Every reader gets findings, refusals, sort labels and admin labels in their own language, no
internal key, and comparisons that say what they compare: the years of each change, one
rounding rule for percentages, the base of each share, and exports that tell "not printed",
"not applicable" and zero apart (ingest.finding_messages, ingest.refusals, budgets.percent,
budgets.missing)."""

import csv
import html
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from budgets.models import BudgetYear, Finding, LineItem, ThreeCosts
from budgets.percent import Percent, percent
from ingest import finding_messages, loader, refusals
from ingest.document import UnreadableDocument
from ingest.models import SourceDocument
from tests.base import make_budget_year, make_county, make_department, sample_bytes

pytestmark = pytest.mark.django_db

LAIYUAN_2016 = "/counties/130630-涞源县/涞源县人民政府办公室/2016/"
GAOYI_2022 = "/counties/130127-高邑县/高邑县人民政府办公室/2022/"
# 涞源县 2016 prints its three public costs as 1135000万元 in the text beside 113.50 in a table.
UNIT_SLIP_EN = (
    "Three public costs: the text says 1135000 万元 (三、三公经费预算支出说明, line 2645), the table "
    "113.50 万元 (部门“三公”及会议培训经费预算, line 1733), a factor of 10000 apart: a unit is wrong"
)
UNIT_SLIP_ZH = (
    "三公经费：说明文字写 1135000万元（三、三公经费预算支出说明，第2645行），表格为 113.50万元"
    "（部门“三公”及会议培训经费预算，第1733行），相差 10000 倍：单位有误"
)


def page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


def text_of(markup: str) -> str:
    """What a person reads of a page: no script, style, tag or attribute."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def body(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


# --- findings -------------------------------------------------------------------------------


def test_a_finding_of_a_chinese_document_reads_in_english_with_its_exact_figures(client, samples):
    finding = Finding.objects.get(rule="unit_mismatch")
    assert finding.message == UNIT_SLIP_ZH  # the JSON's message: the Chinese
    assert finding.params["text"] == {
        "amount": "1135000",
        "unit": "万元",
        "section": "三、三公经费预算支出说明",
        "line": 2645,
    }
    english = page(client, LAIYUAN_2016, "en")
    assert html.escape(UNIT_SLIP_EN) in english
    assert UNIT_SLIP_ZH not in english and "说明文字写" not in english
    chinese = page(client, LAIYUAN_2016, "zh-hans")
    assert UNIT_SLIP_ZH in chinese and UNIT_SLIP_EN not in chinese
    # The home page's headline quotes the first error the same way.
    assert html.escape(UNIT_SLIP_EN) in page(client, "/", "en")


def test_every_check_is_written_from_its_figures_in_both_languages():
    quote = {"amount": "0", "unit": "万元", "section": "部门预算编制说明", "page": 6}
    cases = [
        (
            "change_implies_negative_prior",
            {
                "figure": {"figure": "totals.fund_expenditure", **quote},
                "change": {**quote, "amount": "1421.25"},
                "prior": "-1421.25",
            },
            "Government fund appropriation expenditure 0 万元 (部门预算编制说明, page 6), a rise of 1421.25 "
            "万元 (部门预算编制说明, page 6) on the previous year: the previous year's figure would be "
            "-1421.25 万元, which cannot be below zero",
            "政府性基金拨款支出 0万元（部门预算编制说明，第6页），"
            "比上年增加1421.25万元（部门预算编制说明，第6页）：上年应为 -1421.25万元，不可能为负数",
        ),
        (
            "row_parts_equal_amount",
            {
                "table": "一般公共预算财政拨款支出决算表",
                "row": "212 城乡社区支出",
                "amount": "3832.36",
                "parts": [{"column": "basic", "value": "1572.70"}, {"column": "project", "value": None}],
            },
            "一般公共预算财政拨款支出决算表: the total of 212 城乡社区支出, 3832.36, does not equal "
            "basic expenditure 1572.70 + project expenditure (empty)",
            "一般公共预算财政拨款支出决算表：212 城乡社区支出 的合计 3832.36 "
            "不等于 基本支出 1572.70 + 项目支出 （空）",
        ),
        (
            "income_equals_expenditure",
            {
                "income": {"amount": "120.00", "unit": "万元", "table": "收支总表", "line": 5},
                "expenditure": {"amount": "100,000", "unit": "元"},
                "difference": "20.00",
            },
            "Income total 120.00 万元 (收支总表, line 5) and expenditure total 100,000 yuan "
            "differ by 20.00 万元",
            "收入总计 120.00万元（收支总表，第5行） 与支出总计 100,000元 不等，相差 20.00万元",
        ),
    ]
    for check, params, english, chinese in cases:
        with translation.override("en"):
            assert finding_messages.render(check, params, "stored") == english
        assert finding_messages.message(check, params) == chinese


def test_every_check_and_its_name_have_chinese():
    for check, rule in finding_messages.CHECKS.items():
        with translation.override("en"):
            english = (str(rule.name), str(rule.template))
        with translation.override("zh-hans"):
            chinese = (str(rule.name), str(rule.template))
        assert chinese[0] != english[0] and chinese[1] != english[1], check


def test_a_finding_saved_without_params_shows_its_stored_message(client):
    budget_year = make_budget_year()
    Finding.objects.create(
        budget_year=budget_year, severity="error", rule="unit_mismatch", message="旧的说明"
    )
    url = budget_year.get_absolute_url()
    assert "旧的说明" in page(client, url, "en") and "旧的说明" in page(client, url, "zh-hans")


# --- refusals ---------------------------------------------------------------------------------


def test_a_refusal_is_kept_as_its_code_and_read_in_the_readers_language(client, django_user_model):
    refusal = refusals.refusal("cannot_read", reason=refusals.refusal("not_a_disclosure"))
    document = loader.keep_document(b"story", "story.txt", status=SourceDocument.Status.FAILED)
    SourceDocument.objects.filter(pk=document.pk).update(error=refusals.encode(refusal))
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "pw"))
    preview = reverse("admin:ingest_sourcedocument_preview", args=[document.pk])
    english = (
        "This file cannot be read: this is not a budget disclosure: no budget tables or explanation "
        "sections found"
    )
    assert english in page(client, preview, "en")
    chinese = "无法读取此文件：这不是预算公开文件：未找到预算表格或说明章节"
    assert chinese in page(client, preview, "zh-hans")
    # The command line and the logs keep English; a plain-text error of before reads as it is.
    error = UnreadableDocument("too_many", count="60,001", what={"code": "pages"}, most="1,000")
    assert str(error) == "the file has 60,001 pages; at most 1,000 are accepted"
    with translation.override("zh-hans"):
        assert error.text() == "文件有 60,001 页；最多接受 1,000"
    assert refusals.error_text("Discarded by editor: wrong county") == "Discarded by editor: wrong county"


def test_every_refusal_has_chinese_and_renders_with_its_params():
    for code, template in {**refusals.MESSAGES, **refusals.PIECES}.items():
        params = {name: "X" for name in re.findall(r"%\((\w+)\)s", str(template))}
        with translation.override("en"):
            english = refusals.render({"code": code, "params": params})
        with translation.override("zh-hans"):
            chinese = refusals.render({"code": code, "params": params})
        assert "%(" not in english and chinese != english, code
    for code in refusals.WORDS:
        with translation.override("zh-hans"):
            assert re.search(r"[\u4e00-\u9fff]", refusals.render({"code": code})), code


# --- sort labels and admin labels ---------------------------------------------------------------


def test_sort_labels_are_in_the_readers_language(client, samples):
    english = page(client, reverse("budgets:line-items"), "en")
    assert '<option value="-amount">amount (descending)</option>' in english
    chinese = page(client, reverse("budgets:line-items"), "zh-hans")
    assert '<option value="-amount">金额（降序）</option>' in chinese
    assert '<option value="-county">县（降序）</option>' in page(
        client, reverse("budgets:budget-years"), "zh-hans"
    )
    assert "descending" not in chinese


def test_no_internal_key_is_shown_in_the_upload_preview_or_the_admin(
    client, django_user_model, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "pw"))
    documents = []
    for name in ("gaoyi-2022.txt", "laiyuan-2016.txt"):
        data = sample_bytes(name)
        document = loader.keep_document(data, name)
        loader.record_parse(document, loader.parse_bytes(data, name))
        documents.append(document)
    loader.save_document(documents[1])
    budget_year = BudgetYear.objects.get()
    finding = budget_year.findings.get(rule="unit_mismatch")
    urls = [
        reverse("admin:ingest_sourcedocument_preview", args=[documents[0].pk]),
        reverse("admin:ingest_sourcedocument_preview", args=[documents[1].pk]),
        reverse("admin:ingest_sourcedocument_changelist"),
        reverse("admin:ingest_sourcedocument_change", args=[documents[0].pk]),
        reverse("admin:budgets_finding_changelist"),
        reverse("admin:budgets_finding_change", args=[finding.pk]),
        reverse("admin:budgets_budgetyear_change", args=[budget_year.pk]),
        reverse("admin:index"),
    ]
    identifier = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b(?:totals|three_costs|assets)\.\w+|\bsummary\b")
    for language in ("zh-hans", "en"):
        for url in urls:
            shown = identifier.findall(text_of(page(client, url, language)))
            # English prose says "summary table" of the income and expenditure summary table.
            shown = [word for word in shown if not (language == "en" and word == "summary")]
            assert shown == [], (language, url, shown)
    chinese = text_of(page(client, reverse("admin:ingest_sourcedocument_changelist"), "zh-hans"))
    assert "上传批次" in chinese and "上传者" in chinese
    assert not re.search(r"\b(?:batch|uploaded by|Task Results|access attempts)\b", chinese)
    finding_page = text_of(page(client, urls[5], "zh-hans"))
    assert "说明文字与表格单位一致" in finding_page and "三公经费" in finding_page


# --- comparisons ------------------------------------------------------------------------------


def test_a_percentage_is_rounded_once_half_up_and_printed_with_one_decimal():
    assert percent(Decimal("355"), Decimal("400")) == Decimal("88.8")  # 88.75
    assert str(percent(Decimal("355"), Decimal("400"))) == "88.8"
    assert str(percent(Decimal("66.65"), Decimal("100"))) == "66.7"  # half up, not half even
    assert str(percent(Decimal("-12.25"), Decimal("100"))) == "-12.3"
    assert str(percent(Decimal("1"), Decimal("1"))) == "100.0"
    assert percent(Decimal("1"), Decimal("0")) is None and percent(None, Decimal("1")) is None
    assert isinstance(percent(Decimal("1"), Decimal("3")), Percent)


def test_shares_name_their_base_and_print_at_the_precision_computed(client):
    office = make_department(make_county())
    budget_year = make_budget_year(
        office,
        2022,
        expenditure=Decimal("400.00"),
        basic=Decimal("355.00"),
        project=Decimal("45.00"),
        personnel=Decimal("300.00"),
        public=Decimal("55.00"),
    )
    url = budget_year.get_absolute_url()
    english = page(client, url, "en")
    assert "88.8% of expenditure total" in english  # 355 / 400 = 88.75 %
    assert "11.3% of expenditure total" in english  # 45 / 400 = 11.25 %
    assert "84.5% of basic expenditure" in english  # 300 / 355 = 84.507 %
    assert "88.80" not in english
    chinese = page(client, url, "zh-hans")
    assert "占支出总计 88.8%" in chinese and "占基本支出 84.5%" in chinese
    query = f"?county=id{office.county.pk}&measure=share"
    csv = body(client.get(reverse("budgets:compare") + query + "&format=csv", HTTP_ACCEPT_LANGUAGE="en"))
    csv_lines = csv.splitlines()
    assert "Basic and project,Basic expenditure,88.8,," in csv_lines
    json_rows = json.loads(body(client.get(reverse("budgets:compare") + query + "&format=json")))["rows"]
    basic = next(row for row in json_rows if row["key"] == "basic")
    assert basic[f"{office.county.name} · 人民政府办公室 · 2022"] == "88.8"


def test_each_change_names_the_years_it_compares(client, samples):
    english = page(client, GAOYI_2022, "en")
    assert "Change 2022 vs 2019" in english
    assert "Change on 2021 stated in the document" in english
    chinese = page(client, GAOYI_2022, "zh-hans")
    assert "2022年比2019年增减" in chinese and "文件所述比2021年增减" in chinese


def two_years():
    """甲县人民政府办公室 in 2021 and 2022: overseas trips printed as zero both years, receptions
    zero then 0.50, car purchase not printed, and the document's own change of the three costs."""
    office = make_department(make_county())
    for year, reception, change in ((2021, "0", None), (2022, "0.50", "-0.02")):
        budget_year = make_budget_year(office, year)
        ThreeCosts.objects.filter(budget_year=budget_year).update(
            overseas=Decimal("0"),
            reception=Decimal(reception),
            vehicle_purchase=None,
            total_change=change and Decimal(change),
        )
    return office


def test_not_printed_not_applicable_and_zero_are_distinct_in_csv_and_json(client):
    office = two_years()
    query = f"{reverse('budgets:compare')}?county=id{office.county.pk}&measure=change"
    lines = body(client.get(query + "&format=csv", HTTP_ACCEPT_LANGUAGE="en")).split("\r\n")
    assert lines[0] == (
        "Group,Figure (change on the previous disclosed year),"
        "甲县 · 人民政府办公室 · 2021,甲县 · 人民政府办公室 · 2022,Needs checking,Corrected"
    )
    # No earlier year: n/a; zero on zero: 0.00; not printed either year: empty; a change: n/a.
    assert "Three public costs,Overseas trips,n/a,0.00,," in lines
    assert "Three public costs,Receptions,n/a,0.50,," in lines
    assert "Three public costs,Car purchase,,,," in lines
    assert "Three public costs,Three public costs: change on the year before, as printed,n/a,n/a,," in [
        line.replace('"', "") for line in lines
    ]
    data = body(client.get(query + "&format=json", HTTP_ACCEPT_LANGUAGE="en"))
    assert (
        '{"key": "overseas", "group": "Three public costs", "figure": "Overseas trips", '
        '"甲县 · 人民政府办公室 · 2021": "n/a", "甲县 · 人民政府办公室 · 2022": "0.00", '
        '"needs_checking": [], "corrected": []}'
    ) in data
    assert (
        '{"key": "vehicle_purchase", "group": "Three public costs", "figure": "Car purchase", '
        '"甲县 · 人民政府办公室 · 2021": null, "甲县 · 人民政府办公室 · 2022": null, '
        '"needs_checking": [], "corrected": []}'
    ) in data


def test_the_tidy_comparison_writes_not_printed_not_applicable_unclear_and_zero_apart(client):
    office = two_years()
    LineItem.objects.filter(budget_year__year=2022, code="201").update(uncertain=["amount"])
    query = f"{reverse('budgets:compare')}?county=id{office.county.pk}&measure=change&format=tidy-"
    written = {
        (row[4], row[7]): (row[10], row[11], row[12])
        for row in csv.reader(io.StringIO(body(client.get(query + "csv", HTTP_ACCEPT_LANGUAGE="en"))))
    }
    assert written[("2021", "overseas")] == ("n/a", "", "no earlier year")
    assert written[("2022", "overseas")] == ("0.00", "万元", "")
    assert written[("2022", "reception")] == ("0.50", "万元", "")
    assert written[("2022", "vehicle_purchase")] == ("", "", "not printed")
    assert written[("2022", "three_costs_change")] == ("n/a", "", "itself a change")
    assert written[("2022", "functional_201")] == ("unclear", "", "unclear")
    rows = json.loads(body(client.get(query + "json", HTTP_ACCEPT_LANGUAGE="zh-hans")))["rows"]
    values = {(row["year"], row["figure"]): (row["value"], row["note"]) for row in rows}
    assert values[(2021, "overseas")] == ("n/a", "无更早年度")
    assert values[(2022, "overseas")] == ("0.00", "")
    assert values[(2022, "vehicle_purchase")] == (None, "未公开")
    assert values[(2022, "functional_201")] == ("unclear", "无法确定")


def test_a_row_that_is_itself_a_change_gets_no_percentage_change(client):
    office = two_years()
    query = f"{reverse('budgets:compare')}?county=id{office.county.pk}&measure=change_pct"
    rows = json.loads(body(client.get(query + "&format=json", HTTP_ACCEPT_LANGUAGE="en")))["rows"]
    change = next(row for row in rows if row["key"] == "three_costs_change")
    assert [change["甲县 · 人民政府办公室 · 2021"], change["甲县 · 人民政府办公室 · 2022"]] == ["n/a", "n/a"]
    reception = next(row for row in rows if row["key"] == "reception")
    assert reception["甲县 · 人民政府办公室 · 2022"] == "n/a"  # from zero: no percentage
    total = next(row for row in rows if row["key"] == "three_costs")
    assert total["甲县 · 人民政府办公室 · 2022"] == "0.0"  # 1.50 on 1.50
    assert "itself a change" in page(client, query, "en")
