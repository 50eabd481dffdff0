"""The home page in Debian's chromium, on the five sample disclosures."""

import pytest

from tests.base import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = ROOT / "test-artifacts"


def test_home_names_the_four_sample_counties_in_chinese_and_english(live_server, page, samples):
    page.goto(live_server.url)
    counties = page.locator("table.data tbody th").all_inner_texts()
    assert counties == ["平乡县", "无极县", "涞源县", "高邑县"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "home-zh.png", full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h2#counties-heading").inner_text() == "Counties"
    page.screenshot(path=SCREENSHOTS / "home-en.png", full_page=True)
    assert page.console_errors == []
