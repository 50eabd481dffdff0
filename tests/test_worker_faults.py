"""Faults while parsing: a worker killed mid-parse, database errors during an upload, two
workers or two ingests at once, a parse that runs out of time or memory. Nothing is lost,
duplicated or stuck, and no process or temporary file is left behind."""

import os
import signal
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ingest import loader, recovery
from ingest.models import Batch, SourceDocument
from ingest.readers.doc import convert, soffice
from ingest.tasks import ParseFailed, parse_in_time
from tests.base import ROOT, SAMPLE_NAMES, sample_bytes
from tests.workers import Site, database_url, on_postgres, process_exists

UPLOAD = reverse("admin:ingest_sourcedocument_upload")
CHANGELIST = reverse("admin:ingest_sourcedocument_changelist")

# --- real processes: workers and ingests ---------------------------------------------------

QUEUE = """
import json
from pathlib import Path
from ingest.loader import keep_document
from ingest.tasks import queue_parse
ids = []
for name in {names!r}:
    document = keep_document(Path("samples", name).read_bytes(), name)
    queue_parse(document.pk)
    ids.append(document.pk)
print(json.dumps(ids))
"""

STATE = """
import json
from budgets.models import BudgetYear
from django_tasks_db.models import DBTaskResult
from ingest.models import SourceDocument
fields = ("pk", "status", "parse_attempts", "error", "file")
documents = list(SourceDocument.objects.order_by("pk").values(*fields))
tasks = list(
    DBTaskResult.objects.order_by("enqueued_at").values("status", "worker_ids", "args_kwargs__args")
)
tasks = [{**task, "args": task.pop("args_kwargs__args")} for task in tasks]
print(json.dumps({"documents": documents, "tasks": tasks, "budget_years": BudgetYear.objects.count()}))
"""

# What the admin does when someone lists the documents: a real request through the admin.
ADMIN_LIST = """
import json
from django.contrib.auth.models import User
from django.test import Client
client = Client(HTTP_HOST="localhost")
client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw-for-tests"))
print(json.dumps(client.get("/admin/ingest/sourcedocument/").status_code))
"""

# A parse may last 3 s; a document still parsing 1 s after that lost its worker.
DEADLINES = {"PARSE_TIMEOUT_SECONDS": "3", "PARSE_STALE_SECONDS": "1"}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated database the sites of this module start as copies of (migrating takes seconds)."""
    folder = tmp_path_factory.mktemp("migrated")
    with database_url(folder) as url:
        result = Site(folder, url).manage("migrate", "--noinput")
        assert result.returncode == 0, result.stderr
        yield url


@pytest.fixture
def site(tmp_path, migrated):
    with database_url(tmp_path, template=migrated) as url:
        site = Site(tmp_path, url)
        site.env.update(DEADLINES)
        try:
            yield site
        finally:
            site.stop_all()


def wait_until(condition, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(step)
    return value


def test_a_worker_killed_mid_parse_leaves_no_document_stuck(site):
    [document_id] = site.python(QUEUE.format(names=["gaoyi-2022.txt"]))
    worker = site.start_worker("doomed", SLOW_PARSE_SECONDS="60")
    parser = site.wait_for_parse()
    assert parser != worker.pid  # the parse runs in a child of the worker
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    # The child dies with its worker rather than parse on for nobody.
    wait_until(lambda: not process_exists(parser), 10)

    state = site.python(STATE)
    assert [d["status"] for d in state["documents"]] == ["parsing"]
    assert [t["status"] for t in state["tasks"]] == ["RUNNING"]

    time.sleep(4.5)  # past the deadline: PARSE_TIMEOUT_SECONDS + PARSE_STALE_SECONDS
    assert site.python(ADMIN_LIST) == 200
    state = site.python(STATE)
    assert [d["status"] for d in state["documents"]] == ["queued"]
    assert state["tasks"][0]["status"] == "FAILED"  # the dead worker's task is closed

    site.start_worker("next")

    def parsed():
        documents = site.python(STATE)["documents"]
        return documents[0]["status"] not in ("queued", "parsing") and documents

    [document] = wait_until(parsed, 60, step=0.5)
    assert (document["pk"], document["status"], document["parse_attempts"]) == (document_id, "review", 2)
    assert [t["status"] for t in site.python(STATE)["tasks"]] == ["FAILED", "SUCCESSFUL"]


# Each sample twice (the copy one byte longer): ten documents, so both workers claim often.
QUEUE_TWICE = """
import json
from pathlib import Path
from ingest.loader import keep_document
from ingest.tasks import queue_parse
ids = {{}}
for name in {names!r}:
    for copy in range(2):
        data = Path("samples", name).read_bytes() + b"\\n" * copy
        document = keep_document(data, f"{{copy}}-{{name}}")
        queue_parse(document.pk)
        ids[document.original_name] = document.pk
print(json.dumps(ids))
"""


def test_two_workers_never_parse_the_same_document(site):
    if not on_postgres():
        pytest.skip(
            "two workers at once need PostgreSQL (django-tasks-db claims a task with SELECT … "
            "FOR UPDATE SKIP LOCKED there); make test runs this on its throwaway PostgreSQL"
        )
    ids = site.python(QUEUE_TWICE.format(names=SAMPLE_NAMES))
    log = site.folder / "parses.log"
    workers = {
        site.start_worker(worker_id, SLOW_PARSE_SECONDS="0.3", PARSE_LOG=str(log)).pid: worker_id
        for worker_id in ("first", "second")
    }

    def all_parsed():
        state = site.python(STATE)
        return all(d["status"] == "review" for d in state["documents"]) and state

    state = wait_until(all_parsed, 90, step=0.5)
    # The parses themselves: each document parsed once, by one worker's child.
    parses = [line.split("\t") for line in log.read_text().splitlines()]
    assert sorted(name for name, _worker in parses) == sorted(ids)
    # The database: one task per document, claimed by one worker, done once; both workers
    # took work, each as many tasks as its children parsed.
    assert [d["pk"] for d in state["documents"]] == sorted(ids.values())
    assert all(d["parse_attempts"] == 1 for d in state["documents"])
    assert sorted(t["args"][0] for t in state["tasks"]) == sorted(ids.values())
    assert all(len(t["worker_ids"]) == 1 and t["status"] == "SUCCESSFUL" for t in state["tasks"])
    claimed = Counter(t["worker_ids"][0] for t in state["tasks"])
    assert claimed == Counter(workers[int(worker)] for _name, worker in parses)
    assert set(claimed) == {"first", "second"}


def test_two_ingests_of_the_same_file_at_once_save_it_once(site):
    sample = str(ROOT / "samples" / "gaoyi-2022.txt")
    ingests = [site.start("ingest", sample, SLOW_PARSE_SECONDS="1") for _ in range(2)]
    outputs = [process.communicate(timeout=120)[0] for process in ingests]
    assert [process.returncode for process in ingests] == [0, 0], outputs
    state = site.python(STATE)
    assert [d["status"] for d in state["documents"]] == ["saved"]
    assert state["budget_years"] == 1
    assert site.original_files() == [state["documents"][0]["file"]]


def test_an_ingest_killed_mid_parse_leaves_no_file(site):
    ingest = site.start("ingest", str(ROOT / "samples" / "gaoyi-2022.txt"), SLOW_PARSE_SECONDS="60")
    site.wait_for_parse()
    os.killpg(ingest.pid, signal.SIGKILL)
    ingest.wait()
    assert site.python(STATE)["documents"] == []
    assert site.original_files() == []


# --- the parse's child: time and memory ---------------------------------------------------


def test_a_parse_that_grows_past_the_memory_limit_fails_with_a_clear_message(monkeypatch):
    def greedy(data, name):
        return bytearray(2 * 1024 * 1024 * 1024)  # 2 GB

    monkeypatch.setattr(loader, "parse_bytes", greedy)
    with translation.override("en"), pytest.raises(ParseFailed, match="more memory than a parse may take"):
        parse_in_time(b"x", "big.txt", seconds=30, memory_mb=512)


def test_the_memory_limit_leaves_room_for_a_real_parse():
    parsed = parse_in_time(sample_bytes("gaoyi-2022.txt"), "gaoyi-2022.txt", seconds=60, memory_mb=1024)
    assert parsed["county"] == "高邑县"


@pytest.fixture
def temp_folder(tmp_path, monkeypatch):
    """Every temporary folder made in the test goes here, so the test sees what is left."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def libreoffice_processes(folder: Path) -> list[int]:
    """Processes whose command line names `folder` (LibreOffice's profile is inside it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(folder).encode() in command and process_exists(int(entry.name)):
                found.append(int(entry.name))
    return found


needs_libreoffice = pytest.mark.skipif(
    soffice() is None, reason="LibreOffice is not installed (scripts/ensure_system_packages.sh)"
)


@needs_libreoffice
def test_a_timed_out_conversion_leaves_no_libreoffice_and_no_files(temp_folder):
    from ingest.document import UnreadableDocument

    with pytest.raises(UnreadableDocument, match="took more than"):
        convert("你好".encode(), ".txt", "docx", timeout=0.3)
    assert libreoffice_processes(temp_folder) == []
    assert list(temp_folder.iterdir()) == []


@needs_libreoffice
def test_a_parse_stopped_during_a_conversion_stops_libreoffice_and_removes_its_files(
    temp_folder, monkeypatch
):
    def converting(data, name):
        return convert(data, ".txt", "docx", timeout=60)

    monkeypatch.setattr(loader, "parse_bytes", converting)
    with translation.override("en"), pytest.raises(ParseFailed, match="longer than"):
        parse_in_time("你好".encode(), "slow.doc", seconds=0.5)
    assert libreoffice_processes(temp_folder) == []
    assert list(temp_folder.iterdir()) == []


# --- deadlines: a parse whose worker died, a queueing that failed ------------------------------


@pytest.fixture
def immediate(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def stale_document(status, attempts, name="gaoyi-2022.txt"):
    document = loader.keep_document(sample_bytes(name), name, status=status)
    long_ago = timezone.now() - timedelta(hours=1)
    SourceDocument.objects.filter(pk=document.pk).update(waiting_since=long_ago, parse_attempts=attempts)
    return document


@pytest.mark.django_db(transaction=True)
def test_a_parse_whose_worker_died_is_parsed_once_more(immediate):
    document = stale_document(SourceDocument.Status.PARSING, attempts=1)
    assert recovery.recover_stalled() == 1
    document.refresh_from_db()
    assert (document.status, document.parse_attempts) == (SourceDocument.Status.REVIEW, 2)


@pytest.mark.django_db(transaction=True)
def test_a_parse_whose_worker_died_twice_fails_with_a_message(immediate):
    document = stale_document(SourceDocument.Status.PARSING, attempts=2)
    with translation.override("en"):
        recovery.recover_stalled()
    document.refresh_from_db()
    assert document.status == SourceDocument.Status.FAILED
    with translation.override("en"):
        assert "worker stopped while parsing" in document.error_text


@pytest.mark.django_db(transaction=True)
def test_a_document_parsing_within_its_deadline_is_left_alone(immediate):
    document = loader.keep_document(
        sample_bytes("gaoyi-2022.txt"), "a.txt", status=SourceDocument.Status.PARSING
    )
    assert recovery.recover_stalled() == 0
    document.refresh_from_db()
    assert document.status == SourceDocument.Status.PARSING


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_keeps_a_waiting_document_queued_and_closes_dead_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from ingest.tasks import parse_document, queue_parse

    waiting = stale_document(SourceDocument.Status.QUEUED, attempts=0)
    queue_parse(waiting.pk)  # its task is there, no worker has taken it yet: not stuck
    orphan = stale_document(SourceDocument.Status.QUEUED, attempts=0, name="laiyuan-2016.txt")
    dead = parse_document.enqueue(999)
    long_ago = timezone.now() - timedelta(hours=1)
    DBTaskResult.objects.filter(pk=dead.id).update(status=TaskResultStatus.RUNNING, started_at=long_ago)

    assert recovery.recover_stalled() == 1  # the orphan, queued again
    assert DBTaskResult.objects.get(pk=dead.id).status == TaskResultStatus.FAILED
    waiting.refresh_from_db()
    orphan.refresh_from_db()
    assert waiting.status == orphan.status == SourceDocument.Status.QUEUED
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2


# --- a database error at each write of an upload ------------------------------------------------


def _fail_once(monkeypatch, owner, attribute, when=lambda *args, **kwargs: True):
    """Make owner.attribute raise DatabaseError the first time `when` holds."""
    original = getattr(owner, attribute)
    failed = []

    def failing(*args, **kwargs):
        if not failed and when(*args, **kwargs):
            failed.append(True)
            raise DatabaseError("the database went away")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, attribute, failing)
    return failed


def _is_update_of(model, status):
    return lambda queryset, **fields: queryset.model is model and fields.get("status") == status


WRITES = {
    "batch": (Batch, "save", lambda *a, **k: True),
    "document": (SourceDocument, "save", lambda *a, **k: True),
    "queueing": (DBTaskResult, "save", lambda *a, **k: True),
    "parse started": (QuerySet, "update", _is_update_of(SourceDocument, SourceDocument.Status.PARSING)),
    "parse recorded": (QuerySet, "update", _is_update_of(SourceDocument, SourceDocument.Status.REVIEW)),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", WRITES)
def test_a_database_error_at_any_write_of_an_upload_leaves_nothing_half_saved_or_stuck(
    write, admin_client, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    # The database queue where the queueing is the write that fails, else parses at once.
    backend = (
        "django_tasks_db.DatabaseBackend"
        if write == "queueing"
        else "django_tasks.backends.immediate.ImmediateBackend"
    )
    settings.TASKS = {"default": {"BACKEND": backend}}
    owner, attribute, when = WRITES[write]
    failed = _fail_once(monkeypatch, owner, attribute, when)
    files = [SimpleUploadedFile(name, sample_bytes(name)) for name in ("gaoyi-2022.txt", "laiyuan-2016.txt")]

    response = admin_client.post(UPLOAD, {"files": files}, follow=True)
    assert response.status_code == 200
    assert failed, "the write under test did not happen"

    # Past every deadline, whoever looks at the documents sees them moving or failed, never stuck.
    SourceDocument.objects.update(waiting_since=timezone.now() - timedelta(hours=1))
    assert admin_client.get(CHANGELIST).status_code == 200
    documents = list(SourceDocument.objects.all())
    for document in documents:
        assert document.status in {"review", "failed"} or _has_task(document), (document, document.error)
        if document.status == "failed":
            with translation.override("en"):
                assert "parse it again" in document.error_text
            reparse = admin_client.post(
                reverse("admin:ingest_sourcedocument_preview", args=[document.pk]), {"action": "reparse"}
            )
            assert reparse.status_code == 302
            document.refresh_from_db()
            assert document.status == "queued" and _has_task(document)
    # Every original kept belongs to a document; nothing else is on disk.
    media = Path(settings.MEDIA_ROOT)
    on_disk = sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())
    assert on_disk == sorted(d.file.name for d in documents)


def _has_task(document):
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, args_kwargs__args__0=document.pk
    ).exists()
