"""County, department and budget-year pages in Debian's chromium, on the sample disclosures:
figures against the hand-read gold, every chart drawn, no console errors, in Chinese and English."""

import json
from decimal import Decimal
from urllib.parse import quote

import pytest

from budgets.models import BudgetYear
from budgets.templatetags.budget_format import format_amount
from tests.base import ROOT, SAMPLE_SLUGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = ROOT / "test-artifacts"
GOLD = json.loads((ROOT / "tests" / "data" / "gold_seeds.json").read_text())

# How many pixels of a canvas are not white: Chart.js paints the background white (charts.js),
# so a drawn chart has bars, lines, axes and labels in colour.
INKED_PIXELS = """canvas => {
  const chart = Chart.getChart(canvas);
  if (!chart) return -1;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) inked++;
  }
  return inked;
}"""


def path(county, *parts):
    """A page's address, the county by code and name (130127-高邑县)."""
    return "/counties/" + "".join(f"{quote(str(part))}/" for part in (SAMPLE_SLUGS[county], *parts))


def assert_charts_drawn(page, expected):
    canvases = page.locator("figure.chart canvas")
    assert canvases.count() == expected
    for index in range(expected):
        canvas = canvases.nth(index)
        canvas.scroll_into_view_if_needed()
        assert canvas.evaluate(INKED_PIXELS) > 1000, canvas.get_attribute("id")


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def switch_to_english(page):
    # The button is labelled in the current language ("英语" once translated): find it by its value.
    page.locator(".language-switch button[value='en']").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def figure(page, table, key):
    return page.locator(f"#{table} tr[data-key='{key}'] td.value").inner_text()


def test_county_page_links_departments_and_draws_its_charts(live_server, page, samples):
    page.goto(live_server.url)
    page.get_by_role("link", name="高邑县", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "高邑县"
    assert page.locator("#departments a.year").all_inner_texts() == ["2019", "2022"]
    totals = page.locator("#county-totals-figures tbody td").all_inner_texts()
    assert totals == ["939.16", "—", "—", "394.30"]  # 2020 and 2021: nothing disclosed
    assert_charts_drawn(page, 2)
    screenshot(page, "county-zh")

    switch_to_english(page)
    assert (
        page.locator("#departments-heading").inner_text() == "Departments and the years they have published"
    )
    assert_charts_drawn(page, 2)
    screenshot(page, "county-en")
    assert page.console_errors == []


def test_department_page_shows_all_years_and_line_charts(live_server, page, samples):
    page.goto(live_server.url + path("高邑县"))
    page.get_by_role("link", name="高邑县人民政府办公室", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("#years thead th").all_inner_texts()[1:] == ["2019", "2022"]
    cells = page.locator("#years tbody tr").first.locator("td").all_inner_texts()
    assert cells == ["939.16", "394.30"]
    assert_charts_drawn(page, 2)
    screenshot(page, "department-zh")
    switch_to_english(page)
    assert page.locator("#years-heading").inner_text().startswith("All years side by side")
    screenshot(page, "department-en")
    assert page.console_errors == []


@pytest.mark.parametrize("name", ["gaoyi-2022.txt", "laiyuan-2016.txt", "wuji-2018.txt"])
def test_budget_year_page_shows_the_gold_figures_and_charts(live_server, page, samples, name):
    gold = GOLD[name]
    page.goto(live_server.url + path(gold["county"], gold["department"], gold["year"]))
    for key, want in gold["totals"].items():
        assert figure(page, "totals-table", key) == format_amount(Decimal(want) if want else None), key
    budget_year = BudgetYear.objects.get(department__name=gold["department"], year=gold["year"])
    doubted = budget_year.doubts("three_costs")
    for key, want in gold["three_costs"].items():
        if key != "total_change":
            mark = " 需核实" if key in doubted else ""  # laiyuan 2016's total: text and table disagree
            assert figure(page, "three-costs-table", key) == format_amount(Decimal(want)) + mark, key
    for key in ("fixed_assets_total", "vehicles_value"):
        want = gold.get("assets", {}).get(key)
        if want:
            assert figure(page, "assets-table", key) == format_amount(Decimal(want)), key
    expected_charts = 1 + page.locator("#functional, #economic").count()
    assert_charts_drawn(page, expected_charts)
    screenshot(page, f"budget-year-{name.removesuffix('.txt')}-zh")
    assert page.console_errors == []


def test_budget_year_page_sets_2019_beside_2022_and_reads_in_english(live_server, page, samples):
    page.goto(live_server.url + path("高邑县", "高邑县人民政府办公室", 2022))
    row = page.locator("#totals-table tr[data-key='expenditure'] td").all_inner_texts()
    assert row[:4] == ["394.30", "", "939.16", "−544.86"]
    basic = page.locator("#totals-table tr[data-key='basic'] td").all_inner_texts()
    assert basic[:4] == ["336.30", "占支出总计 85.3%", "407.16", "−70.86"]  # a share names its base
    assert "部门预算收支总表，第 83 行" in row[-1]
    functional = page.locator("#functional-figures tbody th").all_inner_texts()
    assert functional[0] == "201 一般公共服务支出"
    assert page.locator(".finding").count() >= 12

    with page.expect_download() as download:
        page.locator("#functional [data-download]").focus()
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "高邑县-人民政府办公室-按功能分类的支出-2022.png"

    with page.expect_download() as download:
        page.get_by_role("link", name="下载原件").click()
    assert download.value.suggested_filename == "gaoyi-2022.txt"

    switch_to_english(page)
    assert page.locator("#three-costs-heading").inner_text().startswith("Three public costs")
    basic = page.locator("#totals-table tr[data-key='basic'] td").all_inner_texts()
    assert basic[1] == "85.3% of expenditure total"
    headers = page.locator("#totals-table thead th").all_inner_texts()
    assert "Change 2022 vs 2019" in headers and "Change on 2021 stated in the document" in headers
    assert page.get_by_role("button", name="Download chart as PNG").count() == 3
    assert_charts_drawn(page, 3)
    screenshot(page, "budget-year-gaoyi-2022-en")
    assert page.console_errors == []


def test_budget_year_page_on_a_phone(live_server, browser, samples):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + path("涞源县", "涞源县人民政府办公室", 2016))
    # Nothing wider than the screen but the tables' own scrolling boxes.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "1135000" in page.locator("#findings li.finding-error").inner_text()
    assert "1135000" in page.locator("#three-costs-section li.finding-error").inner_text()
    assert_charts_drawn(page, 2)
    screenshot(page, "budget-year-laiyuan-2016-phone")
    context.close()
    assert errors == []


def tab_to(page, selector, presses=40):
    """Press Tab until the focused element matches the selector, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never took the focus")


def test_search_from_the_home_page_with_the_keyboard(live_server, page, samples):
    page.goto(live_server.url)
    tab_to(page, "form.search input[name=q]")
    page.keyboard.type("政务服务")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(live_server.url + "/search/?q=")
    assert page.locator("h1").inner_text() == "“政务服务”的搜索结果"
    assert page.locator("form.search input[name=q]").input_value() == "政务服务"
    groups = page.locator("#indicators .indicator-results > li > a").all_inner_texts()
    assert groups == ["政务服务", "政务服务与政务管理"]  # 高邑县 (130127) first, in the national list's order
    assert page.locator("mark").first.inner_text() == "政务服务"
    screenshot(page, "search-zh")

    # On to the first indicator of the first hit, still with the keyboard.
    tab_to(page, "#indicators .indicator-results > li > a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(live_server.url + path("高邑县", "高邑县人民政府办公室", 2022) + "#indicator-")
    assert page.locator(":target").is_visible()
    assert page.console_errors == []


def test_search_says_when_nothing_matches(live_server, page, samples):
    page.goto(live_server.url)
    page.locator("form.search input[name=q]").fill("没有这样的名字")
    with page.expect_navigation():
        page.locator("form.search input[name=q]").press("Enter")
    assert "没有这样的名字" in page.locator(".empty").inner_text()
    assert page.locator("section.results").count() == 0


def test_home_headlines_invite_a_click(live_server, page, samples):
    page.goto(live_server.url)
    headlines = page.locator("ul.headlines > li")
    assert headlines.count() == 3
    three_costs = page.locator("li[data-kind='three_costs']")
    assert "113.50 万元" in three_costs.inner_text()
    assert "文件中发现的错误使这个数字存疑" in three_costs.inner_text()  # its text says 1135000万元
    change = page.locator("li[data-kind='change']").inner_text()
    for shown in ("394.30 万元", "544.86 万元", "939.16 万元", "58.0%"):
        assert shown in change
    assert "1135000" in page.locator("li[data-kind='errors']").inner_text()
    screenshot(page, "home-headlines-zh")

    with page.expect_navigation():
        three_costs.get_by_role("link").click()
    assert page.url == live_server.url + path("涞源县", "涞源县人民政府办公室", 2016) + "#three-costs-section"
    assert figure(page, "three-costs-table", "total") == "113.50 需核实"

    page.go_back()
    switch_to_english(page)
    assert page.locator("#headlines-heading").inner_text() == "In the figures"
    change = page.locator("li[data-kind='change']")
    assert change.locator(".headline-kind").text_content() == "Biggest change in expenditure"
    assert "544.86 万元 (58.0%) less than the 939.16 万元 of 2019" in change.inner_text()
    screenshot(page, "home-headlines-en")
    assert page.console_errors == []


def test_department_chart_counts_the_years_between(live_server, page, samples):
    page.goto(live_server.url + path("高邑县", "高邑县人民政府办公室"))
    canvas = page.locator("#department-totals-canvas")
    canvas.scroll_into_view_if_needed()
    axis = canvas.evaluate(
        "canvas => { const chart = Chart.getChart(canvas);"
        " return {labels: chart.scales.x.ticks.map(t => t.label), data: chart.data.datasets[0].data}; }"
    )
    # 2020 and 2021 were not disclosed: gaps, never a line or a bar through them.
    assert axis == {"labels": ["2019", "2020", "2021", "2022"], "data": [939.16, None, None, 394.3]}
    assert page.console_errors == []
