"""Read Word (.docx) disclosures: paragraphs and tables in body order.

The body XML is walked in order, so a table sits between the paragraphs around it. A
table row is printed as wide as the table's grid (`w:tblGrid`): a horizontally merged
cell (`w:gridSpan`) gives its text to its first grid column and "" to the others, a cell
continuing a vertical merge (`w:vMerge` without `restart`) is "", and cells a row skips
(`w:gridBefore`/`w:gridAfter`) are "". Paragraphs inside one cell are joined by a line
break, as Word's own text export does. Word files have no pages, so `page` is None and
`line` counts blocks (paragraph or row) from 1.

The zip is held to the archive rules before python-docx unpacks it (`check_office_zip`);
python-docx parses XML without resolving entities, and libxml2 refuses an entity bomb. A
span (`gridSpan`, `gridBefore`, `gridAfter`) that is no number counts as 1 (0 for the row's
skipped cells), as Word reads it; one wider than a row may be is refused, before the row is
built, and so is a document of more rows than the bound.
"""

import io
import re
import zipfile

import lxml.etree
from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from ingest.bounds import limit, refuse_count
from ingest.document import Document, Paragraph, Row, UnreadableDocument
from ingest.readers.archive import check_office_zip

_P, _TBL, _TR, _TC, _SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
_VAL = qn("w:val")
_SPAN = re.compile(r"\s*(\d+)\s*$")
WHAT = "word_file"  # the file, as the refusals name it (ingest.refusals.WORDS)


def read_docx(data: bytes, name: str) -> Document:
    """Read the bytes of a .docx file into a Document, or raise UnreadableDocument."""
    check_office_zip(data, WHAT)
    try:
        word = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError, lxml.etree.LxmlError) as error:
        # lxml's XMLSyntaxError: malformed XML, or entities that would expand past libxml2's limit.
        raise UnreadableDocument("word_damaged") from error
    blocks = []
    for kind, value in _body(word.element.body, word):
        line = len(blocks) + 1
        refuse_count("rows_and_paragraphs", line, "rows")
        blocks.append(Paragraph(value, line) if kind == "p" else Row(value, line))
    if not blocks:
        raise UnreadableDocument("word_no_text")
    return Document(name=name, layout="tsv", blocks=blocks)


def _body(container, parent):
    """(kind, value) of each non-empty paragraph and each table row, in order; content
    controls (`w:sdt`) are looked into, as Word shows their text."""
    for child in container.iterchildren():
        if child.tag == _P:
            text = _paragraph_text(child, parent)
            if text:
                yield "p", text
        elif child.tag == _TBL:
            for cells in _table_rows(child, parent):
                yield "row", cells
        elif child.tag == _SDT:
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body(content, parent)


def _paragraph_text(p, parent) -> str:
    return DocxParagraph(p, parent).text.replace("\t", " ").strip()


def _table_rows(tbl, parent):
    grid = tbl.find(qn("w:tblGrid"))
    width = min(len(grid.findall(qn("w:gridCol"))) if grid is not None else 0, limit("cells_per_row"))
    for tr in tbl.iterchildren(_TR):
        cells: list[str] = _blank(0, _row_property(tr, "w:gridBefore"))
        for tc in tr.iterchildren(_TC):
            span = _cell_property(tc, "w:gridSpan") or 1
            text = _cell_text(tc, parent) if not _continues_merge(tc) else ""
            cells += [text] + _blank(len(cells) + 1, span - 1)
        cells += _blank(len(cells), _row_property(tr, "w:gridAfter"))
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        yield tuple(cells)


def _blank(filled: int, count: int) -> list[str]:
    """`count` empty cells after `filled` cells, refused before they are made when the row
    would be wider than a row may be (a gridSpan of a billion)."""
    most = limit("cells_per_row")
    if filled + count > most:
        raise UnreadableDocument("word_row_too_wide", cells=f"{filled + count:,}", most=f"{most:,}")
    return [""] * count


def _cell_property(tc, tag):
    tc_pr = tc.find(qn("w:tcPr"))
    element = tc_pr.find(qn(tag)) if tc_pr is not None else None
    if element is None:
        return None
    return element.get(_VAL, "continue") if tag == "w:vMerge" else _span(element.get(_VAL), 1)


def _row_property(tr, tag) -> int:
    tr_pr = tr.find(qn("w:trPr"))
    element = tr_pr.find(qn(tag)) if tr_pr is not None else None
    return _span(element.get(_VAL), 0) if element is not None else 0


def _span(value: str | None, default: int) -> int:
    """A span attribute as a count of grid columns; `default` where it is no whole number."""
    match = _SPAN.match(value or "")
    if not match:
        return default
    # Thousands of digits are not converted (Python refuses beyond 4,300): any such span is too wide.
    digits = match.group(1).lstrip("0") or "0"
    return int(digits) if len(digits) <= 12 else 10**12


def _continues_merge(tc) -> bool:
    return _cell_property(tc, "w:vMerge") == "continue"


def _cell_text(tc, parent) -> str:
    """The cell's paragraphs joined by line breaks; a table nested in the cell gives its
    cells' text in order, as the cell's further lines."""
    lines = []
    for child in tc.iterchildren():
        if child.tag == _P:
            lines.append(DocxParagraph(child, parent).text.replace("\t", " ").rstrip())
        elif child.tag == _TBL:
            lines += [" ".join(c for c in row if c) for row in _table_rows(child, parent)]
    return "\n".join(lines).strip("\n").rstrip()
