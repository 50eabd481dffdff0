"""The list pages and their CSV and JSON exports (budgets.lists, budgets.filters, budgets.exports)."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets import lists
from budgets.exports import cell, plain_decimal
from budgets.models import BudgetYear, County, LineItem
from tests.base import (
    make_budget_year,
    make_county,
    make_department,
    make_unclear_line_item,
    make_world,
)

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content)


def test_line_item_csv_is_exact_bytes_with_bom_header_numbers_and_escaped_text(english, samples):
    # Three project lines of 涞源县 2016 under 2010305 as hand-read in gold_seeds.json, and
    # four planted lines whose names a spreadsheet would run as formulas.
    laiyuan = BudgetYear.objects.get(department__county__name="涞源县", year=2016)
    planted = ['=HYPERLINK("http://x")', "-减少", "+1", "@SUM(A1)", "\t制表"]
    for position, name in enumerate(planted, 900):
        LineItem.objects.create(
            budget_year=laiyuan,
            kind="project",
            code="2010305",
            name=name,
            amount=Decimal("-23.960000"),
            position=position,
        )
    document = laiyuan.source_document_id
    pks = dict(laiyuan.line_items.filter(code="2010305").values_list("name", "pk"))
    page = "/counties/130630-涞源县/涞源县人民政府办公室/2016/#line-"

    def printed(name, line=None):
        """The columns issue 12 appended: level, leaf, table, page, the original there, the permalink,
        whether a figure was corrected."""
        if line is None:
            return f",0,true,,,/documents/{document}/,{page}{pks[name]},false"
        return f",0,true,部门项目支出预算,,/documents/{document}/?line={line},{page}{pks[name]},false"

    url = reverse("budgets:line-items") + "?county=130630&kind=project&code=2010305&format=csv"
    response = english.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''line-items-%E6%B6%9E%E6%BA%90%E5%8E%BF.csv"  # line-items-涞源县.csv
    )
    assert (
        body(response)
        == (
            "\ufeffCounty,Department,Year,Kind,Code,Name,Amount (万元),Basic expenditure (万元),"
            "Project expenditure (万元),Line in the disclosure,Unclear in the document,"
            "Disclosure,Kind of department,Division code,Classification level,Leaf (no row under it),"
            "Printed in,Page in the disclosure,Original at that place,Permalink,Corrected\r\n"
            "涞源县,涞源县人民政府办公室,2016,project,2010305,办公设备配备,1.00,,,1285,,budget,人民政府办公室,130630"
            f"{printed('办公设备配备', 1285)}\r\n"
            "涞源县,涞源县人民政府办公室,2016,project,2010305,网络信息费,5.85,,,1298,,budget,人民政府办公室,130630"
            f"{printed('网络信息费', 1298)}\r\n"
            "涞源县,涞源县人民政府办公室,2016,project,2010305,地方志专项,19.48,,,1545,,budget,人民政府办公室,130630"
            f"{printed('地方志专项', 1545)}\r\n"
            '涞源县,涞源县人民政府办公室,2016,project,2010305,"\'=HYPERLINK(""http://x"")",-23.96,,,,,budget,人民政府办公室,130630'
            f"{printed(planted[0])}\r\n"
            "涞源县,涞源县人民政府办公室,2016,project,2010305,'-减少,-23.96,,,,,budget,人民政府办公室,130630"
            f"{printed(planted[1])}\r\n"
            "涞源县,涞源县人民政府办公室,2016,project,2010305,'+1,-23.96,,,,,budget,人民政府办公室,130630"
            f"{printed(planted[2])}\r\n"
            "涞源县,涞源县人民政府办公室,2016,project,2010305,'@SUM(A1),-23.96,,,,,budget,人民政府办公室,130630"
            f"{printed(planted[3])}\r\n"
            "涞源县,涞源县人民政府办公室,2016,project,2010305,'\t制表,-23.96,,,,,budget,人民政府办公室,130630"
            f"{printed(planted[4])}\r\n"
        ).encode()
    )


def test_three_costs_csv_of_the_samples_keeps_the_printed_decrease_a_number(english, samples):
    response = english.get(reverse("budgets:three-costs") + "?format=csv")
    rows = csv.reader(io.StringIO(body(response).decode("utf-8-sig")))
    # The columns this export has always had, in their places (issue 12 appends where each
    # total was printed and the permalink: tests/test_list_links_levels.py).
    assert [",".join(row[:14]) for row in rows] == [
        "County,Department,Year,Three public costs (万元),Overseas trips (万元),Official cars (万元),"
        "Car purchase (万元),Car operation (万元),Receptions (万元),Change on previous year (万元),"
        "Needs checking,Disclosure,Kind of department,Division code",
        "平乡县,平乡县人民政府办公室,2021,35.00,0.00,25.00,0.00,25.00,10.00,-6.50,,budget,人民政府办公室,130532",
        "无极县,无极县人民政府办公室,2018,42.10,0.00,40.00,0.00,40.00,2.10,-43.00,,budget,人民政府办公室,130130",
        # The text prints 1135000万元 beside the table's 113.50: the total needs checking.
        "涞源县,涞源县人民政府办公室,2016,113.50,0.00,13.50,0.00,13.50,100.00,,total,budget,人民政府办公室,130630",
        "高邑县,高邑县人民政府办公室,2022,1.51,0.00,1.20,0.00,1.20,0.31,-0.02,,budget,人民政府办公室,130127",
        "高邑县,高邑县人民政府办公室,2019,0.80,0.00,0.40,,,0.40,-23.96,,budget,人民政府办公室,130127",
    ]


def test_csv_names_county_and_year_in_the_file_name(english, samples):
    response = english.get(
        reverse("budgets:three-costs") + "?county=130127&year_min=2019&year_max=2019&format=csv"
    )
    assert response["Content-Disposition"].endswith("three-costs-%E9%AB%98%E9%82%91%E5%8E%BF-2019.csv")
    assert len(body(response).decode("utf-8-sig").splitlines()) == 2


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("416.950000"), "416.95"),
        (Decimal("-23.960000"), "-23.96"),
        (Decimal("0.8"), "0.80"),
        (Decimal("100"), "100.00"),
        (Decimal("435.353586"), "435.353586"),
        (Decimal("-0.000000"), "0.00"),
        (Decimal("1E+3"), "1000.00"),
    ],
)
def test_amounts_are_plain_exact_decimals(value, text):
    assert plain_decimal(value) == text
    assert cell(value) == text


@pytest.mark.parametrize("text", ["=1+1", "+86", "-5%", "@A1", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_is_escaped(text):
    assert cell(text) == "'" + text


def test_csv_holds_every_filtered_row_when_the_list_has_several_pages(english):
    world = make_world()
    for index in range(lists.PAGE_SIZE * 2 + 7):
        LineItem.objects.create(
            budget_year=world["office_2022"],
            kind="project",
            code="2010302",
            name=f"项目{index:03}",
            amount=Decimal(index),
            level=3,
            position=index,
        )
    url = reverse("budgets:line-items") + "?code=2010302&sort=name"

    page_one = english.get(url)
    assert page_one.content.decode().count("<tr><td") == lists.PAGE_SIZE
    assert "page 1 of 3" in page_one.content.decode()
    page_three = english.get(url + "&page=3")
    assert page_three.content.decode().count("<tr><td") == 7

    rows = list(csv.reader(io.StringIO(body(english.get(url + "&format=csv")).decode("utf-8-sig"))))
    assert len(rows) == 1 + lists.PAGE_SIZE * 2 + 7
    assert [row[5] for row in rows[1:]] == [f"项目{index:03}" for index in range(lists.PAGE_SIZE * 2 + 7)]


def test_sorting_descending_by_amount_orders_page_and_csv_alike(english):
    world = make_world()
    for index, amount in enumerate(["5", "-23.96", "416.95"]):
        LineItem.objects.create(
            budget_year=world["office_2022"],
            kind="project",
            code="2010302",
            name=f"项目{index}",
            amount=Decimal(amount),
            level=3,
        )
    url = reverse("budgets:line-items") + "?code=2010302&sort=-amount"
    rows = list(csv.reader(io.StringIO(body(english.get(url + "&format=csv")).decode("utf-8-sig"))))
    assert [row[6] for row in rows[1:]] == ["416.95", "5.00", "-23.96"]
    html = english.get(url).content.decode()
    assert html.index("416.95") < html.index("5.00") < html.index("-23.96")
    assert 'aria-sort="descending"' in html


def test_json_returns_the_same_rows(english, samples):
    response = english.get(reverse("budgets:three-costs") + "?county=130127&format=json")
    data = json.loads(body(response))
    assert data["count"] == 2
    assert data["columns"][:4] == ["county", "department", "year", "total"]
    assert [(row["year"], row["total"], row["change"]) for row in data["rows"]] == [
        (2022, "1.51", "-0.02"),
        (2019, "0.80", "-23.96"),
    ]


def test_filters_by_code_year_range_amount_and_text(english, samples):
    def names(query):
        rows = csv.reader(
            io.StringIO(body(english.get(reverse("budgets:line-items") + query)).decode("utf-8-sig"))
        )
        return [row[5] for row in list(rows)[1:]]

    assert names("?code=201&kind=functional&year_min=2022&format=csv") == ["一般公共服务支出"]
    assert names("?code=201&children=1&kind=functional&year_min=2022&format=csv") == [
        "一般公共服务支出",
        "政府办公厅（室）及相关机构事务",
        "行政运行",
        "一般行政管理事务",
    ]
    assert names("?code=2010301&year_max=2016&amount_min=30&format=csv") == [
        "专项工作经费",
        "临时工资及工作经费",
    ]
    assert names("?q=防空&format=csv") == ["防空预案编制"]
    assert names("?code=2010301&year_min=2017&year_max=2021&format=csv") == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?code=20x", "code: A classification code prefix is digits only"),
        ("?year_min=abc", "year: Enter a number."),
        ("?amount_max=lots", "amount: Enter a number."),
        ("?county=不存在县", "county: No county that has published has the code or name 不存在县."),
        ("?kind=nonsense", "kind: Select a valid choice."),
        ("?sort=secret", "sort: Select a valid choice."),
        ("?page=0", "page: Ensure this value is greater than or equal to 1."),
        ("?format=xml", "format: Select a valid choice."),
    ],
)
def test_an_invalid_filter_answers_400_naming_it(english, query, message):
    url = reverse("budgets:line-items") + query
    page = english.get(url)
    assert page.status_code == 400
    assert message in page.content.decode()
    if "format=" not in query:
        as_csv = english.get(url + "&format=csv")
        assert as_csv.status_code == 400
        assert as_csv.content.decode().startswith("Invalid query parameters:\n")
        assert message in as_csv.content.decode()
        as_json = english.get(url + "&format=json")
        assert as_json.status_code == 400
        assert list(json.loads(as_json.content)["errors"]) == [message.split(":")[0]]


def test_the_county_filter_takes_a_code_or_a_name_and_says_which_county(english):
    """A text box, not a <select> of every county that has published (2,850 nationally)."""
    for code, province, prefecture in (
        ("310107", "上海市", ""),
        ("330903", "浙江省", "舟山市"),
        ("130127", "", ""),
    ):
        county = make_county(f"县{code}", code=code, province=province, prefecture=prefecture)
        make_budget_year(make_department(county, name=f"县{code}财政局"), 2022)
    County.objects.filter(code__in=["310107", "330903"]).update(name="普陀区")
    County.objects.filter(code="130127").update(name="高邑县", province="河北省", prefecture="石家庄市")
    url = reverse("budgets:budget-years")

    page = english.get(url + "?county=130127").content.decode()
    assert 'name="county" value="130127"' in page
    assert '<span class="muted chosen-county">高邑县 (河北省 石家庄市)</span>' in page
    assert "<option" not in page[page.index('id="id_county"') - 200 : page.index('id="id_county"') + 200]
    # A name only one county has, or the start of it, is that county.
    for name in ("高邑县", "高邑", " 130127 "):
        data = json.loads(body(english.get(url, {"county": name, "format": "json"})))
        assert [row["county"] for row in data["rows"]] == ["高邑县"]
        assert '<span class="muted chosen-county">高邑县 (河北省 石家庄市)</span>' in (
            english.get(url, {"county": name}).content.decode()
        )
    # A name two counties have: the page names both, with their places and codes.
    page = english.get(url, {"county": "普陀区"})
    assert page.status_code == 400
    assert (
        "Several counties are called 普陀区: 普陀区 (上海市) 310107; 普陀区 (浙江省 舟山市) 330903. "
        "Give the code of the one you mean."
    ) in page.content.decode()
    chinese = english.get(url, {"county": "普陀区"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert (
        "有多个县名为普陀区：普陀区 (上海市) 310107; 普陀区 (浙江省 舟山市) 330903。请给出所指县的代码。"
        in chinese
    )


@pytest.mark.parametrize("name", ["budget-years", "line-items", "three-costs", "indicators"])
def test_each_list_page_renders_in_three_queries_and_exports(
    english, samples, name, django_assert_num_queries
):
    url = reverse(f"budgets:{name}")
    # Department-kind choices, count, the page's keys, its rows (budgets.paging).
    with django_assert_num_queries(4):
        response = english.get(url + "?sort=-year")
    assert response.status_code == 200
    assert "Download CSV (all pages)" in response.content.decode()
    with django_assert_num_queries(1):
        csv_response = english.get(url + "?format=csv")
        rows = body(csv_response).decode("utf-8-sig").splitlines()
    with django_assert_num_queries(2):
        data = json.loads(body(english.get(url + "?format=json")))
    assert len(rows) - 1 == data["count"] == len(data["rows"]) > 0


def test_indicator_text_search_and_kind(english, samples):
    response = english.get(
        reverse("budgets:indicators") + "?county=130127&year_min=2022&q=大气&kind=project&format=json"
    )
    data = json.loads(body(response))
    assert data["count"] == 5
    assert {row["group"] for row in data["rows"]} == {"大气办经费"}


def test_figures_that_need_checking_are_flagged_in_lists_and_exports(english):
    world = make_world()
    office = world["office_2022"]
    office.needs_checking = ["three_costs.total", "totals.income"]
    office.save()
    url = reverse("budgets:budget-years") + "?department=甲县&sort=-year"

    rows = list(csv.reader(io.StringIO(body(english.get(url + "&format=csv")).decode("utf-8-sig"))))
    flag = rows[0].index("Needs checking")
    # Years tied are in the key's order, descending as the sort is: the later saved first.
    assert [(row[1], row[2], row[flag]) for row in rows[1:]] == [
        ("甲县财政局", "2022", ""),
        ("甲县人民政府办公室", "2022", "income"),  # its own totals only: the 三公 total is the next list's
        ("甲县人民政府办公室", "2021", ""),
    ]
    data = json.loads(body(english.get(url + "&format=json")))
    assert [row["needs_checking"] for row in data["rows"]] == [[], ["income"], []]
    three_costs = json.loads(
        body(english.get(reverse("budgets:three-costs") + "?department=甲县&format=json"))
    )
    assert {(row["department"], row["year"]): row["needs_checking"] for row in three_costs["rows"]} == {
        ("甲县人民政府办公室", 2022): ["total"],
        ("甲县人民政府办公室", 2021): [],
        ("甲县财政局", 2022): [],
    }

    html = english.get(url).content.decode()
    assert '<td class="num needs-checking"><span class="doubtful">100.00</span> ' in html
    assert html.count('<span class="check-mark">needs checking</span>') == 2  # the figure, the flag column
    assert '<td class="num">100.00</td>' in html  # the same income, unflagged, in other years


def test_a_line_item_field_printed_in_an_unclear_column_is_unclear_not_missing(english):
    make_unclear_line_item(make_world()["office_2022"])
    url = reverse("budgets:line-items") + "?code=20103"
    rows = list(csv.reader(io.StringIO(body(english.get(url + "&format=csv")).decode("utf-8-sig"))))
    assert rows[0][10] == "Unclear in the document"
    assert rows[1][6:14] == ["80.00", "", "", "", "basic; project", "budget", "人民政府办公室", ""]
    html = english.get(url).content.decode()
    assert html.count('<td class="num unclear"><span class="unclear">unclear</span></td>') == 2


def test_a_printed_name_shows_as_text_in_the_list_never_as_markup(english):
    office = make_world()["office_2022"]
    LineItem.objects.create(
        budget_year=office, kind="project", code="20103", name='<img src=x onerror="alert(1)">&', position=99
    )
    html = english.get(reverse("budgets:line-items") + "?code=20103").content.decode()
    assert "<td>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;</td>" in html
    assert "<img src=x" not in html


@pytest.mark.parametrize(
    ("listing", "sort", "order"),
    [
        ("LINE_ITEMS", "-year", ("-budget_year__year", "-budget_year_id", "-pk")),
        ("INDICATORS", "county", ("budget_year__department__county__name", "budget_year_id", "pk")),
        ("BUDGET_YEARS", "department", ("department__name", "department_id", "pk")),
        ("LINE_ITEMS", "code", ("code", "pk")),
        # The indicator's name as its index holds it.
        ("INDICATORS", "-name", ("-name_start", "-pk")),
    ],
)
def test_a_sort_ends_on_the_row_a_related_column_belongs_to_then_the_key(listing, sort, order):
    """Sorted by a year or a county, thousands of rows tie: ending on their budget year, then
    the key, lets the database sort a few dozen at a time along its index (an incremental sort)
    where a sort by key alone sorted every row of a year (9 s for the national indicators)."""
    listing = getattr(lists, listing)
    found = listing.filterset({"sort": sort}, queryset=listing.queryset)
    assert found.is_valid()
    assert found.qs.query.order_by == order
