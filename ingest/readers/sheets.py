"""What the Excel readers (xlsx.py, xls.py) share: numbers as the sheet displays them,
and how one sheet becomes blocks.

Counties publish one table per sheet: a title (often merged across the table), a unit
line, then the table. A sheet's leading rows that hold a single text are paragraphs (the
title, `单位：万元`, the notes of the explanation); from the first row with two or more
filled cells on, every row is a table row, as wide as the sheet's used range, merged
ranges printed once in their top-left cell and "" elsewhere. Where a sheet has no title
rows its name is the title, unless it is a default name (`Sheet1`, `工作表2`).
"""

import datetime
import re
from decimal import Decimal

from ingest.bounds import limit
from ingest.document import Paragraph, Row, UnreadableDocument

_DEFAULT_NAME = re.compile(r"(?i)^\s*(sheet|工作表|表)\s*\d*\s*$")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def number_text(value: float | int | Decimal, number_format: str | None) -> str:
    """A number as the cell shows it, without ever losing or inventing a digit.

    The stored value is written in its shortest exact form (Python's repr of the float:
    394.3 stays `394.3`, 939.16 stays `939.16`, 343.0 is `343`). A number format with a
    fixed number of decimals (`0.00`, `#,##0.00_ `) pads the value to that many places
    (`394.30`), as Excel displays it, but never rounds: a value with more decimals than
    the format shows keeps them, because the disclosure's figure is the stored one.
    Percent formats multiply by 100 and add `%`. Thousands separators are not printed."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if exact == exact.to_integral_value() and abs(exact) < Decimal("1e15"):
        exact = exact.quantize(Decimal(1))
    section = _QUOTED.sub("", (number_format or "General").split(";")[0])
    percent = "%" in section
    if percent:
        exact = (exact * 100).normalize()
        if exact == exact.to_integral_value():
            exact = exact.quantize(Decimal(1))
    places = _places(section)
    if places is not None and -exact.as_tuple().exponent < places:
        exact = exact.quantize(Decimal(1).scaleb(-places))
    text = format(exact, "f")
    return f"{text}%" if percent else text


def _places(section: str) -> int | None:
    """Decimals a number format section fixes (`0.00` → 2, `0` → 0), or None for General."""
    if "general" in section.lower() or not re.search(r"[0#?]", section):
        return None
    match = re.search(r"[0#?,]\.([0#?]+)", section) or re.search(r"^\.([0#?]+)", section)
    return len(match.group(1)) if match else 0


def cell_text(value, number_format: str | None = None) -> str:
    """Any cell value as text: numbers through number_text, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return number_text(value, number_format)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").rstrip()


def blank_merged(grid: list[list[str]], ranges) -> None:
    """Blank the cells each merged range covers but its top-left one. `ranges` are (first
    row, last row, first column, last column), 0-based and inclusive; a range reaching past
    the grid (a merge over the whole sheet) is cut to it, and the ranges together may cover
    no more cells than a sheet may hold (overlapping ranges, which Excel never writes)."""
    budget = limit("sheet_cells")
    for top, bottom, left, right in ranges:
        for index in range(top, min(bottom, len(grid) - 1) + 1):
            row = grid[index]
            columns = range(left, min(right, len(row) - 1) + 1)
            budget -= len(columns)
            if budget < 0:
                raise UnreadableDocument("merged_cells_too_many", most=f"{limit('sheet_cells'):,}")
            for column in columns:
                if (index, column) != (top, left):
                    row[column] = ""


def sheet_blocks(title: str, grid: list[list[str]], line: int, page: int):
    """The blocks of one sheet, given its grid of cell texts (merged cells already
    blanked outside their top-left cell); `line` numbers the first block, `page` is the
    sheet's position in the workbook."""
    while grid and not any(c.strip() for c in grid[-1]):
        grid.pop()
    width = max((i + 1 for row in grid for i, c in enumerate(row) if c.strip()), default=0)
    blocks: list[Paragraph | Row] = []
    leading = True
    for cells in grid:
        filled = [c for c in cells if c.strip()]
        if leading and len(filled) <= 1:
            if filled:
                blocks.append(Paragraph(filled[0].strip(), line + len(blocks), page))
            continue
        if leading and not blocks and title and not _DEFAULT_NAME.match(title):
            blocks.append(Paragraph(title.strip(), line, page))
        leading = False
        row = (list(cells) + [""] * width)[:width]
        blocks.append(Row(tuple(row), line + len(blocks), page))
    return blocks
