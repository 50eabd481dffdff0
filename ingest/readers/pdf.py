"""Read PDF disclosures that have a text layer (pdfplumber).

On each page, tables are found from their ruling lines (pdfplumber's `lines` strategy);
a table's row is printed as wide as the table's grid, a merged cell's text in its first
grid cell and "" in the others it covers, as the `tsv` text layout prints rows. The text
outside tables is read line by line from the characters' positions: a line whose words
stand apart in three or more columns (a table drawn without lines) becomes a row split
at those gaps; other lines are paragraphs, and the lines a paragraph wraps over are
joined again. Tables and paragraphs keep the order they have on the page, top to bottom.

Text wrapped inside a cell or paragraph is joined without a space (Chinese has none
between characters; a number cut by a narrow column, `1150.5` + `1`, is whole again),
except between two Latin letters. Every block carries its page; `line` counts blocks
from 1 over the document.

A PDF whose pages hold no characters is a scan, and is refused with that reason: this
project does not OCR.
"""

import io
import re
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils import chars_to_textmap
from pdfplumber.utils.exceptions import PdfminerException

from ingest.document import Document, Paragraph, Row, UnreadableDocument

SCAN = (
    "this PDF has no text layer: it is a scan; ask the county for the original "
    "(Word, Excel or a PDF saved from them) or upload text typed from it"
)
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3}
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d+\s*(页)?[-—–\s]*(/\s*\d+\s*页?)?$")


@dataclass
class _Line:
    """A line of text outside tables, with what joining wrapped lines needs to know."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    cells: list[str] = field(default_factory=list)


def read_pdf(data: bytes, name: str) -> Document:
    """Read the bytes of a PDF file into a Document, or raise UnreadableDocument."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as error:
        raise UnreadableDocument("the PDF file is damaged and cannot be opened") from error
    blocks: list[Paragraph | Row] = []
    with pdf:
        open_line, has_text, right = None, False, 0.0
        for number, page in enumerate(pdf.pages, start=1):
            has_text = has_text or bool(page.chars)
            try:
                items, page_right = _page_items(page)
            except Exception as error:  # pdfminer/pdfplumber raise many kinds on odd pages
                raise UnreadableDocument(
                    f"第 {number} 页的表格无法识别 (the table on page {number} cannot be read)"
                ) from error
            # The right margin is the widest text or table seen so far: on a page of short
            # lines only (page headers, a title) no line may pass for one that wraps.
            right = max(right, page_right)
            open_line = _append(blocks, items, number, open_line, right)
            page.close()  # drop the page's parsed objects: a 40-page PDF stays small in memory
    if not has_text:
        raise UnreadableDocument(SCAN)
    if not blocks:
        raise UnreadableDocument("the PDF holds no text")
    return Document(name=name, layout="tsv", blocks=blocks)


def _page_items(page):
    """(top, kind, value) of each table row and text line on one page, top to bottom, and
    the right edge of the page's text and tables."""
    tables = page.find_tables(_TABLE_SETTINGS)
    tables = [t for t in tables if len(t.rows) > 1 or len(t.rows[0].cells) > 1] if tables else []
    items = []
    for table in tables:
        for row, texts in zip(table.rows, table.extract(), strict=True):
            cells = tuple(_unwrap(t) if t else "" for t in texts)
            if any(cells):
                items.append((row.bbox[1], "row", cells))
    boxes = [t.bbox for t in tables]
    outside = [char for char in page.chars if not _inside(char, boxes)]
    textmap = chars_to_textmap([_on_baseline(char) for char in outside], layout_bbox=page.bbox)
    lines = [_line(line) for line in textmap.extract_text_lines(strip=True, return_chars=True)]
    lines = [line for line in lines if line.text]
    if lines and _PAGE_NUMBER.match(lines[-1].text) and lines[-1].top > page.height * 0.85:
        lines.pop()  # the page number printed in the footer
    items += [(line.top, "line", line) for line in lines]
    items.sort(key=lambda item: item[0])
    return items, max([box[2] for box in boxes] + [line.x1 for line in lines], default=0.0)


def _on_baseline(char: dict) -> dict:
    """The character with its box set on its baseline. Fonts place their boxes differently
    around the baseline (a Times digit sits 5 points lower than the FangSong characters of
    the same line), so lines are grouped by where the text stands, not by the font's box."""
    if not char.get("upright") or not char.get("matrix"):
        return char
    baseline = char["top"] + char["y1"] - char["matrix"][5]
    return {**char, "top": baseline - 0.8 * char["size"], "bottom": baseline + 0.2 * char["size"]}


def _inside(char, boxes) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _line(found) -> _Line:
    chars = found["chars"]
    if not chars:
        return _Line("", found["top"], found["bottom"], found["x0"], found["x1"], 0)
    size = max(c["size"] for c in chars)
    # Split where words stand more than two characters apart: columns of a table drawn without lines.
    parts, current = [], [chars[0]]
    for before, char in zip(chars, chars[1:], strict=False):
        if char["x0"] - before["x1"] > 2 * size:
            parts.append(current)
            current = []
        current.append(char)
    parts.append(current)
    texts = [_words(part) for part in parts]
    cells = texts if len(texts) >= 3 else []
    return _Line(" ".join(texts), found["top"], found["bottom"], chars[0]["x0"], chars[-1]["x1"], size, cells)


def _words(chars) -> str:
    """The text of a run of characters, with a space where a gap wider than a third of
    the font size separates two of them (LibreOffice and Word widen the gap between
    Chinese and Latin text by less, which is no space), and the space characters kept."""
    out = chars[0]["text"]
    for before, char in zip(chars, chars[1:], strict=False):
        if char["x0"] - before["x1"] > before["size"] / 3:
            out += " "
        out += char["text"]
    return " ".join(out.split())


def _append(blocks: list, items, page: int, previous: "_Line | None", right: float) -> "_Line | None":
    """Add one page's items to the blocks, joining the lines of wrapped paragraphs.
    `previous` is the last line of the page before when it ran to the right margin `right`
    (a paragraph the page break may have cut); the same is returned for this page."""
    text_lines = [value for _top, kind, value in items if kind == "line" and not value.cells]
    left = min((line.x0 for line in text_lines), default=0)
    for _top, kind, value in items:
        if kind == "row":
            blocks.append(Row(value, len(blocks) + 1, page))
            previous = None
        elif value.cells:
            blocks.append(Row(tuple(value.cells), len(blocks) + 1, page))
            previous = None
        elif previous is not None and _continues(previous, value, left):
            last = blocks[-1]
            blocks[-1] = Paragraph(_join(last.text, value.text), last.line, last.page)
            previous = _mark(value, right)
        else:
            blocks.append(Paragraph(value.text, len(blocks) + 1, page))
            previous = _mark(value, right)
    return previous


def _mark(line: _Line, right: float) -> _Line | None:
    """The line, if it runs to the right margin (so the next line may continue it)."""
    return line if line.x1 >= right - 1.5 * line.size else None


def _continues(previous: _Line, line: _Line, left: float) -> bool:
    """A line continues the paragraph above when it starts at the left margin, in the
    same font size, close under it (or at the top of the next page)."""
    same_size = abs(previous.size - line.size) < 0.5
    at_margin = line.x0 <= left + 0.5 * line.size
    close = line.top < previous.top or line.top - previous.bottom < 0.9 * line.size
    return same_size and at_margin and close


def _join(before: str, after: str) -> str:
    if before[-1:].isascii() and before[-1:].isalpha() and after[:1].isascii() and after[:1].isalpha():
        return f"{before} {after}"
    return before + after


def _unwrap(text: str) -> str:
    """A cell's text with the line breaks of its wrapping removed."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out = ""
    for line in lines:
        out = _join(out, line) if out and line else out + line
    return out
