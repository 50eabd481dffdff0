"""Read Excel (.xlsx) disclosures with openpyxl: one table per sheet (ingest/readers/sheets.py
says how a sheet becomes blocks and how numbers are printed). `page` is the sheet's
position (1 for the first sheet), so provenance can say which sheet a figure came from."""

import io
import zipfile

from openpyxl import load_workbook

from ingest.document import Document, UnreadableDocument
from ingest.readers.sheets import cell_text, sheet_blocks


def read_xlsx(data: bytes, name: str) -> Document:
    """Read the bytes of an .xlsx file into a Document, or raise UnreadableDocument."""
    try:
        # Not read_only: merged ranges are only known to a fully loaded workbook.
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableDocument("the Excel file is damaged and cannot be opened") from error
    blocks = []
    for number, sheet in enumerate(workbook.worksheets, start=1):
        if sheet.sheet_state != "visible":
            continue
        covered = {
            (row, column)
            for merged in sheet.merged_cells.ranges
            for row in range(merged.min_row, merged.max_row + 1)
            for column in range(merged.min_col, merged.max_col + 1)
            if (row, column) != (merged.min_row, merged.min_col)
        }
        grid = [
            [
                "" if (cell.row, cell.column) in covered else cell_text(cell.value, cell.number_format)
                for cell in row
            ]
            for row in sheet.iter_rows()
        ]
        blocks += sheet_blocks(sheet.title, grid, len(blocks) + 1, number)
    if not blocks:
        raise UnreadableDocument("the Excel file holds no text")
    return Document(name=name, layout="tsv", blocks=blocks)
