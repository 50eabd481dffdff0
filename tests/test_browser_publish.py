"""What a newsroom's tools fetch, fetched by Debian's chromium from the running site: the Atom feed,
the sitemap, /about/ and every example on /api/ (issue 13)."""

import json
import xml.etree.ElementTree as ET

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_feed_sitemap_about_and_api_examples_answer_in_the_browser(live_server, page, samples):
    feed = page.request.get(f"{live_server.url}/feeds/disclosures/")
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    titles = [entry.findtext(f"{ATOM}title") for entry in ET.fromstring(feed.body()).iter(f"{ATOM}entry")]
    assert len(titles) == 5 and any("高邑县人民政府办公室" in title and "2022" in title for title in titles)

    sitemap = ET.fromstring(page.request.get(f"{live_server.url}/sitemap.xml").body())
    sections = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    disclosures = next(url for url in sections if url.endswith("/sitemap-disclosures.xml"))
    pages = ET.fromstring(page.request.get(disclosures).body())
    assert len(list(pages.iter(f"{SITEMAP}url"))) == 5

    page.goto(f"{live_server.url}/about/")
    assert page.locator("h1").inner_text() == "关于数据"
    assert "88.75" in page.content()  # the rounding rule, computed live

    page.goto(f"{live_server.url}/api/")
    examples = page.locator("ul.examples a").evaluate_all("links => links.map(a => a.href)")
    assert len(examples) > 10
    for url in examples:
        response = page.request.get(url)
        assert response.ok, url
        if "format=json" in url:
            assert isinstance(json.loads(response.body()), dict), url
    assert page.console_errors == []
