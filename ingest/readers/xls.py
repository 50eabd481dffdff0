"""Read legacy Excel (.xls) disclosures with xlrd: one table per sheet, as xlsx.py does
(ingest/readers/sheets.py says how a sheet becomes blocks and how numbers are printed).
xlrd reads the number formats and merged ranges of .xls files (`formatting_info=True`). A
sheet is measured (rows, columns, merged ranges) before its grid is built."""

import datetime
import struct

import xlrd
from xlrd.compdoc import CompDocError

from ingest.bounds import refuse_count
from ingest.document import Document, UnreadableDocument
from ingest.readers.sheets import blank_merged, cell_text, sheet_blocks


def read_xls(data: bytes, name: str) -> Document:
    """Read the bytes of an .xls file into a Document, or raise UnreadableDocument."""
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        blocks = _blocks(book)
    except (
        xlrd.XLRDError,
        CompDocError,
        AssertionError,
        IndexError,
        KeyError,
        ValueError,
        struct.error,
    ) as error:
        # xlrd reads a sheet when it is first asked for, so a damaged one fails only then.
        raise UnreadableDocument("excel_damaged") from error
    if not blocks:
        raise UnreadableDocument("excel_no_text")
    return Document(name=name, layout="tsv", blocks=blocks)


def _blocks(book) -> list:
    blocks = []
    for number in range(book.nsheets):
        sheet = book.sheet_by_index(number)
        if sheet.visibility:
            continue
        _check_shape(sheet)
        grid = [[_text(book, sheet.cell(r, c)) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
        # xlrd's ranges end past their last row and column.
        blank_merged(
            grid, [(top, bottom - 1, left, right - 1) for top, bottom, left, right in sheet.merged_cells]
        )
        blocks += sheet_blocks(sheet.name, grid, len(blocks) + 1, number + 1)
    return blocks


def _check_shape(sheet) -> None:
    refuse_count("rows_in_one_sheet", sheet.nrows, "rows")
    refuse_count("columns_in_one_sheet", sheet.ncols, "cells_per_row")
    refuse_count("cells_in_one_sheet", sheet.nrows * sheet.ncols, "sheet_cells")
    refuse_count("merged_ranges_in_one_sheet", len(sheet.merged_cells), "merged_ranges")


def _text(book, cell) -> str:
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        value = datetime.datetime(*xlrd.xldate_as_tuple(cell.value, book.datemode))
        return cell_text(value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        xf = book.xf_list[cell.xf_index]
        number_format = book.format_map.get(xf.format_key)
        return cell_text(cell.value, number_format.format_str if number_format else None)
    return cell_text(cell.value)
