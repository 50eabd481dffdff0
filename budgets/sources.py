"""Where a figure was printed, as a link: the one URL every page gives a figure's source, opening
the original document at its page (PDF) or line (text, web page, Word, Excel) with the printed
figure highlighted there, and the one rule for who may open a document."""

from urllib.parse import urlencode

from django.urls import reverse

from ingest.models import SourceDocument

PUBLIC_STATUSES = (SourceDocument.Status.SAVED, SourceDocument.Status.SUPERSEDED)
# An original is served as what its bytes are (the format was told by them when it was
# uploaded), whatever its file name says; browsers are told not to guess (nosniff).
CONTENT_TYPES = {
    SourceDocument.Format.TEXT: "text/plain",
    SourceDocument.Format.PDF: "application/pdf",
    SourceDocument.Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    SourceDocument.Format.DOC: "application/msword",
    SourceDocument.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    SourceDocument.Format.XLS: "application/vnd.ms-excel",
    SourceDocument.Format.HTML: "text/html",
}


def source_url(document, *, page=None, line=None, find=None) -> str:
    """/documents/7/?page=13&find=296.93: `document` a SourceDocument or its pk; `find` the figure
    as printed (the viewer highlights that text on the page or line). A PDF figure gives its page,
    other formats their line: whichever is given is passed on."""
    pk = getattr(document, "pk", document)
    query = {
        key: value
        for key, value in (("page", page), ("line", line), ("find", find))
        if value not in (None, "")
    }
    url = reverse("budgets:document-view", args=[pk])
    return f"{url}?{urlencode(query)}" if query else url


def printed_where(source) -> tuple[str, int | None, int | None]:
    """(table or section, line, page) of a figure: from a `sources` entry of a budget year, a
    (table, line) pair, or a line item or indicator (their source_table, source_line, source_page)."""
    if isinstance(source, (tuple, list)):
        (where, line), page = source, None
    elif hasattr(source, "source_line"):
        where, line, page = source.source_table, source.source_line, source.source_page
    else:
        where = source.get("table") or source.get("section") or ""
        line, page = source.get("line"), source.get("page")
    return where, line, page


def printed_text(source) -> str:
    """The figure as the document prints it, for the viewer to find: a `sources` entry's own
    `printed` text; a line item's amount (or its basic or project figure, where it prints no
    amount); an indicator's target."""
    if isinstance(source, dict):
        return source.get("printed") or ""
    if hasattr(source, "target"):
        return source.target
    # Imported here: the template filters that format amounts link figures through this module.
    from budgets.templatetags.budget_format import format_amount

    for field in ("amount", "basic", "project"):
        value = getattr(source, field, None)
        if value is not None:
            return format_amount(value)
    return ""


def figure_source_url(document, source) -> str:
    """Where a figure was printed, opened in the viewer: the one link every page gives a
    figure's source. A PDF opens at the page, any other format at the line."""
    _, line, page = printed_where(source)
    if document.format == SourceDocument.Format.PDF:
        # Without its page the figure is not looked for: a match elsewhere could be another figure.
        return source_url(document, page=page, find=printed_text(source) if page else None)
    return source_url(document, line=line, find=printed_text(source))


def visible_documents(user):
    """The documents `user` may open: published ones (saved, or superseded by a later parse of the
    same bytes) for everyone; an upload nobody has reviewed yet, or one an administrator
    discarded, only for staff who may see source documents in the admin."""
    documents = SourceDocument.objects.all()
    if user.is_staff and user.has_perm("ingest.view_sourcedocument"):
        return documents
    return documents.filter(status__in=PUBLIC_STATUSES)
