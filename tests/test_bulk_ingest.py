"""`manage.py ingest DIR… --jobs N` (ingest.bulk): folders parsed in parallel, saved in the order
given, reported file by file, stopped and resumed without a duplicate or a half-saved document."""

import csv
import io
import os
import shutil
import signal
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError
from django.utils import translation

from budgets.models import BudgetYear, LineItem
from ingest import bulk, loader
from ingest.models import SourceDocument
from tests.base import ROOT, SAMPLE_NAMES, SAMPLES
from tests.workers import Site, database_url

pytestmark = pytest.mark.django_db

SAMPLE_ROWS = {
    "gaoyi-2019.txt": ["高邑县", "高邑县人民政府办公室", "2019", "budget"],
    "gaoyi-2022.txt": ["高邑县", "高邑县人民政府办公室", "2022", "budget"],
    "laiyuan-2016.txt": ["涞源县", "涞源县人民政府办公室", "2016", "budget"],
    "pingxiang-2021.txt": ["平乡县", "平乡县人民政府办公室", "2021", "budget"],
    "wuji-2018.txt": ["无极县", "无极县人民政府办公室", "2018", "budget"],
}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def read_report(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    header, *rows = csv.reader(io.StringIO(text[1:]))
    assert header == ["file", "status", "county", "department", "year", "kind", "error"]
    return rows


def ingest(*args):
    with translation.override("en"):  # the messages of the report (the pool forks with it)
        call_command("ingest", *map(str, args), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def folder(tmp_path):
    """The samples in a folder and a subfolder, beside a hidden file and a file that is no
    disclosure."""
    folder = tmp_path / "disclosures"
    (folder / "hebei").mkdir(parents=True)
    for name in SAMPLE_NAMES:
        target = folder / "hebei" if name.startswith(("gaoyi", "laiyuan")) else folder
        shutil.copy(SAMPLES / name, target / name)
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / "readme.txt").write_text("从前有座山，山里有座庙。\n" * 40, encoding="utf-8")
    return folder


def test_a_folder_is_parsed_by_two_jobs_and_each_file_reported(folder, tmp_path):
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="1 of 6 file"):
        ingest(folder, "--jobs", "2", "--report", report)
    assert BudgetYear.objects.count() == 5
    assert LineItem.objects.filter(budget_year__year=2022).count() == 45
    rows = read_report(report)
    files = [os.path.relpath(row[0], folder) for row in rows]
    # Folders walked in order, hidden files left out: the report lists files as given.
    assert files == [
        "pingxiang-2021.txt",
        "readme.txt",
        "wuji-2018.txt",
        "hebei/gaoyi-2019.txt",
        "hebei/gaoyi-2022.txt",
        "hebei/laiyuan-2016.txt",
    ]
    by_name = {os.path.basename(row[0]): row[1:] for row in rows}
    for name, identity in SAMPLE_ROWS.items():
        assert by_name[name] == ["saved", *identity, ""]
    status, *identity, error = by_name["readme.txt"]
    assert (status, identity) == ("failed", ["", "", "", ""])
    assert "not a budget disclosure" in error

    # Run again: nothing parsed or saved twice, every saved file said to be skipped.
    again = tmp_path / "again.csv"
    with pytest.raises(CommandError, match="1 of 6 file"):
        ingest(folder, "--jobs", "2", "--report", again)
    assert SourceDocument.objects.count() == 5
    assert BudgetYear.objects.count() == 5
    for row in read_report(again):
        name = os.path.basename(row[0])
        if name != "readme.txt":
            assert row[1:] == ["skipped (already saved)", *SAMPLE_ROWS[name], ""]


def test_files_are_saved_in_the_order_given_whichever_parse_ends_first(tmp_path, monkeypatch):
    """Two disclosures of one department's year: the first given is saved, the second refused
    with the reason, even when the first takes longer to parse."""
    original = (SAMPLES / "gaoyi-2022.txt").read_bytes()
    (tmp_path / "a.txt").write_bytes(original)
    (tmp_path / "b.txt").write_bytes(original + b"\n")
    parse = loader.parse_bytes

    def slow_first(data, name):
        if name == "a.txt":
            time.sleep(1)
        return parse(data, name)

    monkeypatch.setattr(loader, "parse_bytes", slow_first)  # the pool forks with it
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="1 of 2 file"):
        ingest(tmp_path / "a.txt", tmp_path / "b.txt", "--jobs", "2", "--report", report)
    assert BudgetYear.objects.get().source_document.original_name == "a.txt"
    [saved, refused] = read_report(report)
    assert saved[1] == "saved"
    assert refused[1:6] == ["failed", "高邑县", "高邑县人民政府办公室", "2022", "budget"]
    assert refused[6].endswith("is already saved from “a.txt”. Ingest again with --replace to replace it.")


def test_an_unreadable_path_is_a_failure_of_its_own(tmp_path):
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="1 of 2 file"):
        ingest(tmp_path / "missing.txt", SAMPLES / "wuji-2018.txt", "--report", report)
    [missing, saved] = read_report(report)
    assert missing[1:] == ["failed", "", "", "", "", "cannot read the file (No such file or directory)"]
    assert saved[1] == "saved"


def test_a_file_the_database_refuses_fails_alone(tmp_path, monkeypatch):
    save = loader.save_document
    refused = []

    def refusing_once(document, **kwargs):
        if not refused:
            refused.append(document.original_name)
            raise DataError("value too long for type character varying(200)\nDETAIL: …")
        return save(document, **kwargs)

    monkeypatch.setattr(loader, "save_document", refusing_once)
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="1 of 2 file"):
        ingest(SAMPLES / "gaoyi-2022.txt", SAMPLES / "wuji-2018.txt", "--report", report)
    [failed, saved] = read_report(report)
    assert failed[1:] == [
        "failed",
        *SAMPLE_ROWS["gaoyi-2022.txt"],
        "the database refused it: value too long for type character varying(200) DETAIL: …",
    ]
    assert saved[1] == "saved"
    assert list(SourceDocument.objects.values_list("original_name", flat=True)) == ["wuji-2018.txt"]


# --- the progress line -----------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_progress_is_a_bar_redrawn_on_a_terminal():
    stream = Terminal()
    progress = bulk.Progress(stream, 4, interval=0)
    progress.count(bulk.Outcome(ROOT, bulk.SAVED))
    progress.count(bulk.Outcome(ROOT, bulk.SKIPPED))
    shown = stream.getvalue()
    assert shown.startswith("\r[######..................] 1/4 files · 1 saved · 0 skipped · 0 failed · ")
    last = shown.rsplit("\r", 1)[1]
    assert last.startswith("[############............] 2/4 files · 1 saved · 1 skipped · 0 failed · ")
    assert "documents/min · " in last and last.endswith(" left\x1b[K")
    progress.clear()
    assert stream.getvalue().endswith("\r\x1b[K")  # room for a line of its own
    progress.count(bulk.Outcome(ROOT, bulk.FAILED))
    progress.count(bulk.Outcome(ROOT, bulk.SAVED))
    progress.finish()
    assert stream.getvalue().endswith("\x1b[K\n")
    final = stream.getvalue().rsplit("\r", 1)[1]
    assert final.startswith("[########################] 4/4 files · 2 saved · 1 skipped · 1 failed · ")
    assert "left" not in final


def test_the_command_draws_its_bar_on_the_terminal_it_was_given():
    terminal, out = Terminal(), io.StringIO()
    call_command("ingest", str(SAMPLES / "wuji-2018.txt"), stdout=out, stderr=terminal)
    final = terminal.getvalue().rsplit("\r", 1)[1]
    assert final.startswith("[########################] 1/1 files · 1 saved · 0 skipped · 0 failed · ")
    assert final.endswith(" documents/min\x1b[K\n")
    assert "\x1b[31" not in terminal.getvalue()  # not coloured as an error
    assert out.getvalue().startswith("wuji-2018.txt: saved 无极县人民政府办公室 2018")


def test_the_progress_is_a_plain_line_now_and_then_elsewhere():
    stream = io.StringIO()
    progress = bulk.Progress(stream, 3)
    assert not progress.tty and progress.interval == bulk.LOG_INTERVAL_SECONDS
    for _ in range(3):
        progress.count(bulk.Outcome(ROOT, bulk.SAVED))
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert len(lines) == 2  # the first at once, then none within the interval, then the last
    assert lines[0].startswith("1/3 files · 1 saved · 0 skipped · 0 failed · ")
    assert lines[1].startswith("3/3 files · 3 saved · 0 skipped · 0 failed · ")
    assert "left" not in lines[1]


# --- stopped and resumed: real processes ---------------------------------------------------------

STATE = """
import json
from budgets.models import BudgetYear
from ingest.models import SourceDocument
documents = SourceDocument.objects.order_by("original_name").values_list("original_name", "status")
print(json.dumps({"documents": list(documents), "budget_years": BudgetYear.objects.count()}))
"""


@pytest.mark.django_db(transaction=False)
def test_a_stopped_ingest_saves_whole_documents_and_resumes_without_duplicates(tmp_path):
    folder = tmp_path / "disclosures"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("*.md"))
    with database_url(tmp_path) as url:
        site = Site(tmp_path, url)
        assert site.manage("migrate", "--noinput").returncode == 0
        report = tmp_path / "first.csv"
        try:
            ingest = site.start("ingest", str(folder), "--report", str(report), SLOW_PARSE_SECONDS="0.5")
            deadline = time.monotonic() + 60
            while len(read_report(report) if report.exists() else []) < 2:
                assert time.monotonic() < deadline and ingest.poll() is None, "no document saved"
                time.sleep(0.05)
            ingest.send_signal(signal.SIGTERM)  # the command alone, as `kill` does
            output = ingest.communicate(timeout=60)[0]
        finally:
            site.stop_all()
        assert ingest.returncode == 1, output
        assert "of 5 file(s) not ingested; run the same command again" in output
        stopped = site.python(STATE)
        saved = [name for name, status in stopped["documents"] if status == "saved"]
        assert 2 <= len(saved) < 5 and len(saved) == len(stopped["documents"]), stopped
        assert stopped["budget_years"] == len(saved)
        assert [row[1] for row in read_report(report)] == ["saved"] * len(saved)
        assert site.original_files() and len(site.original_files()) == len(saved)

        again = tmp_path / "again.csv"
        result = site.manage("ingest", str(folder), "--jobs", "2", "--report", str(again))
        assert result.returncode == 0, result.stderr
        statuses = {os.path.basename(row[0]): row[1] for row in read_report(again)}
        assert statuses == {
            name: "skipped (already saved)" if name in saved else "saved" for name in SAMPLE_NAMES
        }
        resumed = site.python(STATE)
        assert resumed["documents"] == [[name, "saved"] for name in SAMPLE_NAMES]
        assert resumed["budget_years"] == 5
        assert len(site.original_files()) == 5
