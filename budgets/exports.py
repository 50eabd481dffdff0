"""CSV and JSON out of any list or comparison: streamed, so memory stays flat however many rows.

Used by budgets.lists (every list with ?format=csv or ?format=json) and by the comparison page.
Rows arrive as plain tuples; numbers stay numbers (Decimal, int) and text stays text, so a
change of -23.96 is written as the number -23.96 while a name that begins with "-" is escaped.
"""

import csv
import json
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

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
    """One value for JSON: amounts as exact decimal strings (a float would round them)."""
    if isinstance(value, Decimal):
        return plain_decimal(value)
    return value


def csv_response(header, rows, filename):
    """A streamed UTF-8 CSV with a BOM, one header row, then `rows` (an iterable of tuples)."""
    writer = csv.writer(_Echo())

    def lines():
        # Headers name counties and departments (the comparison's columns): text from the
        # documents, escaped like any cell.
        yield BOM + writer.writerow([cell(str(name)) for name in header])
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


def filename_for(stem, counties=(), years=()):
    """`line-items-涞源县-2016.csv`: names the county and year when the rows are of one each."""
    parts = [stem]
    if len(counties) == 1:
        parts.append(str(counties[0]))
    if len(years) == 1:
        parts.append(str(years[0]))
    return "-".join(parts) + ".csv"
