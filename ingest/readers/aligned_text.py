"""Read text that `pdftotext -layout` made of a PDF: table columns aligned with runs of spaces.

A line is cut into *chunks* at runs of two or more spaces, and at single spaces beside an
amount (narrow columns print `82,096,797.42 82,096,797.42`). A line of two or more chunks
with a wide gap between them is a table line; a line of one chunk inside a run of table lines
(a header cell printed over several lines, a wrapped cell, a row with a label only) is one too,
unless it stands where one table ends and the next begins (a body row above, a header below):
that is the next table's title. Other lines are paragraphs. A table region never crosses a
page (form feed): pdftotext scales each page's grid differently.

Columns are taken from the region's body lines (lines printing a number): amounts are
right-aligned, so they are grouped by their right edge, text by its left edge, and groups that
overlap are one column. Header and label chunks are then laid over those columns:

- pdftotext places each chunk at the character column of its x position but prints a wide
  (CJK) character in one column although it is two wide, so a chunk's start is reliable while
  the end of Chinese text is not: a text column may reach as far as its display width
  (`east_asian_width`), but not past the next column.
- A header chunk lies over the column it overlaps (the leftmost, for a header spanning
  several); one in the gap before an amount column heads that column when it reaches it (or
  when nothing else heads it: headers are centred, amounts sit at the right); the others head
  columns no amount is printed in (事业收入 in an income table), one column per group of
  overlapping chunks. A chunk over several such columns of a line below (公务用车购置及运行费
  over 小计 / 购置费 / 运行费) goes to the first of them, as PDF and Word readers put a merged
  cell's text in its top-left cell.

Each table line becomes a `Row` as wide as its region's columns ("" for an empty cell), so
a row printing only some amounts has each under its own header. Lines longer than
`MAX_LINE` characters are paragraphs: no table prints such lines, and the work stays linear.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ingest.document import Paragraph, Row

MAX_LINE = 5000
# Characters between two chunks' edges that still count as the same column edge: pdftotext
# rounds positions, and a digit more or less moves an amount's left edge.
EDGE_TOLERANCE = 2
# Lines above a table's first body line searched for headers spanning several columns: a
# header is a few lines, and the search compares chunks pairwise.
HEADER_LINES = 8

# Words one space apart: a cell, unless an amount stands among them.
_RUN = re.compile(r"\S+(?: \S+)*")
_TABLE_GAP = re.compile(r"\S {2,}\S")
_NUMBER = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


@dataclass(frozen=True)
class _Chunk:
    text: str
    start: int
    end: int
    # Where the text may reach on the page: its start plus its display width.
    reach: int
    number: bool
    line: int


@dataclass
class _Line:
    number: int
    page: int
    text: str
    chunks: list[_Chunk]

    @cached_property
    def tabular(self) -> bool:
        return len(self.chunks) >= 2 and bool(_TABLE_GAP.search(self.text))

    @cached_property
    def body(self) -> bool:
        """A line printing numbers, other than a row numbering the columns (1 2 3 …)."""
        numbers = [c.text for c in self.chunks if c.number]
        return bool(numbers) and numbers != [str(n) for n in range(1, len(numbers) + 1)]


@dataclass
class _Column:
    start: int
    end: int
    reach: int
    lines: set[int]
    numbers: int = 0
    texts: int = 0
    headed: bool = False

    @property
    def right_aligned(self) -> bool:
        return self.numbers > self.texts


def read_aligned(lines):
    """Paragraph and Row blocks of pdftotext -layout text, in reading order."""
    page = 1
    current: list[_Line] = []
    for number, line in enumerate(lines, start=1):
        if "\f" in line:
            yield from _read_page(current)
            current = []
            page += line.count("\f")
        text = line.replace("\f", "").rstrip()
        chunks = _chunks(text, number) if len(text) <= MAX_LINE else []
        current.append(_Line(number, page, text, chunks))
    yield from _read_page(current)


# --- chunks ------------------------------------------------------------------------------------


def _chunks(text: str, line: int) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    for run in _RUN.finditer(text):
        for start, piece in _cells_of_run(run.group(), run.start()):
            reach = start + _display_width(piece)
            chunks.append(_Chunk(piece, start, start + len(piece), reach, _is_number(piece), line))
    return chunks


def _cells_of_run(run: str, offset: int):
    """A run of words one space apart, cut where `_apart` says the space separates cells."""
    if " " not in run:
        yield offset, run
        return
    words = run.split(" ")
    start, current = offset, words[0]
    for word in words[1:]:
        if _apart(current, word):
            yield start, current
            start, current = start + len(current) + 1, word
        else:
            current = f"{current} {word}"
    yield start, current


def _apart(before: str, after: str) -> bool:
    """Two tokens one space apart are two cells when one is an amount with separators
    (`91,016,775.35 一、一般公共服务支出`), both are numbers (`201 03`) or the space stands
    between two wide characters (Chinese needs no spaces: pdftotext pushed two cells together)."""
    last, first = before.split()[-1], after
    if _is_number(last) and _is_number(first):
        return True
    if _char_width(last[-1]) == 2 and _char_width(first[0]) == 2:
        return True
    return any(_is_number(t) and ("," in t or "." in t) for t in (last, first))


@lru_cache(maxsize=8192)
def _is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text))


@lru_cache(maxsize=65536)
def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _display_width(text: str) -> int:
    return sum(map(_char_width, text))


# --- regions -----------------------------------------------------------------------------------


def _read_page(lines: list[_Line]):
    regions = _regions(lines)
    region: list[_Line] = []
    current = None
    for line, number in zip(lines, regions, strict=True):
        if number is not None and number != current:
            yield from _read_region(region)
            region, current = [], number
        if number is not None:
            region.append(line)
        elif line.text.strip():
            yield from _read_region(region)
            region, current = [], None
            yield Paragraph(text=line.text.strip(), line=line.number, page=line.page)
    yield from _read_region(region)


def _regions(lines: list[_Line]) -> list[int | None]:
    """The table region each line belongs to (None: a paragraph or a blank line between)."""
    regions: list[int | None] = [None] * len(lines)
    tabular = [i for i, line in enumerate(lines) if line.tabular]
    number = 0
    for before, after in zip([None, *tabular], tabular, strict=False):
        if before is not None and _joined(lines, before, after):
            for i in range(before + 1, after):
                regions[i] = number
        else:
            number += 1
        regions[after] = number
    return regions


def _joined(lines: list[_Line], before: int, after: int) -> bool:
    """Whether two table lines and the lines between them (blank lines, lines without a wide
    gap) are one region: not when a body row is above and a header below with text between
    (one table ended, the text names the next), nor across an overlong line."""
    between = lines[before + 1 : after]
    if any(len(line.text) > MAX_LINE for line in between):
        return False
    return not (lines[before].body and not lines[after].body and any(line.chunks for line in between))


# --- columns -----------------------------------------------------------------------------------


def _read_region(region: list[_Line]):
    lines = [line for line in region if line.chunks]
    if not lines:
        return
    body = [line for line in lines if line.body]
    anchors = body or [line for line in lines if line.tabular] or lines
    columns = _body_columns([c for line in anchors for c in line.chunks], by_reach=bool(body))
    grid = _Grid(columns)
    placed = {id(c): (grid.overlapped(c, by_reach=False), 0) for line in anchors for c in line.chunks}
    anchored = {id(line) for line in anchors}
    others = [(n, c) for n, line in enumerate(lines) if id(line) not in anchored for c in line.chunks]
    first = next(n for n, line in enumerate(lines) if id(line) in anchored)
    order, header_places = _lay_headers(columns, others, header=range(max(0, first - HEADER_LINES), first))
    placed.update(header_places)
    position = {key: index for index, key in enumerate(order)}
    rows = []
    for line in lines:
        cells = [""] * len(order)
        for chunk in line.chunks:
            index = position[placed[id(chunk)]]
            cells[index] = f"{cells[index]} {chunk.text}".strip()
        rows.append((line, cells))
    for line, cells in _join_wrapped(rows, first_body=lines.index(body[0]) if body else len(lines)):
        yield Row(cells=tuple(cells), line=line.number, page=line.page)


def _join_wrapped(rows: list[tuple[_Line, list[str]]], first_body: int):
    """Rows of the body with a cell wrapped over lines printed around the amounts (text
    above, amounts, the rest of the text below) joined again: a line of text only, right above
    a line of amounts that leaves its columns empty, is the same row, and so is a line right
    below that continues only those columns."""
    index = 0
    while index < len(rows):
        line, cells = rows[index]
        if index > first_body and index + 1 < len(rows) and _wraps_around(rows[index], rows[index + 1]):
            below_line, below = rows[index + 1]
            filled = {i for i, cell in enumerate(cells) if cell}
            joined = [cell or other for cell, other in zip(cells, below, strict=True)]
            index += 2
            if index < len(rows) and _continues(rows[index], below_line, filled):
                joined = [_join(cell, more) for cell, more in zip(joined, rows[index][1], strict=True)]
                index += 1
            yield line, joined
            continue
        yield line, cells
        index += 1


def _wraps_around(text_row, amount_row) -> bool:
    (line, cells), (below_line, below) = text_row, amount_row
    return (
        below_line.number == line.number + 1
        and not line.body
        and below_line.body
        and not any(cell and other for cell, other in zip(cells, below, strict=True))
    )


def _continues(row, above: _Line, columns: set[int]) -> bool:
    line, cells = row
    filled = {i for i, cell in enumerate(cells) if cell}
    return line.number == above.number + 1 and not line.body and bool(filled) and filled <= columns


def _join(before: str, after: str) -> str:
    """Wrapped text joined without a space (Chinese has none), except between Latin letters."""
    if not before or not after:
        return before or after
    if before[-1].isascii() and before[-1].isalpha() and after[0].isascii() and after[0].isalpha():
        return f"{before} {after}"
    return before + after


def _body_columns(chunks: list[_Chunk], by_reach: bool) -> list[_Column]:
    """Columns of the body lines: amounts grouped by right edge, text by left edge, and
    groups that overlap merged. A text column reaches as far as its display width when the
    text is a body's labels rather than header cells side by side, but never over text printed
    on the same line: two chunks of one line are two cells."""
    groups = _edge_groups([c for c in chunks if c.number], lambda c: c.end)
    groups += _edge_groups([c for c in chunks if not c.number], lambda c: c.start)
    columns = sorted((_column_of(group) for group in groups), key=lambda column: column.start)
    merged: list[_Column] = []
    for column in columns:
        last = merged[-1] if merged else None
        both_text = by_reach and last is not None and not last.right_aligned and not column.right_aligned
        if both_text and last.lines & column.lines:
            both_text = False
        if last is not None and column.start < (last.reach if both_text else last.end):
            last.end, last.reach = max(last.end, column.end), max(last.reach, column.reach)
            last.lines |= column.lines
            last.numbers += column.numbers
            last.texts += column.texts
        else:
            merged.append(column)
    return merged


def _edge_groups(chunks: list[_Chunk], edge) -> list[list[_Chunk]]:
    groups: list[list[_Chunk]] = []
    for chunk in sorted(chunks, key=edge):
        if groups and edge(chunk) - edge(groups[-1][-1]) <= EDGE_TOLERANCE:
            groups[-1].append(chunk)
        else:
            groups.append([chunk])
    return groups


def _column_of(chunks: list[_Chunk]) -> _Column:
    numbers = sum(1 for c in chunks if c.number)
    return _Column(
        start=min(c.start for c in chunks),
        end=max(c.end for c in chunks),
        reach=max(c.reach for c in chunks),
        lines={c.line for c in chunks},
        numbers=numbers,
        texts=len(chunks) - numbers,
    )


class _Grid:
    """Lookups over a region's body columns, which are sorted and do not overlap."""

    def __init__(self, columns: list[_Column]):
        self.columns = columns
        self.starts = [c.start for c in columns]
        self.ends = [c.end for c in columns]
        self.reaches = [_text_reach(columns, i) for i in range(len(columns))]

    def overlapped(self, chunk: _Chunk, by_reach: bool) -> int | None:
        """The leftmost column the chunk overlaps (up to where each column's text reaches)."""
        rights = self.reaches if by_reach else self.ends
        index = bisect_right(self.starts, chunk.start) - 1
        if index >= 0 and rights[index] > chunk.start:
            return index
        index += 1
        return index if index < len(self.columns) and self.starts[index] < chunk.end else None

    def reached(self, chunk: _Chunk) -> int:
        """How many columns lie under the chunk, as far as its display width reaches."""
        return max(0, bisect_left(self.starts, chunk.reach) - bisect_right(self.ends, chunk.start))

    def gap(self, chunk: _Chunk) -> int:
        """The body column the chunk stands in the gap before (len(columns): after the last)."""
        return bisect_right(self.starts, chunk.start)


def _text_reach(columns: list[_Column], index: int) -> int:
    """How far right a column's text may reach: its display width, short of the next column."""
    column = columns[index]
    if column.right_aligned:
        return column.end
    limit = columns[index + 1].start if index + 1 < len(columns) else column.reach
    return max(column.end, min(column.reach, limit))


def _lay_headers(columns: list[_Column], chunks: list[tuple[int, _Chunk]], header: range):
    """Place the chunks of the non-body lines (`(line index, chunk)`) over the columns; a
    chunk spanning several columns is looked for in the `header` lines only.

    Returns the column keys in order and each chunk's key: `(i, 0)` is body column i, and
    `(i, k)` with k < 0 the k-th new column in the gap before body column i."""
    places: dict[int, tuple[int, int]] = {}
    gaps: dict[int, list[tuple[int, _Chunk]]] = {}
    grid = _Grid(columns)
    for line, chunk in chunks:
        index = grid.overlapped(chunk, by_reach=False)
        if index is None:
            index = grid.overlapped(chunk, by_reach=True)
        if index is not None:
            places[id(chunk)] = (index, 0)
            # A chunk over several columns (a group header, the unit line) heads none of them.
            columns[index].headed |= grid.reached(chunk) <= 1
        else:
            gaps.setdefault(grid.gap(chunk), []).append((line, chunk))
    for gap, members in gaps.items():
        places.update(_lay_gap(columns, gap, members, header))
    new = sorted({key for key in places.values() if key[1] < 0})
    order = sorted([(i, 0) for i in range(len(columns))] + new)
    return order, places


def _reaches(chunk: _Chunk, column: _Column) -> bool:
    return chunk.start < column.end and chunk.reach > column.start


def _lay_gap(columns: list[_Column], gap: int, members: list[tuple[int, _Chunk]], header: range):
    """Places of the header chunks that fall in the gap before body column `gap`."""
    places: dict[int, tuple[int, int]] = {}
    right = columns[gap] if gap < len(columns) else None
    rest = []
    for line, chunk in members:
        if right is not None and right.right_aligned and _reaches(chunk, right):
            places[id(chunk)] = (gap, 0)
            right.headed = True
        else:
            rest.append((line, chunk))
    spanning = _spanning([m for m in rest if m[0] in header])
    clusters = _overlap_clusters([m for m in rest if id(m[1]) not in spanning])
    count = len(clusters)
    keys = [(gap, k - count) for k in range(count)]
    if right is not None and clusters and _heads(right, clusters[-1]):
        keys = [(gap, k - count + 1) for k in range(count - 1)] + [(gap, 0)]
    for key, cluster in zip(keys, clusters, strict=True):
        for _line, chunk in cluster:
            places[id(chunk)] = key
    # Every spanning chunk overlaps a narrower one, so there are clusters to share out.
    starts = [min(chunk.start for _line, chunk in cluster) for cluster in clusters]
    for line_chunks in _by_line([m for m in rest if id(m[1]) in spanning]).values():
        for chunk, key in _first_spanned(line_chunks, starts, keys):
            places[id(chunk)] = key
    return places


def _heads(right: _Column, cluster) -> bool:
    """Whether the last header cluster of a gap heads the column after it: an amount column
    that no header reached (a header centred over narrow amounts stops short of them), or a
    text column the cluster runs into."""
    end = max(chunk.end for _line, chunk in cluster)
    if right.right_aligned:
        return not right.headed
    return end >= right.start - EDGE_TOLERANCE


def _spanning(members: list[tuple[int, _Chunk]]) -> set[int]:
    """Header chunks over several columns of a line below: one overlaps a narrower chunk
    of a line that prints more chunks in the same gap."""
    counts: dict[int, int] = {}
    for line, _chunk in members:
        counts[line] = counts.get(line, 0) + 1
    spanning = set()
    for line, chunk in members:
        for other_line, other in members:
            if (
                counts[other_line] > counts[line]
                and other.start < chunk.end
                and other.end > chunk.start
                and other.end - other.start < chunk.end - chunk.start
            ):
                spanning.add(id(chunk))
                break
    return spanning


def _overlap_clusters(members: list[tuple[int, _Chunk]]) -> list[list[tuple[int, _Chunk]]]:
    clusters: list[list[tuple[int, _Chunk]]] = []
    end = -1
    for member in sorted(members, key=lambda m: m[1].start):
        chunk = member[1]
        if clusters and chunk.start < end:
            clusters[-1].append(member)
            end = max(end, chunk.end)
        else:
            clusters.append([member])
            end = chunk.end
    return clusters


def _by_line(members: list[tuple[int, _Chunk]]) -> dict[int, list[_Chunk]]:
    lines: dict[int, list[_Chunk]] = {}
    for line, chunk in members:
        lines.setdefault(line, []).append(chunk)
    return lines


def _first_spanned(chunks: list[_Chunk], starts: list[int], keys: list[tuple[int, int]]):
    """Each spanning chunk of one line with the first of the columns nearest to it (the
    columns below are shared out among the line's spanning chunks by distance)."""
    centres = [(c.start + c.reach) / 2 for c in chunks]
    owner = [min(range(len(chunks)), key=lambda i, s=s: abs(centres[i] - s)) for s in starts]
    for index, chunk in enumerate(chunks):
        owned = [k for k, o in zip(keys, owner, strict=True) if o == index]
        nearest = min(range(len(starts)), key=lambda k: abs(starts[k] - chunk.start))
        yield chunk, owned[0] if owned else keys[nearest]
