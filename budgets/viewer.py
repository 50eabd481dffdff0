"""The original of a disclosure, opened where a figure was printed: /documents/<pk>/.

A PDF opens in the page's pdf.js viewer (static/js/document-viewer.js) at `page`; any other
format shows the text the parser read, numbered by the lines its figures cite, at `line`.
Either way `find`, the figure as printed, is highlighted there by the same script."""

from dataclasses import dataclass

from django import forms
from django.core.cache import cache
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.sources import visible_documents
from ingest.document import Paragraph, UnreadableDocument
from ingest.models import SourceDocument
from ingest.readers import read_document
from ingest.readers.text import decode_text

# A document's text, read again from its file, is kept this long per process: a reader
# following several figures of one disclosure opens it several times, and reading a Word or
# Excel file (a .doc or .xls through LibreOffice) is the slow part.
TEXT_CACHE_SECONDS = 24 * 3600


class SourceForm(forms.Form):
    """Where to open the document: a page (PDF) or a line (other formats), and the figure to find."""

    page = forms.IntegerField(
        min_value=1,
        required=False,
        error_messages={
            "invalid": gettext_lazy("The page must be a whole number."),
            "min_value": gettext_lazy("Pages are counted from 1."),
        },
    )
    line = forms.IntegerField(
        min_value=1,
        required=False,
        error_messages={
            "invalid": gettext_lazy("The line must be a whole number."),
            "min_value": gettext_lazy("Lines are counted from 1."),
        },
    )
    find = forms.CharField(max_length=200, required=False, strip=True)


@dataclass(frozen=True)
class Line:
    """One numbered line of a document's text: its cells (one for a paragraph), and the page
    or sheet it is on where the format has them."""

    number: int
    cells: tuple[str, ...]
    page: int | None = None


@dataclass(frozen=True)
class Text:
    """A document's text as numbered lines, and where each paragraph or table row the parser
    read ends: a text saved from Word prints a row's cells one per line after the line the row's
    figures cite."""

    lines: list[Line]
    ends: dict[int, int]

    def cited(self, line: int) -> range:
        """The lines of the paragraph or row that starts at `line`."""
        return range(line, self.ends.get(line, line) + 1)


def document_view(request, pk):
    document = get_object_or_404(visible_documents(request.user), pk=pk)
    form = SourceForm(request.GET)
    ctx = {
        "document": document,
        "budget_years": document.budget_years.select_related("department__county"),
        "is_pdf": document.format == SourceDocument.Format.PDF,
    }
    if not form.is_valid():
        ctx["errors"] = [error for errors in form.errors.values() for error in errors]
        return render(request, "budgets/document.html", ctx, status=400)
    page, line, find = (form.cleaned_data[key] for key in ("page", "line", "find"))
    ctx.update(page=page, find=find)
    if ctx["is_pdf"]:
        return render(request, "budgets/document.html", ctx)
    try:
        text = document_text(document)
    except (OSError, ValueError, UnreadableDocument):
        ctx["unreadable"] = True
        return render(request, "budgets/document.html", ctx)
    # A workbook's lines run on from sheet to sheet: the sheets are marked between them.
    sheets = document.format in (SourceDocument.Format.XLSX, SourceDocument.Format.XLS)
    ctx.update(lines=text.lines, line=line, cited=range(0), sheets=sheets)
    if line is not None and line not in {entry.number for entry in text.lines}:
        ctx["line_missing"] = _("This document has no line %(line)s; it is shown from its start.") % {
            "line": line
        }
    elif line is not None:
        ctx["cited"] = text.cited(line)
    return render(request, "budgets/document.html", ctx)


def document_text(document: SourceDocument) -> Text:
    """The text of a non-PDF document, line by line, numbered as its figures' sources cite them."""
    key = f"document-text:{document.pk}:{document.sha256}"
    text = cache.get(key)
    if text is None:
        with document.file.open("rb") as handle:
            data = handle.read()
        text = _read_text(data, document)
        cache.set(key, text, TEXT_CACHE_SECONDS)
    return text


def _read_text(data: bytes, document: SourceDocument) -> Text:
    blocks = read_document(data, document.original_name).blocks
    if document.format != SourceDocument.Format.TEXT:
        # Word, Excel and web pages have no lines of their own: the reader numbers its paragraphs
        # and table rows, and those numbers are what the figures cite.
        lines = [
            Line(block.line, (block.text,) if isinstance(block, Paragraph) else block.cells, block.page)
            for block in blocks
        ]
        return Text(lines, {})
    # A text file's lines are the file's own, numbered from 1, blank ones included; a table row is
    # tab-separated cells. A paragraph or row runs to the last line before the next one starts.
    text = decode_text(data).replace("\x00", "").replace("\f", "")
    lines = [Line(number, tuple(line.split("\t"))) for number, line in enumerate(text.split("\n"), 1)]
    starts = sorted({block.line for block in blocks})
    ends = {}
    for start, following in zip(starts, [*starts[1:], len(lines) + 1], strict=True):
        end = following - 1
        while end > start and not "".join(lines[end - 1].cells).strip():
            end -= 1
        ends[start] = end
    return Text(lines, ends)
