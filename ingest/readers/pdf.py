"""Read PDF disclosures that have a text layer (pdfplumber).

On each page, tables are found from their ruling lines (pdfplumber's `lines` strategy);
a table's row is printed as wide as the table's grid, a merged cell's text in its first
grid cell and "" in the others it covers, as the `tsv` text layout prints rows. The text
outside tables is read line by line from the characters' positions: a line whose words
stand apart in three or more columns (a table drawn without lines) becomes a row split
at those gaps; other lines are paragraphs, and the lines a paragraph wraps over are
joined again (a line wraps when the next line's first word had no room at its end).
Tables and paragraphs keep the order they have on the page, top to bottom. A table ruled
between its columns but not at its sides is closed at the ends of its row rules.

A table that runs over pages reads as one: the header rows a producer repeats at the top
of each page are dropped, and a row the page break cut in two is joined again
(`_cut_row`). Nothing here depends on the page size, margins, fonts or font sizes: they
are measured on the page.

Text wrapped inside a cell or paragraph is joined without a space (Chinese has none
between characters; a number cut by a narrow column, `1150.5` + `1`, is whole again),
except between two Latin letters. Every block carries its page; `line` counts blocks
from 1 over the document.

A PDF whose pages hold no characters is a scan, and is refused with that reason: this
project does not OCR. One with an open password is refused as protected, not as damaged.

Before pdfplumber reads anything the file is held to the bounds: its flate-compressed streams
may inflate to PARSE_MAX_INFLATED_BYTES together (counted in chunks, nothing kept: a 1 MB
flate bomb inflates to gigabytes, and pdfminer inflates a stream whole), and it may have
PARSE_MAX_PAGES pages, counted from the page tree without reading a page. Images are not
counted: text extraction never inflates them. Streams of an encrypted PDF cannot be measured
before they are decrypted; their pages are still counted.
"""

import io
import itertools
import re
import zlib
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils import chars_to_textmap
from pdfplumber.utils.exceptions import PdfminerException

from ingest.bounds import limit, refuse_count
from ingest.document import Document, Paragraph, Row, UnreadableDocument

_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_INFLATE_CHUNK = 1024 * 1024
_SNAP = 3
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": _SNAP}
# A table's header, as a producer repeats it on each page, is at most this many rows.
_HEAD_ROWS = 5
# The table a row belongs to, besides the tables of its page (0, 1, …): the one the page
# before ended in, and the rows split from text lines at their gaps.
_CONTINUED, _TEXT_ROWS = -1, -2
_LATIN = "".join(chr(c) for c in range(33, 127))
_NO_LINE_START = set("，。、；：？！）》」』”’%,.;:?!)]")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d+\s*(页)?[-—–\s]*(/\s*\d+\s*页?)?$")


@dataclass
class _TableRow:
    """A row of a ruled table: `table` tells the tables of one page apart. For the last
    row of a page's last table only, `room` and `tall` say where a page break may have
    cut it (see `_room_left`)."""

    cells: tuple[str, ...]
    table: int
    room: dict[int, float] = field(default_factory=dict)
    tall: bool = False


@dataclass
class _Flow:
    """What reading one page leaves for the next: the right margin (the widest text or
    table seen so far), the last line when the document so far ends in a paragraph, and
    the table in progress, its first rows and its last one."""

    right: float = 0.0
    open_line: "_Line | None" = None
    head: list[tuple[str, ...]] = field(default_factory=list)
    last_row: _TableRow | None = None


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
    lead: float = 0.0  # the width of its first word, which the line above had no room for


def read_pdf(data: bytes, name: str) -> Document:
    """Read the bytes of a PDF file into a Document, or raise UnreadableDocument."""
    _check_inflated_size(data)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as error:
        cause = error.args[0] if error.args else None
        raise UnreadableDocument(
            "pdf_protected" if isinstance(cause, PDFEncryptionError) else "pdf_damaged"
        ) from error
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as error:
        raise UnreadableDocument("pdf_damaged") from error
    # Not `with pdf`: pdfplumber's close() builds every page of the tree, which a refused
    # file may not have; each page read is closed after it, and the bytes are ours.
    try:
        refuse_count("pages", _page_count(pdf), "pages")
        blocks, has_text = _read_pages(pdf)
    except UnreadableDocument:
        raise
    except Exception as error:  # pdfminer raises many kinds on a damaged page tree or stream
        raise UnreadableDocument("pdf_damaged") from error
    if not has_text:
        raise UnreadableDocument("pdf_scan")
    if not blocks:
        raise UnreadableDocument("pdf_no_text")
    return Document(name=name, layout="tsv", blocks=blocks)


def _read_pages(pdf) -> tuple[list, bool]:
    """The blocks of every page, and whether any page holds characters."""
    blocks: list[Paragraph | Row] = []
    flow, has_text = _Flow(), False
    for number, page in enumerate(pdf.pages, start=1):
        has_text = has_text or bool(page.chars)
        try:
            items, page_right = _page_items(page)
        except Exception as error:  # pdfminer/pdfplumber raise many kinds on odd pages
            raise UnreadableDocument("pdf_table_unreadable", page=number) from error
        # The right margin is the widest text or table seen so far: on a page of short
        # lines only (page headers, a title) no line may pass for one that wraps.
        flow.right = max(flow.right, page_right)
        _append(blocks, _continue_table(blocks, items, flow), number, flow)
        page.close()  # drop the page's parsed objects: a 40-page PDF stays small in memory
    return blocks, has_text


def _page_count(pdf) -> int:
    """The pages of the page tree, counted without reading them, and no further than one past
    the bound."""
    return sum(1 for _page in itertools.islice(PDFPage.create_pages(pdf.doc), limit("pages") + 1))


def _check_inflated_size(data: bytes) -> None:
    """Refuse a PDF whose compressed streams (images aside) inflate past the bound together."""
    budget = limit("inflated_bytes")
    total = 0
    for match in _STREAM_START.finditer(data):
        end = data.find(b"endstream", match.end())
        dictionary = data[data.rfind(b"obj", 0, match.start()) : match.start()]
        if end < 0 or b"/Image" in dictionary:
            continue
        total += _inflated_size(data[match.end() : end], budget - total)
        if total > budget:
            raise UnreadableDocument("pdf_streams_too_large", mb=budget // 2**20)


def _inflated_size(raw: bytes, budget: int) -> int:
    """How many bytes a flate stream inflates to, counted in chunks and no further than past
    `budget`; 0 for a stream that is not flate (or is encrypted): pdfminer decides on those."""
    inflater, size, pending = zlib.decompressobj(), 0, raw
    try:
        # Bytes after the end of the flate data (before `endstream`) stay unconsumed: stop at the end.
        while pending and not inflater.eof and size <= budget:
            size += len(inflater.decompress(pending, _INFLATE_CHUNK))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass
    return size


def _page_items(page):
    """(top, kind, value) of each table row and text line on one page, top to bottom, and
    the right edge of the page's text and tables."""
    tables = page.find_tables({**_TABLE_SETTINGS, "explicit_vertical_lines": _open_sides(page.edges)})
    tables = [t for t in tables if len(t.rows) > 1 or len(t.rows[0].cells) > 1] if tables else []
    items = _table_rows(page, tables)
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


def _open_sides(edges) -> list[dict]:
    """Vertical edges for the sides of tables drawn without rules there (only between
    their columns, and above and below their rows, as many county tables are set): a row
    ruled above and below and crossed by a column rule is closed at the ends of its rules,
    else its first and last cells have no edge and the table is not found."""
    verticals = [e for e in edges if e["orientation"] == "v"]
    by_x: dict[int, list] = {}
    for v in verticals:
        by_x.setdefault(round(v["x0"]), []).append(v)
    rules = [e for e in edges if e["orientation"] == "h" and not _closed(e, by_x)]
    if not verticals or not rules:
        return []
    sides = []
    for above, below in _ruled_bands(rules):
        if any(_crosses(v, above, below) for v in verticals):
            sides += [_side(x, above["top"], below["top"]) for x in (above["x0"], above["x1"])]
    return sides


def _side(x: float, top: float, bottom: float) -> dict:
    return {
        "object_type": "side_edge",
        "orientation": "v",
        "x0": x,
        "x1": x,
        "width": 0,
        "top": top,
        "bottom": bottom,
        "height": bottom - top,
    }


def _closed(rule, by_x: dict[int, list]) -> bool:
    """Whether a vertical edge meets the rule at both of its ends (`by_x`: the vertical
    edges by their rounded position)."""
    return all(
        any(
            v["top"] - _SNAP <= rule["top"] <= v["bottom"] + _SNAP
            for near in range(round(x) - _SNAP, round(x) + _SNAP + 1)
            for v in by_x.get(near, ())
        )
        for x in (rule["x0"], rule["x1"])
    )


def _ruled_bands(rules):
    """Each pair of rules of the same extent, one under the other, with none between."""
    extents: dict[tuple[int, int], list] = {}
    for rule in rules:
        extents.setdefault((round(rule["x0"]), round(rule["x1"])), []).append(rule)
    for same in extents.values():
        same.sort(key=lambda rule: rule["top"])
        yield from zip(same, same[1:], strict=False)


def _crosses(vertical, above, below) -> bool:
    """Whether a vertical edge runs between the ends of two rules, from one to the other."""
    inside = above["x0"] + _SNAP < vertical["x0"] < above["x1"] - _SNAP
    return inside and vertical["top"] <= above["top"] + _SNAP and vertical["bottom"] >= below["top"] - _SNAP


def _table_rows(page, tables) -> list:
    """(top, "row", _TableRow) of each row of the page's tables that holds text."""
    items = []
    lowest = max(range(len(tables)), key=lambda n: tables[n].bbox[3], default=None)
    for number, table in enumerate(tables):
        rows = table.rows  # a property that builds new row objects at each call
        for index, (row, texts) in enumerate(zip(rows, table.extract(), strict=True)):
            cells = tuple(_unwrap(t) if t else "" for t in texts)
            if not any(cells):
                continue
            at_page_end = number == lowest and index == len(rows) - 1
            room, tall = _room_left(row, page.chars) if at_page_end else ({}, False)
            items.append((row.bbox[1], "row", _TableRow(cells, number, room, tall)))
    return items


def _room_left(row, chars) -> tuple[dict[int, float], bool]:
    """For the cells of a row a page break may have cut, those whose text runs down to
    the row's bottom edge (its next line had no room: less than two lines' height is
    left), the room left at the right of their last line, in characters of their font
    size. And whether one of them holds more than one line."""
    room, tall = {}, False
    for index, box in enumerate(row.cells):
        inside = _chars_in(box, chars) if box else []
        if not inside:
            continue
        size = max(c["size"] for c in inside)
        last_top = max(c["top"] for c in inside)
        last_line = [c for c in inside if c["top"] > last_top - 0.5 * size]
        if box[3] - max(c["bottom"] for c in last_line) < 2 * size:
            room[index] = (box[2] - max(c["x1"] for c in last_line)) / size
            tall = tall or last_top - min(c["top"] for c in inside) > 0.5 * size
    return room, tall


def _chars_in(box, chars) -> list:
    x0, top, x1, bottom = box
    return [
        c
        for c in chars
        if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
    ]


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
    line = _Line(" ".join(texts), found["top"], found["bottom"], chars[0]["x0"], chars[-1]["x1"], size, cells)
    line.lead = _first_word(chars)[-1]["x1"] - chars[0]["x0"]
    return line


def _first_word(chars: list) -> list:
    """The characters a line may not be broken between at its start: a run of Latin
    letters and digits (`394.3`, `and`) or one Chinese character, each with the
    punctuation that may not begin a line after it."""
    end = 1
    while end < len(chars) and _latin(chars[end - 1]["text"]) and _latin(chars[end]["text"]):
        end += 1
    while end < len(chars) and chars[end]["text"] in _NO_LINE_START:
        end += 1
    return chars[:end]


def _latin(text: str) -> bool:
    return text.isascii() and not text.isspace()


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


def _continue_table(blocks: list, items: list, flow: _Flow) -> list:
    """A page's items, without the header rows repeated at its top when the table of the
    page before runs on; a first row that is the rest of a row the page break cut is
    joined to that row (in `blocks`) and dropped too."""
    if not (blocks and isinstance(blocks[-1], Row) and flow.last_row and items and items[0][1] == "row"):
        return items
    first_table = items[0][2].table
    start = 0
    while (
        start < min(len(flow.head), len(items))
        and items[start][1] == "row"
        and items[start][2].table == first_table
        and items[start][2].cells == flow.head[start]
    ):
        start += 1
    rest = items[start:]
    if (
        rest
        and rest[0][1] == "row"
        and rest[0][2].table == first_table
        and _cut_row(flow.last_row, rest[0][2])
    ):
        last = blocks[-1]
        cells = tuple(
            _join(a, b) if a and b else a or b for a, b in zip(last.cells, rest[0][2].cells, strict=True)
        )
        blocks[-1] = Row(cells, last.line, last.page)
        rest = rest[1:]
    return rest


def _cut_row(last: _TableRow, first: _TableRow) -> bool:
    """Whether `first`, at the top of a page, is the rest of `last`, the row that ended the
    page before: each of its cells with text continues a cell of `last` whose text ran to
    the bottom of the page and whose last line had no room left for the next word. Its
    first cell (a number, code or name) was printed whole before the break, unless that
    row ran over several lines there: a row of one line cannot be cut, and a table's next
    row, numbered, may begin a page under a row of one line. (One character more is
    allowed for the cell's padding.)"""
    filled = [index for index, cell in enumerate(first.cells) if cell]
    return (
        len(first.cells) == len(last.cells)
        and (not first.cells[0] or last.tall)
        and bool(filled)
        and all(
            index in last.room and last.room[index] < _word_width(first.cells[index]) + 1 for index in filled
        )
    )


def _word_width(text: str) -> float:
    """The width of the first word of a text, in characters of its font size (a Latin
    letter or digit is about half as wide as a Chinese character)."""
    latin = len(text) - len(text.lstrip(_LATIN))
    width = 0.6 * latin if latin else 1.0
    rest = text[max(latin, 1) :]
    return width + len(rest) - len(rest.lstrip("".join(_NO_LINE_START)))


def _append(blocks: list, items, page: int, flow: _Flow) -> None:
    """Add one page's items to the blocks, joining the lines of wrapped paragraphs.
    `flow.open_line` is the last text line of the page before when nothing came after it
    (a paragraph the page break may have cut); the same is left for the next page."""
    text_lines = [value for _top, kind, value in items if kind == "line" and not value.cells]
    left = min((line.x0 for line in text_lines), default=0)
    table = _CONTINUED if blocks and isinstance(blocks[-1], Row) else None
    for _top, kind, value in items:
        if kind == "row":
            table = _add_row(blocks, value, page, flow, table)
            flow.open_line = None
        elif value.cells:
            table = _add_row(blocks, _TableRow(tuple(value.cells), _TEXT_ROWS), page, flow, table)
            flow.open_line = None
        elif flow.open_line is not None and _continues(flow.open_line, value, left, flow.right):
            last = blocks[-1]
            blocks[-1] = Paragraph(_join(last.text, value.text), last.line, last.page)
            flow.open_line = value
            table = flow.last_row = None
        else:
            blocks.append(Paragraph(value.text, len(blocks) + 1, page))
            flow.open_line = value
            table = flow.last_row = None


def _add_row(blocks: list, row: _TableRow, page: int, flow: _Flow, table: int | None) -> int:
    """Append a table row; `table` is the table in progress (None: none), and the row's
    table is returned as the one now in progress."""
    if table not in (_CONTINUED, row.table):
        flow.head = []
    if len(flow.head) < _HEAD_ROWS:
        flow.head.append(row.cells)
    blocks.append(Row(row.cells, len(blocks) + 1, page))
    flow.last_row = row
    return row.table


def _continues(previous: _Line, line: _Line, left: float, right: float) -> bool:
    """A line continues the paragraph above when the line above ran so close to the
    right margin that this line's first word had no room there, and it starts at the
    left margin, in the same font size, close under it (or at the top of the next page)."""
    full = previous.x1 + line.lead > right - 0.5 * line.size
    same_size = abs(previous.size - line.size) < 0.5
    at_margin = line.x0 <= left + 0.5 * line.size
    close = line.top < previous.top or line.top - previous.bottom < 0.9 * line.size
    return full and same_size and at_margin and close


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
