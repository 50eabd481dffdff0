"""The documents budgets are read from: kept as uploaded, the source of every figure."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ingest import refusals


def original_path(document: "SourceDocument", filename: str) -> str:
    """sources/ab/ab12….pdf: content-addressed, the extension told by the content."""
    suffix = ".txt" if document.format == SourceDocument.Format.TEXT else f".{document.format}"
    return f"sources/{document.sha256[:2]}/{document.sha256}{suffix}"


class Batch(models.Model):
    """Files uploaded together (several files, or the documents of one zip): the upload
    page follows their parsing as "n of m done"."""

    name = models.CharField(_("name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("upload batch")
        verbose_name_plural = _("upload batches")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def progress(self) -> tuple[int, int]:
        """(done, total): a document is done once its parse has finished, well or not."""
        statuses = list(self.documents.values_list("status", flat=True))
        pending = {SourceDocument.Status.QUEUED, SourceDocument.Status.PARSING}
        return sum(1 for s in statuses if s not in pending), len(statuses)


class SourceDocument(models.Model):
    class Format(models.TextChoices):
        TEXT = "text", _("text")
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (.docx)"
        DOC = "doc", "Word (.doc)"
        XLSX = "xlsx", "Excel (.xlsx)"
        XLS = "xls", "Excel (.xls)"
        HTML = "html", "HTML"

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        PARSING = "parsing", _("parsing")
        REVIEW = "review", _("ready for review")
        SAVED = "saved", _("saved")
        FAILED = "failed", _("failed")
        DISCARDED = "discarded", _("discarded")
        SUPERSEDED = "superseded", _("superseded by a later parse")

    # Named after its SHA-256 (ingest.originals): the same bytes are stored once, whoever
    # uploads them again and whatever they are called.
    file = models.FileField(_("file"), upload_to=original_path)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, unique=True, help_text=_("The same bytes are one document")
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # Where and when the county published the document, as a reader checks it: the pages link
    # the county's own publication beside the copy kept here and say "published … · loaded …".
    published_url = models.URLField(
        _("published at"),
        max_length=1000,
        blank=True,
        help_text=_("The address where the county published the document, e.g. its government's website"),
    )
    published_on = models.DateField(
        _("published on"), null=True, blank=True, help_text=_("The date the county published it")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True)
    parser_version = models.CharField(_("parser version"), max_length=20, blank=True)
    parsed = models.JSONField(_("parsed disclosure"), null=True, blank=True)
    batch = models.ForeignKey(
        Batch, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    # When the document was last queued or started parsing: the admin shows how long it has
    # waited, and ingest.recovery finds a parse whose worker died.
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    parse_attempts = models.PositiveSmallIntegerField(_("parse attempts"), default=0)

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["-uploaded_at"]
        indexes = [
            # The admin and the home page list documents by status, newest first.
            models.Index(fields=["status", "-uploaded_at"], name="source_status_idx"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def error_text(self) -> str:
        """Why the document failed or was discarded, in the active language (ingest.refusals)."""
        return refusals.error_text(self.error)

    @property
    def is_pending(self) -> bool:
        """Queued or being parsed: the preview page refreshes itself until it is not."""
        return self.status in {self.Status.QUEUED, self.Status.PARSING}
