import pytest
from django.urls import reverse

from tests.base import make_world

pytestmark = pytest.mark.django_db


def test_home_names_each_county_with_its_years(client, django_assert_num_queries):
    make_world()
    with django_assert_num_queries(3):
        response = client.get(reverse("budgets:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<th scope="row"><a href="/counties/%E7%94%B2%E5%8E%BF/">甲县</a></th>' in html
    assert "2021, 2022" in html
    assert "甲县财政局 · 2022" in html


def test_home_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries):
    world = make_world()
    from tests.base import make_budget_year, make_county, make_department

    for index in range(5):
        make_budget_year(make_department(make_county(f"乙{index}县"), name=f"乙{index}县财政局"), 2020)
    assert world
    with django_assert_max_num_queries(3):
        client.get(reverse("budgets:home"))


def test_home_without_data_says_so(client):
    response = client.get(reverse("budgets:home"))
    assert (
        "No disclosures have been loaded yet." in response.content.decode()
        or "尚未" in response.content.decode()
    )


def test_home_switches_to_english_and_keeps_it_in_a_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert response.content.decode().startswith("<!doctype html>")
    assert 'lang="en"' in response.content.decode()
