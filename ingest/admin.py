"""Source documents in the admin, with the upload of disclosures: upload (one or many files,
or a zip), follow the background parse, preview what was read, then save or discard it.
Nothing reaches the public pages before Save."""

from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.models import BUDGETED_KEYS, BudgetYear, Finding
from ingest import divisions, finding_messages, recovery, refusals, review
from ingest.loader import (
    THREE_COST_FIELDS,
    TOTAL_FIELDS,
    IngestError,
    YearConflict,
    count_parts,
    save_document,
)
from ingest.models import Batch, SourceDocument
from ingest.tasks import queue_parse
from ingest.upload import UploadForm, receive


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "format",
        "status",
        "waiting",
        "review_link",
        "upload_batch",
        "published_on",
        "uploaded_at",
        "uploader",
    ]
    list_filter = ["status", "format"]
    list_select_related = ["batch", "uploaded_by"]
    # Where the county published a document: a bare host name typed is taken as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["original_name", "sha256"]
    # The parse is read on the preview page, in words, and an error in the admin's language:
    # neither their stored form (JSON keys, a refusal's code) is shown to a person.
    exclude = ["parsed", "error", "batch", "uploaded_by"]
    # The file is named after its bytes' hash: replacing it here would break that.
    readonly_fields = [
        "file",
        "sha256",
        "size",
        "uploaded_at",
        "uploader",
        "error_message",
        "review_link",
        "upload_batch",
        "waiting_since",
        "parse_attempts",
    ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="ingest_sourcedocument_upload"),
            path("batch/<int:batch_id>/", view(self.batch_view), name="ingest_sourcedocument_batch"),
            path("<int:object_id>/preview/", view(self.preview_view), name="ingest_sourcedocument_preview"),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("waiting"))
    def waiting(self, document):
        """How long a queued or parsing document has been so (since it was last queued or
        started): a parse never takes more than a few minutes."""
        if not document.is_pending or document.waiting_since is None:
            return "—"
        return timesince(document.waiting_since)

    def changelist_view(self, request, extra_context=None):
        # Whoever lists the documents sees none stuck: a parse whose worker died moves on.
        recovery.recover_stalled()
        return super().changelist_view(request, extra_context)

    @admin.display(description=gettext_lazy("upload batch"), ordering="batch")
    def upload_batch(self, document):
        return document.batch or "—"

    @admin.display(description=gettext_lazy("uploaded by"), ordering="uploaded_by")
    def uploader(self, document):
        return document.uploaded_by or "—"

    @admin.display(description=gettext_lazy("error"))
    def error_message(self, document):
        return document.error_text or "—"

    @admin.display(description=gettext_lazy("preview"))
    def review_link(self, document):
        url = reverse("admin:ingest_sourcedocument_preview", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, _("preview"))

    # --- upload ---------------------------------------------------------------------------

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        # Set by ingest.upload_handlers when it stopped reading the body (too large).
        refused = getattr(request, "upload_refused", None)
        if refused:
            messages.error(request, refused)
            return redirect("admin:ingest_sourcedocument_upload")
        if request.method == "POST" and form.is_valid():
            received, batch = receive(
                form.cleaned_data["files"],
                user=request.user,
                language=translation.get_language(),
                published={
                    "published_url": form.cleaned_data["published_url"],
                    "published_on": form.cleaned_data["published_on"],
                },
            )
            _report(request, received)
            kept = [r.document for r in received if r.document and not r.duplicate]
            if batch:
                return redirect("admin:ingest_sourcedocument_batch", batch.pk)
            if len(kept) == 1:
                return redirect("admin:ingest_sourcedocument_preview", kept[0].pk)
            return redirect("admin:ingest_sourcedocument_upload")
        ctx = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Upload disclosures"),
            "form": form,
            "max_bytes": settings.UPLOAD_MAX_BYTES,
            "recent_batches": Batch.objects.all()[:5],
        }
        return TemplateResponse(request, "admin/ingest/sourcedocument/upload.html", ctx)

    def batch_view(self, request, batch_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        recovery.recover_stalled()  # the page refreshes itself while documents are pending
        batch = get_object_or_404(Batch, pk=batch_id)
        documents = list(batch.documents.order_by("pk"))
        done = sum(1 for d in documents if not d.is_pending)
        ctx = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Upload: %(name)s") % {"name": batch.name},
            "batch": batch,
            "documents": documents,
            "done": done,
            "total": len(documents),
            "pending": done < len(documents),
        }
        return TemplateResponse(request, "admin/ingest/sourcedocument/batch.html", ctx)

    # --- preview, save, discard ---------------------------------------------------------------

    def preview_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        recovery.recover_stalled()  # the page refreshes itself while the document is pending
        document = get_object_or_404(SourceDocument.objects.select_related("batch"), pk=object_id)
        if request.method == "POST":
            if not self.has_change_permission(request, document):
                raise PermissionDenied
            return self._act(request, document)
        parsed = document.parsed or {}
        budgeted = review.figure_rows("three_costs_budget", BUDGETED_KEYS, parsed)
        severities = dict(Finding.Severity.choices)
        ctx = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Preview: %(name)s") % {"name": document.original_name},
            "document": document,
            "parsed": parsed,
            "kind_name": review.DOCUMENT_KINDS.get(parsed.get("kind"), "—"),
            "level_name": review.DOCUMENT_LEVELS.get(parsed.get("level"), "—"),
            # A county name the document does not tell apart from its namesakes: ask.
            "namesakes": divisions.namesakes(parsed.get("county")) if not parsed.get("division_code") else (),
            "verdict": review.verdict(parsed),
            "totals": review.figure_rows("totals", TOTAL_FIELDS, parsed),
            "three_costs": review.figure_rows("three_costs", THREE_COST_FIELDS, parsed),
            # Final accounts print the budgeted three costs beside the spent ones.
            "three_costs_budget": budgeted if any(row["value"] is not None for row in budgeted) else [],
            "counts": count_parts(parsed) if parsed else {},
            "findings": [
                {
                    **f,
                    "severity_label": severities.get(f.get("severity"), f.get("severity")),
                    "text": finding_messages.render(f.get("check"), f.get("params"), f.get("message", "")),
                }
                for f in parsed.get("findings") or []
            ],
            "unread": review.unread_groups(parsed.get("unread") or []),
            "tables": [
                {**table, "kind_name": review.table_name(table.get("kind"))}
                for table in parsed.get("tables") or []
            ],
            "conflict": _conflict(document),
            "saved_year": document.budget_years.select_related("department__county").first(),
            "can_change": self.has_change_permission(request, document),
        }
        return TemplateResponse(request, "admin/ingest/sourcedocument/preview.html", ctx)

    def _act(self, request, document):
        action = request.POST.get("action")
        here = redirect("admin:ingest_sourcedocument_preview", document.pk)
        if action in ("save", "replace"):
            if document.status != SourceDocument.Status.REVIEW:
                messages.error(request, _("Only a document ready for review can be saved."))
                return here
            try:
                result = save_document(
                    document, replace=action == "replace", division_code=_chosen_division(request, document)
                )
            except YearConflict as conflict:
                messages.error(
                    request,
                    _("%(error)s Replace it explicitly if this document is the right one.")
                    % {"error": conflict},
                )
                return here
            except IngestError as error:
                messages.error(request, str(error))
                return here
            year = result.budget_year
            messages.success(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Saved %(year)s.") % {"year": year},
                    _public_url(year),
                    _("See it on the public pages"),
                ),
            )
        elif action == "discard":
            if document.status in (SourceDocument.Status.SAVED, SourceDocument.Status.SUPERSEDED):
                messages.error(
                    request, _("A saved document cannot be discarded; delete its budget year first.")
                )
                return here
            reason = " ".join(request.POST.get("reason", "").split())
            document.status = SourceDocument.Status.DISCARDED
            document.error = refusals.encode(
                refusals.refusal(
                    "discarded", user=request.user.get_username(), reason=reason or {"code": "no_reason"}
                )
            )
            document.save(update_fields=["status", "error"])
            messages.warning(request, _("Discarded; the file is kept."))
        elif action == "reparse":
            if document.status not in (SourceDocument.Status.FAILED, SourceDocument.Status.DISCARDED):
                messages.error(request, _("Only a failed or discarded document can be parsed again."))
                return here
            with transaction.atomic():
                document.status = SourceDocument.Status.QUEUED
                document.error = ""
                document.waiting_since = timezone.now()
                document.parse_attempts = 0  # a retry of its own if its worker dies again
                document.save(update_fields=["status", "error", "waiting_since", "parse_attempts"])
                transaction.on_commit(partial(queue_parse, document.pk, translation.get_language()))
            messages.info(request, _("Queued for parsing again."))
        else:
            messages.error(request, _("Unknown action."))
        return here


def _report(request, received):
    """One message per file: kept and queued, already there (with its link), or refused."""
    for item in received:
        if item.refused:
            messages.error(request, _("%(name)s: %(reason)s") % {"name": item.name, "reason": item.refused})
        elif item.duplicate:
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("%(name)s: these bytes are already uploaded as") % {"name": item.name},
                    reverse("admin:ingest_sourcedocument_preview", args=[item.document.pk]),
                    item.document.original_name,
                ),
            )
        else:
            messages.info(request, _("%(name)s: queued for parsing.") % {"name": item.name})


def _chosen_division(request, document):
    """The county a reviewer chose among the namesakes the document does not tell apart."""
    parsed = document.parsed or {}
    chosen = request.POST.get("division_code", "")
    codes = {division.code for division in divisions.namesakes(parsed.get("county"))}
    return chosen if chosen in codes else None


def _conflict(document):
    """The disclosure a Save would replace: the same department, year, kind and level from
    another document (a 决算 never replaces the 预算 of its year)."""
    parsed = document.parsed or {}
    if document.status != SourceDocument.Status.REVIEW or not parsed.get("year"):
        return None
    place = (
        {"department__county__code": parsed["division_code"]}
        if parsed.get("division_code")
        else {"department__county__name": parsed.get("county")}
    )
    return (
        BudgetYear.objects.filter(
            **place,
            department__name=parsed.get("department"),
            year=parsed["year"],
            kind=parsed.get("kind") or BudgetYear.Kind.BUDGET,
            level=parsed.get("level") or BudgetYear.Level.DEPARTMENT,
        )
        .exclude(source_document=document)
        .select_related("source_document", "department__county")
        .first()
    )


def _public_url(budget_year):
    return budget_year.get_absolute_url()
