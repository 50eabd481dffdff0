"""Charts for articles (budgets/charts.py, svg.py), their embeds (budgets/embeds.py) and the
citations of figures (budgets/citations.py), on the sample disclosures and the small world."""

import datetime
import json
from decimal import Decimal
from urllib.parse import quote, unquote

import pytest
from django.urls import reverse

from budgets import charts, svg
from budgets.models import BudgetYear, LineItem
from tests.base import make_budget_year, make_source_document, make_world

pytestmark = pytest.mark.django_db

GAOYI = "counties/130127-高邑县/高邑县人民政府办公室/"
FOUR = "county=130532&county=130130&county=130630&county=130127&department=人民政府办公室"


def embed(chart, page, query=""):
    return f"/embed/{chart}/{quote(page)}" + (f"?{query}" if query else "")


def test_file_names_are_made_of_the_content():
    assert charts.chart_filename(["高邑县", "人民政府办公室", "“三公”经费"], [2022, 2019]) == (
        "高邑县-人民政府办公室-三公经费-2019-2022"
    )
    assert charts.chart_filename(["高邑县", "Three public costs"], [2022]) == "高邑县-Three-public-costs-2022"
    # Nothing a file system refuses; no empty parts.
    assert charts.chart_filename(['a/b: "c"?', "", "d*|e"], [2016, 2018, 2022]) == "a-b-c-d-e-2016-2022"


def test_a_line_needs_two_neighbouring_years():
    assert charts.line_or_bars([("a", [1, None, 2]), ("b", [None, 3, None])]) == "bar"
    assert charts.line_or_bars([("a", [1, None, 2]), ("b", [None, 3, 4])]) == "line"


def test_only_the_embed_may_be_framed_and_by_any_site(client, samples):
    embedded = client.get(embed("three-costs", GAOYI))
    assert embedded.status_code == 200
    assert "X-Frame-Options" not in embedded
    assert "frame-ancestors *" in embedded["Content-Security-Policy"]
    for page in (
        f"/{quote(GAOYI)}",
        f"/{quote(GAOYI)}2022/",
        f"/compare/?{FOUR}",
        f"/svg/three-costs/{quote(GAOYI)}",
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert response["X-Frame-Options"] == "DENY", page
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], page


@pytest.mark.parametrize(
    "address",
    [
        embed("no-such-chart", GAOYI),
        embed("functional", GAOYI),  # the department page has no functional chart; its years do
        embed("three-costs", "places/"),  # a page without charts
        embed("three-costs", "no/such/page/"),
        embed("three-costs", "counties/高邑县/"),  # a name-only link redirects on the site; not here
        embed("three-costs", GAOYI + "2021/"),  # a year not disclosed
        embed("compare", "compare/", "year=1999"),  # a comparison of nothing
        "/svg/no-such-chart/" + quote(GAOYI),
    ],
)
def test_embed_of_an_unknown_chart_is_404(client, samples, address):
    assert client.get(address).status_code == 404


def test_embed_draws_the_chart_alone_in_the_language_asked_with_a_link_back(client, samples):
    html = client.get(embed("three-costs", GAOYI, "lang=en")).content.decode()
    assert '<html lang="en">' in html
    assert "高邑县人民政府办公室: Three public costs, 2019, 2022" in html
    assert "Source: 高邑县人民政府办公室 departmental budget 2019, 2022" in html
    back = f'href="http://testserver/{quote(GAOYI)}#three-costs-chart" target="_blank"'
    assert back in html
    assert "site-header" not in html and "embed-code" not in html  # the chart alone
    assert 'id="three-costs-data"' in html and "js/charts.js" in html


def test_a_chart_of_a_page_offers_png_svg_and_its_embed_code(client, samples):
    html = client.get(f"/{quote(GAOYI)}").content.decode()
    assert 'download="高邑县-人民政府办公室-三公经费-2019-2022.svg"' in html
    assert f'href="/svg/three-costs/{quote(GAOYI)}"' in html
    snippet = (
        f"&lt;iframe src=&quot;http://testserver/embed/three-costs/{quote(GAOYI)}?lang=zh-hans&quot; "
        "title=&quot;高邑县人民政府办公室：“三公”经费（2019、2022年）&quot; "
        "width=&quot;100%&quot; height=&quot;510&quot; style=&quot;border:0&quot; "
        "loading=&quot;lazy&quot;&gt;&lt;/iframe&gt;"
    )
    assert snippet in html
    compare = client.get(f"/compare/?{FOUR}").content.decode()
    assert 'id="compare-chart"' in compare and "data-download>" in compare
    query = FOUR.replace("人民政府办公室", quote("人民政府办公室")).replace("&", "&amp;")
    assert f'href="/svg/compare/compare/?{query}"' in compare


def test_svg_of_the_comparison_has_its_title_source_figures_and_gaps(client, samples):
    response = client.get(f"/svg/compare/compare/?{FOUR}")
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''" + quote(
        "平乡县-无极县-涞源县-高邑县-人民政府办公室-支出总计-2016-2022.svg"
    )
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    assert ">平乡县、无极县、涞源县、高邑县 人民政府办公室：支出总计（2016—2022年）</text>" in body
    assert ">单位：万元</text>" in body
    assert "来源：平乡县人民政府办公室部门预算（2021年）；无极县人民政府办公室部门预算（2018年）；" in body
    assert ">县级部门预算 · testserver</text>" in body
    # One bar per disclosed year, the exact printed figure on each; the years between are gaps.
    bars = [part for part in body.split("<rect ") if "<title>" in part]
    assert [bar.split("<title>")[1].split("</title>")[0] for bar in bars] == [
        "涞源县 · 人民政府办公室 · 2016: 1,150.51 万元",
        "无极县 · 人民政府办公室 · 2018: 647.32 万元",
        "高邑县 · 人民政府办公室 · 2019: 939.16 万元",
        "平乡县 · 人民政府办公室 · 2021: 1,384.07 万元",
        "高邑县 · 人民政府办公室 · 2022: 394.30 万元",
    ]


def test_lines_break_where_a_year_was_not_disclosed(client):
    world = make_world()
    office = world["office_2022"].department
    make_budget_year(office, 2024, expenditure=Decimal("80.25"))
    page = unquote(office.get_absolute_url()).lstrip("/")
    [chart] = [
        c
        for c in charts.department_charts(office, list(office.budget_years.order_by("year")))
        if c.id == "department-totals"
    ]
    assert chart.kind == "line" and chart.labels == [2021, 2022, 2023, 2024]
    body = client.get(f"/svg/department-totals/{quote(page)}").content.decode()
    expenditure = body.split('stroke="#b3261e"')  # the first series' colour
    # 2021–2022 is one line; 2024 stands alone after the gap of 2023: a point, no line to it.
    assert body.count('<polyline points="') == 1
    assert len(expenditure) == 2
    assert body.count("<circle ") == 3
    assert "支出 · 2024: 80.25 万元" in body


def test_charts_across_years_add_up_budgets_only():
    world = make_world()
    office = world["office_2022"].department
    BudgetYear.objects.create(
        department=office,
        year=2022,
        kind=BudgetYear.Kind.FINAL_ACCOUNTS,
        source_document=make_source_document("甲县人民政府办公室-2022-决算.txt"),
        expenditure=Decimal("90.00"),
    )
    every = list(BudgetYear.objects.select_related("department__county"))
    totals = charts.county_charts(world["county"], every)[0]
    assert totals.series == [("支出", [Decimal("100.00"), Decimal("350.50")])]  # 2022: 100.00 + 250.50
    assert totals.source == "来源：甲县人民政府办公室部门预算（2021、2022年）；甲县财政局部门预算（2022年）"
    office_totals = charts.department_charts(office, [b for b in every if b.department == office])[0]
    assert office_totals.series[0] == ("支出", [Decimal("100.00"), Decimal("100.00")])


def test_svg_text_is_escaped_and_wrapped():
    chart = charts.Chart(
        id="x",
        title="A & <B> " + "很长的标题" * 30,
        labels=["a"],
        series=[("s", [Decimal("1")])],
        source="Source: <script>",
    )
    body = svg.render(chart)
    assert "<script>" not in body and "Source: &lt;script&gt;" in body
    assert body.count('font-size="22"') == 4  # the heading wraps onto four lines of 912 px


def frozen_date(monkeypatch):
    monkeypatch.setattr("budgets.citations.timezone.localdate", lambda: datetime.date(2025, 5, 3))


def test_a_figure_is_cited_in_chinese_and_english(client, samples, monkeypatch):
    frozen_date(monkeypatch)
    budget_year = BudgetYear.objects.get(department__name="高邑县人民政府办公室", year=2022)
    found = json.loads(
        client.get(reverse("budgets:cite", args=[budget_year.pk, "fig-totals-expenditure"])).content
    )
    link = "http://testserver/counties/130127-高邑县/高邑县人民政府办公室/2022/#fig-totals-expenditure"
    assert found == {
        "permalink": link,
        "zh": "高邑县人民政府办公室2022年部门预算，支出总计：394.30万元。"
        f"出处：gaoyi-2022.txt，部门预算收支总表，第 83 行。{link}（2025年5月3日访问）。",
        "en": "高邑县人民政府办公室, departmental budget 2022: Expenditure total 394.30 (10,000 yuan). "
        f"Printed in gaoyi-2022.txt, 部门预算收支总表, line 83. {link} (retrieved 3 May 2025).",
    }


def test_a_doubtful_figure_is_cited_with_its_doubt_and_a_line_item_by_its_class(client, samples, monkeypatch):
    frozen_date(monkeypatch)
    laiyuan = BudgetYear.objects.get(department__name="涞源县人民政府办公室", year=2016)
    found = json.loads(
        client.get(reverse("budgets:cite", args=[laiyuan.pk, "fig-three-costs-total"])).content
    )
    assert "“三公”经费：113.50万元。" in found["zh"]
    assert found["zh"].endswith("此数字需核实：对文件自身数字的核对与之矛盾。")
    assert found["en"].endswith(
        "This figure needs checking: a check of the document's own figures contradicts it."
    )

    gaoyi = BudgetYear.objects.get(department__name="高邑县人民政府办公室", year=2022)
    item = gaoyi.line_items.get(kind=LineItem.Kind.FUNCTIONAL, code="201")
    found = json.loads(client.get(reverse("budgets:cite", args=[gaoyi.pk, f"line-{item.pk}"])).content)
    assert "201 一般公共服务支出：296.93万元。" in found["zh"]
    assert "201 General public services (一般公共服务支出) 296.93 (10,000 yuan)." in found["en"]
    assert found["permalink"].endswith(f"/2022/#line-{item.pk}")

    assert client.get(reverse("budgets:cite", args=[gaoyi.pk, "fig-totals-nothing"])).status_code == 404
    other = laiyuan.line_items.first()  # a line of another disclosure is not a figure of this one
    assert client.get(reverse("budgets:cite", args=[gaoyi.pk, f"line-{other.pk}"])).status_code == 404


def test_an_indicator_and_a_count_are_cited_as_printed(client, samples):
    gaoyi = BudgetYear.objects.get(department__name="高邑县人民政府办公室", year=2022)
    indicator = gaoyi.indicators.order_by("position").first()
    found = json.loads(
        client.get(reverse("budgets:cite", args=[gaoyi.pk, f"indicator-{indicator.pk}"])).content
    )
    assert (
        f"，“{indicator.group}”绩效指标“{indicator.name}”的指标值：{indicator.target}。出处：" in found["zh"]
    )
    found = json.loads(
        client.get(reverse("budgets:cite", args=[gaoyi.pk, "fig-assets-vehicles-count"])).content
    )
    assert "2022年部门预算，车辆数：8。出处：" in found["zh"]
    assert ": Vehicles 8. Printed in gaoyi-2022.txt" in found["en"]
