from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from budgets.models import BudgetYear, Department, LineItem, PerformanceIndicator, ThreeCosts
from ingest.models import SourceDocument
from tests.base import SAMPLES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def ingest(*paths, replace=False):
    args = [str(p) for p in paths] + (["--replace"] if replace else [])
    call_command("ingest", *args)


def test_samples_are_saved_with_their_figures_and_sources():
    ingest(*sorted(SAMPLES.glob("*.txt")))
    assert BudgetYear.objects.count() == 5
    assert sorted(set(BudgetYear.objects.values_list("department__county__name", flat=True))) == [
        "平乡县",
        "无极县",
        "涞源县",
        "高邑县",
    ]
    gaoyi = Department.objects.get(name="高邑县人民政府办公室")
    assert sorted(gaoyi.budget_years.values_list("year", flat=True)) == [2019, 2022]
    year_2022 = gaoyi.budget_years.get(year=2022)
    assert year_2022.expenditure == Decimal("394.30")
    assert year_2022.three_costs.total_change == Decimal("-0.02")
    item = year_2022.line_items.get(kind="functional", code="2110301")
    assert (item.amount, item.project, item.level, item.parent_code) == (
        Decimal("20.00"),
        Decimal("20.00"),
        3,
        "21103",
    )
    assert item.source_table and item.source_line
    assert year_2022.indicators.count() == 22
    assert year_2022.source_document.file.read().startswith(b"\n\n2022")


def test_the_same_bytes_twice_are_one_document():
    path = SAMPLES / "wuji-2018.txt"
    ingest(path)
    ingest(path)
    assert SourceDocument.objects.count() == 1
    assert BudgetYear.objects.count() == 1
    assert ThreeCosts.objects.count() == 1


def test_another_document_for_the_same_year_is_refused_unless_replace(tmp_path):
    original = SAMPLES / "gaoyi-2022.txt"
    corrected = tmp_path / "gaoyi-2022-corrected.txt"
    corrected.write_bytes(original.read_bytes() + b"\n")
    ingest(original)
    with pytest.raises(CommandError, match="1 of 1 file"):
        ingest(corrected)
    assert SourceDocument.objects.count() == 1

    ingest(corrected, replace=True)
    budget_year = BudgetYear.objects.get()
    assert budget_year.source_document.original_name == "gaoyi-2022-corrected.txt"
    old = SourceDocument.objects.get(original_name="gaoyi-2022.txt")
    assert old.status == SourceDocument.Status.SUPERSEDED
    assert old.file.read() == original.read_bytes()
    assert LineItem.objects.filter(budget_year=budget_year).count() == 45
    assert PerformanceIndicator.objects.count() == 22


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03" * 400, "binary"),
        (
            "从前有座山，山里有座庙，庙里有个老和尚在给小和尚讲故事。\n".encode() * 50,
            "not a budget disclosure",
        ),
    ],
)
def test_unreadable_input_saves_nothing(tmp_path, capsys, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError):
        ingest(path)
    assert message in capsys.readouterr().err
    assert SourceDocument.objects.count() == 0
    assert BudgetYear.objects.count() == 0
