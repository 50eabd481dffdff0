"""The county, department and budget-year pages, on the sample disclosures and on the small world."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import BudgetYear, LineItem
from budgets.templatetags.budget_format import format_amount, printed_at, signed_wan
from ingest.loader import save_parsed
from tests.base import (
    ROOT,
    SAMPLES,
    make_budget_year,
    make_department,
    make_source_document,
    make_unclear_line_item,
    make_world,
    slug,
)
from tests.test_loader import PARSED

pytestmark = pytest.mark.django_db

GOLD = json.loads((ROOT / "tests" / "data" / "gold_seeds.json").read_text())
GAOYI = ("高邑县", "高邑县人民政府办公室")


def chart_spec(html, chart_id):
    match = re.search(rf'<script id="{chart_id}-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


PLACED = ("county-detail", "department-detail", "budget-year-detail", "budget-year-page", "execution-detail")


def url(name, *args):
    """A page's address, its county named as the tests name it (高邑县) and linked by code and name."""
    if name in PLACED:
        args = (slug(args[0]), *args[1:])
    return reverse(f"budgets:{name}", args=args)


def text(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("416.950000"), "416.95"),
        (Decimal("0.800000"), "0.80"),
        (Decimal("435.353586"), "435.353586"),
        (Decimal("1150.510000"), "1,150.51"),
        (Decimal("100"), "100.00"),
        (Decimal("1234567.5"), "1,234,567.50"),
        (Decimal("-23.960000"), "-23.96"),
        (None, "—"),
    ],
)
def test_amounts_show_two_decimals_at_least_and_printed_ones_kept(value, shown):
    assert format_amount(value) == shown


def test_changes_and_sources_read_plainly():
    assert signed_wan(Decimal("-0.020000")) == "−0.02"
    assert signed_wan(Decimal("583.26")) == "+583.26"
    assert printed_at({"table": "部门收支预算总表", "line": 766}) == "部门收支预算总表，第 766 行"
    assert printed_at({"section": "2、支出说明", "line": 53}) == "2、支出说明，第 53 行"
    assert printed_at({"table": "部门预算收支总表", "line": 67, "page": 3}) == "部门预算收支总表，第 3 页"
    assert printed_at(None) == ""


def test_permalinks_read_as_the_names_printed():
    assert url("budget-year-detail", *GAOYI, 2022) == (
        "/counties/130127-%E9%AB%98%E9%82%91%E5%8E%BF/"
        "%E9%AB%98%E9%82%91%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C%E5%8A%9E%E5%85%AC%E5%AE%A4/2022/"
    )


def test_county_page_lists_departments_with_their_years(client, samples, django_assert_num_queries):
    with django_assert_num_queries(2):
        html = text(client.get(url("county-detail", "高邑县")))
    assert url("department-detail", *GAOYI) in html
    assert url("budget-year-detail", *GAOYI, 2019) in html
    assert url("budget-year-detail", *GAOYI, 2022) in html
    # Totals over the years: 939.16 in 2019, 394.30 in 2022; three costs 0.80 and 1.51.
    for figure in ("939.16", "394.30", "0.40", "1.20", "0.31"):
        assert f'<td class="num">{figure}</td>' in html
    assert 'id="county-totals-data" type="application/json"' in html
    assert "chartjs/chart.umd.min.js" in html


def test_department_page_puts_the_years_side_by_side(client, samples, django_assert_num_queries):
    # The department with its county, its disclosures, its ranking in its prefecture and province.
    with django_assert_num_queries(4):
        html = text(client.get(url("department-detail", *GAOYI)))
    for year in ("2019", "2022"):
        totals = GOLD[f"gaoyi-{year}.txt"]["totals"]
        for key in ("income", "expenditure", "basic", "personnel", "public", "project"):
            assert f'<td class="num">{format_amount(Decimal(totals[key]))}</td>' in html
    assert '<td class="num">416.95</td>' in html  # fixed assets 2019
    assert 'id="department-totals-data"' in html


@pytest.mark.parametrize(
    "name", ["gaoyi-2019.txt", "gaoyi-2022.txt", "laiyuan-2016.txt", "wuji-2018.txt", "pingxiang-2021.txt"]
)
def test_budget_year_page_shows_the_gold_figures(client, samples, django_assert_num_queries, name):
    gold = GOLD[name]
    with django_assert_num_queries(5):
        html = text(client.get(url("budget-year-detail", gold["county"], gold["department"], gold["year"])))
    doubted = BudgetYear.objects.get(department__name=gold["department"], year=gold["year"]).needs_checking
    for block in ("totals", "three_costs"):
        for key, want in gold.get(block, {}).items():
            if want is None or key == "total_change":
                continue
            shown = format_amount(Decimal(want))
            if f"{block}.{key}" in doubted:  # laiyuan 2016's 三公 total: text and table disagree
                assert f'<td class="num value needs-checking"><span class="doubtful">{shown}</span> ' in html
            else:
                assert f'<td class="num value">{shown}</td>' in html, (block, key)
    for item in gold.get("line_items", []):
        assert f'<td class="num">{format_amount(Decimal(item["amount"]))}</td>' in html, item
    for spec in gold.get("indicators", []):
        assert spec["name_contains"] in html


def test_budget_year_page_sets_the_previous_year_beside(client, samples):
    html = text(client.get(url("budget-year-detail", *GAOYI, 2022)))
    assert '<th scope="col" class="num">2019</th>' in html
    assert '<td class="num previous">939.16</td>' in html
    assert "−544.86" in html  # 394.30 − 939.16
    assert "减少583.26万元" in html  # the change the document states, on a year not in the samples
    assert "部门预算收支总表，第 83 行" in html  # where the expenditure total was printed
    # Functional classes by level-1 code, with the chart's data for Chart.js.
    functional = chart_spec(html, "functional")
    assert functional["labels"][:3] == ["201 一般公共服务支出", "208 社会保障和就业支出", "210 卫生健康支出"]
    # The 2019 document prints no functional table the parser reads yet: one series.
    assert [d["label"] for d in functional["datasets"]][0] == "2022"
    assert functional["datasets"][0]["data"][0] == "296.930000"
    assert "部门预算支出总表，第 153 行" in html  # where the 201 row was printed


def test_budget_year_page_shows_findings_plainly(client, samples):
    html = text(client.get(url("budget-year-detail", "涞源县", "涞源县人民政府办公室", 2016)))
    assert "1135000" in html
    assert 'class="finding finding-error"' in html
    assert url("document-download", 3) in html or "/download/" in html


def test_the_assets_rows_carry_the_anchors_their_citations_name(client, samples):
    """The citation of a count (fig-assets-vehicles-count) lands on its row. Given no block, the
    assets table read Django's own `block` variable and wrote the template's innards as ids."""
    page = url("budget-year-detail", "高邑县", "高邑县人民政府办公室", 2022)
    html = text(client.get(page))
    assert '<tr data-key="vehicles_count" id="fig-assets-vehicles-count">' in html
    assert "Block Node" not in html


def test_a_figure_that_needs_checking_is_marked_and_linked_to_its_finding(client, samples):
    page = url("budget-year-detail", "涞源县", "涞源县人民政府办公室", 2016)
    [finding] = [
        f for f in BudgetYear.objects.get(year=2016).findings.all() if "three_costs.total" in f.figures
    ]
    html = text(client.get(page))
    # The text prints the 三公 total as 1135000万元, the table as 113.50: neither is a fact.
    total = html[html.index('<tr data-key="total" id="fig-three-costs-total">') :]
    total = total[: total.index("</tr>")]
    assert (
        '<td class="num value needs-checking"><span class="doubtful">113.50</span> '
        f'<a class="check-mark" href="#three-costs-finding-{finding.pk}"'
    ) in total
    assert ">需核实</a>" in total
    assert f'<li class="finding finding-error" id="three-costs-finding-{finding.pk}">' in html
    assert "1 个数字标为“需核实”" in html
    assert "上表中标为“需核实”的数字存疑" in html  # under the chart, which draws it as printed
    # Figures no finding doubts stay plain.
    assert '<td class="num value">100.00</td>' in html  # receptions

    html = text(client.get(page, HTTP_ACCEPT_LANGUAGE="en"))
    assert ">needs checking</a>" in html
    assert "1 figure below is marked “needs checking”" in html

    # The department's years side by side mark it too.
    html = text(client.get(url("department-detail", "涞源县", "涞源县人民政府办公室")))
    assert '<td class="num needs-checking"><span class="doubtful">113.50</span> ' in html
    assert html.count(">需核实</span>") == 1


def test_a_line_item_field_printed_in_an_unclear_column_reads_unclear(client):
    make_unclear_line_item(make_world()["office_2022"])
    page = url("budget-year-detail", "甲县", "甲县人民政府办公室", 2022)
    html = text(client.get(page))
    row = html[html.index("<td>20103</td>") :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">80.00</td>' in row
    assert row.count(">无法确定</span></td>") == 2
    assert "—" not in row  # unknown is not "not printed"
    assert text(client.get(page, HTTP_ACCEPT_LANGUAGE="en")).count(">unclear</span></td>") == 2


def test_a_final_account_shows_the_budgeted_three_costs_beside_the_spent(client):
    save_parsed(make_source_document(), PARSED)
    html = text(client.get(url("budget-year-page", "甲县", "甲县财政局", 2024, "final-accounts")))
    table = html[html.index('id="three-costs-table"') :]
    table = table[: table.index("</table>")]
    assert '<th scope="col" class="num">预算数</th>' in table
    assert '<td class="num budgeted">2.00</td>' in table
    # The totals that disagree are marked; the finding that says so is beside them.
    assert table.count("需核实") == 0
    totals = html[html.index('id="totals-table"') :]
    assert totals[: totals.index("</table>")].count(">需核实</a>") == 2


def test_original_document_downloads_under_its_name(client, samples):
    budget_year = BudgetYear.objects.get(year=2022)
    response = client.get(url("document-download", budget_year.source_document.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="gaoyi-2022.txt"'
    assert b"".join(response.streaming_content) == (SAMPLES / "gaoyi-2022.txt").read_bytes()


def test_an_unreviewed_upload_is_not_downloadable_by_the_public(client, admin_client, samples):
    from ingest.models import SourceDocument

    document = SourceDocument.objects.get(original_name="wuji-2018.txt")
    document.status = SourceDocument.Status.REVIEW
    document.save()
    assert client.get(url("document-download", document.pk)).status_code == 404
    assert admin_client.get(url("document-download", document.pk)).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        ("county-detail", "没有县"),
        ("department-detail", "高邑县", "没有的部门"),
        ("department-detail", "涞源县", "高邑县人民政府办公室"),
        ("budget-year-detail", *GAOYI, 2020),
        ("document-download", 9999),
    ],
)
def test_unknown_names_and_years_are_404(client, samples, path):
    assert client.get(url(*path)).status_code == 404


def test_query_counts_do_not_grow_with_the_data(client, django_assert_num_queries):
    world = make_world()
    for year in range(2010, 2020):
        make_budget_year(world["office_2022"].department, year)
        make_budget_year(make_department(world["county"], name=f"甲县{year}局"), year)
    args = ("甲县", "甲县人民政府办公室")
    county, department, year = (
        url("county-detail", "甲县"),
        url("department-detail", *args),
        url("budget-year-detail", *args, 2022),
    )
    with django_assert_num_queries(2):
        text(client.get(county))
    with django_assert_num_queries(2):
        text(client.get(department))
    with django_assert_num_queries(5):
        html = text(client.get(year))
    assert '<th scope="col" class="num">2021</th>' in html


def test_pages_speak_english_with_the_cookie(client, samples):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = text(client.get(url("budget-year-detail", *GAOYI, 2022)))
    assert 'lang="en"' in html
    assert "Three public costs" in html
    assert "Download chart as PNG" in html


def test_department_charts_have_every_year_and_gaps_where_none_was_disclosed(client, samples):
    html = text(client.get(url("department-detail", *GAOYI)))
    spec = chart_spec(html, "department-totals")
    # 2019 → 2022 is three steps; 2020 and 2021 are gaps. No two neighbouring years: bars, not dots.
    assert spec["type"] == "bar"
    assert spec["labels"] == ["2019", "2020", "2021", "2022"]
    assert spec["datasets"][0]["data"] == ["939.160000", None, None, "394.300000"]
    three_costs = chart_spec(html, "three-costs")
    assert three_costs["stacked"] is True and three_costs["labels"] == ["2019", "2020", "2021", "2022"]


def test_classification_names_in_english_keep_the_printed_name():
    from django.utils import translation

    from budgets import classification

    assert classification.english_name("functional", "201") == "General public services"
    assert classification.english_name("economic", "30215") == "Meetings"
    # A line printed without a code is named only when its printed name is the reference's own.
    assert classification.english_name("economic", "", "会议费") == "Meetings"
    assert classification.english_name("economic", "", "会议费（含培训）") == ""
    assert classification.english_name("functional", "999") == ""
    with translation.override("en"):
        assert classification.class_label("functional", "201", "一般公共服务支出") == (
            "201 General public services (一般公共服务支出)"
        )
        # The document's own name is kept, even where the reference list names the code otherwise.
        assert classification.class_name("functional", "207", "文化体育与传媒支出") == (
            "Culture, tourism, sports and media (文化体育与传媒支出)"
        )
        assert classification.class_name("functional", "999", "未知支出") == "未知支出"
    with translation.override("zh-hans"):
        assert classification.class_label("functional", "201", "一般公共服务支出") == "201 一般公共服务支出"


def test_budget_year_page_names_codes_in_english(english, samples):
    html = text(english.get(url("budget-year-detail", *GAOYI, 2022)))
    functional = chart_spec(html, "functional")
    assert functional["labels"][:3] == [
        "201 General public services (一般公共服务支出)",
        "208 Social security and employment (社会保障和就业支出)",
        "210 Health (卫生健康支出)",
    ]
    assert '<th scope="row">201 General public services (一般公共服务支出)</th>' in html
    assert chart_spec(html, "economic")["labels"][0] == "301 Wages and benefits (工资福利支出)"


def test_class_name_filter_for_line_items(samples):
    from django.utils import translation

    from budgets.templatetags.budget_format import class_label, class_name

    item = LineItem.objects.get(budget_year__year=2022, kind="functional", code="2010301")
    project = LineItem.objects.filter(kind="project").first()
    with translation.override("en"):
        assert class_name(item) == "General administration (operations) (行政运行)"
        assert class_label(item).startswith("2010301 ")
        assert class_name(project) == project.name
    with translation.override("zh-hans"):
        assert class_name(item) == "行政运行"


def test_no_page_gives_two_elements_one_id(client, samples):
    # A figure's link (#three-costs-reception) and a test's locator both need the id to be unique.
    budget_year = BudgetYear.objects.get(year=2022)
    pages = [by.get_absolute_url() for by in BudgetYear.objects.all()]
    pages += [budget_year.department.get_absolute_url(), budget_year.department.county.get_absolute_url()]
    for page in pages:
        ids = re.findall(r'\sid="([^"]+)"', text(client.get(page, follow=True)))
        assert len(ids) == len(set(ids)), (page, sorted({i for i in ids if ids.count(i) > 1}))
