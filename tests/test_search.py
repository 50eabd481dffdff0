"""One search (budgets.search): two-character words, several words that narrow, pinyin, synonyms,
the named figures with their values, what an empty result offers, the index kept in step with
the data, and the lists' text filter through the same index. The file runs on SQLite and, under
scripts/throwaway_postgres.py, on PostgreSQL: the same assertions hold for both databases."""

import io
import json
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from budgets.models import County, LineItem, PerformanceIndicator, SearchEntry
from budgets.search import index, query, text
from tests.base import make_budget_year, make_county, make_department, make_world, slug

pytestmark = pytest.mark.django_db


def page(client, q):
    response = client.get(reverse("budgets:search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def words(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def section(html, name):
    match = re.search(rf'<section id="{name}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def figure_rows(html):
    """{(department · year): [cells]} of the named-figures table, as read."""
    table = section(html, "figures")
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S):
        head, *cells = re.split(r"</th>|</td>", row)
        rows[words(head)] = [words(c) for c in cells if words(c) or "<td" in c]
    return rows


def figure_headings(html):
    return [
        words(h)
        for h in re.findall(r'<th scope="col" class="num">(.*?)</th>', section(html, "figures"), re.S)
    ]


def budget_year_url(county, year):
    return reverse("budgets:budget-year-detail", args=[slug(county), f"{county}人民政府办公室", year])


# --- tokens and queries ----------------------------------------------------------------------


def test_names_become_character_pairs_and_words_become_phrases():
    assert text.grams("公务接待费") == ["公务", "务接", "接待", "待费", "费"]
    assert text.grams("因公出国（境）费") == ["因公", "公出", "出国", "国境", "境费", "费"]
    assert text.normalize("ＰＰＰ项目 2022") == "ppp项目2022"
    term = text.Term.of("接待")
    assert text.tsquery([term]) == "(('接待') | ('招待'))"
    assert text.fts5([term]) == '("接待" OR "招待")'
    assert text.tsquery([text.Term.of("局")]) == "('局':*)"
    assert text.fts5([text.Term.of("公务接待"), text.Term.of("gaoyi")]) == (
        '("公务 务接 接待" OR "公务 务招 招待") AND ("ga ao oy yi" OR "gaoyi"*)'
    )
    tokens = text.document("公务接待费").split()
    assert text.Term.of("接待").found_in(tokens) and text.Term.of("费").found_in(tokens)
    assert not text.Term.of("接费").found_in(tokens)  # both pairs are there, not one after the other


def test_place_names_read_in_pinyin_whole_and_as_initials_with_every_reading():
    assert text.readings("高邑县")[:2] == ["gaoyixian", "gyx"]  # the usual reading first
    assert {"changzhishi", "czs"} <= set(text.readings("长治市"))  # 长 is also zhang


def test_synonyms_are_data_and_apply_inside_a_longer_word():
    assert text.variants("人防") == ["人防", "人民防空"]
    assert "高邑县人民政府办公室" in text.variants("高邑县政府办")
    assert text.variants("人民防空") == ["人民防空", "人防"]
    assert text.Term.of("2022").year == 2022 and text.Term.of("2089").year == 2089
    assert text.Term.of("20805").year is None and text.Term.of("20805").digits


# --- the page on the samples -----------------------------------------------------------------


def test_two_character_word_finds_the_receptions_of_the_three_public_costs(client, samples):
    html = page(client, "接待")
    assert figure_headings(html) == ["公务接待费"]
    # Every budget year's receptions, in the national list's order of counties, latest year first.
    assert figure_rows(html) == {
        "高邑县人民政府办公室 · 2022 预算": ["0.31"],
        "高邑县人民政府办公室 · 2019 预算": ["0.40"],
        "无极县人民政府办公室 · 2018 预算": ["2.10"],
        "平乡县人民政府办公室 · 2021 预算": ["10.00"],
        "涞源县人民政府办公室 · 2016 预算": ["100.00"],
    }
    # Each value links to the figure on its budget-year page, and the list of every value.
    assert f'<a href="{budget_year_url("高邑县", 2022)}#fig-three-costs-reception">0.31</a>' in html
    assert 'href="/three-costs/?sort=-reception"' in html
    # The class 30217 公务接待费 too, linked to its line.
    classes = section(html, "classes")
    assert "30217" in classes and "<mark>接待</mark>" in classes
    line = LineItem.objects.get(code="30217")
    assert f'href="{budget_year_url("高邑县", 2022)}#line-{line.pk}"' in classes


def test_three_public_costs_come_with_their_parts_and_doubts(english, samples):
    html = page(english, "三公经费")
    assert figure_headings(html) == [
        "Three public costs (三公经费)",
        "Overseas trips (因公出国（境）费)",
        "Official cars (公务用车购置及运行维护费)",
        "Receptions (公务接待费)",
    ]
    rows = figure_rows(html)
    assert rows["高邑县人民政府办公室 · 2022 budget"] == ["1.51", "0.00", "1.20", "0.31"]
    # 涞源 2016's total is contradicted by its own text: shown, and marked, never as plain fact.
    assert rows["涞源县人民政府办公室 · 2016 budget"] == ["113.50 needs checking", "0.00", "13.50", "100.00"]


def test_vehicles_find_the_official_cars_and_the_vehicles_held(client, samples):
    html = page(client, "车辆")
    assert figure_headings(html) == [
        "公务用车购置及运行维护费",
        "公务用车购置费",
        "公务用车运行维护费",
        "车辆数",
        "车辆价值",
    ]
    assert figure_rows(html)["高邑县人民政府办公室 · 2019 预算"] == ["0.40", "—", "—", "9", "147.97"]
    assert figure_rows(html)["涞源县人民政府办公室 · 2016 预算"] == ["13.50", "0.00", "13.50", "—", "—"]
    # Through the synonym 公务用车: the class 30231 and 涞源's line printed without a code.
    classes = section(html, "classes")
    assert classes.count("<mark>公务用车</mark>运行维护费") == 2


def test_several_words_narrow_to_a_place_and_a_year(client, samples):
    html = page(client, "高邑 接待")
    assert "“高邑”视为地区： 高邑县" in words(html)
    assert figure_rows(html) == {
        "高邑县人民政府办公室 · 2022 预算": ["0.31"],
        "高邑县人民政府办公室 · 2019 预算": ["0.40"],
    }
    assert "/three-costs/?sort=-reception&amp;county=130127" in html
    assert 'id="places"' not in html  # 高邑县 is where, not a hit: it holds no 接待

    html = page(client, "接待 2022")
    assert figure_rows(html) == {"高邑县人民政府办公室 · 2022 预算": ["0.31"]}

    html = page(client, "石家庄 政府办 接待")
    assert list(figure_rows(html)) == [
        "高邑县人民政府办公室 · 2022 预算",
        "高邑县人民政府办公室 · 2019 预算",
        "无极县人民政府办公室 · 2018 预算",
    ]


def test_pinyin_finds_places_whole_as_initials_and_as_a_beginning(client, samples):
    county = reverse("budgets:county-detail", args=[slug("高邑县")])
    for typed in ("gaoyi", "gaoyixian", "gyx", "GaoYi"):
        html = page(client, typed)
        assert f'<a href="{county}">高邑县</a>' in section(html, "places"), typed
        assert "高邑县人民政府办公室" in section(html, "departments")
    html = page(client, "shijiazhuang")
    assert f'href="{reverse("budgets:prefecture-detail", args=["河北省", "石家庄市"])}"' in html
    # Pinyin narrows like the name.
    assert list(figure_rows(page(client, "gaoyi 接待"))) == [
        "高邑县人民政府办公室 · 2022 预算",
        "高邑县人民政府办公室 · 2019 预算",
    ]


def test_synonyms_find_what_the_documents_print_otherwise(client, samples):
    # The samples never print 人民防空 in a project's name; they print 人防.
    projects = section(page(client, "人民防空"), "projects")
    assert [words(r) for r in re.findall(r'<th scope="row">(.*?)</th>', projects, re.S)] == [
        "人防专项规划编制评审及设备维护费",
        "人防宣传",
        "人防办专项",
    ]
    departments = section(page(client, "高邑 政府办"), "departments")
    assert re.findall(r'<li><a href="[^"]+">(.*?)</a>', departments) == [
        "<mark>高邑</mark>县<mark>人民政府办公室</mark>"
    ]


def test_an_empty_result_offers_what_exists_and_never_a_shorter_word(english, samples):
    html = page(english, "火箭")
    said = words(html)
    assert "Nothing matches “火箭”" in said
    assert "short" not in said.lower() and "fewer" not in said.lower()
    # The named figures, each a search of its own.
    assert (
        f'href="{reverse("budgets:search")}?q=%E5%85%AC%E5%8A%A1%E6%8E%A5%E5%BE%85%E8%B4%B9">公务接待费</a>'
        in html
    )

    html = page(english, "接待费用")
    close = re.search(r'<ul class="suggestions".*?</ul>', html, re.S).group(0)
    assert re.findall(r'">([^<]+)</a>', close)[:2] == ["公务接待费", "运行费用"]  # the closest first

    html = page(english, "接待 火箭")
    assert "These words find nothing even on their own" in html and "<strong>火箭</strong>" in html
    assert "<strong>接待</strong>" not in html

    assert "is read as a year" in page(english, "2022")
    assert "Nothing matches “（）”" in page(english, "（）")  # no letter or digit: nothing to look for


def test_more_hits_than_the_page_shows_lead_to_the_lists(client, samples, monkeypatch):
    monkeypatch.setattr(query, "LIMIT", 1)
    html = page(client, "接待")
    figures = section(html, "figures")
    assert 'id="figure-results"' not in figures and "高邑 接待" in words(figures)
    assert 'href="/three-costs/?sort=-reception"' in figures
    # Two lines hold 公务接待费: the page names the classes, each opening its lines in the list.
    classes = section(html, "classes").replace("&amp;", "&")
    assert 'id="class-results"' not in classes
    links = re.findall(r'<a href="(/line-items/\?[^"]+)">(.*?)</a>', classes)
    assert [(parse_qs(urlsplit(url).query), name) for url, name in links] == [
        ({"kind": ["economic"], "q": ["公务接待费"]}, "公务<mark>接待</mark>费")
    ]
    assert "Only the first 1 names are shown" in page(client.__class__(HTTP_ACCEPT_LANGUAGE="en"), "接待")


def test_the_search_box_is_in_every_page_header(client, samples):
    for url in (
        reverse("budgets:home"),
        reverse("budgets:county-detail", args=[slug("高邑县")]),
        "/line-items/",
    ):
        html = client.get(url).content.decode()
        assert (
            f'<form class="site-search" role="search" action="{reverse("budgets:search")}" method="get">'
            in html
        )


def test_queries_do_not_grow_with_the_data(client, samples, django_assert_num_queries):
    # Places, departments, the names the words find (one query for every kind), then for each
    # kind with names (no project holds 接待) the keys of its rows, and the rows where they fit
    # the page: figures 2, classes 2, indicators 1 (高邑 measures no 接待).
    with django_assert_num_queries(8):
        page(client, "高邑 接待")
    # Two words naming no place: the departments each names, and two readings, each with its
    # names: names holding both words (none), and 接待 in the 政府办's disclosures (as above).
    with django_assert_num_queries(12):
        page(client, "政府办 接待")
    world = make_world()
    for year in range(2000, 2012):
        make_budget_year(make_department(world["county"], name=f"甲县{year}接待办"), year)
    with django_assert_num_queries(8):
        page(client, "高邑 接待")
    # Now 接待 also names departments: a third reading, 政府办 in the 接待办s' disclosures.
    with django_assert_num_queries(14):
        html = page(client, "政府办 接待")
    # The new 人民政府办公室's receptions are there; the 接待办s are no 政府办.
    rows = figure_rows(html)
    assert rows["甲县人民政府办公室 · 2022 预算"] == ["0.50"] and len(rows) == 5 + 2
    assert "接待办" not in section(html, "figures")


# --- the index follows the data --------------------------------------------------------------


def entries():
    return sorted(SearchEntry.objects.values_list("kind", "code", "place", "text", "ref", "tokens"))


def test_saving_disclosures_indexes_what_a_rebuild_would(samples):
    saved = entries()
    reception = SearchEntry.objects.get(kind="economic", code="30217")
    # The printed name, then the reference list's Chinese and English names of the code.
    assert reception.text == "公务接待费"
    assert (
        reception.tokens
        == "公务 务接 接待 待费 费 公务 务接 接待 待费 费 of ff fi ic ci ia al lr re ec ce ep pt ti io on n"
    )
    index.rebuild()
    assert entries() == saved


def test_an_index_missing_over_existing_data_is_built_after_migrating(samples):
    SearchEntry.objects.all().delete()
    index.fill_if_empty(verbosity=0)
    assert SearchEntry.objects.filter(kind="economic", code="30217", text="公务接待费").exists()
    out = io.StringIO()
    call_command("rebuild_search", stdout=out)
    assert re.search(r"Search index rebuilt in [\d.]+ s: .*4 department, ", out.getvalue())


def test_places_departments_and_names_saved_one_at_a_time_are_found(client):
    county = make_county("甲县", province="乙省", prefecture="丙市")
    department = make_department(county, name="甲县审计局")
    department.name = "甲县审计局（本级）"
    department.aliases = ["甲县审计"]
    department.save()
    budget_year = make_budget_year(department, 2022)
    item = LineItem.objects.get(budget_year=budget_year)
    item.name = "审计业务专项经费"
    item.save()
    PerformanceIndicator.objects.create(budget_year=budget_year, group="审计项目", name="审计覆盖率")

    html = page(client, "审计")
    assert "甲县审计局（本级）" in words(section(html, "departments"))
    assert "审计业务专项经费" in words(section(html, "classes"))
    assert "审计覆盖率" in words(section(html, "indicators"))
    assert "丙市" in section(page(client, "乙省"), "places")
    County.objects.filter(pk=county.pk).update(name="丁县")  # an update without a save: not followed
    index.rebuild()
    assert "丁县" in section(page(client, "丁县"), "places")


def test_a_replaced_name_is_not_found_before_the_next_rebuild(client, samples):
    item = LineItem.objects.get(name="人防宣传")
    LineItem.objects.filter(pk=item.pk).update(name="防空宣传")  # as a replaced disclosure leaves it
    assert SearchEntry.objects.filter(text="人防宣传").exists()
    assert "人防宣传" not in section(page(client, "人防宣传"), "projects")
    index.rebuild()
    assert not SearchEntry.objects.filter(text="人防宣传").exists()


def test_index_is_the_size_of_the_vocabulary_not_of_the_rows(samples):
    world = make_world()
    for year in range(2000, 2010):
        make_budget_year(make_department(world["county"], name="甲县财政局"), year)
    index.rebuild()
    assert SearchEntry.objects.filter(text="一般公共服务支出").count() == 1
    assert LineItem.objects.filter(name="一般公共服务支出").count() > 10


# --- the lists' text filter ------------------------------------------------------------------


def test_list_text_filters_use_the_same_words(english, samples):
    def rows(url):
        response = english.get(url)
        return json.loads(b"".join(response.streaming_content) if response.streaming else response.content)[
            "rows"
        ]

    names = [row["name"] for row in rows("/line-items/?q=人民防空&format=json")]
    assert names == ["人防专项规划编制评审及设备维护费", "人防宣传", "人防办专项"]
    indicators = rows("/indicators/?q=政务服务 热线&format=json")
    assert {row["name"] for row in indicators} == {"政务服务热线办结率"}


# --- each database's own index ---------------------------------------------------------------


def test_the_database_answers_from_its_full_text_index(samples):
    matching = SearchEntry.objects.filter(tokens__matches=[text.Term.of("接待")]).values("text")
    sql, params = matching.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
            assert "search_entry_vector_idx" in plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan and "budgets_searchentry_fts" in plan
    assert {"公务接待费", "公务接待审批率"} <= set(matching.values_list("text", flat=True))
    assert Decimal("0.31") in LineItem.objects.filter(code="30217").values_list("amount", flat=True)
