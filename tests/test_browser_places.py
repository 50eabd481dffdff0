"""Browsing in Debian's chromium: province → prefecture → county → department → year, and a
department's budget against its final accounts, in Chinese and English, on a desktop and a
390 px phone. Screenshots go to test-artifacts/ (and SCREENSHOT_DIR where set)."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.base import ROOT
from tests.disclosures import budget_text, final_text, ingest_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "test-artifacts")
VIEWS = [
    pytest.param("zh-hans", 1280, id="zh-desktop"),
    pytest.param("en", 1280, id="en-desktop"),
    pytest.param("zh-hans", 390, id="zh-phone"),
    pytest.param("en", 390, id="en-phone"),
]


@pytest.fixture
def country(samples):
    """The national list, the samples, and 舟山市普陀区财政局's 2023 budget and final accounts."""
    call_command("load_divisions", stdout=io.StringIO())
    ingest_text(budget_text(), "zhoushan-budget-2023.txt")
    ingest_text(final_text(), "zhoushan-final-2023.txt")


def open_page(browser, live_server, language, width):
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": width, "height": 900 if width > 400 else 844},
        is_mobile=width < 400,
    )
    if language == "en":
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.errors = errors
    return context, page


def follow(page, name):
    page.get_by_role("link", name=name, exact=True).first.click()
    page.wait_for_load_state()


def fits(page, width):
    # Nothing wider than the screen but the tables' own scrolling boxes.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_province_prefecture_county_department_year(live_server, browser, country, language, width):
    context, page = open_page(browser, live_server, language, width)
    tag = f"{'zh' if language == 'zh-hans' else 'en'}-{width}"
    page.goto(live_server.url + "/places/")
    assert page.locator("html").get_attribute("lang") == language
    fits(page, width)
    shot(page, f"places-{tag}")
    follow(page, "河北省")
    assert page.locator("h1").inner_text() == "河北省"
    fits(page, width)
    shot(page, f"province-{tag}")
    follow(page, "石家庄市")
    assert page.locator("h1").inner_text() == "石家庄市"
    row = page.locator("#counties tr", has_text="高邑县")
    assert row.locator("td").all_inner_texts()[:4] == ["130127", "1", "2019, 2022", "—"]
    fits(page, width)
    shot(page, f"prefecture-{tag}")
    follow(page, "高邑县")
    assert page.url.endswith("/counties/130127-%E9%AB%98%E9%82%91%E5%8E%BF/")
    assert "130127" in page.locator(".lead").inner_text()
    fits(page, width)
    follow(page, "高邑县人民政府办公室")
    assert page.locator("h1").inner_text() == "高邑县人民政府办公室"
    ranking = page.locator("#rankings li").first.inner_text()
    assert ("highest" in ranking) == (language == "en") and "石家庄市" in ranking
    fits(page, width)
    shot(page, f"department-{tag}")
    follow(page, "2022")
    assert "2022" in page.locator("h1").inner_text()
    crumbs = page.locator("nav.crumbs").inner_text()
    for place in ("河北省", "石家庄市", "高邑县"):
        assert place in crumbs
    fits(page, width)
    assert page.errors == []
    context.close()


@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_budget_against_actual(live_server, browser, country, language, width):
    context, page = open_page(browser, live_server, language, width)
    tag = f"{'zh' if language == 'zh-hans' else 'en'}-{width}"
    page.goto(live_server.url + "/places/")
    follow(page, "浙江省")
    follow(page, "舟山市")
    follow(page, "普陀区")
    assert "330903" in page.locator(".lead").inner_text()
    shot(page, f"county-zhoushan-putuo-{tag}")
    follow(page, "舟山市普陀区财政局")
    rates = page.locator("#years td.rate").all_inner_texts()
    assert rates[:2] == ["90.0%", "90.0%"]  # income, expenditure: 90.00 of 100.00
    fits(page, width)
    shot(page, f"department-budget-final-{tag}")
    page.locator("#years th.rate a").click()
    page.wait_for_load_state()
    reception = page.locator("#execution-three-costs tr[data-key='reception'] td").all_inner_texts()
    assert reception == ["1.00", "0.00", "0.0%", "−1.00"]
    assert page.locator("#execution-totals tr[data-key='expenditure'] td.rate").inner_text() == "90.0%"
    fits(page, width)
    shot(page, f"execution-{tag}")
    # The list of execution rates, the same figure.
    page.goto(live_server.url + "/execution/")
    assert "90.0%" in page.locator("table").first.inner_text()
    shot(page, f"execution-list-{tag}")
    assert page.errors == []
    context.close()
