"""Issue 12, dead ends and double counting: every list row links to its budget year at the
figure's anchor and to the original where it was printed (budgets.links), the anchors exist on
the budget-year page, and line items carry their classification level and whether they are a
leaf (budgets.levels), so that no chart, sum or filter adds a class to its own parts."""

import csv
import importlib
import io
import json
import re
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from django.apps import apps
from django.urls import reverse

from budgets import anchors, levels
from budgets.compare import compare_rows
from budgets.links import as_uri
from budgets.models import BudgetYear, LineItem, PerformanceIndicator, ThreeCosts
from budgets.sources import source_url
from tests.base import make_source_document, make_world

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content)


def rows_of(client, name, query=""):
    response = client.get(reverse(f"budgets:{name}") + f"?format=json{query}")
    assert response.status_code == 200
    return json.loads(body(response))["rows"]


def iri(budget_year, anchor=""):
    """The permalink as the lists write it: budgets.anchors' URL with its Chinese unescaped."""
    return unquote(anchors.permalink(budget_year, anchor))


def original(row):
    """The viewer's link to where a row's figure was printed, as the lists give it: its page and
    line, whichever are known (the viewer opens a PDF at the page, any other format at the line)."""
    return source_url(row.budget_year.source_document_id, page=row.source_page, line=row.source_line)


def amounts(rows):
    return sum((Decimal(row["amount"]) for row in rows), Decimal(0))


# --- every row links to its budget year, at its figure, and to the original ---------------------


def test_each_list_row_links_to_its_budget_year_at_the_figure_and_to_the_original(english, samples):
    items = LineItem.objects.select_related("budget_year__department__county", "budget_year__source_document")
    assert sorted((row["permalink"], row["source_url"]) for row in rows_of(english, "line-items")) == sorted(
        (
            iri(item.budget_year, anchors.line_item_anchor(item.pk)),
            original(item),
        )
        for item in items
    )
    indicators = PerformanceIndicator.objects.select_related(
        "budget_year__department__county", "budget_year__source_document"
    )
    assert sorted((row["permalink"], row["source_url"]) for row in rows_of(english, "indicators")) == sorted(
        (
            iri(indicator.budget_year, anchors.indicator_anchor(indicator.pk)),
            original(indicator),
        )
        for indicator in indicators
    )

    three_costs = {row["permalink"]: row for row in rows_of(english, "three-costs")}
    gaoyi = BudgetYear.objects.get(department__county__code="130127", year=2022)
    row = three_costs[iri(gaoyi, anchors.figure_anchor("three_costs.total"))]
    assert (row["source_table"], row["source_page"], row["source_line"], row["source_url"]) == (
        "部门预算财政拨款“三公”经费支出表",
        None,
        385,
        source_url(gaoyi.source_document_id, line=385),
    )
    assert len(three_costs) == ThreeCosts.objects.count() == 5

    budget_years = {row["permalink"]: row for row in rows_of(english, "budget-years")}
    row = budget_years[iri(gaoyi)]
    assert (row["source_table"], row["source_line"], row["source_url"]) == (
        "部门预算收支总表",
        83,
        source_url(gaoyi.source_document_id, line=83),
    )
    assert set(budget_years) == {iri(b) for b in BudgetYear.objects.all()}
    assert {row["permalink"] for row in rows_of(english, "rankings")} == {
        iri(b) for b in BudgetYear.objects.exclude(department__county__code="130127", year=2019)
    }


def test_a_list_row_links_page_and_line_and_the_viewer_opens_each_format_at_its_own(english, client):
    # pdftotext keeps a PDF's pages in a text, but the viewer shows a text by its lines.
    make_world()
    LineItem.objects.update(source_table="支出总表", source_page=3, source_line=40)
    documents = sorted(BudgetYear.objects.values_list("source_document_id", flat=True))
    links = sorted(row["source_url"] for row in rows_of(english, "line-items"))
    assert links == [f"/documents/{document}/?page=3&line=40" for document in documents]


def test_every_anchor_a_list_links_to_is_on_its_budget_year_page(client, samples):
    linked = {
        row["permalink"]
        for name in ("budget-years", "line-items", "three-costs", "indicators")
        for row in rows_of(client, name)
    }
    pages = {}
    for permalink in linked:
        page, _hash, anchor = as_uri(permalink).partition("#")
        if page not in pages:
            response = client.get(page)
            assert response.status_code == 200, unquote(page)
            pages[page] = response.content.decode()
        if anchor:
            assert f'id="{anchor}"' in pages[page], unquote(permalink)
    assert len(pages) == 5
    # Every budget year, three costs, line item and indicator of the samples: 359 links.
    assert len(linked) == 5 + 5 + LineItem.objects.count() + PerformanceIndicator.objects.count() == 359


def test_the_list_page_links_the_year_with_the_normal_url_and_explains_levels(english, samples):
    item = LineItem.objects.get(budget_year__department__county__code="130630", name="基本工资（银行化）")
    html = english.get(reverse("budgets:line-items") + "?county=130630&q=基本工资").content.decode()
    page = item.budget_year.get_absolute_url() + "#" + anchors.line_item_anchor(item.pk)
    assert html.count(f'<a href="{page}">') == 2  # the year and the permalink column
    assert f'<a href="{page}">2016</a>' in html
    assert f'<a href="/documents/{item.budget_year.source_document_id}/?line=916">Original</a>' in html
    chinese = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    html = english.get(
        reverse("budgets:line-items") + "?county=130127&code=20103", **chinese
    ).content.decode()
    assert "把不同级次的行相加，同一笔钱会被算两三次" in html
    assert '<td class="level">2 · 款</td>' in html
    assert '<input type="checkbox" name="children" value="1" id="id_children">' in html
    laiyuan = english.get(reverse("budgets:line-items") + "?county=130630&q=办公费").content.decode()
    assert '<td class="level">1</td>' in laiyuan  # no code: a depth of its outline, not a 类


def test_a_final_account_of_a_county_without_code_links_to_its_own_page(english):
    world = make_world()  # 甲县 is no listed division: its pages are /counties/id<pk>-甲县/…
    final = BudgetYear.objects.create(
        department=world["office_2022"].department,
        year=2022,
        kind=BudgetYear.Kind.FINAL_ACCOUNTS,
        source_document=make_source_document("甲县-2022-决算.txt"),
        expenditure=Decimal("90.00"),
    )
    county = world["county"].pk
    assert final.get_absolute_url() == (
        f"/counties/id{county}-%E7%94%B2%E5%8E%BF/"
        "%E7%94%B2%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C%E5%8A%9E%E5%85%AC%E5%AE%A4/2022/final-accounts/"
    )
    [row] = rows_of(english, "execution")
    assert row["permalink"] == f"/counties/id{county}-甲县/甲县人民政府办公室/2022/final-accounts/"
    assert english.get(as_uri(row["permalink"])).status_code == 200


# --- the exact bytes of a small list with the new columns --------------------------------------


def _laiyuan_projects_csv(client, **headers):
    url = reverse("budgets:line-items") + "?county=130630&kind=project&code=2010305&format=csv"
    response = client.get(url, **headers)
    assert response.status_code == 200
    return body(response)


def _project_links():
    document = BudgetYear.objects.get(department__county__code="130630").source_document_id
    pks = dict(LineItem.objects.filter(kind="project", code="2010305").values_list("name", "pk"))
    page = "/counties/130630-涞源县/涞源县人民政府办公室/2016/#line-"
    return {
        name: f"/documents/{document}/?line={line},{page}{pks[name]}"
        for name, line in (("办公设备配备", 1285), ("网络信息费", 1298), ("地方志专项", 1545))
    }


def test_line_item_csv_with_levels_and_links_is_exact_bytes_in_english_and_chinese(english, samples):
    link = _project_links()
    assert (
        _laiyuan_projects_csv(english)
        == (
            "\ufeffCounty,Department,Year,Kind,Code,Name,Amount (万元),Basic expenditure (万元),"
            "Project expenditure (万元),Line in the disclosure,Unclear in the document,Disclosure,"
            "Kind of department,Division code,Classification level,Leaf (no row under it),Printed in,"
            "Page in the disclosure,Original at that place,Permalink,Corrected\r\n"
            "涞源县,涞源县人民政府办公室,2016,project,2010305,办公设备配备,1.00,,,1285,,budget,人民政府办公室,"
            f"130630,0,true,部门项目支出预算,,{link['办公设备配备']},false\r\n"
            "涞源县,涞源县人民政府办公室,2016,project,2010305,网络信息费,5.85,,,1298,,budget,人民政府办公室,"
            f"130630,0,true,部门项目支出预算,,{link['网络信息费']},false\r\n"
            "涞源县,涞源县人民政府办公室,2016,project,2010305,地方志专项,19.48,,,1545,,budget,人民政府办公室,"
            f"130630,0,true,部门项目支出预算,,{link['地方志专项']},false\r\n"
        ).encode()
    )
    header = _laiyuan_projects_csv(english, HTTP_ACCEPT_LANGUAGE="zh-hans").decode().splitlines()[0]
    assert header == (
        "\ufeff县,部门,年度,类别,编码,名称,金额（万元）,基本支出（万元）,项目支出（万元）,原文行号,文件中无法确定,"
        "公开类型,部门类别,区划代码,科目级次,末级（其下无明细）,所在表格,原文页码,原文链接（定位到该处）,本站链接,"
        "已更正"
    )


def test_three_costs_csv_names_where_its_total_was_printed(english, samples):
    rows = list(csv.reader(io.StringIO(body(english.get("/three-costs/?county=130630&format=csv")).decode())))
    document = BudgetYear.objects.get(department__county__code="130630").source_document_id
    assert rows[0][-6:] == [
        "Three public costs: printed in",
        "Three public costs: page",
        "Three public costs: line",
        "Three public costs: original",
        "Permalink",
        "Corrected",  # budgets.corrections, appended after
    ]
    assert rows[1][-6:] == [
        "部门“三公”及会议培训经费预算",
        "",
        "1733",
        f"/documents/{document}/?line=1733",
        "/counties/130630-涞源县/涞源县人民政府办公室/2016/#fig-three-costs-total",
        "false",
    ]


# --- levels, leaves, a class with or without its children ---------------------------------------


def test_a_code_is_the_class_alone_and_children_add_the_classes_under_it(english, samples):
    gaoyi = "&county=130127&year_min=2022"
    only = rows_of(english, "line-items", "&code=201" + gaoyi)
    assert [(r["code"], r["level"], r["leaf"], r["amount"]) for r in only] == [("201", 1, False, "296.93")]
    family = rows_of(english, "line-items", "&code=201&children=1" + gaoyi)
    assert [(r["code"], r["level"], r["leaf"]) for r in family] == [
        ("201", 1, False),
        ("20103", 2, False),
        ("2010301", 3, True),
        ("2010302", 3, True),
    ]
    # 201 beside its 款 and 项 is the same money three times; its leaves add up to it once.
    assert amounts(family) == Decimal("890.79")
    assert amounts(r for r in family if r["leaf"]) == Decimal("296.93")
    assert rows_of(english, "line-items", "&code=201&children=0" + gaoyi) == only


def test_one_level_or_the_leaves_add_up_to_the_total_once(english, samples):
    functional = "&county=130127&year_min=2022&kind=functional"
    by_level = {level: rows_of(english, "line-items", f"&level={level}{functional}") for level in (1, 2, 3)}
    assert [r["code"] for r in by_level[1]] == ["201", "208", "210", "211", "221"]
    assert [len(by_level[level]) for level in (1, 2, 3)] == [5, 6, 11]
    leaves = rows_of(english, "line-items", "&leaf=1" + functional)
    assert [r["code"] for r in leaves] == [r["code"] for r in by_level[3]]
    assert amounts(by_level[1]) == amounts(by_level[2]) == Decimal("394.29")
    assert amounts(leaves) == Decimal("394.30")  # the document's own rounding of its 项 (an info finding)
    assert amounts(rows_of(english, "line-items", functional)) == Decimal("1182.88")

    # 涞源县 2016 prints no codes: its levels are the numbering of its 部门基本支出预算.
    economic = "&county=130630&kind=economic"
    top = rows_of(english, "line-items", "&level=1" + economic)
    assert [r["name"] for r in top[:3]] == ["工资福利支出", "对个人和家庭的补助", "办公费"]
    basic = BudgetYear.objects.get(department__county__code="130630").basic
    assert amounts(top) == amounts(rows_of(english, "line-items", "&leaf=1" + economic)) == basic
    assert basic == Decimal("920.40")
    assert amounts(rows_of(english, "line-items", economic)) == Decimal("1548.71")


def test_level_and_leaf_filters_refuse_what_they_do_not_know(english):
    response = english.get(reverse("budgets:line-items") + "?level=4&format=json")
    assert response.status_code == 400
    assert list(json.loads(response.content)["errors"]) == ["level"]
    make_world()
    assert len(rows_of(english, "line-items", "&leaf=0")) == len(rows_of(english, "line-items")) == 3


# --- charts and sums never add a class to its own parts -----------------------------------------


def _chart(html, chart_id):
    spec = re.search(rf'<script id="{chart_id}-data" type="application/json">(.*?)</script>', html, re.S)
    data = json.loads(spec.group(1))
    return data["labels"], [Decimal(value) for value in data["datasets"][0]["data"]]


def test_charts_and_sums_draw_one_level_never_a_class_beside_its_parts(client, samples):
    html = client.get("/counties/130630-涞源县/涞源县人民政府办公室/2016/").content.decode()
    labels, values = _chart(html, "economic")
    assert labels[:2] == ["工资福利支出", "对个人和家庭的补助"]
    assert "基本工资（银行化）" not in labels and "社会保障缴费（单位统交）" not in labels
    assert len(labels) == 14
    assert sum(values) == Decimal("920.40")  # = 基本支出, not the 1548.71 of every row added

    html = client.get("/counties/130127-高邑县/高邑县人民政府办公室/2022/").content.decode()
    labels, values = _chart(html, "functional")
    assert [label.split()[0] for label in labels] == ["201", "208", "210", "211", "221"]
    assert sum(values) == Decimal("394.29")

    comparison = compare_rows(counties=["130127"], years=[2022])
    functional = [key for key in comparison.figures if key.startswith("functional_")]
    assert functional == [
        "functional_201",
        "functional_208",
        "functional_210",
        "functional_211",
        "functional_221",
    ]
    assert sum(comparison.figures[key]["cells"][0].value for key in functional) == Decimal("394.29")


def test_top_prefers_coded_classes_to_an_outline_of_the_same_money():
    def item(code, name, level):
        return SimpleNamespace(code=code, name=name, level=level)

    coded, printed = item("301", "工资福利支出", 1), item("", "工资福利支出", 1)
    assert levels.top([printed, coded, item("30101", "基本工资", 2)]) == [coded]
    assert levels.top([printed, item("", "基本工资", 2)]) == [printed]
    assert levels.top([item("", "其他", 0)]) == []


# --- how levels and leaves are computed ---------------------------------------------------------


def _item(kind, code="", name="", line=None):
    return LineItem(kind=kind, code=code, name=name, source_table="表" if line else "", source_line=line)


def test_codes_give_levels_and_a_skipped_level_still_has_children():
    items = [_item("functional", code) for code in ("201", "2010301", "208", "20805")]
    items.append(_item("project", "2010301", "办公设备"))
    levels.classify(items)
    assert [(i.code, i.level, i.leaf) for i in items] == [
        ("201", 1, False),  # 2010301 is under it though 20103 is not printed
        ("2010301", 3, True),
        ("208", 1, False),
        ("20805", 2, True),
        ("2010301", 0, True),  # a project: level 0, under nothing of its own kind
    ]


def test_an_outline_nests_by_numbering_and_a_total_row_closes_it():
    rows = [
        {"line": 1, "name": "人员经费合计", "total": True},
        {"line": 2, "name": "工资福利支出", "level": 2},
        {"line": 3, "name": "社会保障缴费", "level": 4},
        {"line": 4, "name": "养老保险", "level": 5},
        {"line": 5, "name": "无编号行"},
        {"line": 6, "name": "奖金", "level": 4},
        {"line": 7, "name": "一个没有金额的标题", "level": 2},
        {"line": 8, "name": "离休费", "level": 4},
        {"line": 9, "name": "公用经费合计", "total": True},
        {"line": 10, "name": "办公费", "level": 5},
    ]
    names = {row["line"]: row["name"] for row in rows}
    items = [_item("economic", name=names[line], line=line) for line in (2, 3, 4, 5, 6, 8, 10)]
    items.append(_item("economic", name="别处印的", line=99))
    levels.classify(items, [{"title": "表", "rows": rows}])
    assert [(i.name, i.level, i.leaf) for i in items] == [
        ("工资福利支出", 1, False),
        ("社会保障缴费", 2, False),
        ("养老保险", 3, False),
        ("无编号行", 4, True),  # under the row above it, heading nothing
        ("奖金", 2, True),
        ("离休费", 1, True),  # its heading printed no amount: not a level of its own
        ("办公费", 1, True),  # the 合计 row closed the rows above it
        ("别处印的", 0, True),  # its row was not found: its place is not known
    ]


def test_the_loader_saves_level_and_leaf_and_the_migration_gives_rows_saved_before_the_same(samples):
    gaoyi = LineItem.objects.filter(budget_year__department__county__code="130127", kind="economic")
    assert list(gaoyi.filter(leaf=False).values_list("code", flat=True)) == ["301", "302", "303"]
    assert gaoyi.filter(level=2).count() == 20
    laiyuan = LineItem.objects.filter(budget_year__department__county__code="130630")
    assert list(laiyuan.filter(kind="economic", level=1).values_list("name", "leaf"))[:3] == [
        ("工资福利支出", False),
        ("对个人和家庭的补助", False),
        ("办公费", True),
    ]
    assert set(laiyuan.filter(kind="project").values_list("level", "leaf")) == {(0, True)}
    saved = list(LineItem.objects.order_by("pk").values_list("pk", "level", "leaf"))

    LineItem.objects.update(level=9, leaf=False)
    migration = importlib.import_module("budgets.migrations.0007_lists_levels_sources")
    migration.classify_saved_items(apps, None)
    assert list(LineItem.objects.order_by("pk").values_list("pk", "level", "leaf")) == saved


# --- in the browser: a list row to its figure, marked on its page -------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_list_row_opens_its_figure_marked_on_the_budget_year_page(live_server, browser, samples):
    item = LineItem.objects.get(budget_year__department__county__code="130630", name="基本工资（银行化）")
    marked = "rgb(255, 243, 191)"  # tr:target in static/css/site.css
    for language, width in (("zh-hans", 1280), ("en", 390)):
        context = browser.new_context(viewport={"width": width, "height": 800})
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page = context.new_page()
        page.goto(live_server.url + "/line-items/?county=130630&kind=economic&leaf=1")
        page.locator("table.list tbody tr", has_text="基本工资").get_by_role("link", name="2016").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/2016/#line-{item.pk}")
        row = page.locator(f"#line-{item.pk}")
        assert row.is_visible()  # its table, folded in a <details>, opened for it
        assert row.locator("th").evaluate("cell => getComputedStyle(cell).backgroundColor") == marked
        assert (
            page.locator("#economic-items tr:not(:target) th").first.evaluate(
                "cell => getComputedStyle(cell).backgroundColor"
            )
            != marked
        )

        page.goto(live_server.url + "/three-costs/?county=130127")
        page.locator("table.list tbody tr").first.get_by_role("link", name="2022").click()
        page.wait_for_load_state()
        total = page.locator("#fig-three-costs-total")
        assert total.is_visible()
        assert total.locator("td.value").inner_text() == "1.51"
        assert total.locator("td.value").evaluate("cell => getComputedStyle(cell).backgroundColor") == marked
        context.close()
