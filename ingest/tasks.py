"""Background parsing of uploaded disclosures (django-tasks; `manage.py db_worker` runs them).

The parse runs in a child process with a time limit (PARSE_TIMEOUT_SECONDS): a document that
makes the parser loop or crawl is stopped and marked failed, and the worker goes on with the
next one. The document moves queued → parsing → review (its parsed JSON kept for the preview)
or failed (a one-line error in the uploader's language); nothing reaches the budget tables here.
"""

import logging
import multiprocessing
import traceback

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from ingest import loader
from ingest.document import UnreadableDocument
from ingest.models import SourceDocument

logger = logging.getLogger(__name__)

# The longest error kept on a document: one line the admin list and the preview can show.
MAX_ERROR_LENGTH = 500


class ParseFailed(Exception):
    """The parse of one document did not produce a disclosure; the message says why."""


@task()
def parse_document(document_id: int, language: str = "") -> str:
    """Parse one queued SourceDocument; `language` is the uploader's, for the error message."""
    with translation.override(language or settings.LANGUAGE_CODE):
        started = SourceDocument.objects.filter(pk=document_id, status=SourceDocument.Status.QUEUED).update(
            status=SourceDocument.Status.PARSING
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


def _fail(document: SourceDocument, error: Exception) -> None:
    if isinstance(error, OSError):
        message = _("The stored file cannot be read (%(error)s).") % {"error": error.strerror or error}
    else:
        message = str(error)
    message = " ".join(message.split())[:MAX_ERROR_LENGTH]
    SourceDocument.objects.filter(pk=document.pk, status=SourceDocument.Status.PARSING).update(
        status=SourceDocument.Status.FAILED, error=message, parsed=None
    )


def parse_in_time(data: bytes, name: str, seconds: float) -> dict:
    """loader.parse_bytes in a forked child process, stopped after `seconds`. Raises ParseFailed
    with a message for the user. Forking keeps the parent's loaded modules (and the tests'
    monkeypatches); the child touches no database connection and leaves by os._exit."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_parse_child, args=(sender, data, name), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise ParseFailed(
                _(
                    "Parsing took longer than %(seconds)s seconds and was stopped; "
                    "the file may be damaged or far larger than a budget disclosure."
                )
                % {"seconds": f"{seconds:g}"}
            )
        try:
            outcome, value = receiver.recv()
        except EOFError:
            raise ParseFailed(
                _("The parser stopped unexpectedly (exit code %(code)s) on this file.")
                % {"code": child.exitcode if child.exitcode is not None else "?"}
            ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if outcome == "ok":
        return value
    if outcome == "unreadable":
        raise ParseFailed(_("This file cannot be read: %(reason)s") % {"reason": value})
    logger.error("parser crashed on %s:\n%s", name, value)
    raise ParseFailed(
        _("The parser failed on this file (%(error)s); the details are in the worker's log.")
        % {"error": value.strip().splitlines()[-1]}
    )


def _parse_child(sender, data: bytes, name: str) -> None:
    try:
        result = ("ok", loader.parse_bytes(data, name))
    except UnreadableDocument as error:
        result = ("unreadable", str(error))
    except Exception:
        result = ("crash", traceback.format_exc())
    sender.send(result)
    sender.close()
