"""The whole dataset as downloads: a zip of CSV files (one per list, the rows of the list's own
CSV), a SQLite file with the same tables, rebuilt after saves without rebuilding once per save,
served with its date."""

import csv
import io
import json
import sqlite3
import zipfile
from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django_tasks import default_task_backend

from budgets import corrections, dataset
from budgets.models import BudgetYear, Correction, Finding, LineItem, PerformanceIndicator, ThreeCosts
from ingest import loader
from tests.base import SAMPLES

pytestmark = pytest.mark.django_db


def _body(response):
    return b"".join(response.streaming_content)


def _rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def dummy_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


@pytest.fixture
def built(samples):
    return dataset.build()


def test_the_zip_holds_one_csv_per_list_with_the_rows_of_the_list_s_own_csv(english, built):
    archive = zipfile.ZipFile(dataset.directory() / dataset.CSV_ZIP)
    assert archive.namelist() == [
        "budget_years.csv",
        "line_items.csv",
        "three_costs.csv",
        "indicators.csv",
        "execution.csv",
        "findings.csv",
        "documents.csv",
        "corrections.csv",
    ]
    for table in dataset.TABLES[:5]:
        rows = _rows(archive.read(f"{table.name}.csv"))
        assert rows[0] == [column.key for column in table.listing.columns]  # the JSON's keys
        listed = _rows(_body(english.get(reverse(f"budgets:{table.listing.slug}") + "?format=csv")))
        assert rows[1:] == listed[1:]
    assert built["tables"] == {
        "budget_years": 5,
        "line_items": 90,
        "three_costs": 5,
        "indicators": 259,
        "execution": 0,
        "findings": 13,
        "documents": 5,
        "corrections": 0,
    }
    findings = _rows(archive.read("findings.csv"))
    assert findings[0][:8] == [
        "county",
        "division_code",
        "department",
        "year",
        "disclosure",
        "level",
        "severity",
        "check",
    ]
    error = next(row for row in findings if row[6] == "error")
    assert error[:8] == [
        "涞源县",
        "130630",
        "涞源县人民政府办公室",
        "2016",
        "budget",
        "department",
        "error",
        "unit_mismatch",
    ]
    assert error[-1] == "three_costs.total"


def test_the_sqlite_file_has_the_same_tables_typed_with_their_row_counts(built):
    database = sqlite3.connect(dataset.directory() / dataset.SQLITE)
    tables = [name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["columns", *(table.name for table in dataset.TABLES)]
    counts = {name: database.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables[1:]}
    assert counts == {
        "budget_years": BudgetYear.objects.count(),
        "line_items": LineItem.objects.count(),
        "three_costs": ThreeCosts.objects.count(),
        "indicators": PerformanceIndicator.objects.count(),
        "execution": 0,
        "findings": Finding.objects.count(),
        "documents": BudgetYear.objects.count(),
        "corrections": 0,
    }
    assert counts == built["tables"]
    # Amounts are numbers SQL can add up; the columns table says what each column is, in both languages.
    assert database.execute(
        "SELECT expenditure, typeof(expenditure), year FROM budget_years "
        "WHERE division_code = '130127' ORDER BY year"
    ).fetchall() == [(939.16, "real", 2019), (394.3, "real", 2022)]
    assert database.execute(
        "SELECT type, label_en, label_zh FROM columns "
        "WHERE table_name = 'budget_years' AND column_name = 'expenditure'"
    ).fetchone() == ("REAL", "Expenditure total (万元)", "支出总计（万元）")
    assert database.execute("SELECT count(*) FROM columns").fetchone()[0] == sum(
        len(table.listing.columns) for table in dataset.TABLES
    )


def test_a_correction_is_in_both_files_with_its_exact_values_and_not_the_editor_s_name(samples):
    budget_year = BudgetYear.objects.select_related("three_costs").get(
        department__county__code="130127", year=2022
    )
    editor = get_user_model().objects.create_user("wang.fang")
    corrections.record(
        budget_year.three_costs, [("reception", "0.50", "0.45")], editor, "更正公告：接待费0.45。"
    )
    removed = Correction.objects.create(
        budget_year=None,  # its disclosure was removed since: the record stays, with no page to link
        subject=Correction.Subject.LINE_ITEM,
        object_id=999,
        field="amount",
        row="20103 政府办公厅（室）及相关机构事务",
        old_value="80.00",
        new_value="",
        reason="原表无此行。",
        user=editor,
    )
    Correction.objects.update(at=datetime(2024, 5, 2, 3, 4, 5, tzinfo=UTC))
    reception = Correction.objects.get(field="reception")
    dataset.build()

    archive = zipfile.ZipFile(dataset.directory() / dataset.CSV_ZIP)
    assert _rows(archive.read("corrections.csv")) == [
        [
            "county",
            "division_code",
            "department",
            "year",
            "disclosure",
            "level",
            "budget_year_id",
            "permalink",
            "subject",
            "field",
            "row",
            "old_value",
            "new_value",
            "corrected_at",
            "reason",
        ],
        [
            "高邑县",
            "130127",
            "高邑县人民政府办公室",
            "2022",
            "budget",
            "department",
            str(budget_year.pk),
            f"/counties/130127-高邑县/高邑县人民政府办公室/2022/#correction-{reception.pk}",
            "three_costs",
            "reception",
            "",
            "0.50",
            "0.45",
            "2024-05-02T03:04:05Z",
            "更正公告：接待费0.45。",
        ],
        [*[""] * 8, "line_item", "amount", removed.row, "80.00", "", "2024-05-02T03:04:05Z", "原表无此行。"],
    ]
    database = sqlite3.connect(dataset.directory() / dataset.SQLITE)
    assert database.execute("SELECT * FROM corrections").fetchall() == [
        (
            "高邑县",
            "130127",
            "高邑县人民政府办公室",
            2022,
            "budget",
            "department",
            budget_year.pk,
            f"/counties/130127-高邑县/高邑县人民政府办公室/2022/#correction-{reception.pk}",
            "three_costs",
            "reception",
            None,
            "0.50",
            "0.45",
            "2024-05-02T03:04:05Z",
            "更正公告：接待费0.45。",
        ),
        (
            *[None] * 8,
            "line_item",
            "amount",
            removed.row,
            "80.00",
            None,
            "2024-05-02T03:04:05Z",
            "原表无此行。",
        ),
    ]
    assert database.execute(
        "SELECT label_en, label_zh FROM columns "
        "WHERE table_name = 'corrections' AND column_name = 'old_value'"
    ).fetchone() == ("Old value", "原值")
    # The public pages never name the editor, nor does the download.
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert (
        b"wang.fang" not in everything
        and b"wang.fang" not in (dataset.directory() / dataset.SQLITE).read_bytes()
    )


def test_the_documents_table_says_where_each_disclosure_was_published_and_when_loaded(built):
    rows = _rows(zipfile.ZipFile(dataset.directory() / dataset.CSV_ZIP).read("documents.csv"))
    assert rows[0] == [
        "county",
        "division_code",
        "department",
        "year",
        "disclosure",
        "level",
        "document_id",
        "file_name",
        "sha256",
        "format",
        "published_url",
        "published_on",
        "loaded_at",
    ]
    gaoyi = [row for row in rows if row[1] == "130127"]
    assert [(row[3], row[7], row[10], row[11]) for row in gaoyi] == [
        ("2022", "gaoyi-2022.txt", "", ""),
        ("2019", "gaoyi-2019.txt", "", ""),
    ]
    assert all(row[12].endswith("Z") for row in gaoyi)


def test_many_saves_queue_one_build_and_a_save_during_a_build_queues_one_more(
    settings, tmp_path, dummy_tasks
):
    settings.MEDIA_ROOT = tmp_path
    for _ in range(1000):
        dataset.note_change()
    assert len(dummy_tasks.results) == 1
    # The build takes the mark away when it starts: a save meanwhile queues exactly one more.
    assert dataset.rebuild.call() == "built"
    assert not (dataset.directory() / dataset.PENDING).exists()
    dataset.note_change()
    dataset.note_change()
    assert len(dummy_tasks.results) == 2
    assert dataset.manifest()["pending"] is True
    assert dataset.rebuild.call() == "built"
    assert dataset.manifest()["pending"] is False
    # A build queued with nothing new to read does nothing.
    assert dataset.rebuild.call() == "up to date"


def test_saving_a_disclosure_and_an_admin_correction_mark_the_data_changed(
    settings, tmp_path, dummy_tasks, django_capture_on_commit_callbacks, admin_user
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        loader.ingest_bytes((SAMPLES / "gaoyi-2022.txt").read_bytes(), "gaoyi-2022.txt")
    assert len(dummy_tasks.results) == 1
    assert dataset.rebuild.call() == "built"

    budget_year = BudgetYear.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        LogEntry.objects.log_actions(admin_user.pk, [budget_year], CHANGE, single_object=True)
    assert len(dummy_tasks.results) == 2
    assert dataset.rebuild.call() == "built"

    # Deleted several at once (the admin logs those in bulk, without a signal of its own).
    with django_capture_on_commit_callbacks(execute=True):
        BudgetYear.objects.all().delete()
    assert len(dummy_tasks.results) == 3


def test_the_download_page_shows_the_date_and_serves_the_files_named_with_it(english, built):
    # Built late in the UTC day: already the next day at the site (Asia/Shanghai), on the page
    # and in the files' names alike.
    path = dataset.directory() / dataset.MANIFEST
    path.write_text(json.dumps({**json.loads(path.read_text()), "built_at": "2026-05-02T17:30:00+00:00"}))
    html = english.get(reverse("budgets:data")).content.decode()
    date = "2026-05-03"
    assert f"Built {date} 01:30." in html
    assert '<a href="/data/county-budgets-csv.zip" download>county-budgets-csv.zip</a>' in html
    assert '<td><code>line_items</code></td><td>Line items</td><td class="num">90</td>' in html
    response = english.get(reverse("budgets:data-file", args=[dataset.SQLITE]))
    assert response["Content-Type"] == "application/vnd.sqlite3"
    assert response["Content-Disposition"] == f'attachment; filename="county-budgets-{date}.sqlite3"'
    assert _body(response) == (dataset.directory() / dataset.SQLITE).read_bytes()
    assert english.get(reverse("budgets:data-file", args=["manifest.json"])).status_code == 404


def test_a_download_not_built_yet_is_queued_and_says_so(english, settings, tmp_path, dummy_tasks):
    settings.MEDIA_ROOT = tmp_path
    response = english.get(reverse("budgets:data-file", args=[dataset.CSV_ZIP]))
    assert response.status_code == 404
    assert len(dummy_tasks.results) == 1
    html = english.get(reverse("budgets:data")).content.decode()
    assert "The download is being prepared; try again in a few minutes." in html
    assert len(dummy_tasks.results) == 1  # already queued: not twice


def test_the_command_builds_at_once_and_takes_the_mark(settings, tmp_path, dummy_tasks, samples):
    settings.MEDIA_ROOT = tmp_path
    dataset.note_change()
    assert dataset.manifest() is None
    out = io.StringIO()
    call_command("build_dataset", stdout=out)
    assert out.getvalue() == (
        f"built {tmp_path / 'dataset'} (budget_years 5, line_items 90, three_costs 5, indicators 259, "
        "execution 0, findings 13, documents 5, corrections 0)\n"
    )
    assert dataset.manifest()["pending"] is False
    assert dataset.rebuild.call() == "up to date"


@pytest.mark.django_db(transaction=True)
def test_a_build_of_its_own_reads_one_snapshot(settings, tmp_path, dummy_tasks):
    # As the worker runs it: outside any transaction, so it opens its own (REPEATABLE READ on
    # PostgreSQL) around every table it reads.
    settings.MEDIA_ROOT = tmp_path
    loader.ingest_bytes((SAMPLES / "gaoyi-2022.txt").read_bytes(), "gaoyi-2022.txt")
    assert dataset.build_marked()["tables"]["budget_years"] == 1
    assert dataset.manifest()["pending"] is False
