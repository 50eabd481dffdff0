"""Read legacy Excel (.xls) disclosures with xlrd: one table per sheet, as xlsx.py does
(ingest/readers/sheets.py says how a sheet becomes blocks and how numbers are printed).
xlrd reads the number formats and merged ranges of .xls files (`formatting_info=True`)."""

import datetime

import xlrd
from xlrd.compdoc import CompDocError

from ingest.document import Document, UnreadableDocument
from ingest.readers.sheets import cell_text, sheet_blocks


def read_xls(data: bytes, name: str) -> Document:
    """Read the bytes of an .xls file into a Document, or raise UnreadableDocument."""
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except (xlrd.XLRDError, CompDocError, AssertionError, IndexError, ValueError) as error:
        raise UnreadableDocument("the Excel file is damaged and cannot be opened") from error
    blocks = []
    for number in range(book.nsheets):
        sheet = book.sheet_by_index(number)
        if sheet.visibility:
            continue
        covered = {
            (row, column)
            for top, bottom, left, right in sheet.merged_cells
            for row in range(top, bottom)
            for column in range(left, right)
            if (row, column) != (top, left)
        }
        grid = [
            ["" if (r, c) in covered else _text(book, sheet.cell(r, c)) for c in range(sheet.ncols)]
            for r in range(sheet.nrows)
        ]
        blocks += sheet_blocks(sheet.name, grid, len(blocks) + 1, number + 1)
    if not blocks:
        raise UnreadableDocument("the Excel file holds no text")
    return Document(name=name, layout="tsv", blocks=blocks)


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
