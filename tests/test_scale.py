"""National scale (issue 11): the synthetic dataset, the figures kept when data changes, lists
whose count and pages stop at a limit, and pages whose number of queries does not grow with the
data. The national benchmark itself is `make bench-scale`, never part of the tests."""

import io
from decimal import Decimal
from urllib.parse import quote, urlencode

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets import anchors, bulk, paging, summaries, synthetic
from budgets.execution import RATES, execution_queryset
from budgets.models import (
    BudgetYear,
    County,
    CountySummary,
    Department,
    Execution,
    Finding,
    Headline,
    LineItem,
    PerformanceIndicator,
    ThreeCosts,
)
from budgets.search import query as search_query
from ingest import divisions as divisions_list
from ingest.models import SourceDocument
from tests.base import make_budget_year, make_county, make_department

pytestmark = pytest.mark.django_db

SMALL = {"departments": 12, "years": 4, "seed": 7}


def synthesize(counties, **options):
    call_command("synthesize", counties=counties, stdout=io.StringIO(), **{**SMALL, **options})


@pytest.fixture
def divisions():
    """Twenty counties of 河北省 from the national list, 高邑县 among them (load_divisions loads
    all 2,849, which the tests need not wait for)."""
    hebei = {d.code: (name, d) for name, d in divisions_list.every_county() if d.code.startswith("13")}
    codes = sorted(hebei)[:19] + ["130127"]
    County.objects.bulk_create(
        County(code=code, name=hebei[code][0], province="河北省", prefecture=hebei[code][1].prefecture or "")
        for code in dict.fromkeys(codes)
    )


@pytest.fixture
def world(divisions):
    synthesize(2)


# The synthetic dataset --------------------------------------------------------------------


def test_synthesize_fills_counties_with_departments_and_their_years(world):
    counties = County.objects.filter(departments__isnull=False).distinct()
    assert counties.count() == 2
    # 12 departments a county, a tenth of them units under a department of their kind.
    assert Department.objects.count() == 24
    assert Department.objects.filter(parent__isnull=False).count() == 2
    years = BudgetYear.objects.all()
    assert years.filter(kind="budget").exists() and years.filter(kind="final_accounts").exists()
    assert set(years.values_list("year", flat=True)) <= {2021, 2022, 2023, 2024}
    # Every disclosure has its own document, saved and named as synthetic.
    assert SourceDocument.objects.count() == years.count()
    assert not SourceDocument.objects.exclude(status="saved").exists()
    assert not SourceDocument.objects.exclude(original_name__endswith="（合成）.txt").exists()
    assert LineItem.objects.exists() and PerformanceIndicator.objects.exists()
    # The kinds the loader would give the names.
    assert Department.objects.filter(kind="财政局").count() == 2


def test_synthetic_amounts_add_up_exactly(world):
    """Parts sum to their whole to the last of the six decimals, as the generator meant them."""
    for by in BudgetYear.objects.filter(basic__isnull=False, personnel__isnull=False, public__isnull=False):
        assert by.basic == by.personnel + by.public
    for by in BudgetYear.objects.filter(
        basic__isnull=False, project__isnull=False, expenditure__isnull=False
    ):
        assert by.expenditure == by.basic + by.project
    costs = ThreeCosts.objects.filter(total__isnull=False, overseas__isnull=False, reception__isnull=False)
    assert costs.exists()
    for cost in costs.exclude(vehicle__isnull=True):
        assert cost.total == cost.overseas + cost.vehicle + cost.reception
    # A 类 is the sum of its 款, each 款 of its 项: but for a 款 printed 0.01 off, which the
    # checks report as a finding of that budget year.
    off = {
        (f.budget_year_id, f.message.split("：")[1].split()[0])
        for f in Finding.objects.filter(severity="info")
    }
    for item in LineItem.objects.filter(kind="functional", leaf=False):
        children = LineItem.objects.filter(
            budget_year=item.budget_year_id, kind="functional", parent_code=item.code
        ).aggregate(total=Sum("amount"))["total"]
        expected = children + (Decimal("0.01") if (item.budget_year_id, item.code) in off else 0)
        assert item.amount == expected, (item.budget_year_id, item.code)


def test_amounts_keep_every_digit_through_the_bulk_path(divisions):
    county = County.objects.get(code="130127")
    [department_id] = bulk.next_ids({"d": Department}).values()
    ids = synthetic.Ids(bulk.next_ids({"document": SourceDocument, "budget_year": BudgetYear}))
    document = synthetic.row(
        "document", id=ids.take("document"), file="sources/x.txt", original_name="x（合成）.txt",
        sha256="0" * 64, format="text", size=1, uploaded_at="2024-01-01T00:00:00+00:00",
        published_on=None, status="saved", error="", parser_version="synthetic", parse_attempts=0,
    )  # fmt: skip
    with transaction.atomic():
        bulk.write(
            Department,
            synthetic.COLUMNS["department"],
            [(department_id, county.pk, "高邑县财政局", "1", "[]", "财政局", None)],
        )
        bulk.write(SourceDocument, synthetic.COLUMNS["document"], [document])
        by = {column: None for column in synthetic.COLUMNS["budget_year"]}
        by |= {
            "id": ids.take("budget_year"),
            "department_id": department_id,
            "year": 2024,
            "kind": "budget",
            "level": "department",
            "source_document_id": document[0],
            "income": synthetic.fen_text(123456789012345),
            "expenditure": synthetic.fen_text(1),
            "sources": "{}",
            "needs_checking": "[]",
            "created_at": "2024-01-01T00:00:00+00:00",
        }
        bulk.write(BudgetYear, synthetic.COLUMNS["budget_year"], [tuple(by.values())])
    saved = BudgetYear.objects.get()
    assert (saved.income, saved.expenditure) == (Decimal("123456789.012345"), Decimal("0.000001"))
    # A column the bulk load does not name holds the model's default.
    assert saved.latest_budget is False and saved.department.aliases == []


def test_synthesize_leaves_counties_that_have_data_alone(world):
    before = set(Department.objects.values_list("pk", flat=True))
    synthesize(1, seed=8)
    assert set(Department.objects.values_list("pk", flat=True)) >= before
    assert County.objects.filter(departments__isnull=False).distinct().count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_the_copy_path_keeps_every_constraint_and_moves_the_keys_on(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE conname = 'line_item_unique'")
        assert cursor.fetchone()[0] == 1
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'line_item_amount_idx'")
        assert cursor.fetchone()[0] == 1
    item = LineItem.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        LineItem.objects.create(
            budget_year_id=item.budget_year_id, kind=item.kind, code=item.code, name=item.name
        )
    # The sequences start after the keys COPY wrote.
    assert make_budget_year().pk > BudgetYear.objects.exclude(department__county__name="甲县").latest("pk").pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="VACUUM is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_ends_with_vacuum_where_it_can():
    """VACUUM marks the loaded pages all-visible for index-only scans; it cannot run in a
    transaction, where the load ends with ANALYZE alone."""
    with transaction.atomic():
        assert bulk.vacuum_analyze() == "ANALYZE"
    assert bulk.vacuum_analyze() == "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s",
            [LineItem._meta.db_table],
        )
        assert cursor.fetchone() == (True,)


# Figures kept when the data changes -------------------------------------------------------


def full_headlines():
    """The headlines as a search of everything finds them."""
    Headline.objects.all().delete()
    summaries.refresh_headlines()
    return {h.kind: (h.budget_year_id, h.count, h.previous_year) for h in Headline.objects.all()}


def test_kept_figures_follow_every_save(world):
    kept = {h.kind: (h.budget_year_id, h.count, h.previous_year) for h in Headline.objects.all()}
    assert set(kept) >= {"three_costs", "change"}
    assert kept == full_headlines()
    # A department of another county budgets the largest three costs of all: the headline moves.
    county = make_county("乙县")
    budget_year = make_budget_year(make_department(county, name="乙县财政局"), 2024)
    budget_year.three_costs.total = Decimal("99999.99")
    budget_year.three_costs.save()
    assert Headline.objects.get(kind="three_costs").budget_year == budget_year
    summary = CountySummary.objects.get(county=county)
    assert (summary.budget_years, summary.departments, summary.disclosures) == ([2024], 1, 1)
    # An error found, then removed by itself: the county's count follows both.
    finding = Finding.objects.create(budget_year=budget_year, severity="error", rule="x", message="x")
    assert CountySummary.objects.get(county=county).errors == 1
    finding.delete()
    assert CountySummary.objects.get(county=county).errors == 0
    # Gone again: the headline is searched for everywhere, and is what a full search finds.
    budget_year.delete()
    assert {h.kind: (h.budget_year_id, h.count, h.previous_year) for h in Headline.objects.all()} == kept
    assert not CountySummary.objects.filter(county=county).exists()


def test_county_summaries_count_what_each_county_published(world):
    for summary in CountySummary.objects.all():
        years = BudgetYear.objects.filter(department__county=summary.county_id)
        assert summary.disclosures == years.count()
        assert summary.budget_years == sorted(set(years.filter(kind="budget").values_list("year", flat=True)))
        assert summary.final_years == sorted(
            set(years.filter(kind="final_accounts").values_list("year", flat=True))
        )
        assert summary.departments == years.values("department").distinct().count()
        assert summary.budgets == years.filter(kind="budget").count()
        assert summary.line_items == LineItem.objects.filter(budget_year__in=years).count()
        assert summary.indicators == PerformanceIndicator.objects.filter(budget_year__in=years).count()
        assert summary.errors == Finding.objects.filter(budget_year__in=years, severity="error").count()
        assert summary.doubted == years.exclude(needs_checking=[]).count()
    assert sum(s.line_items for s in CountySummary.objects.all()) == LineItem.objects.count() > 0
    assert sum(s.indicators for s in CountySummary.objects.all()) == PerformanceIndicator.objects.count() > 0


def test_latest_budgets_and_execution_rates_are_those_computed(world):
    latest = BudgetYear.objects.filter(latest_budget=True)
    for department in Department.objects.annotate(n=Count("budget_years")).filter(n__gt=0):
        budgets = department.budget_years.filter(kind="budget", level="department").order_by("-year")
        assert list(latest.filter(department=department)) == list(budgets[:1])
    stored = {e.final_accounts_id: e for e in Execution.objects.all()}
    computed = list(execution_queryset())
    assert computed and len(stored) == len(computed)
    ten_places = Decimal("1e-10")  # the rates' scale: SQLite hands the expression back unscaled
    for final in computed:
        for rate in RATES:
            live = getattr(final, rate)
            expected = None if live is None else Decimal(live).quantize(ten_places)
            assert getattr(stored[final.pk], rate) == expected, (final.pk, rate)


# Lists: a count that stops, pages that end ---------------------------------------------------


def test_a_list_counts_up_to_its_limit_and_pages_no_further(english, world, monkeypatch):
    monkeypatch.setattr(paging.BoundedPaginator, "limit", 120)
    url = reverse("budgets:line-items")
    html = english.get(url).content.decode()
    assert "More than 120 rows" in html and "page 1 of 3" in html
    html = english.get(f"{url}?page=4").content.decode()
    assert "There is no page beyond page 3 here." in html and "<tbody>" not in html
    # Under the limit the count is exact.
    county = County.objects.filter(summary__isnull=False).first()
    response = english.get(f"{url}?county={county.code}&kind=project")
    rows = LineItem.objects.filter(budget_year__department__county=county, kind="project").count()
    assert 0 < rows <= 120
    assert f"{rows} row" in response.content.decode()


# Pages whose number of queries does not grow with the data ----------------------------------


def pages():
    """An address of every public page type, from the data: the county that published most,
    its department with most disclosures (of a known kind), a year with both kinds."""
    summary = CountySummary.objects.select_related("county").order_by("-disclosures", "county__code").first()
    county = summary.county
    department = (
        Department.objects.filter(county=county)
        .exclude(kind="")
        .annotate(n=Count("budget_years"))
        .order_by("-n", "name")
        .first()
    )
    years = department.budget_years.filter(level="department")
    final = years.filter(kind="final_accounts", year__in=years.filter(kind="budget").values("year")).latest(
        "year"
    )
    budget = years.get(kind="budget", year=final.year)
    compared = list(CountySummary.objects.values_list("county__code", flat=True))
    return [
        "/",
        "/places/",
        f"/places/{quote(county.province)}/",
        f"/places/{quote(county.province)}/{quote(county.prefecture)}/" if county.prefecture else "/places/",
        county.get_absolute_url(),
        department.get_absolute_url(),
        budget.get_absolute_url(),
        final.get_absolute_url(),
        reverse("budgets:execution-detail", args=[county.slug, department.name, final.year]),
        "/budget-years/?sort=-expenditure",
        f"/line-items/?county={county.code}&sort=-amount",
        "/three-costs/?sort=-total",
        "/indicators/",
        "/execution/?sort=-reception_rate",
        "/rankings/?by=three_costs",
        "/compare/?" + urlencode({"county": compared, "department": department.kind}, doseq=True),
        # 经费 is in names of every kind the search reads, in the small set as in the larger.
        "/search/?q=" + quote("经费"),
        "/search/?q=" + quote(county.name),
        f"/embed/three-costs{budget.get_absolute_url()}",
        f"/svg/three-costs{budget.get_absolute_url()}",
        f"/cite/{budget.pk}/{anchors.figure_anchor('totals.expenditure')}/",
        "/about/",
        "/api/",
        "/data/",
        "/feeds/disclosures/",
        f"/feeds/counties/{county.slug}/",
        "/sitemap.xml",
        "/sitemap-disclosures.xml",
    ]


def queries(client, paths):
    counted = {}
    for path in paths:
        with CaptureQueriesContext(connection) as caught:
            response = client.get(path)
        assert response.status_code == 200, path
        counted[path] = len(caught)
    return counted


def test_no_page_makes_more_queries_with_more_data(client, world, monkeypatch, settings, tmp_path):
    # A search reads the rows it found where they fit on the page, else the names that matched:
    # at national scale always the names. Limits of one put both sets there.
    monkeypatch.setattr(search_query, "LIMIT", 1)
    monkeypatch.setattr(search_query, "INDICATOR_LIMIT", 1)
    # The first visit to /data/ asks for the dataset to be built (one query); later ones find
    # the build asked for: both sets are measured after it.
    settings.MEDIA_ROOT = tmp_path / "media"
    client.get("/data/")
    paths = pages()
    small = queries(client, paths)
    synthesize(4, seed=9)  # three times the counties
    assert County.objects.filter(summary__isnull=False).count() == 6
    assert queries(client, paths) == small


@pytest.mark.parametrize(
    ("listing", "query"),
    [
        ("LINE_ITEMS", ""),
        ("LINE_ITEMS", "sort=-amount"),
        ("INDICATORS", ""),
        ("EXECUTION", "sort=-reception_rate"),
        # A place: the page is read from the place's budget years, a batch at a time.
        ("LINE_ITEMS", "province=河北省"),
        ("INDICATORS", "province=河北省&year_min=2022&year_max=2023"),
        ("LINE_ITEMS", "province=河北省&kind=functional&level=1"),
        ("LINE_ITEMS", "province=河北省&department=局&kind=functional"),
        ("INDICATORS", "province=河北省&department_kind=财政局"),
        # Words in one year of the country: its budget years, newest first, a slice at a time.
        ("INDICATORS", "year_min=2023&year_max=2023&q=培训"),
        ("LINE_ITEMS", "year_min=2023&year_max=2023&q=经费"),
        ("LINE_ITEMS", "year_min=2023&year_max=2023&department_kind=财政局"),
    ],
)
def test_a_page_read_in_two_steps_holds_its_slice_in_order(world, monkeypatch, listing, query):
    """Keys first, then the rows: the same rows, in the same order, as slicing the list."""
    from django.http import QueryDict

    from budgets import lists

    listing = getattr(lists, listing)
    monkeypatch.setattr(paging.BoundedPaginator, "limit", 12)
    monkeypatch.setattr(paging, "YEARS_BATCH", 1)  # a batch of one year, then 4, 16…
    f = listing.filterset(QueryDict(query), queryset=listing.queryset)
    assert f.is_valid()
    rows = f.qs.values_list(*[column.path for column in listing.columns])
    years = lists._listed_years(listing, f)
    assert (years is not None) == ("province" in query or "q=" in query)
    paginator = paging.BoundedPaginator(
        rows, 4, everything=not query and not listing.queryset.query.where, years=years
    )
    assert paginator.capped
    assert list(paginator.page(3).object_list) == list(rows[8:12])
    # Counted among the place's years as the list counts its rows through the joins.
    monkeypatch.setattr(paging.BoundedPaginator, "limit", 100_000)
    assert paging.BoundedPaginator(rows, 4, years=years).count == rows.count()


def test_the_kinds_of_department_offered_are_every_kind_saved(world):
    """One step down the index per kind (filters.department_kinds) finds what DISTINCT finds."""
    from budgets.filters import department_kinds
    from budgets.models import Department

    saved = Department.objects.exclude(kind="").values_list("kind", flat=True).distinct().order_by("kind")
    assert len(saved) > 3
    assert department_kinds() == [(kind, kind) for kind in saved]


def test_a_key_among_more_keys_than_a_query_may_bind(world):
    """`__any_of` sends its keys as one parameter: SQLite binds at most 32,766."""
    from budgets.lookups import Keys
    from budgets.models import BudgetYear, LineItem

    newest = BudgetYear.objects.latest("pk").pk
    keys = Keys([newest, *range(newest + 1, newest + 40_000)])
    rows = LineItem.objects.filter(budget_year__any_of=keys)
    assert rows.count() == LineItem.objects.filter(budget_year=newest).count() > 0
    assert not LineItem.objects.filter(budget_year__any_of=Keys([])).exists()


def test_deleting_a_headlines_budget_year_finds_another(samples):
    """Its three costs and findings go first, while it is still there: a refresh then pointed
    the headline back at it (a crash the sitemap's test found)."""
    for headline in Headline.objects.all():
        BudgetYear.objects.filter(pk=headline.budget_year_id).delete()
        connection.check_constraints()
        assert {h.kind: (h.budget_year_id, h.count, h.previous_year) for h in Headline.objects.all()} == (
            full_headlines()
        )


@pytest.mark.parametrize("sort", ["name", "-name"])
def test_the_indicators_by_name_are_read_off_their_index(world, sort):
    """The list sorted by name walks indicator_name_idx: on SQLite only where the query writes the
    index's own expression, `SUBSTR("name", 1, 200)`; with its numbers as parameters SQLite
    sorted every indicator (700 ms at SCALE=0.05)."""
    from django.http import QueryDict

    from budgets import lists

    if connection.vendor != "sqlite":
        pytest.skip("the plan asked of SQLite; PostgreSQL plans by its statistics (make bench-scale)")
    f = lists.INDICATORS.filterset(QueryDict(f"sort={sort}"), queryset=lists.INDICATORS.queryset)
    assert f.is_valid()
    sql, params = f.qs.values("pk")[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "indicator_name_idx" in plan and "TEMP B-TREE" not in plan, plan


def test_words_in_one_year_read_each_batch_of_the_years_once(world, client, monkeypatch):
    """The count and then the page go through the same batches of the year's budget years:
    each batch of keys is asked of the database once."""
    monkeypatch.setattr(paging.BoundedPaginator, "limit", 12)
    monkeypatch.setattr(paging, "YEARS_BATCH", 1)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/indicators/?q=培训&year_min=2023&year_max=2023").status_code == 200
    batches = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "budgets_budgetyear"."id"')
    ]
    assert len(batches) > 1 and len(batches) == len(set(batches))
