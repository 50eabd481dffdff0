"""CSV, JSON and .xlsx out of any list or comparison, memory flat however many rows.

Used by budgets.lists (every list with ?format=csv, json or xlsx) and by the comparison page.
Rows arrive as plain tuples; numbers stay numbers (Decimal, int) and text stays text, so a
change of -23.96 is written as the number -23.96 while a name that begins with "-" is escaped.
"""

import csv
import json
import tempfile
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from budgets.percent import Percent

BOM = "\ufeff"  # so Excel opens the file as UTF-8 and shows the Chinese
# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """The pseudo-buffer of Django's streaming CSV how-to: write() hands the line back."""

    def write(self, value):
        return value


def plain_decimal(value: Decimal) -> str:
    """An amount as an exact plain decimal with at least two places: 416.950000 → 416.95,
    0.8 → 0.80, -23.960000 → -23.96, 435.353586 stays; never exponent notation."""
    if value == 0:
        value = abs(value)  # no "-0.00"
    places = max(2, -value.normalize().as_tuple().exponent)
    return format(value.quantize(Decimal(1).scaleb(-places)), "f")


def cell(value):
    """One value as its CSV text: amounts exact, counts as integers, text safe for spreadsheets,
    missing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Percent):
        return str(value)  # the one decimal computed (88.8), not an amount's two
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):  # names, e.g. the figures of a row that need checking
        return "; ".join(cell(item) for item in value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def json_value(value):
    """One value for JSON: amounts as exact decimal strings (a float would round them),
    percentages with their one decimal."""
    if isinstance(value, Percent):
        return str(value)
    if isinstance(value, Decimal):
        return plain_decimal(value)
    return value


def csv_header(header) -> str:
    """The first line of every CSV: the BOM and the header row. Headers name counties and
    departments (the comparison's columns): text from the documents, escaped like any cell."""
    return BOM + csv.writer(_Echo()).writerow([cell(str(name)) for name in header])


def csv_response(header, rows, filename):
    """A streamed UTF-8 CSV with a BOM, one header row, then `rows` (an iterable of tuples)."""
    writer = csv.writer(_Echo())

    def lines():
        yield csv_header(header)
        for row in rows:
            yield writer.writerow([cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def json_response(keys, rows, extra=None):
    """A streamed JSON object: `extra` fields, then "rows" as a list of {key: value} objects."""

    def chunks():
        head = json.dumps({**(extra or {}), "columns": list(keys)}, ensure_ascii=False)
        yield head[:-1] + ', "rows": ['
        for index, row in enumerate(rows):
            item = {key: json_value(value) for key, value in zip(keys, row, strict=True)}
            yield ("," if index else "") + json.dumps(item, ensure_ascii=False)
        yield "]}"

    return StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")


def filename_for(stem, counties=(), years=(), extension="csv"):
    """`line-items-涞源县-2016.csv`: names the county and year when the rows are of one each."""
    parts = [stem]
    if len(counties) == 1:
        parts.append(str(counties[0]))
    if len(years) == 1:
        parts.append(str(years[0]))
    return "-".join(parts) + f".{extension}"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The rows of one Excel sheet, its header row included: a longer list is refused, never cut.
XLSX_MAX_ROWS = 1_048_576


class TooManyRows(ValueError):
    """More rows than a spreadsheet holds; the caller says so instead of sending a cut list."""


def xlsx_response(header, rows, filename, *, sheet="data"):
    """One sheet: the header row, bold and frozen above `rows` (an iterable of tuples, as
    csv_response takes). Amounts and percentages are numbers shown with the digits the CSV
    prints (Excel keeps a float: the CSV has the exact digits).

    openpyxl's write-only mode writes each row to a temporary file as it comes, so memory stays
    flat; it assembles the zip only when saved, after the last row, so nothing could be streamed
    sooner. The file is built before the response starts (an error is an error page, not a cut
    download, and the size is known) and sent with FileResponse from an anonymous temporary
    file, which disappears when the response closes it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet[:31])
    sheet.freeze_panes = "A2"
    header = [str(name) for name in header]
    for index, name in enumerate(header):
        # Wide enough for the header: a Chinese character takes two widths.
        width = sum(2 if ord(char) > 0x2E7F else 1 for char in name) + 2
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(10, min(width, 40))
    bold = Font(bold=True)
    sheet.append([_styled(sheet, name, font=bold) for name in header])
    for count, row in enumerate(rows, start=2):
        if count > XLSX_MAX_ROWS:
            raise TooManyRows(count)
        sheet.append([_spreadsheet_value(sheet, value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    try:
        workbook.save(handle)
    except Exception:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


def _styled(sheet, value, **style):
    cell = WriteOnlyCell(sheet, value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _spreadsheet_value(sheet, value):
    """A value as a spreadsheet cell: an amount a number shown with the digits the CSV prints,
    text always text (never run as a formula nor read as an error code), lists as the CSV joins
    them."""
    if isinstance(value, Decimal):
        text = cell(value)  # a percentage's one decimal (94.3), an amount's digits (416.95)
        places = len(text.partition(".")[2])
        return _styled(sheet, Decimal(text), number_format="0." + "0" * places if places else "0")
    if isinstance(value, list):
        value = cell(value)
    if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
        forced = WriteOnlyCell(sheet, value)
        forced.data_type = "s"
        return forced
    return value
