"""The header search in Debian's chromium, as a journalist uses it: from any page, 接待 leads to
the receptions of the three public costs, and a value to its figure on the budget-year page;
in Chinese at desktop width and in English at phone width."""

from urllib.parse import quote

import pytest

from tests.base import SAMPLE_SLUGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "width", "heading"),
    [("zh-hans", 1280, "公务接待费"), ("en", 390, "Receptions (公务接待费)")],
)
def test_header_search_leads_to_the_receptions_and_their_figure(
    live_server, page, samples, language, width, heading
):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    county = f"/counties/{quote(SAMPLE_SLUGS['高邑县'])}/"
    page.goto(live_server.url + county)
    box = page.locator("form.site-search input[name=q]")
    assert box.is_visible()
    box.fill("接待")
    with page.expect_navigation():
        box.press("Enter")

    table = page.locator("#figure-results")
    assert table.locator("thead th.num").all_inner_texts() == [heading]
    assert table.locator("tbody td").all_inner_texts() == ["0.31", "0.40", "2.10", "10.00", "100.00"]
    # The header's box never hides the page's own at phone width.
    assert page.locator("form.search input[name=q]").input_value() == "接待"

    with page.expect_navigation():
        table.get_by_role("link", name="0.31").click()
    assert page.url.endswith("/2022/#fig-three-costs-reception")
    assert page.locator("#fig-three-costs-reception").is_visible()
    assert page.console_errors == []
