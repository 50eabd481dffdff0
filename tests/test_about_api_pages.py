"""/about/ (coverage counted from the database, every check the code defines, the rounding of
the site's own function) and /api/ (every example on the page is fetched here and answers with
exactly the keys the page lists)."""

import json
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from budgets import api, lists
from budgets.models import BudgetYear
from budgets.percent import percent
from ingest import finding_messages
from ingest.validation import validate
from tests.base import make_budget_year

pytestmark = pytest.mark.django_db


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def final_accounts(samples):
    """A 决算 beside 高邑's 2022 budget, so that every example of the API has rows."""
    budget = BudgetYear.objects.get(department__county__code="130127", year=2022)
    make_budget_year(budget.department, 2022, kind="final_accounts", expenditure=Decimal("380.15"))


def test_about_counts_what_the_database_holds(english, samples):
    html = english.get(reverse("budgets:about")).content.decode()
    counts = dict(re.findall(r'data-count="(\w+)">([\d,]+)<', html))
    assert counts == {
        "disclosures": "5",
        "departments": "4",
        "counties": "4",
        "line_items": "90",
        "indicators": "259",
        "errors": "1",
    }
    assert "5 budgets, 0 final accounts · 2016–2022" in html
    assert "1 disclosure has a figure marked “needs checking”" in html


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_about_lists_every_check_the_code_defines_in_both_languages(client, language):
    html = unescape(client.get(reverse("budgets:about"), HTTP_ACCEPT_LANGUAGE=language).content.decode())
    listed = re.findall(r'<tr id="check-(\w+)"><td>(.*?)</td><td><code>(\w+)</code></td></tr>', html)
    assert [check for check, _name, _code in listed] == list(finding_messages.CHECKS)
    for check, name, code in listed:
        assert code == check
        assert name == finding_messages.check_name(check)[:1].upper() + finding_messages.check_name(check)[1:]
    assert len(listed) == 14
    names = [name for _check, name, _code in listed]
    assert ("Income total equals expenditure total" in names) == (language == "en")


def test_every_check_validation_raises_is_listed_on_about(english, samples):
    # What validation of the samples finds: each of its checks is one the page lists.
    from ingest.models import SourceDocument

    found = {
        finding["check"] for document in SourceDocument.objects.all() for finding in validate(document.parsed)
    }
    html = english.get(reverse("budgets:about")).content.decode()
    assert found and all(f'<tr id="check-{check}">' in html for check in found)


def test_about_shows_the_rounding_the_site_s_function_does(english):
    html = english.get(reverse("budgets:about")).content.decode()
    section = html[html.index('id="rounding"') : html.index('id="checks"')]
    shown = re.findall(r"<code>(-?[\d.]+) ÷ ([\d.]+) × 100</code> → <strong>(-?[\d.]+)%</strong>", section)
    assert shown == [
        ("88.75", "100", "88.8"),
        ("88.65", "100", "88.7"),
        ("-12.25", "100", "-12.3"),
        ("2", "3", "66.7"),
    ]
    assert all(str(percent(Decimal(part), Decimal(whole))) == result for part, whole, result in shown)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_about_explains_the_marks_in_both_languages(client, language):
    html = client.get(reverse("budgets:about"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    marks = {"en": ("not printed", "unclear", "needs checking"), "zh-hans": ("未公开", "无法确定", "需核实")}
    for mark in marks[language]:
        assert f">{mark}</span></dt>" in html


def _documented(endpoint, data):
    if endpoint.dynamic_keys:  # the wide comparison: one key per column between the fixed ones
        return data["columns"][:3] == ["key", "group", "figure"] and data["columns"][-2:] == [
            "needs_checking",
            "corrected",
        ]
    return data["columns"] == [key for key, _meaning in endpoint.row_keys()]


def test_every_api_example_answers_with_the_keys_the_page_lists(client, final_accounts):
    html = unescape(client.get(reverse("budgets:api"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    for endpoint in api.ENDPOINTS:  # one test, so the samples are loaded once
        _check_examples(client, html, endpoint)


def _check_examples(client, html, endpoint):
    section = html[html.index(f'<section id="{endpoint.slug}"') :]
    section = section[: section.index("</section>")]
    assert endpoint.example_urls()
    for url in endpoint.example_urls():
        assert f'<a href="{url}"><code>{url}</code></a>' in section
        for language in ("en", "zh-hans"):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url
            data = json.loads(_body(response))
            assert data["rows"], url
            assert _documented(endpoint, data), url
            assert all(list(row) == data["columns"] for row in data["rows"])
    for key, _meaning in endpoint.row_keys():
        assert f"<td><code>{key}</code></td>" in section, endpoint.slug


def test_the_api_page_documents_every_list_and_each_list_s_parameters(english):
    documented = {endpoint.listing.slug for endpoint in api.ENDPOINTS if endpoint.listing}
    every_list = {value.slug for value in vars(lists).values() if isinstance(value, lists.Listing)}
    assert documented == every_list
    html = unescape(english.get(reverse("budgets:api")).content.decode())
    section = html[html.index('<section id="line-items"') :]
    section = section[: section.index("</section>")]
    assert "<td><code>year_min</code>, <code>year_max</code></td><td>Years</td><td>a number</td>" in section
    assert "<td><code>kind</code></td><td>Kind</td><td>functional · economic · project</td>" in section
    assert "<td><code>format</code></td><td>Format</td><td>html · csv · json · xlsx</td>" in section
    assert "a 6-digit division code, e.g. 130127" in section


# --- the routes that answer something other than rows ---------------------------------------------

GAOYI = "/counties/130127-高邑县/高邑县人民政府办公室/"


def test_the_chart_and_citation_routes_are_documented_with_examples_that_answer(client, samples):
    example = api.example_budget_year()
    assert [route.examples(example) for route in api.ROUTES] == [
        [f"/embed/three-costs{GAOYI}?lang=en", "/embed/compare/compare/?county=130127&lang=zh-hans"],
        [f"/svg/three-costs{GAOYI}2022/?lang=en"],
        [f"/cite/{example.pk}/fig-totals-expenditure/"],
    ]
    for language in ("en", "zh-hans"):
        html = unescape(client.get(reverse("budgets:api"), HTTP_ACCEPT_LANGUAGE=language).content.decode())
        for route in api.ROUTES:
            section = html[html.index(f'<section id="{route.slug}"') :]
            section = section[: section.index("</section>")]
            assert f'<code class="path">{route.pattern}</code>' in section
            for url in route.examples(example):
                assert f'<a href="{url}"><code>{url}</code></a>' in section
                assert client.get(url).status_code == 200, url
        assert ('<h2 id="embed-heading">单独的图表 ' in html) == (language == "zh-hans")
        assert ("<td><code>anchor</code></td><td>The figure's anchor</td>" in html) == (language == "en")
        assert ("<td><code>anchor</code></td><td>数字锚点</td>" in html) == (language == "zh-hans")

    embed = client.get(f"/embed/three-costs{GAOYI}?lang=en")
    assert "X-Frame-Options" not in embed
    assert "<title>高邑县人民政府办公室: Three public costs, " in embed.content.decode()
    assert (
        '<html lang="zh-hans">'
        in client.get("/embed/compare/compare/?county=130127&lang=zh-hans").content.decode()
    )
    drawn = client.get(f"/svg/three-costs{GAOYI}2022/?lang=en")
    assert drawn["Content-Type"] == "image/svg+xml"
    assert "Three public costs" in drawn.content.decode()
    cited = client.get(f"/cite/{example.pk}/fig-totals-expenditure/").json()
    assert sorted(cited) == ["en", "permalink", "zh"]
    assert cited["permalink"] == f"http://testserver{GAOYI}2022/#fig-totals-expenditure"
    assert cited["en"].startswith(
        "高邑县人民政府办公室, departmental budget 2022: Expenditure total 394.30 (10,000 yuan)."
    )
    assert cited["zh"].startswith("高邑县人民政府办公室2022年部门预算，支出总计：394.30万元。")


def test_the_documented_chart_ids_are_those_the_pages_draw(client, samples):
    pages = {
        "a county": "/counties/130127-高邑县/",
        "a department": GAOYI,
        "a budget year": f"{GAOYI}2022/",
        "the comparison": "/compare/?county=130127&county=130630",
    }
    with translation.override("en"):
        documented = {str(page): set(ids) for page, ids in api.CHARTS}
    drawn = {
        page: set(
            re.findall(r'href="/svg/([\w-]+)/', client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
        )
        for page, url in pages.items()
    }
    assert drawn == documented
