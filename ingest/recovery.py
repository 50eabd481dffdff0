"""No document waits for ever: parses whose worker died, and queueing that never happened.

django-tasks-db has no lease or heartbeat: a worker killed mid-task leaves its task RUNNING and
its document "parsing" for good. But a parse cannot run longer than PARSE_TIMEOUT_SECONDS (its
child is stopped then), so a document still parsing PARSE_STALE_SECONDS after that lost its
worker. It is queued once more (a worker restarted during a deploy, say); a document whose
worker died on its second parse too is marked failed, to be parsed again by hand. A document
queued that long with no task waiting for it (the queueing failed) is queued again as well.

The check runs before every parse (the worker's periodic look) and whenever the admin lists
documents or shows one, so whoever looks at a stuck document sees it moving again.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from ingest import refusals, tasks
from ingest.models import SourceDocument

logger = logging.getLogger(__name__)

# A first parse and one retry; a document whose worker died twice is left to an administrator.
MAX_PARSE_ATTEMPTS = 2
TASK_PATH = "ingest.tasks.parse_document"


# Why a document was failed here, kept as refusals (ingest.refusals): each reader sees them in
# their own language.
WORKER_STOPPED = refusals.refusal("worker_stopped")
NOT_QUEUED = refusals.refusal("not_queued")


def deadline():
    """Documents waiting since before this have outlived any parse."""
    seconds = settings.PARSE_TIMEOUT_SECONDS + settings.PARSE_STALE_SECONDS
    return timezone.now() - timedelta(seconds=seconds)


def recover_stalled() -> int:
    """Queue again (or fail) every document past its deadline; returns how many moved."""
    cutoff = deadline()
    _close_dead_tasks(cutoff)
    moved = 0
    parsing = _waiting_since_before(SourceDocument.Status.PARSING, cutoff)
    for document in parsing:
        moved += _retry_or_fail(document, WORKER_STOPPED)
    queued = _waiting_since_before(SourceDocument.Status.QUEUED, cutoff)
    if queued.exists():
        waiting = _documents_with_a_task()
        for document in queued.exclude(pk__in=waiting):
            moved += _retry_or_fail(document, NOT_QUEUED)
    return moved


def _waiting_since_before(status: str, cutoff):
    """Documents of `status` waiting since before `cutoff`; those kept before the time was
    recorded (null) too."""
    waited = Q(waiting_since__lt=cutoff) | Q(waiting_since__isnull=True)
    return SourceDocument.objects.filter(waited, status=status)


def _retry_or_fail(document: SourceDocument, refusal: dict) -> int:
    """Queue the document again, or fail it after MAX_PARSE_ATTEMPTS; the update is conditional
    on what was read, so two checks running at once move it only once."""
    retry = document.parse_attempts < MAX_PARSE_ATTEMPTS
    failed = {"status": SourceDocument.Status.FAILED, "error": refusals.encode(refusal), "parsed": None}
    with transaction.atomic():
        moved = SourceDocument.objects.filter(
            pk=document.pk, status=document.status, waiting_since=document.waiting_since
        ).update(
            **({"status": SourceDocument.Status.QUEUED, "waiting_since": timezone.now()} if retry else failed)
        )
        if moved and retry:
            transaction.on_commit(partial(tasks.queue_parse, document.pk))
    if moved:
        outcome = "queued again" if retry else refusals.english(refusal)
        logger.warning("document %s was stuck %s: %s", document.pk, document.status, outcome)
    return moved


def _uses_task_table() -> bool:
    return isinstance(tasks.parse_document.get_backend(), DatabaseBackend)


def _close_dead_tasks(cutoff) -> None:
    """A parse task RUNNING since before the deadline belongs to a dead worker: record it failed,
    as the worker would have, instead of RUNNING for ever."""
    if not _uses_task_table():
        return
    DBTaskResult.objects.running().filter(task_path=TASK_PATH, started_at__lt=cutoff).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="ingest.recovery.WorkerStopped",
        traceback="The worker stopped while running this task (found by ingest.recovery).",
    )


def _documents_with_a_task() -> set[int]:
    """The documents a parse task is still waiting or running for. Without the database queue
    (the tests' immediate backend) a task runs when queued, so none is waiting."""
    if not _uses_task_table():
        return set()
    pending = DBTaskResult.objects.filter(
        task_path=TASK_PATH, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("args_kwargs", flat=True)
    return {args["args"][0] for args in pending if args.get("args")}
