"""A list's CSV at the database's own speed: PostgreSQL's `COPY (SELECT …) TO STDOUT`.

The page's filtered queryset (`f.qs.values_list(*paths)` in budgets.lists) is compiled as it is
and wrapped in a SELECT that writes each column as budgets.exports.cell() does, by the column's
type: amounts as exact plain decimals, flags as "a; b", rates with their one decimal, text
escaped for spreadsheets. COPY's CSV quoting is Python's csv module's (a field is quoted when it
holds a comma, a quote, CR or LF; quotes doubled), an empty text is written NULL so that both
leave the cell empty, and COPY ends each row with LF where the csv module writes CRLF: the
stream changes that one byte. The bytes are those of the Python path (tests/test_copy_export.py
compares them for every list); PostgreSQL streams them with no Python object per value, so the
web process's memory stays flat however many rows.

SQLite has no COPY: there, and for a column type not written here, the caller keeps the Python
path (`csv_response` returns None).
"""

from django.db import connections
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from budgets import exports, missing

INTEGERS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
TEXTS = {"CharField", "TextField", "SlugField", "URLField", "EmailField"}
# Flushed to the response in pieces of about this size rather than a row at a time.
CHUNK_BYTES = 64 * 1024


def _literal(text: str) -> str:
    """A SQL string literal (standard_conforming_strings, PostgreSQL's default since 9.1) in a
    statement whose parameters are still to be bound, so a % is written %%."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


# As code points: ascii() of a text is its first character's, a cheaper test per row than
# comparing texts.
FORMULA_STARTS = ", ".join(str(ord(start)) for start in exports.FORMULA_STARTS)


def _text(ref: str) -> str:
    """exports.cell() of a text: a leading ' before a formula's first character."""
    return f"CASE WHEN ascii({ref}) IN ({FORMULA_STARTS}) THEN '''' || {ref} ELSE {ref} END"


def _decimal(ref: str) -> str:
    """exports.plain_decimal(): at least two places, none of the trailing zeros beyond them
    (numeric has no -0 and never prints an exponent)."""
    return (
        f"CASE WHEN scale(trim_scale({ref})) <= 2 THEN round({ref}, 2)::text ELSE trim_scale({ref})::text END"
    )


def _names(ref: str, prefix: str) -> str:
    """The items of a JSON list (those starting with `prefix`, written without it) joined with
    "; " as exports.cell() joins a list, each escaped as a text."""
    # A null item is an empty name, as exports.cell(None) writes it.
    item = f"substr(item, {len(prefix) + 1})" if prefix else "coalesce(item, '')"
    keep = f"WHERE starts_with(item, {_literal(prefix)})" if prefix else ""
    # Most lists are empty: the subquery, costlier than all the rest of a row, only for the others.
    return (
        f"CASE WHEN jsonb_typeof({ref}) = 'array' AND {ref} <> '[]' THEN "
        f"(SELECT string_agg({_text(item)}, '; ' ORDER BY position) "
        f"FROM jsonb_array_elements_text({ref}) WITH ORDINALITY AS items(item, position) {keep}) END"
    )


def _rate(actual: str, budget: str) -> str:
    """budgets.lists._rate(): the rate of the row's spent and budgeted figures by budgets.percent's
    rule (one decimal, halves away from zero, as round() rounds numeric), "n/a" for a zero budget.
    The quotient is carried to 30 places, more than any tie between two amounts of six places
    needs, so the rounding decides as Python's 28 digits do; and a small negative rate is
    "-0.0", as a Decimal prints it."""
    quotient = f"(({actual} * 100)::numeric(1000, 30) / {budget})"
    return (
        f"CASE WHEN {actual} IS NULL OR {budget} IS NULL THEN NULL "
        f"WHEN {budget} = 0 THEN {_literal(missing.NOT_APPLICABLE)} "
        f"WHEN round({quotient}, 1) = 0 AND {quotient} < 0 THEN '-0.0' "
        f"ELSE round({quotient}, 1)::text END"
    )


def _cell(column, field, refs: dict) -> str | None:
    """The SQL writing one column's cell as the Python path does (`refs`: each column's SQL by
    key), or None where none is written here. Empty stays NULL: COPY writes NULL as an empty
    cell and an empty text as "" ."""
    kind = field.get_internal_type()
    ref = refs[column.key]
    if column.type == "doubts":
        return f"NULLIF({_names(ref, column.block + '.')}, '')"
    if column.type == "unclear":
        return f"NULLIF({_names(ref, '')}, '')"
    if column.type == "rate":
        stem = column.key.removesuffix("_rate")
        return _rate(refs[f"{stem}_actual"], refs[f"{stem}_budget"])
    if kind == "BooleanField":
        return f"CASE WHEN {ref} THEN 'true' WHEN NOT {ref} THEN 'false' END"
    if kind == "DecimalField":
        return _decimal(ref)
    if kind in INTEGERS:
        return f"{ref}::text"
    if kind in TEXTS:
        return f"NULLIF({_text(ref)}, '')"
    return None


def statement(rows, columns) -> str | None:
    """The COPY statement writing `rows` (a values_list of the columns' paths) as CSV rows, or
    None where the database is not PostgreSQL or a column's type has no SQL form here."""
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        return None
    compiler = rows.query.get_compiler(using=rows.db)
    sql, params = compiler.as_sql()
    # Django selects the paths in the order asked (and may add ordering columns after them).
    fields = [selected[0].output_field for selected in compiler.select[: len(columns)]]
    names = [f"c{index}" for index in range(len(columns))]
    refs = {column.key: f"listed.{name}" for column, name in zip(columns, names, strict=True)}
    cells = [_cell(column, field, refs) for column, field in zip(columns, fields, strict=True)]
    if None in cells:
        return None
    select = f"SELECT {', '.join(cells)} FROM ({sql}) AS listed({', '.join(names)})"
    # Bound here by psycopg's client-side binding: COPY takes no server-side parameters.
    return f"COPY ({connection.ops.compose_sql(select, params)}) TO STDOUT WITH (FORMAT csv)"


def csv_response(rows, columns, header, filename) -> StreamingHttpResponse | None:
    """The list's CSV streamed from COPY, with the Python path's BOM and header row; None
    where `statement` has none."""
    sql = statement(rows, columns)
    if sql is None:
        return None

    def chunks():
        yield exports.csv_header(header).encode()
        with connections[rows.db].cursor() as cursor:
            yield from _lines(cursor, sql)

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _lines(cursor, sql):
    """COPY's rows in pieces of about CHUNK_BYTES, each row ended with CRLF."""
    with cursor.copy(sql) as copy:
        lines, size = [], 0
        for line in copy:
            # One COPY message is one row, its LF last (a LF inside a quoted field is not).
            lines.append(line[:-1])
            size += len(line)
            if size >= CHUNK_BYTES:
                yield b"\r\n".join(lines) + b"\r\n"
                lines, size = [], 0
        if lines:
            yield b"\r\n".join(lines) + b"\r\n"
