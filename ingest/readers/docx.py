"""Read Word (.docx) disclosures: paragraphs and tables in body order.

The body XML is walked in order, so a table sits between the paragraphs around it. A
table row is printed as wide as the table's grid (`w:tblGrid`): a horizontally merged
cell (`w:gridSpan`) gives its text to its first grid column and "" to the others, a cell
continuing a vertical merge (`w:vMerge` without `restart`) is "", and cells a row skips
(`w:gridBefore`/`w:gridAfter`) are "". Paragraphs inside one cell are joined by a line
break, as Word's own text export does. Word files have no pages, so `page` is None and
`line` counts blocks (paragraph or row) from 1.
"""

import io
import zipfile

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from ingest.document import Document, Paragraph, Row, UnreadableDocument

_P, _TBL, _TR, _TC, _SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
_VAL = qn("w:val")


def read_docx(data: bytes, name: str) -> Document:
    """Read the bytes of a .docx file into a Document, or raise UnreadableDocument."""
    try:
        word = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableDocument("the Word file is damaged and cannot be opened") from error
    blocks = []
    for kind, value in _body(word.element.body, word):
        line = len(blocks) + 1
        blocks.append(Paragraph(value, line) if kind == "p" else Row(value, line))
    if not blocks:
        raise UnreadableDocument("the Word file holds no text")
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
    width = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
    for tr in tbl.iterchildren(_TR):
        cells: list[str] = [""] * _row_property(tr, "w:gridBefore")
        for tc in tr.iterchildren(_TC):
            span = _cell_property(tc, "w:gridSpan") or 1
            cells += [_cell_text(tc, parent) if not _continues_merge(tc) else ""] + [""] * (int(span) - 1)
        cells += [""] * _row_property(tr, "w:gridAfter")
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        yield tuple(cells)


def _cell_property(tc, tag):
    tc_pr = tc.find(qn("w:tcPr"))
    element = tc_pr.find(qn(tag)) if tc_pr is not None else None
    if element is None:
        return None
    return element.get(_VAL, "continue") if tag == "w:vMerge" else int(element.get(_VAL, "1"))


def _row_property(tr, tag) -> int:
    tr_pr = tr.find(qn("w:trPr"))
    element = tr_pr.find(qn(tag)) if tr_pr is not None else None
    return int(element.get(_VAL, "0")) if element is not None else 0


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
