"""The comparison page, its chart data and its CSV (budgets.compare), on the sample disclosures."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.compare import compare_rows, comparison_chart, department_kind
from budgets.models import BudgetYear, County, Department
from tests import test_lists
from tests.base import make_budget_year, make_county, make_department, make_world

body = test_lists.body

pytestmark = pytest.mark.django_db

FOUR = "county=130532&county=130130&county=130630&county=130127&department=人民政府办公室"


def _row(comparison, key):
    return [cell.value for cell in comparison.figures[key]["cells"]]


def test_department_kind_lines_up_the_same_office_across_counties():
    # The kind stored on the department at ingest; a department of unknown kind shows its name.
    assert department_kind(Department(name="高邑县人民政府办公室", kind="人民政府办公室")) == "人民政府办公室"
    assert department_kind(Department(name="某单位", kind="")) == "某单位"


def test_columns_and_amounts_are_the_figures_as_printed(samples):
    comparison = compare_rows(["130532", "130130", "130630", "130127"], "人民政府办公室")
    assert [c.label for c in comparison.columns] == [
        "平乡县 · 人民政府办公室 · 2021",
        "无极县 · 人民政府办公室 · 2018",
        "涞源县 · 人民政府办公室 · 2016",
        "高邑县 · 人民政府办公室 · 2019",
        "高邑县 · 人民政府办公室 · 2022",
    ]
    assert _row(comparison, "expenditure") == [
        Decimal(v) for v in ["1384.07", "647.32", "1150.51", "939.16", "394.30"]
    ]
    assert _row(comparison, "three_costs_change")[3] == Decimal("-23.96")
    assert _row(comparison, "indicators") == [104, 25, 52, 56, 22]


def test_a_missing_figure_says_so_and_is_never_zero(samples):
    comparison = compare_rows(["130130", "130630"])
    basic = comparison.figures["basic"]["cells"]  # 无极县 2018 prints no 基本支出
    assert (basic[0].value, basic[0].note) == (None, "未公开")
    operating = comparison.figures["operating"]["cells"]  # 涞源县 2016 prints no 机关运行经费
    assert (operating[1].value, operating[1].note) == (None, "未公开")


def test_change_is_on_the_previous_disclosed_year_of_the_same_department(samples):
    amounts = compare_rows(["130127"], years=[2022], measure="change")
    assert _row(amounts, "expenditure") == [Decimal("-544.86")]  # 394.30 − 939.16 (2019)
    percent = compare_rows(["130127"], measure="change_pct")
    assert _row(percent, "expenditure") == [None, Decimal("-58.0")]
    assert percent.figures["expenditure"]["cells"][0].note == "无更早年度"


def test_share_and_per_staff(samples):
    share = compare_rows(["130127"], years=[2019], measure="share")
    assert _row(share, "project") == [Decimal("56.6")]  # 532 / 939.16
    assert share.figures["indicators"]["cells"][0].note == "不是金额"
    per_staff = compare_rows(["130630", "130127"], years=[2016, 2019], measure="per_staff")
    assert _row(per_staff, "expenditure") == [Decimal("20.92"), None]  # 1150.51 / 55 in service
    assert per_staff.figures["expenditure"]["cells"][1].note == "未公开人员数"


def test_expenditure_by_functional_class_has_a_row_per_level_one_code(samples):
    comparison = compare_rows(["130127"])
    functional = [row["label"] for row in comparison.rows if row["key"].startswith("functional_")]
    assert functional == [
        "201 一般公共服务支出",
        "208 社会保障和就业支出",
        "210 卫生健康支出",
        "211 节能环保支出",
        "221 住房保障支出",
    ]
    assert _row(comparison, "functional_201") == [None, Decimal("296.930000")]


def test_chart_is_grouped_bars_for_one_year_and_the_years_with_their_gaps_across_years(samples):
    one_year = comparison_chart(compare_rows(years=[2019]), "expenditure", "amount")
    assert one_year.kind == "bar"
    assert one_year.spec["datasets"][0]["label"] == "高邑县 · 人民政府办公室 · 2019"
    assert one_year.spec["datasets"][0]["data"][:3] == ["939.160000", "407.160000", "532.000000"]
    across = comparison_chart(compare_rows(["130130", "130127"]), "basic", "amount")
    # Every year from the first to the last: a year not disclosed and a figure not printed are gaps
    # (null), never 0. No department has two neighbouring years, so they are bars, not lone dots.
    assert across.kind == "bar"
    assert across.labels == [2018, 2019, 2020, 2021, 2022]
    assert across.spec["datasets"] == [
        {"label": "无极县 · 人民政府办公室", "data": [None, None, None, None, None]},
        {"label": "高邑县 · 人民政府办公室", "data": [None, "407.160000", None, None, "336.300000"]},
    ]
    assert across.heading == "无极县、高邑县 人民政府办公室：基本支出（2018—2022年）"
    assert across.unit_text == "万元"


def test_page_csv_and_chart_agree(english, samples):
    url = reverse("budgets:compare") + "?" + FOUR + "&measure=change"
    html = english.get(url).content.decode()
    assert '<tr data-key="expenditure"><th scope="row">Expenditure total</th>' in html
    assert '<td class="missing">no earlier year</td>' in html
    assert '<td class="num">−544.86</td>' in html
    chart = json.loads(
        html.split('<script id="compare-data" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["type"] == "bar" and chart["unit"] == "10,000 yuan"

    response = english.get(url + "&format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="compare-change.csv"'
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0] == [
        "Group",
        "Figure (change on the previous disclosed year)",
        "平乡县 · 人民政府办公室 · 2021",
        "无极县 · 人民政府办公室 · 2018",
        "涞源县 · 人民政府办公室 · 2016",
        "高邑县 · 人民政府办公室 · 2019",
        "高邑县 · 人民政府办公室 · 2022",
        "Needs checking",
        "Corrected",
    ]
    # No earlier year to compare with is "n/a" (budgets.missing), not an empty "not printed".
    assert rows[2] == ["Totals", "Expenditure total", "n/a", "n/a", "n/a", "n/a", "-544.86", "", ""]


def test_csv_of_amounts_keeps_exact_decimals(english, samples):
    response = english.get(reverse("budgets:compare") + "?county=高邑县&year=2019&format=csv")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''compare-amount-%E9%AB%98%E9%82%91%E5%8E%BF-2019.csv"
    )
    rows = {row[1]: row[2] for row in csv.reader(io.StringIO(body(response).decode("utf-8-sig")))}
    assert rows["Three public costs"] == "0.80"
    assert rows["Three public costs: change on the year before, as printed"] == "-23.96"
    assert rows["Office running costs (机关运行经费)"] == "64.16"
    assert rows["Basic expenditure"] == "407.16"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("year=1800", "year", "Select a valid choice"),
        ("county=不存在县", "county", "No county that has published has the code or name 不存在县."),
        ("county=130127+999999", "county", "No county that has published has the code or name 999999."),
        ("measure=median", "measure", "Select a valid choice"),
        ("department=x局", "department", "Select a valid choice"),
    ],
)
def test_an_invalid_choice_answers_400(english, samples, query, field, message):
    page = english.get(reverse("budgets:compare") + "?" + query)
    assert page.status_code == 400
    assert message in page.content.decode()
    as_csv = english.get(reverse("budgets:compare") + "?" + query + "&format=csv")
    assert as_csv.status_code == 400
    assert as_csv.content.decode().startswith(f"{field}: ")


def test_page_queries_do_not_grow_with_counties(english, django_assert_num_queries):
    make_world()
    for index in range(6):
        county = make_county(f"乙{index}县", code=f"13990{index}")
        for year in (2021, 2022):
            make_budget_year(make_department(county, name=f"乙{index}县人民政府办公室"), year)
    # form choices: years (budgets.summaries), kinds; how many counties have published (none
    # named); compare_rows: the keys of what matches, the budget years shown, functional
    # classes, indicators
    with django_assert_num_queries(7):
        response = english.get(reverse("budgets:compare") + "?department=人民政府办公室")
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="col" class="num">') == 14
    # Counties by code, however many: looked up in one query.
    codes = list(County.objects.filter(name__startswith="乙").values_list("code", flat=True))
    with django_assert_num_queries(7):
        response = english.get(reverse("budgets:compare") + "?county=" + "&county=".join(codes))
    assert response.content.decode().count('<th scope="col" class="num">') == 12


def test_empty_choice_says_so(english):
    make_world()
    response = english.get(reverse("budgets:compare") + "?year=2021&department=财政局")
    assert "No budget year matches this choice." in response.content.decode()


def test_a_figure_that_needs_checking_is_marked_on_the_page_and_in_the_exports(english, samples):
    # 涞源县 2016 prints its 三公 total as 1135000万元 in the text, 113.50 in the table.
    url = reverse("budgets:compare") + "?" + FOUR
    html = english.get(url).content.decode()
    row = html[html.index('<tr data-key="three_costs">') :]
    row = row[: row.index("</tr>")]
    assert row.count("needs checking") == 1
    assert '<td class="num needs-checking"><span class="doubtful">113.50</span> ' in row

    rows = list(csv.reader(io.StringIO(body(english.get(url + "&format=csv")).decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Needs checking", "Corrected"]
    flags = {row[1]: row[-2] for row in rows[1:]}
    assert flags["Three public costs"] == "涞源县 · 人民政府办公室 · 2016"
    assert flags["Receptions"] == ""
    data = json.loads(body(english.get(url + "&format=json")))
    assert {row["figure"]: row["needs_checking"] for row in data["rows"]}["Three public costs"] == [
        "涞源县 · 人民政府办公室 · 2016"
    ]


def test_a_share_of_a_total_that_needs_checking_needs_checking_too(samples):
    BudgetYear.objects.filter(department__county__name="涞源县").update(needs_checking=["totals.expenditure"])

    def flags(measure, key):
        return [
            cell.needs_checking for cell in compare_rows(["130630"], measure=measure).figures[key]["cells"]
        ]

    assert flags("amount", "expenditure") == [True]
    assert flags("amount", "basic") == [False]
    assert flags("share", "basic") == [True]  # a share of a doubtful whole


def test_counties_typed_by_name_go_to_the_address_by_code(english, samples):
    url = reverse("budgets:compare")
    response = english.get(
        url, {"county": ["平乡 无极县、涞源县,130127", ""], "department": "人民政府办公室"}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        url + "?county=130532&county=130130&county=130630&county=130127&department=%E4%BA%BA%E6%B0%91"
        "%E6%94%BF%E5%BA%9C%E5%8A%9E%E5%85%AC%E5%AE%A4"
    )
    html = english.get(response["Location"]).content.decode()
    assert html.count('type="checkbox" name="county"') == 4
    assert (
        '<input type="checkbox" name="county" value="130127" checked> 高邑县 (河北省 石家庄市)</label>'
        in html
    )


def test_a_name_two_counties_share_is_refused_with_their_codes(english):
    make_world()
    for year, code, province, prefecture in (
        (2022, "310107", "上海市", ""),
        (2023, "330903", "浙江省", "舟山市"),
    ):
        county = County.objects.create(name="普陀区", code=code, province=province, prefecture=prefecture)
        make_budget_year(make_department(county, name="普陀区财政局"), year)
    response = english.get(reverse("budgets:compare"), {"county": "普陀 310107"})
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "Several counties are called 普陀: 普陀区 (上海市) 310107; 普陀区 (浙江省 舟山市) 330903. "
        "Give the code of the one you mean."
    ) in html
    # The county understood stays ticked; the word not understood stays in the box.
    assert 'value="310107" checked' in html
    assert 'class="add-counties" value="普陀"' in html


def test_beyond_a_tables_worth_of_counties_the_page_asks_which(english):
    make_world()
    codes = [f"1399{index:02}" for index in range(31)]
    for code in codes:
        county = make_county(f"丙{code}县", code=code)
        make_budget_year(make_department(county, name=f"丙{code}县财政局"), 2022)
    url = reverse("budgets:compare")
    page = english.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<p id="counties-needed">Type the counties to compare, by code or name' in html
    assert 'id="compare-table"' not in html
    as_csv = english.get(url + "?format=csv")
    assert as_csv.status_code == 400
    assert as_csv.content.decode().startswith("county: Type the counties to compare")
    assert english.get(url + "?county=139900").content.decode().count('<th scope="col" class="num">') == 1

    too_many = english.get(url + "?county=" + "&county=".join(codes))
    assert too_many.status_code == 400
    assert "Compare at most 30 counties at a time; 31 are named." in too_many.content.decode()


def test_the_form_reads_counties_from_a_plain_dict_too(samples):
    from budgets.compare import CompareForm

    for data in ({"county": "高邑 130630"}, {"county": ["高邑", "130630"]}):
        form = CompareForm(data)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["county"] == ["130127", "130630"]


def test_a_flood_of_county_names_is_refused_without_looking_each_up(
    english, samples, django_assert_max_num_queries
):
    words = " ".join(f"县{index}" for index in range(5000))
    with django_assert_max_num_queries(8):
        response = english.get(reverse("budgets:compare"), {"county": words})
    assert response.status_code == 400
    assert "Compare at most 30 counties at a time; 5000 are named." in response.content.decode()
