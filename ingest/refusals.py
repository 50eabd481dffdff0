"""Why a file could not be read or parsed, in the language of whoever reads it.

A refusal is a code and its params (`{"code": "too_many", "params": {"count": "60,001", …}}`):
the readers and the parser raise `UnreadableDocument(code, **params)`, the background parse keeps
the refusal as it is on the SourceDocument (`encode`), and the admin renders it in the admin's
language (`error_text`). A param may itself be a refusal (the reason inside "This file cannot be
read: …") or a word of WORDS (`{"code": "pages"}`), or name a figure (`{"figure": "totals.income"}`);
numbers arrive formatted (`60,001`). `str(UnreadableDocument)` is the English line the command
line and the logs print. An error stored as plain text (before refusals had codes, or typed in the
admin) reads as it is.
"""

import json

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ingest.finding_messages import figure_name

MESSAGES = {
    # The parser.
    "not_a_disclosure": _("this is not a budget disclosure: no budget tables or explanation sections found"),
    # The readers.
    "word_damaged": _("the Word file is damaged and cannot be opened"),
    "word_no_text": _("the Word file holds no text"),
    "word_row_too_wide": _(
        "a table row of the Word file spans %(cells)s cells; at most %(most)s are accepted"
    ),
    "doc_needs_libreoffice": _(
        "legacy .doc needs LibreOffice: apt-get install libreoffice-writer-nogui, or save the file as .docx"
    ),
    "libreoffice_timeout": _("LibreOffice took more than %(seconds)s s to convert the file"),
    "libreoffice_failed": _("LibreOffice could not convert the file to %(format)s"),
    "zip_damaged": _("the zip file is damaged and cannot be opened"),
    "zip_not_one_document": _("this is a zip archive, not one disclosure: upload it as a batch"),
    "legacy_office_unknown": _(
        "this legacy Office file is neither a Word (.doc) nor an Excel (.xls) file: save it as PDF or .docx"
    ),
    "file_empty": _("the file is empty"),
    "text_too_large": _("the text is larger than %(mb)s MB, the limit for text files"),
    "binary": _("the file is binary, not text: upload a PDF, Word, Excel or text file"),
    "text_encoding": _(
        "the text is neither UTF-8, UTF-16 nor GB18030 (GBK): save it in one of these encodings"
    ),
    "file_no_text": _("the file holds no text"),
    "merged_cells_too_many": _("the merged ranges of a sheet cover more than %(most)s cells"),
    "excel_damaged": _("the Excel file is damaged and cannot be opened"),
    "excel_no_text": _("the Excel file holds no text"),
    "merged_ranges_too_many": _("a sheet of the Excel file has more than %(most)s merged ranges"),
    "sheet_too_large": _(
        "a sheet of the Excel file spans %(rows)s rows × %(columns)s columns; at most %(most)s "
        "cells are accepted"
    ),
    "sheet_row_beyond": _(
        "a sheet of the Excel file reaches row %(index)s; at most %(most)s rows are accepted"
    ),
    "sheet_column_beyond": _(
        "a sheet of the Excel file reaches column %(index)s; at most %(most)s columns are accepted"
    ),
    "archive_inside_archive": _("%(name)s is an archive inside the archive: unpack it and upload its files"),
    "archive_damaged": _("%(what)s is damaged and cannot be opened"),
    "archive_too_many_files": _("%(what)s holds %(count)s files; at most %(most)s are accepted"),
    "archive_too_big": _("%(what)s unpacks to more than the %(mb)s MB limit"),
    "archive_beyond_limit": _("%(what)s unpacks to more than the limit"),
    "batch_too_big": _("the zip file unpacks to more than the %(mb)s MB limit: upload fewer files at a time"),
    "batch_beyond_limit": _("the zip file unpacks to more than the limit: upload fewer files at a time"),
    "member_encrypted": _("%(name)s is encrypted: upload the archive without a password"),
    "file_protected": _("%(what)s is protected by a password: save it without one and upload it again"),
    "path_outside": _("the zip file names a path outside its folder (%(name)s): it is refused"),
    "zip_bomb": _("%(name)s inflates far beyond its compressed size (a zip bomb?): it is refused"),
    "member_damaged": _("%(name)s is damaged in %(what)s (or its sizes are forged)"),
    "page_too_large": _("the web page is larger than %(mb)s MB, the limit for web pages"),
    "page_no_text": _("the web page holds no text"),
    "page_grid_too_large": _(
        "the page's tables span more than %(most)s cells (colspan/rowspan): it is refused"
    ),
    "cell_span_too_large": _("a table cell has %(attribute)s=%(value)s; at most %(most)s are accepted"),
    "pdf_damaged": _("the PDF file is damaged and cannot be opened"),
    "pdf_protected": _(
        "this PDF is protected by a password: ask the county for a copy without one, "
        "or save it without the password and upload it again"
    ),
    "pdf_scan": _(
        "this PDF has no text layer: it is a scan; ask the county for the original "
        "(Word, Excel or a PDF saved from them) or upload text typed from it"
    ),
    "pdf_no_text": _("the PDF holds no text"),
    "pdf_table_unreadable": _("the table on page %(page)s cannot be read"),
    "pdf_streams_too_large": _("the PDF's compressed streams inflate to more than %(mb)s MB: it is refused"),
    # The bounds (ingest.bounds).
    "too_many": _("the file has %(count)s %(what)s; at most %(most)s are accepted"),
    "line_too_long": _(
        "line %(line)s is %(length)s characters long; at most %(most)s are accepted in one line"
    ),
    "year_out_of_range": _("the budget year read is %(year)s; only %(first)s–%(last)s are accepted"),
    "name_too_long": _(
        "the %(what)s name read is %(length)s characters long (“%(text)s”); at most %(most)s are accepted"
    ),
    "amount_too_large": _(
        "the figure %(amount)s 万元 (%(what)s%(where)s) is larger than any county budget "
        "(at most %(most)s 万元): check its digits and unit"
    ),
    "count_impossible": _("the count %(count)s (%(what)s) cannot be a number of staff or vehicles"),
    "text_too_long": _(
        "%(what)s%(where)s is %(length)s characters long (“%(text)s”); at most %(most)s are accepted"
    ),
    # What became of a source document's parse (ingest.tasks, ingest.recovery, the admin).
    "cannot_read": _("This file cannot be read: %(reason)s"),
    "parse_timeout": _(
        "Parsing took longer than %(seconds)s seconds and was stopped; "
        "the file may be damaged or far larger than a budget disclosure."
    ),
    "parser_stopped": _("The parser stopped unexpectedly (exit code %(code)s) on this file."),
    "parse_memory": _(
        "The file needs more memory than a parse may take (%(limit)s MB); "
        "it may be damaged or far larger than a budget disclosure."
    ),
    "parser_failed": _("The parser failed on this file (%(error)s); the details are in the worker's log."),
    "stored_file_unreadable": _("The stored file cannot be read (%(error)s)."),
    "worker_stopped": _("The worker stopped while parsing this file; parse it again."),
    "not_queued": _("The file could not be queued for parsing; parse it again."),
    "discarded": _("Discarded by %(user)s: %(reason)s"),
}
# Words the messages take as params: what a file holds, which file, where in it.
WORDS = {
    "lines": pgettext_lazy("what a file holds", "lines"),
    "pages": pgettext_lazy("what a file holds", "pages"),
    "rows_and_paragraphs": pgettext_lazy("what a file holds", "rows and paragraphs"),
    "cells_in_one_row": pgettext_lazy("what a file holds", "cells in one row"),
    "rows_in_one_sheet": pgettext_lazy("what a file holds", "rows in one sheet"),
    "columns_in_one_sheet": pgettext_lazy("what a file holds", "columns in one sheet"),
    "cells_in_one_sheet": pgettext_lazy("what a file holds", "cells in one sheet"),
    "merged_ranges_in_one_sheet": pgettext_lazy("what a file holds", "merged ranges in one sheet"),
    "zip_file": pgettext_lazy("which file", "the zip file"),
    "word_file": pgettext_lazy("which file", "the Word file"),
    "excel_file": pgettext_lazy("which file", "the Excel file"),
    "county": pgettext_lazy("a name read from a title", "county"),
    "department": pgettext_lazy("a name read from a title", "department"),
    "line_item_name": pgettext_lazy("a text too long", "a line item's name"),
    "indicator_project": pgettext_lazy("a text too long", "an indicator's project"),
    "no_reason": _("no reason given"),
}
# Pieces with params of their own.
PIECES = {
    "at_line": pgettext_lazy("where in the file", ", line %(line)s"),
    "line_item": pgettext_lazy("a figure too large", "the line item “%(name)s”"),
}


def refusal(code: str, **params) -> dict:
    return {"code": code, "params": params}


def _piece(value):
    if isinstance(value, dict) and "figure" in value:
        return figure_name(value["figure"])
    if isinstance(value, dict) and "code" in value:
        return render(value)
    return value


def render(message: dict) -> str:
    """A refusal (or a word) in the active language."""
    code, params = message.get("code"), message.get("params") or {}
    if code in WORDS:
        return str(WORDS[code])
    template = MESSAGES.get(code) or PIECES.get(code)
    if template is None:
        return str(code)
    return str(template) % {name: _piece(value) for name, value in params.items()}


def english(message: dict) -> str:
    """The refusal as the command line and the logs print it."""
    with translation.override("en"):
        return render(message)


def encode(message: dict) -> str:
    """A refusal as SourceDocument.error keeps it: rendered when read, in the reader's language."""
    return json.dumps(message, ensure_ascii=False)


def error_text(stored: str) -> str:
    """A SourceDocument's error in the active language: a refusal kept by `encode`, or plain
    text as it was stored."""
    if not stored.startswith("{"):
        return stored
    try:
        message = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(message, dict) or message.get("code") not in MESSAGES:
        return stored
    try:
        return render(message)
    except (KeyError, TypeError, ValueError):
        return stored
