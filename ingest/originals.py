"""The uploaded originals on disk: one file per content, named after its SHA-256.

A file appears under its final name only by an atomic rename of a complete copy, so a file
found there holds those bytes whole: a re-ingest of the same bytes reuses it instead of writing
a second copy, and a process killed while writing leaves no half file under that name. A file
is removed when no document refers to it any more: when its document is deleted, and when the
ingest that wrote it fails (its row rolled back).
"""

import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)


def store(name: str, data: bytes) -> None:
    """Write `data` under `name` unless a complete copy is already there."""
    path = Path(default_storage.path(name))
    if path.is_file() and path.stat().st_size == len(data):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".partial-", delete=False) as handle:
            partial = handle.name
            handle.write(data)
        os.chmod(partial, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(partial, path)
    except BaseException:
        if partial:
            Path(partial).unlink(missing_ok=True)
        raise


def discard_unreferenced(name: str) -> None:
    """Remove the file unless a saved document refers to it: called after a failed ingest's
    rollback and after a document's deletion commits."""
    from ingest.models import SourceDocument

    try:
        referenced = SourceDocument.objects.filter(file=name).exists()
    except DatabaseError:
        # The database cannot say: keep the file, which the next ingest of the bytes reuses.
        logger.exception("could not tell whether %s is still referenced", name)
        return
    if name and not referenced:
        default_storage.delete(name)


def remove_with_document(sender, instance, **kwargs) -> None:
    """post_delete of a SourceDocument: its file goes once the deletion is committed (a rolled
    back deletion keeps it)."""
    name = instance.file.name
    transaction.on_commit(lambda: discard_unreferenced(name))
