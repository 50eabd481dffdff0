"""Background parsing of uploaded disclosures (django-tasks; `manage.py db_worker` runs them).

The parse runs in a forked child process with a time limit (PARSE_TIMEOUT_SECONDS) and a memory
limit (PARSE_MEMORY_MB of address space): a document that makes the parser loop, crawl or grow
is stopped and marked failed, and the worker goes on with the next one. The child stops every
process it started (LibreOffice) and removes their files before it leaves, and dies with the
worker. The document moves queued → parsing → review (its parsed JSON kept for the preview) or
failed (why, kept as a refusal each reader sees in their own language: ingest.refusals);
nothing reaches the budget tables here.
A parse whose worker died is found by ingest.recovery, which each parse runs first.
"""

import ctypes
import logging
import multiprocessing
import os
import resource
import signal
import sys
import traceback

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F
from django.utils import timezone, translation
from django_tasks import task

from ingest import loader, recovery, refusals
from ingest.document import UnreadableDocument
from ingest.models import SourceDocument

logger = logging.getLogger(__name__)

# The longest error kept on a document: one line the admin list and the preview can show.
MAX_ERROR_LENGTH = 500
# How long a child asked to stop may take to stop LibreOffice and remove its files.
STOP_GRACE_SECONDS = 5
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class ParseFailed(Exception):
    """The parse of one document did not produce a disclosure: `refusal` says why (ingest.refusals),
    `str()` in the active language."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.refusal = refusals.refusal(code, **params)

    def __str__(self):
        return refusals.render(self.refusal)


@task()
def parse_document(document_id: int, language: str = "") -> str:
    """Parse one queued SourceDocument; `language` is the uploader's, active while it runs (an
    error is kept as a refusal, in no language: ingest.refusals)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        recovery.recover_stalled()
        started = SourceDocument.objects.filter(pk=document_id, status=SourceDocument.Status.QUEUED).update(
            status=SourceDocument.Status.PARSING,
            waiting_since=timezone.now(),
            parse_attempts=F("parse_attempts") + 1,
        )
        if not started:
            return "skipped"  # discarded, deleted or parsed meanwhile
        document = SourceDocument.objects.get(pk=document_id)
        try:
            with document.file.open("rb") as handle:
                data = handle.read()
            parsed = parse_in_time(data, document.original_name, settings.PARSE_TIMEOUT_SECONDS)
        except (ParseFailed, OSError) as error:
            _fail(document, error)
            return SourceDocument.Status.FAILED
        if not loader.record_parse(document, parsed):
            return "discarded"
        return SourceDocument.Status.REVIEW


def queue_parse(document_id: int, language: str = "") -> None:
    """Queue a document's parse. A queue that cannot take it (a database error) marks the
    document failed, so that it can be parsed again from the admin; where even that write
    fails, ingest.recovery finds it queued with no task once its deadline has passed."""
    try:
        parse_document.enqueue(document_id, language)
    except DatabaseError:
        logger.exception("could not queue the parse of document %s", document_id)
        try:
            SourceDocument.objects.filter(pk=document_id, status=SourceDocument.Status.QUEUED).update(
                status=SourceDocument.Status.FAILED, error=refusals.encode(recovery.NOT_QUEUED)
            )
        except DatabaseError:
            logger.exception("could not mark document %s failed", document_id)


def _fail(document: SourceDocument, error: Exception) -> None:
    """Keep why the parse failed as a refusal (ingest.refusals), shown in each reader's language."""
    if isinstance(error, OSError):
        refusal = refusals.refusal("stored_file_unreadable", error=_one_line(error.strerror or str(error)))
    else:
        refusal = error.refusal
    SourceDocument.objects.filter(pk=document.pk, status=SourceDocument.Status.PARSING).update(
        status=SourceDocument.Status.FAILED, error=refusals.encode(refusal), parsed=None
    )


def _one_line(text: str) -> str:
    """A system's message as one line short enough for the admin's list and the preview."""
    return " ".join(text.split())[:MAX_ERROR_LENGTH]


def _address_space() -> int:
    """The bytes of address space this process holds (Linux's /proc; 0 where there is none)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return 0


def parse_in_time(data: bytes, name: str, seconds: float, memory_mb: int | None = None) -> dict:
    """loader.parse_bytes in a forked child process, stopped after `seconds` and limited to
    `memory_mb` (PARSE_MEMORY_MB) of address space. Raises ParseFailed with a message for the
    user. Forking keeps the parent's loaded modules (and the tests' monkeypatches); the child
    touches no database connection and leaves by os._exit."""
    memory_mb = memory_mb or settings.PARSE_MEMORY_MB
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_parse_child, args=(sender, data, name, memory_mb, os.getpid()), daemon=True
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise ParseFailed("parse_timeout", seconds=f"{seconds:g}")
        try:
            outcome, value = receiver.recv()
        except EOFError:
            child.join(STOP_GRACE_SECONDS)
            code = child.exitcode if child.exitcode is not None else "?"
            raise ParseFailed("parser_stopped", code=code) from None
    finally:
        _stop(child)
        receiver.close()
    return _outcome(outcome, value, name, memory_mb)


def _outcome(outcome: str, value, name: str, memory_mb: int) -> dict:
    if outcome == "ok":
        return value
    if outcome == "unreadable":
        raise ParseFailed("cannot_read", reason=value)
    if outcome == "memory":
        raise ParseFailed("parse_memory", limit=memory_mb)
    logger.error("parser crashed on %s:\n%s", name, value)
    raise ParseFailed("parser_failed", error=_one_line(value.strip().splitlines()[-1]))


def _stop(child) -> None:
    """Ask the child to stop (SIGTERM lets it stop LibreOffice and remove its files), then
    kill it if it does not within the grace time."""
    if child.is_alive():
        child.terminate()
        child.join(STOP_GRACE_SECONDS)
    if child.is_alive():
        child.kill()
    child.join()


def _parse_child(sender, data: bytes, name: str, memory_mb: int, parent: int) -> None:
    die_with(parent)
    # Stopping raises SystemExit in the child, so the `finally` of whatever it runs (the
    # LibreOffice conversion's) kills its processes and removes its temporary files.
    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGINT, _exit)
    # The child starts with the worker's whole address space (a test process with a browser and
    # libpq mapped holds over a gigabyte of it): the parse may take memory_mb more than that.
    limit = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result = ("ok", loader.parse_bytes(data, name))
    except UnreadableDocument as error:
        result = ("unreadable", error.message)
    except MemoryError:
        result = ("memory", "")
    except Exception:
        text = traceback.format_exc()
        # libxml2 reports an allocation the limit refused as a syntax error of its own.
        result = ("memory", "") if "Memory allocation failed" in text else ("crash", text)
    sender.send(result)
    sender.close()


def _exit(signum, frame) -> None:
    sys.exit(128 + signum)


def die_with(parent: int) -> None:
    """On Linux the kernel sends this process SIGTERM when `parent` dies (even by SIGKILL), so a
    killed worker or ingest leaves no parse running; elsewhere the pipe's closing ends a parse's
    child at its send."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the worker died before the request took effect
        sys.exit(1)
