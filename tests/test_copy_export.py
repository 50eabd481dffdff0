"""A list's CSV written by PostgreSQL's COPY (budgets.copy_export) is byte for byte the one the
Python path writes: BOM, header, quoting, formula escaping, exact decimals, flags, rates, booleans.

PostgreSQL only: `make test` runs this file on its throwaway cluster; on SQLite every test is
skipped with the reason shown (there the Python path is the only one)."""

from decimal import Decimal

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.urls import reverse

from budgets import copy_export, lists
from budgets.models import BudgetYear, LineItem, PerformanceIndicator, ThreeCosts
from tests.base import make_county, make_department, make_source_document

pytestmark = pytest.mark.django_db

LISTINGS = [value for value in vars(lists).values() if isinstance(value, lists.Listing)]
COPY_CSV = copy_export.csv_response


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "COPY export: PostgreSQL only, SKIPPED on SQLite; make test runs it on its throwaway PostgreSQL"
        )


def both_ways(client, monkeypatch, url):
    """The CSV of `url` by COPY, and by the Python path; asserts COPY did write the first."""
    made = []

    def spy(*args, **kwargs):
        made.append(COPY_CSV(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(copy_export, "csv_response", spy)
    copied = client.get(url)
    assert copied.status_code == 200, url
    assert made and made[-1] is not None, f"{url}: not written by COPY"
    monkeypatch.setattr(copy_export, "csv_response", lambda *args, **kwargs: None)
    written = client.get(url)
    assert copied["Content-Disposition"] == written["Content-Disposition"]
    return b"".join(copied.streaming_content), b"".join(written.streaming_content)


def test_every_list_has_a_copy_statement():
    """A column type the COPY path does not write would quietly send a list back to the slow
    path: every list's columns must have their SQL."""
    for listing in LISTINGS:
        queryset = listing.filterset({}, queryset=listing.queryset).qs
        rows = queryset.values_list(*[column.path for column in listing.columns])
        assert copy_export.statement(rows, listing.columns), listing.slug


SAMPLE_QUERIES = {
    "budget-years": ["", "?sort=-expenditure", "?department=办公室&year_min=2019&year_max=2021"],
    "line-items": ["", "?sort=-amount", "?q=经费&kind=economic", "?level=2&sort=name"],
    "three-costs": ["", "?sort=-total", "?year_min=2020"],
    "indicators": ["", "?q=满意度", "?sort=-name"],
    "execution": [""],
    "rankings": ["", "?by=expenditure"],
}


def test_the_samples_are_written_alike_by_copy_and_python(samples, client, monkeypatch):
    assert sorted(SAMPLE_QUERIES) == sorted(listing.slug for listing in LISTINGS)
    for slug, queries in SAMPLE_QUERIES.items():
        for query in queries:
            url = reverse(f"budgets:{slug}") + (query + "&" if query else "?") + "format=csv"
            copied, written = both_ways(client, monkeypatch, url)
            assert copied == written, url
            assert copied.startswith("\ufeff".encode())
    lines = both_ways(client, monkeypatch, reverse("budgets:line-items") + "?format=csv")[0].split(b"\r\n")
    assert len(lines) == LineItem.objects.count() + 2  # header, rows, the empty end


TRICKY_NAMES = [
    "=SUM(A1:A9)",
    "+86 电话",
    "-减少",
    "@某人",
    "\t制表",
    "\r回车",
    "逗号,分隔",
    '引号"内',
    "两\n行",
    "",
]


@pytest.fixture
def tricky():
    """Rows that test every rule of a CSV cell: text a spreadsheet would run, quoting, empty
    text, decimals of every scale and sign, flags, booleans, a budget and its final accounts
    whose rates round halves away from zero, fall on a zero budget (n/a) or just below zero."""
    county = make_county("某县", code="130199", province="河北省", prefecture="石家庄市")
    for index, name in enumerate(TRICKY_NAMES):
        department = make_department(county, name=f"{name}局" if name else f"第{index}局", code=str(index))
        budget = BudgetYear.objects.create(
            department=department,
            year=2023,
            source_document=make_source_document(f"b{index}.txt"),
            expenditure=Decimal("100.000000"),
            basic=Decimal("0") if index % 4 == 0 else Decimal("0.5"),
            project=Decimal("1.234567"),
            income=Decimal("-23.960000") if index % 2 else Decimal("0"),
            needs_checking=["totals.income", "three_costs.total", "totals.=x"] if index % 3 == 0 else [],
        )
        final = BudgetYear.objects.create(
            department=department,
            year=2023,
            kind=BudgetYear.Kind.FINAL_ACCOUNTS,
            source_document=make_source_document(f"f{index}.txt"),
            expenditure=Decimal("94.250000") + index,
            basic=Decimal("0"),
            project=Decimal("123456.5"),
            needs_checking=["totals.expenditure"],
        )
        for budget_year, spent in ((budget, False), (final, True)):
            ThreeCosts.objects.create(
                budget_year=budget_year,
                total=Decimal("3.000001"),
                reception=Decimal("-0.000040") if spent else Decimal("0.10"),  # -0.04 %
                vehicle=None,
                overseas=Decimal("0.886500") if spent else Decimal("1"),  # 88.65 %
            )
            LineItem.objects.create(
                budget_year=budget_year,
                kind="economic",
                code="30201",
                name=name,
                amount=Decimal("0.010000"),
                basic=None,
                project=Decimal("7"),
                uncertain=["basic", "=project", ""] if index % 2 else [],
                level=2,
                source_line=index or None,
            )
            PerformanceIndicator.objects.create(
                budget_year=budget_year,
                name=name,
                group=f"项目{name}",
                target=name,
                level1="产出指标",
                position=index,
            )


def test_every_rule_of_a_cell_is_written_alike_by_copy_and_python(tricky, client, monkeypatch):
    for listing in LISTINGS:
        url = reverse(f"budgets:{listing.slug}") + "?format=csv"
        copied, written = both_ways(client, monkeypatch, url)
        assert copied == written, listing.slug
    line_items = both_ways(client, monkeypatch, reverse("budgets:line-items") + "?format=csv")[0].decode()
    assert ",'=SUM(A1:A9),0.01,,7.00," in line_items
    assert '"两\n行"' in line_items and '"引号""内"' in line_items and '"\'\r回车"' in line_items
    assert ",basic; '=project; ," in line_items
    execution = both_ways(client, monkeypatch, reverse("budgets:execution") + "?format=csv")[0].decode()
    assert ",100.00,94.25,94.3," in execution  # budget, spent, rate with one decimal
    assert ",0.00,0.00,n/a," in execution and ",1.00,0.8865,88.7," in execution
    assert ",0.10,-0.00004,-0.0," in execution


def test_a_download_stopped_halfway_leaves_the_connection_usable(samples, monkeypatch):
    """A reader who closes the tab mid-export: the COPY is cancelled, the connection goes on."""
    monkeypatch.setattr(copy_export, "CHUNK_BYTES", 1)  # a row at a time
    # Closing a response ends the request, which closes a connection inside the test's
    # transaction: the server would close this one only if it were broken.
    request_finished.disconnect(close_old_connections)
    try:
        response = lists.line_items(RequestFactory().get("/line-items/?format=csv"))
        chunks = iter(response.streaming_content)
        assert [next(chunks).count(b"\r\n") for _ in range(3)] == [1, 1, 1]
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    again = lists.line_items(RequestFactory().get("/line-items/?format=csv"))
    assert b"".join(again.streaming_content).count(b"\r\n") == LineItem.objects.count() + 1
