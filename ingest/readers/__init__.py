"""Format readers: each turns a file's bytes into the one intermediate `Document`.

The format is told by the bytes, never by the file name, so a renamed file is read (or
refused) for what it is. Every tabular reader (PDF, Word, Excel) prints a table the same
way: one `Row` per table row, as wide as the table's grid, a merged cell's text in its
top-left grid cell and "" in every other grid cell it covers. That is the `tsv` layout of
text pulled from a PDF (ingest/readers/text.py), so those readers say `layout="tsv"` and
the parser reads their rows as it reads that text. Saved web pages (HTML) are read the
same way, their `colspan`/`rowspan` cells spread over the table's grid.
"""

import io
import re
import zipfile

from ingest.bounds import bounded
from ingest.document import Document, UnreadableDocument
from ingest.readers.text import read_text

_PDF = b"%PDF"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # a member first, or an empty archive
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A page may open with an XML declaration or comments (browsers save pages with a
# `<!-- saved from url=… -->` line) before its first tag.
_HTML_START = re.compile(
    r"(?:\s*(?:<\?xml[^>]*>|<!--.*?-->))*\s*<(?:!doctype\s+html|html|head|meta|body|table)\b",
    re.IGNORECASE | re.DOTALL,
)


def read_document(data: bytes, name: str) -> Document:
    """Read any supported disclosure file into a Document, or raise UnreadableDocument.

    Zip archives are refused here: a batch is unpacked with `read_archive` first and each
    member read on its own. Whatever the format, the result is held to the bounds on rows,
    cells and lines, its NUL characters removed (ingest.bounds)."""
    return bounded(_read(data, name))


def _read(data: bytes, name: str) -> Document:
    if data[:1024].lstrip().startswith(_PDF):
        from ingest.readers.pdf import read_pdf

        return read_pdf(data, name)
    if data.startswith(_ZIP):
        return _read_zip_based(data, name)
    if data.startswith(_OLE):
        return _read_ole(data, name)
    if _looks_like_html(data):
        from ingest.readers.html import read_html

        return read_html(data, name)
    return read_text(data, name)


def sniff(data: bytes) -> str:
    """What the bytes are: pdf, docx, xlsx, zip, doc, xls, ole (another Office file), html
    or text. Callers that sort uploads (the admin's batch upload) use it before parsing."""
    if data[:1024].lstrip().startswith(_PDF):
        return "pdf"
    if data.startswith(_ZIP):
        names = _zip_names(data)
        if names is None:
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    if data.startswith(_OLE):
        return _ole_kind(data)
    if _looks_like_html(data):
        return "html"
    return "text"


def _looks_like_html(data: bytes) -> bool:
    """A tag that only a web page starts with, near the start; the first KB is decoded
    leniently, as only its ASCII markup matters (GBK pages included)."""
    head = data[:1024]
    encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    return bool(_HTML_START.match(head.decode(encoding, errors="ignore").lstrip("\ufeff")))


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None


def _read_zip_based(data: bytes, name: str) -> Document:
    kind = sniff(data)
    if kind == "docx":
        from ingest.readers.docx import read_docx

        return read_docx(data, name)
    if kind == "xlsx":
        from ingest.readers.xlsx import read_xlsx

        return read_xlsx(data, name)
    if _zip_names(data) is None:
        raise UnreadableDocument("zip_damaged")
    raise UnreadableDocument("zip_not_one_document")


def _ole_kind(data: bytes) -> str:
    """Legacy Office files are OLE compound files; their stream names tell Word
    (`WordDocument`) from Excel (`Workbook`, or `Book` before Excel 97)."""
    from xlrd.compdoc import CompDoc, CompDocError

    try:
        directory = CompDoc(data, logfile=io.StringIO())
    except (CompDocError, IndexError, ValueError, AssertionError):
        return "ole"
    streams = {entry.name for entry in directory.dirlist}
    if "WordDocument" in streams:
        return "doc"
    if streams & {"Workbook", "Book"}:
        return "xls"
    return "ole"


def _read_ole(data: bytes, name: str) -> Document:
    kind = _ole_kind(data)
    if kind == "doc":
        from ingest.readers.doc import read_doc

        return read_doc(data, name)
    if kind == "xls":
        from ingest.readers.xls import read_xls

        return read_xls(data, name)
    raise UnreadableDocument("legacy_office_unknown")
