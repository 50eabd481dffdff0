"""Rankings within a prefecture or province, each department at its latest budget: the list
(/rankings/) with its rank column and export, and the sentence on the department page."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.base import make_budget_year, make_county, make_department

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    """Three 人民政府办公室 in 石家庄市 and one in 保定市; 高邑's latest year is 2022."""
    gaoyi = make_county("高邑县", code="130127", province="河北省", prefecture="石家庄市")
    wuji = make_county("无极县", code="130130", province="河北省", prefecture="石家庄市")
    zanhuang = make_county("赞皇县", code="130129", province="河北省", prefecture="石家庄市")
    laiyuan = make_county("涞源县", code="130630", province="河北省", prefecture="保定市")
    three_costs = {}
    for county, year, total in [
        (gaoyi, 2021, "9.00"),
        (gaoyi, 2022, "1.51"),
        (wuji, 2018, "42.10"),
        (zanhuang, 2020, "3.00"),
        (laiyuan, 2016, "113.50"),
    ]:
        budget_year = make_budget_year(make_department(county, name=f"{county.name}人民政府办公室"), year)
        budget_year.three_costs.total = Decimal(total)
        budget_year.three_costs.save()
        three_costs[(county.name, year)] = budget_year
    make_department(gaoyi, name="高邑县财政局")
    return three_costs


def body(response):
    return b"".join(response.streaming_content)


def test_rankings_rank_each_department_at_its_latest_budget(english, offices, django_assert_num_queries):
    url = reverse("budgets:rankings") + "?prefecture=石家庄市&department_kind=人民政府办公室"
    data = json.loads(body(english.get(url + "&format=json")))
    assert [(row["rank"], row["county"], row["year"], row["value"]) for row in data["rows"]] == [
        (1, "无极县", 2018, "42.10"),
        (2, "赞皇县", 2020, "3.00"),
        (3, "高邑县", 2022, "1.51"),  # its latest year, not 2021's 9.00
    ]
    province = json.loads(body(english.get(reverse("budgets:rankings") + "?province=河北省&format=json")))
    assert [row["rank"] for row in province["rows"]] == [1, 2, 3, 4]
    # Department-kind choices, count, one page.
    with django_assert_num_queries(3):
        html = english.get(url + "&sort=county").content.decode()
    assert "高邑县" in html


def test_department_page_says_where_it_stands(english, offices):
    page = offices[("高邑县", 2022)].department.get_absolute_url()
    html = english.get(page).content.decode()
    assert "3rd highest three public costs of 3 人民政府办公室 in 石家庄市" in html
    assert "4th highest three public costs of 4 人民政府办公室 in 河北省" in html
