"""Read Excel (.xlsx) disclosures with openpyxl: one table per sheet (ingest/readers/sheets.py
says how a sheet becomes blocks and how numbers are printed). `page` is the sheet's
position (1 for the first sheet), so provenance can say which sheet a figure came from.

A workbook is a zip of XML, and a few kilobytes of it can declare a cell at XFD1048576 or
a merge over the whole sheet. So the zip is held to the archive rules first
(`check_office_zip`), then each sheet's XML is walked once by a hardened streaming parser
(`_measure`: no DTD, no entities, no network) that counts its rows, columns and merged
ranges against the bounds before openpyxl reads a cell; openpyxl reads in read-only mode,
streaming rows rather than building the whole sheet in memory, and merged ranges come from
that first walk (read-only mode does not know them).
"""

import io
import zipfile
from dataclasses import dataclass, field

import lxml.etree
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries

from ingest.bounds import limit
from ingest.document import Document, UnreadableDocument
from ingest.readers.archive import check_office_zip
from ingest.readers.sheets import blank_merged, cell_text, sheet_blocks

WHAT = "excel_file"  # the file, as the refusals name it (ingest.refusals.WORDS)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _MERGE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}mergeCell"


def read_xlsx(data: bytes, name: str) -> Document:
    """Read the bytes of an .xlsx file into a Document, or raise UnreadableDocument."""
    check_office_zip(data, WHAT)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        OSError,
        SyntaxError,
        lxml.etree.LxmlError,
    ) as error:
        # SyntaxError: ElementTree's ParseError; ValueError: defusedxml's refusal of entities.
        raise UnreadableDocument("excel_damaged") from error
    try:
        blocks = []
        for number, sheet in enumerate(workbook.worksheets, start=1):
            if sheet.sheet_state != "visible":
                continue
            grid = _sheet_grid(data, sheet)
            blocks += sheet_blocks(sheet.title, grid, len(blocks) + 1, number)
    except (KeyError, ValueError, TypeError, SyntaxError, lxml.etree.LxmlError) as error:
        raise UnreadableDocument("excel_damaged") from error
    finally:
        workbook.close()
    if not blocks:
        raise UnreadableDocument("excel_no_text")
    return Document(name=name, layout="tsv", blocks=blocks)


def _sheet_grid(data: bytes, sheet) -> list[list[str]]:
    """The sheet's cell texts, row by row, merged cells blanked outside their top-left cell."""
    shape = _measure(data, sheet._worksheet_path)  # openpyxl keeps no public name for the part
    sheet.reset_dimensions()  # the declared dimension may lie; rows end at their last cell
    grid = [
        [cell_text(cell.value, getattr(cell, "number_format", None)) for cell in row]
        for row in sheet.iter_rows(max_row=shape.rows)
    ]
    blank_merged(grid, shape.merged)
    return grid


@dataclass
class _Shape:
    rows: int = 0
    columns: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def _measure(data: bytes, part: str) -> _Shape:
    """The rows and columns a sheet's XML uses and its merged ranges (0-based, inclusive),
    refusing the sheet as soon as one passes its bound."""
    shape, row = _Shape(), 0
    max_rows, max_columns = limit("rows"), limit("cells_per_row")
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part.lstrip("/")) as source:
        events = lxml.etree.iterparse(
            source,
            events=("end",),
            tag=(_ROW, _CELL, _MERGE),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
        )
        for _event, element in events:
            if element.tag == _ROW:
                row = int(element.get("r") or row + 1)
                _refuse_beyond(row, max_rows, "sheet_row_beyond")
            elif element.tag == _CELL:
                reference = element.get("r")
                column = column_index_from_string(coordinate_from_string(reference)[0]) if reference else 1
                _refuse_beyond(column, max_columns, "sheet_column_beyond")
                shape.columns = max(shape.columns, column)
            else:
                shape.merged.append(_merged_range(element.get("ref") or ""))
                if len(shape.merged) > limit("merged_ranges"):
                    raise UnreadableDocument("merged_ranges_too_many", most=f"{limit('merged_ranges'):,}")
            shape.rows = max(shape.rows, row)
            element.clear(keep_tail=True)
    if shape.rows * shape.columns > limit("sheet_cells"):
        raise UnreadableDocument(
            "sheet_too_large",
            rows=f"{shape.rows:,}",
            columns=f"{shape.columns:,}",
            most=f"{limit('sheet_cells'):,}",
        )
    return shape


def _refuse_beyond(index: int, most: int, refusal: str) -> None:
    if index > most:
        raise UnreadableDocument(refusal, index=f"{index:,}", most=f"{most:,}")


def _merged_range(reference: str) -> tuple[int, int, int, int]:
    """(first row, last row, first column, last column), 0-based, of a range such as `A1:D2`."""
    left, top, right, bottom = range_boundaries(reference)
    return top - 1, bottom - 1, left - 1, right - 1
