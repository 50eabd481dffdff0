"""The Atom feeds of newly saved disclosures (site and county), the links to them in the pages'
head, the sitemap and robots.txt."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from budgets.models import BudgetYear

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _atom(response):
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def _entries(feed):
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.find(f"{ATOM}summary").text,
            "updated": entry.find(f"{ATOM}updated").text,
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def saved_in_order(samples):
    """The samples saved a day apart, 高邑 2022 last, so the feed's order is known."""
    order = ["130532", "130130", "130630", "130127"]
    for budget_year in BudgetYear.objects.select_related("department__county"):
        code = budget_year.department.county.code
        day = order.index(code) * 2 + (budget_year.year == 2022)
        BudgetYear.objects.filter(pk=budget_year.pk).update(
            created_at=datetime.datetime(2024, 5, 1 + day, 8, 0, tzinfo=datetime.UTC)
        )


def test_the_site_feed_is_atom_with_every_new_disclosure_newest_first(english, saved_in_order):
    feed = _atom(english.get("/feeds/disclosures/"))
    assert feed.find(f"{ATOM}title").text == "County budgets: new disclosures"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feeds/disclosures/"
    entries = _entries(feed)
    assert [entry["title"] for entry in entries] == [
        "高邑县人民政府办公室: budget 2022",
        "高邑县人民政府办公室: budget 2019",
        "涞源县人民政府办公室: budget 2016",
        "无极县人民政府办公室: budget 2018",
        "平乡县人民政府办公室: budget 2021",
    ]
    assert entries[0]["link"] == (
        "http://testserver/counties/130127-%E9%AB%98%E9%82%91%E5%8E%BF/"
        "%E9%AB%98%E9%82%91%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C%E5%8A%9E%E5%85%AC%E5%AE%A4/2022/"
    )
    assert entries[0]["updated"] == "2024-05-08T08:00:00+00:00"
    assert entries[0]["summary"] == (
        "河北省 石家庄市 高邑县 · Expenditure total: 394.30 万元 · Three public costs: 1.51 万元"
    )
    # 涞源县 2016's three public costs are contradicted in the document: the feed says so.
    assert entries[2]["summary"].endswith("Three public costs: 113.50 万元 (needs checking)")


def test_a_county_feed_holds_that_county_only_and_speaks_chinese_by_default(client, saved_in_order):
    feed = _atom(client.get(reverse("budgets:county-feed", args=["130127-高邑县"])))
    assert feed.find(f"{ATOM}title").text == "高邑县：新公开文件"
    assert [entry["title"] for entry in _entries(feed)] == [
        "高邑县人民政府办公室：2022 年预算",
        "高邑县人民政府办公室：2019 年预算",
    ]
    assert client.get(reverse("budgets:county-feed", args=["130127-无极县"])).status_code == 404
    assert client.get(reverse("budgets:county-feed", args=["高邑县"])).status_code == 404


def test_a_figure_not_printed_is_said_so_in_the_feed(english, samples):
    BudgetYear.objects.filter(department__county__code="130130").update(expenditure=None)
    entries = _entries(_atom(english.get(reverse("budgets:county-feed", args=["130130-无极县"]))))
    assert (
        entries[0]["summary"]
        == "河北省 石家庄市 无极县 · Expenditure total: not printed · Three public costs: 42.10 万元"
    )


def test_pages_name_the_site_feed_and_their_county_s_in_their_head(english, samples):
    site = '<link rel="alternate" type="application/atom+xml" href="/feeds/disclosures/"'
    county = (
        '<link rel="alternate" type="application/atom+xml" '
        'href="/feeds/counties/130127-%E9%AB%98%E9%82%91%E5%8E%BF/"'
    )
    home = english.get(reverse("budgets:home")).content.decode()
    assert site in home and county not in home
    for url in (
        "/counties/130127-高邑县/",
        "/counties/130127-高邑县/高邑县人民政府办公室/",
        "/counties/130127-高邑县/高邑县人民政府办公室/2022/",
    ):
        head = english.get(url).content.decode().split("</head>")[0]
        assert site in head and county in head, url
        assert 'title="高邑县: new disclosures"' in head


def _locations(response):
    assert response.status_code == 200
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


def test_the_sitemap_lists_every_kind_of_page(english, samples):
    sections = _locations(english.get("/sitemap.xml"))
    assert sections == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ("pages", "places", "counties", "departments", "disclosures")
    ]
    found = {
        section: _locations(english.get(section.removeprefix("http://testserver"))) for section in sections
    }
    pages = found["http://testserver/sitemap-pages.xml"]
    for path in ("/", "/about/", "/api/", "/data/", "/places/", "/compare/"):
        assert f"http://testserver{path}" in pages
    assert (
        "http://testserver/places/%E6%B2%B3%E5%8C%97%E7%9C%81/"
        in found["http://testserver/sitemap-places.xml"]
    )
    assert (
        "http://testserver/places/%E6%B2%B3%E5%8C%97%E7%9C%81/%E7%9F%B3%E5%AE%B6%E5%BA%84%E5%B8%82/"
        in found["http://testserver/sitemap-places.xml"]
    )
    assert len(found["http://testserver/sitemap-counties.xml"]) == 4
    assert len(found["http://testserver/sitemap-departments.xml"]) == 4
    disclosures = found["http://testserver/sitemap-disclosures.xml"]
    assert len(disclosures) == BudgetYear.objects.count() == 5
    assert sorted(disclosures) == sorted(
        iri_to_uri(f"http://testserver{budget_year.get_absolute_url()}")
        for budget_year in BudgetYear.objects.all()
    )


def test_a_final_account_has_its_own_address_in_the_sitemap(english, samples):
    from tests.base import make_budget_year

    budget = BudgetYear.objects.get(department__county__code="130127", year=2022)
    make_budget_year(budget.department, 2022, kind="final_accounts", expenditure=Decimal("380.15"))
    disclosures = _locations(english.get("/sitemap-disclosures.xml"))
    assert any(location.endswith("/2022/final-accounts/") for location in disclosures)


def test_robots_txt_points_at_the_sitemap(english):
    response = english.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\nDisallow: /admin/\nDisallow: /*format=\nSitemap: http://testserver/sitemap.xml\n"
    )


def test_sitemap_pages_by_key_range_list_every_disclosure_once(english, samples, monkeypatch):
    from budgets import sitemaps

    monkeypatch.setattr(sitemaps.DisclosuresSitemap, "limit", 2)
    # Keys that do not start at 1 (as on PostgreSQL after other rows went), and a gap.
    keys = list(BudgetYear.objects.order_by("pk").values_list("pk", flat=True))
    BudgetYear.objects.filter(pk__in=[keys[0], keys[2]]).delete()
    first, last = keys[1], keys[-1]
    sections = _locations(english.get("/sitemap.xml"))
    pages = [s for s in sections if "sitemap-disclosures.xml" in s]
    assert len(pages) == -(-(last - first + 1) // 2)  # one page per two keys, from the first to the last
    assert _locations(english.get(pages[0].removeprefix("http://testserver")))  # the first page is not empty
    listed = [
        loc for page in pages for loc in _locations(english.get(page.removeprefix("http://testserver")))
    ]
    assert sorted(listed) == sorted(
        iri_to_uri(f"http://testserver{by.get_absolute_url()}") for by in BudgetYear.objects.all()
    )
    assert english.get(f"/sitemap-disclosures.xml?p={len(pages) + 1}").status_code == 404
