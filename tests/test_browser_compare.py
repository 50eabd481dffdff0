"""The comparison page in Debian's chromium: build it, send its link, download its CSV."""

import csv
import io

import pytest

from tests.base import ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = ROOT / "test-artifacts"


def _table(page):
    return page.locator("#compare-table").inner_text()


def test_a_comparison_of_the_four_counties_survives_its_link_and_downloads(
    live_server, page, browser, samples, tmp_path
):
    page.goto(f"{live_server.url}/compare/")
    # By name, by the start of one and by code, however separated.
    page.get_by_label("添加县").fill("平乡县 无极、涞源县,130127")
    page.locator("#id_department").select_option("人民政府办公室")
    page.locator("#compare-form button[type=submit]").click()
    page.wait_for_load_state()

    headers = page.locator("#compare-table thead th .county").all_inner_texts()
    assert headers == ["平乡县", "无极县", "涞源县", "高邑县", "高邑县"]
    assert page.locator('#compare-table tr[data-key="expenditure"] td').all_inner_texts() == [
        "1,384.07",
        "647.32",
        "1,150.51",
        "939.16",
        "394.30",
    ]
    # 无极县 2018 prints no 基本支出: said plainly, never 0
    assert page.locator('#compare-table tr[data-key="basic"] td').nth(1).inner_text() == "未公开"
    page.wait_for_function("document.getElementById('compare-canvas').width > 0")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "compare-four-counties.png", full_page=True)

    url, table = page.url, _table(page)
    # The state is in the address, each county by its code.
    assert "county=130532&county=130130&county=130630&county=130127&" in url
    assert page.locator("#id_county input:checked").count() == 4
    fresh = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        again = fresh.new_page()
        again.goto(url)
        assert _table(again) == table
        again.get_by_label("高邑县 (河北省 石家庄市)").uncheck()
        again.locator("#compare-form button[type=submit]").click()
        again.wait_for_load_state()
        assert again.locator("#compare-table thead th .county").all_inner_texts() == [
            "平乡县",
            "无极县",
            "涞源县",
        ]
    finally:
        fresh.close()

    with page.expect_download() as download_info:
        page.locator("#compare-csv").click()
    download = download_info.value
    assert download.suggested_filename == "compare-amount.csv"
    saved = tmp_path / "compare.csv"
    download.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][2:] == [
        "平乡县 · 人民政府办公室 · 2021",
        "无极县 · 人民政府办公室 · 2018",
        "涞源县 · 人民政府办公室 · 2016",
        "高邑县 · 人民政府办公室 · 2019",
        "高邑县 · 人民政府办公室 · 2022",
        "需核实",
        "已更正",
    ]
    assert rows[2][2:] == ["1384.07", "647.32", "1150.51", "939.16", "394.30", "", ""]
    assert page.console_errors == []


def test_one_year_draws_grouped_bars_and_a_list_exports_its_csv(live_server, page, samples):
    page.goto(f"{live_server.url}/compare/?year=2019&measure=share")
    page.wait_for_function("document.getElementById('compare-canvas').width > 0")
    assert page.evaluate("Chart.getChart('compare-canvas').config.type") == "bar"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "compare-2019-share.png", full_page=True)

    page.goto(f"{live_server.url}/line-items/?county=涞源县&kind=project")
    assert page.locator("#result-count").inner_text().startswith("14 ")
    page.screenshot(path=SCREENSHOTS / "line-items-laiyuan-projects.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 CSV（全部页）").click()
    assert download_info.value.suggested_filename == "line-items-涞源县.csv"
    assert page.console_errors == []
