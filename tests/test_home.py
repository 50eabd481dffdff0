"""The home page (counties, latest uploads, headlines) and the search it leads to."""

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse

from budgets.models import BudgetYear, Finding, LineItem
from budgets.templatetags.budget_format import format_amount, highlight
from tests.base import ROOT, make_budget_year, make_county, make_department, make_world, slug

pytestmark = pytest.mark.django_db

GOLD = {
    k: v
    for k, v in json.loads((ROOT / "tests" / "data" / "gold_seeds.json").read_text()).items()
    if k[0] != "_"
}
# Counties, latest uploads, the headlines (kept by budgets.summaries when the data changes).
HOME_QUERIES = 3
# Places, departments, and the names the words find; rows only of kinds with names (none for
# 高邑, a place, nor for 甲县) (budgets.search.query).
SEARCH_QUERIES = 3
# And, when nothing matches, whether each word finds anything alone and names close to it.
EMPTY_SEARCH_QUERIES = SEARCH_QUERIES + 2


def search(client, q):
    response = client.get(reverse("budgets:search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def words(html):
    """The page's text without tags, whitespace folded, for sentences that hold markup."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def headline(html, kind):
    match = re.search(rf'<li class="headline [^"]*" data-kind="{kind}">(.*?)</li>', html, re.S)
    assert match, kind
    return match.group(1)


def test_home_names_each_county_with_its_years(client, django_assert_num_queries):
    make_world()
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("budgets:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<th scope="row"><a href="/counties/{quote(slug("甲县"))}/">甲县</a></th>' in html
    assert "2021, 2022" in html
    assert "甲县财政局 · 2022" in html


def test_home_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries):
    world = make_world()
    for index in range(5):
        make_budget_year(make_department(make_county(f"乙{index}县"), name=f"乙{index}县财政局"), 2020)
    assert world
    with django_assert_max_num_queries(HOME_QUERIES):
        client.get(reverse("budgets:home"))


def test_home_without_data_says_so(client):
    response = client.get(reverse("budgets:home"))
    assert (
        "No disclosures have been loaded yet." in response.content.decode()
        or "尚未" in response.content.decode()
    )
    # No data, no headlines, but the search box is there.
    assert 'class="headlines"' not in response.content.decode()
    assert 'type="search" name="q"' in response.content.decode()


def test_home_switches_to_english_and_keeps_it_in_a_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert response.content.decode().startswith("<!doctype html>")
    assert 'lang="en"' in response.content.decode()


# Headlines, each checked against what the gold says of the five samples.


def _latest_per_department():
    latest = {}
    for gold in GOLD.values():
        key = (gold["county"], gold["department"])
        if key not in latest or gold["year"] > latest[key]["year"]:
            latest[key] = gold
    return latest.values()


def test_headline_names_the_largest_three_costs_of_a_latest_year(english, samples):
    want = max(_latest_per_department(), key=lambda gold: Decimal(gold["three_costs"]["total"]))
    html = headline(english.get(reverse("budgets:home")).content.decode(), "three_costs")
    assert f"<strong>{format_amount(Decimal(want['three_costs']['total']))} 万元</strong>" in html
    # 涞源县 2016's total is the largest, and its text prints 1135000万元: the headline says so.
    assert ("An error found in the document casts doubt on this figure." in html) == (
        want["department"] == "涞源县人民政府办公室"
    )
    assert f"{want['department']} ({want['county']})" in html and str(want["year"]) in html
    page = reverse(
        "budgets:budget-year-detail", args=[slug(want["county"]), want["department"], want["year"]]
    )
    assert f'href="{page}#three-costs-section"' in html


def test_headline_names_the_biggest_change_between_consecutive_years(english, samples):
    years = {}
    for gold in GOLD.values():
        years.setdefault((gold["county"], gold["department"]), []).append(gold)
    changes = [
        (before, after)
        for golds in years.values()
        for before, after in zip(
            sorted(golds, key=lambda g: g["year"]), sorted(golds, key=lambda g: g["year"])[1:], strict=False
        )
    ]
    before, after = max(
        changes,
        key=lambda pair: abs(
            Decimal(pair[1]["totals"]["expenditure"]) - Decimal(pair[0]["totals"]["expenditure"])
        ),
    )
    was, now = Decimal(before["totals"]["expenditure"]), Decimal(after["totals"]["expenditure"])
    html = headline(english.get(reverse("budgets:home")).content.decode(), "change")
    percent = (abs(now - was) * 100 / was).quantize(Decimal("0.1"), ROUND_HALF_UP)
    direction = "more" if now > was else "less"
    assert (
        words(html)
        .strip()
        .startswith(
            f"Biggest change in expenditure {after['department']} ({after['county']}) budgets "
            f"{format_amount(now)} 万元 of expenditure in {after['year']}, "
            f"{format_amount(abs(now - was))} 万元 ({percent}%) {direction} than the "
            f"{format_amount(was)} 万元 of {before['year']}."
        )
    )
    page = reverse(
        "budgets:budget-year-detail", args=[slug(after["county"]), after["department"], after["year"]]
    )
    assert f'href="{page}#totals"' in html


def test_headline_names_the_budget_with_the_most_errors(english, samples):
    # The gold says which samples have no errors; the one that must mention a figure has some.
    [want] = [gold for gold in GOLD.values() if "must_mention" in gold["findings"]]
    budget_year = BudgetYear.objects.get(department__name=want["department"], year=want["year"])
    count = budget_year.findings.filter(severity=Finding.Severity.ERROR).count()
    assert count >= 1
    for gold in GOLD.values():
        if gold["findings"].get("no_errors"):
            assert not Finding.objects.filter(
                budget_year__department__name=gold["department"],
                budget_year__year=gold["year"],
                severity=Finding.Severity.ERROR,
            ).exists()
    html = headline(english.get(reverse("budgets:home")).content.decode(), "errors")
    assert f"<strong>{count} error{'s' if count > 1 else ''}</strong>" in html
    assert f"{want['department']} ({want['county']})" in html
    for figure in want["findings"]["must_mention"]:
        assert figure in html
    page = reverse(
        "budgets:budget-year-detail", args=[slug(want["county"]), want["department"], want["year"]]
    )
    assert f'href="{page}#findings"' in html


def test_headlines_need_the_data_they_speak_of(client):
    # One year per department and no findings: only the three costs can be told.
    make_budget_year(make_department(make_county("乙县"), name="乙县财政局"), 2022)
    html = client.get(reverse("budgets:home")).content.decode()
    assert 'data-kind="three_costs"' in html
    assert 'data-kind="change"' not in html
    assert 'data-kind="errors"' not in html


def test_headline_change_reads_as_an_increase(english):
    world = make_world()
    world["office_2022"].expenditure = Decimal("150.25")
    world["office_2022"].save()
    html = words(headline(english.get(reverse("budgets:home")).content.decode(), "change"))
    assert "150.25 万元 of expenditure in 2022, 50.25 万元 (50.3%) more than the 100.00 万元 of 2021." in html


# Search, on the samples: every kind a hit can be of, grouped, each linking to its page.


def test_search_finds_a_county_and_its_department_by_part_of_the_name(
    client, samples, django_assert_num_queries
):
    with django_assert_num_queries(SEARCH_QUERIES):
        html = search(client, "高邑")
    county = reverse("budgets:county-detail", args=[slug("高邑县")])
    department = reverse("budgets:department-detail", args=[slug("高邑县"), "高邑县人民政府办公室"])
    assert f'<a href="{county}"><mark>高邑</mark>县</a>' in html
    assert f'<a href="{department}"><mark>高邑</mark>县人民政府办公室</a>' in html
    # The names the department was printed under that match are named too.
    assert "<mark>高邑</mark>县政府办" in html
    assert 'id="projects"' not in html and 'id="indicators"' not in html


def test_search_finds_a_department_by_a_name_it_was_printed_under(client, samples):
    html = search(client, "高邑县政府办本级")
    assert reverse("budgets:department-detail", args=[slug("高邑县"), "高邑县人民政府办公室"]) in html
    assert 'id="places"' not in html


def test_search_finds_a_class_line_and_an_indicator_group(client, samples):
    html = search(client, "会议费")
    # 涞源 2016 prints 会议费 as a line of its economic classification, 15.00 万元; the hit links
    # to that line of the budget-year page.
    laiyuan = reverse("budgets:budget-year-detail", args=[slug("涞源县"), "涞源县人民政府办公室", 2016])
    line = LineItem.objects.get(budget_year__year=2016, name="会议费")
    assert f'href="{laiyuan}#line-{line.pk}"' in html
    assert '<td class="num">15.00</td>' in html
    # 高邑 2022 measures a project called 会议费 with five indicators, linked at the first.
    gaoyi = reverse("budgets:budget-year-detail", args=[slug("高邑县"), "高邑县人民政府办公室", 2022])
    group = re.search(rf'<a href="{gaoyi}#indicator-\d+"><mark>会议费</mark></a>(.*?)</ul>', html, re.S)
    assert group, html
    assert group.group(1).count("<li>") == 5
    assert "会议满意度" in group.group(1)


def test_search_finds_projects_by_name(client, samples):
    html = search(client, "人防")
    laiyuan = reverse("budgets:budget-year-detail", args=[slug("涞源县"), "涞源县人民政府办公室", 2016])
    rows = re.findall(
        r'<tr><th scope="row">(.*?)</th>', html.split('id="project-results"')[1].split("</table>")[0]
    )
    assert [re.sub("<[^>]+>", "", row) for row in rows] == [
        "人防专项规划编制评审及设备维护费",
        "人防宣传",
        "人防办专项",
    ]
    assert f'href="{laiyuan}#line-{LineItem.objects.get(name="人防宣传").pk}"' in html


def test_search_finds_indicators_by_group_or_name(client, samples):
    html = search(client, "政务服务")
    pingxiang = reverse("budgets:budget-year-detail", args=[slug("平乡县"), "平乡县人民政府办公室", 2021])
    gaoyi = reverse("budgets:budget-year-detail", args=[slug("高邑县"), "高邑县人民政府办公室", 2022])
    assert re.search(rf'<a href="{pingxiang}#indicator-\d+"><mark>政务服务</mark>与政务管理</a>', html)
    # In 高邑 2022 only an indicator's own name holds the words.
    assert f'<a href="{gaoyi}#indicator-' in html
    assert "<mark>政务服务</mark>热线办结率" in html
    assert 'id="places"' not in html and 'id="departments"' not in html


def test_search_requires_every_word(client, samples):
    html = search(client, "政务服务 热线")
    assert "<mark>政务服务</mark><mark>热线</mark>办结率" in html
    assert "平乡县人民政府办公室 · 2021" not in html


def test_search_finds_classes_by_code_prefix(client, samples):
    html = search(client, "20805")
    assert html.count('href="/counties/') >= 4  # 20805 and its three 项 in 高邑 2022
    assert "<mark>20805</mark>01" in html


def test_search_says_when_nothing_matches_and_when_nothing_was_typed(
    english, samples, django_assert_num_queries
):
    with django_assert_num_queries(EMPTY_SEARCH_QUERIES):
        html = search(english, "没有这样的名字")
    assert "Nothing matches “没有这样的名字”" in html
    assert 'class="empty"' in html and 'class="results"' not in html
    with django_assert_num_queries(0):
        html = search(english, "   ")
    assert 'class="empty"' in html and "Nothing matches" not in html


def test_search_rejects_an_overlong_query(client):
    response = client.get(reverse("budgets:search"), {"q": "长" * 101})
    assert response.status_code == 400


def test_search_queries_do_not_grow_with_the_data(client, django_assert_num_queries):
    world = make_world()
    for year in range(2000, 2020):
        make_budget_year(make_department(world["county"], name=f"甲县{year}局"), year)
    with django_assert_num_queries(SEARCH_QUERIES):
        html = search(client, "甲县")
    assert html.count(f'<a href="/counties/{quote(slug("甲县"))}/%E7%94%B2%E5%8E%BF') == 22


def test_search_lists_at_most_the_limit_and_says_so(english, settings, monkeypatch):
    from budgets.search import query

    monkeypatch.setattr(query, "LIMIT", 3)
    world = make_world()
    for index in range(5):
        make_department(world["county"], name=f"甲县第{index}局")
    html = search(english, "甲县")
    assert html.count(f'<a href="/counties/{quote(slug("甲县"))}/%E7%94%B2%E5%8E%BF') == 3
    assert "Only the first 3 are shown" in html


def test_search_box_on_the_home_page_sends_a_get(client):
    html = client.get(reverse("budgets:home")).content.decode()
    assert f'<form class="search" role="search" action="{reverse("budgets:search")}" method="get">' in html


def test_highlight_escapes_and_marks():
    assert highlight("<b>会议费</b>", ["会议"]) == "&lt;b&gt;<mark>会议</mark>费&lt;/b&gt;"
    assert highlight("Abc", ["b"]) == "A<mark>b</mark>c"
    assert highlight("a.c", ["."]) == "a<mark>.</mark>c"
    assert highlight(None, ["x"]) == ""
