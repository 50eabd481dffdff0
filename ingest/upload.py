"""What the admin upload does with the files it is given, before any parsing.

Each file is checked (size, then content: a PDF, Word, Excel, web page, zip or text file,
whatever its name says), a zip is opened into its documents, the same bytes as a document already kept are
reported with a link instead of kept twice, and every new document is kept as a queued
SourceDocument whose parse is queued for the background worker (ingest.tasks) once the row is
committed. Several documents uploaded together form a Batch whose progress the admin follows.
"""

import logging
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ingest.document import UnreadableDocument
from ingest.loader import detect_format, keep_document, sha256_of
from ingest.models import Batch, SourceDocument
from ingest.readers.archive import read_archive
from ingest.tasks import queue_parse

logger = logging.getLogger(__name__)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's file-upload docs show; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    # Empty files are allowed through the form so that one of them does not refuse the whole
    # upload; `receive` refuses it by itself.
    files = MultipleFileField(label=gettext_lazy("Disclosure files"), allow_empty_file=True)
    published_url = forms.URLField(
        label=gettext_lazy("Published at"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy(
            "Optional: the address where the county published the file(s); "
            "recorded on every new document of this upload"
        ),
    )
    published_on = forms.DateField(
        label=gettext_lazy("Published on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Optional: the date the county published them"),
    )


@dataclass
class Received:
    """What became of one uploaded file (or one document of a zip)."""

    name: str
    document: SourceDocument | None = None
    duplicate: bool = False
    refused: str = ""


def receive(
    files, *, user=None, language: str = "", published: dict | None = None
) -> tuple[list[Received], Batch | None]:
    """Check and keep uploaded files; returns what became of each, and the batch of the
    documents queued together (None for a single file). `published` (published_url,
    published_on) is where and when the county published them, recorded on each new document."""
    limit = settings.UPLOAD_MAX_BYTES
    received, entries, archives = [], [], []
    for upload in files:
        name = PurePath(upload.name).name
        if upload.size > limit:
            received.append(Received(name, refused=_too_large(upload.size, limit)))
            continue
        data = upload.read()
        if detect_format(data) != "zip":
            entries.append((name, data))
            continue
        try:
            members = read_archive(data)  # refuses zip bombs and path traversal
        except UnreadableDocument as error:
            received.append(
                Received(name, refused=_("This zip cannot be opened: %(reason)s") % {"reason": error.text()})
            )
            continue
        archives.append(name)
        if not members:
            received.append(Received(name, refused=_("This zip holds no files.")))
        entries += [(f"{name} › {member}", member_data) for member, member_data in members]

    checked = [_check(name, data, limit) for name, data in entries]
    new = [(name, data) for name, data, verdict in checked if verdict is None]
    batch = None
    if len(new) > 1 or (archives and new):
        try:
            batch = Batch.objects.create(
                name=_batch_name(archives, [name for name, _data in new]), uploaded_by=user
            )
        except DatabaseError:
            logger.exception("could not create an upload batch")
            return received + [Received(name, refused=_not_stored()) for name, _data in new], None
    seen = {}
    for name, data, verdict in checked:
        if verdict is not None:
            received.append(verdict)
        elif sha256_of(data) in seen:
            received.append(Received(name, document=seen[sha256_of(data)], duplicate=True))
        else:
            result = _keep(name, data, user=user, batch=batch, language=language, published=published or {})
            seen[sha256_of(data)] = result.document
            received.append(result)
    return received, batch


def _check(name: str, data: bytes, limit: int) -> tuple[str, bytes, Received | None]:
    """(name, data, None) for a document to keep, else with what to tell the user."""
    if len(data) > limit:
        return name, data, Received(name, refused=_too_large(len(data), limit))
    if not data.strip():
        return name, data, Received(name, refused=_("The file is empty."))
    kind = detect_format(data)
    if kind == "zip":
        return name, data, Received(name, refused=_("A zip inside a zip is not opened; upload it by itself."))
    if kind is None:
        return (
            name,
            data,
            Received(
                name,
                refused=_(
                    "This is not a PDF, Word, Excel, web page (HTML), zip or text file "
                    "(judged by its content, not its name)."
                ),
            ),
        )
    existing = SourceDocument.objects.filter(sha256=sha256_of(data)).first()
    if existing:
        return name, data, Received(name, document=existing, duplicate=True)
    return name, data, None


def _keep(name: str, data: bytes, *, user, batch, language: str, published: dict) -> Received:
    try:
        with transaction.atomic():
            document = keep_document(data, name.rsplit(" › ", 1)[-1], user=user, batch=batch, **published)
            # The worker must see the committed row, so the parse is queued after the commit.
            transaction.on_commit(partial(queue_parse, document.pk, language))
    except IntegrityError:
        # The same bytes were kept by another upload in the meantime.
        existing = SourceDocument.objects.filter(sha256=sha256_of(data)).first()
        if existing is None:
            return Received(name, refused=_not_stored())
        return Received(name, document=existing, duplicate=True)
    except DatabaseError:
        # keep_document removed the file it wrote: nothing of this document is left.
        logger.exception("could not keep %s", name)
        return Received(name, refused=_not_stored())
    return Received(name, document=document)


def _not_stored() -> str:
    return _("The database could not store this file just now; nothing of it was kept. Upload it again.")


def _too_large(size: int, limit: int) -> str:
    return _("The file is %(size)s, over the limit of %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


def _batch_name(archives: list[str], names: list[str]) -> str:
    if len(archives) == 1 and all(n.startswith(f"{archives[0]} › ") for n in names):
        return archives[0]
    return (_("%(count)d files: ") % {"count": len(names)} + ", ".join(names))[:255]
