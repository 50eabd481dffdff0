"""Bounds on what one disclosure may hold, so that no file can take a parse (or the database)
down: the readers and the parser ask here before the work each bound guards.

The numbers are settings (`PARSE_MAX_*` in config/settings.py, each from the environment);
docs/decisions.md says why they are what they are. A file beyond a bound is refused with
`UnreadableDocument` and a message naming the bound and what broke it, so the reviewer
knows whether the file or the bound is wrong.
"""

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from django.conf import settings

from ingest import refusals
from ingest.document import Document, Paragraph, Row, UnreadableDocument

# What DecimalField(max_digits=16, decimal_places=6) holds: 10 integer digits.
FIELD_CAPACITY = Decimal("1e10")
# PositiveIntegerField (staff, vehicles) on PostgreSQL.
MAX_COUNT = 2**31 - 1
_DIGIT_RUN = re.compile(r"[0-9０-９]+")
# Blocks whose values go to DecimalFields, and the line-item fields that do.
AMOUNT_BLOCKS = ("totals", "three_costs", "three_costs_budget", "assets", "procurement", "staffing")
LINE_ITEM_AMOUNTS = ("amount", "basic", "project")
COUNTS = {"staffing": ("authorized", "in_service", "retired"), "assets": ("vehicles_count",)}
# CharFields of the identity: longer text is no county or department name.
IDENTITY_LENGTHS = {"county": 40, "department": 100}
# The years BudgetYear's check constraint accepts: another year is a misread header.
YEARS = range(1990, 2101)


def limit(name: str) -> int:
    """The bound `PARSE_MAX_<NAME>` as set (read at each call: tests and deployments change it)."""
    return int(getattr(settings, f"PARSE_MAX_{name.upper()}"))


def max_amount() -> Decimal:
    """The largest amount a figure may be, in 万元, never above what the database holds."""
    return min(Decimal(str(settings.PARSE_MAX_AMOUNT)), FIELD_CAPACITY - Decimal("0.000001"))


def refuse_count(what: str, count: int, bound: str) -> None:
    """Refuse when `count` things (`what`, a word of ingest.refusals: "rows_and_paragraphs",
    "pages") are more than the bound allows."""
    most = limit(bound)
    if count > most:
        raise UnreadableDocument("too_many", count=f"{count:,}", what={"code": what}, most=f"{most:,}")


def too_many_digits(number: str) -> bool:
    """Whether a number as printed has more digits than any figure (an account number, garbage)."""
    return sum(len(run) for run in _DIGIT_RUN.findall(number)) > limit("digits")


# --- the intermediate form ---------------------------------------------------------------


def check_lines(lines: list[str]) -> None:
    """The lines of a text file, before any layout is read from them."""
    refuse_count("lines", len(lines), "rows")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]), default=None)
    if longest is not None:
        _refuse_long_line(len(lines[longest]), longest + 1)


def _refuse_long_line(length: int, line: int) -> None:
    most = limit("line_chars")
    if length > most:
        raise UnreadableDocument("line_too_long", line=line, length=f"{length:,}", most=f"{most:,}")


def bounded(document: Document) -> Document:
    """The document every reader produced, checked against the row, cell and line bounds, its
    NUL characters removed (PostgreSQL refuses them in text and JSON)."""
    refuse_count("rows_and_paragraphs", len(document.blocks), "rows")
    widest = max((len(b.cells) for b in document.blocks if isinstance(b, Row)), default=0)
    refuse_count("cells_in_one_row", widest, "cells_per_row")
    blocks = [_without_nul(block) for block in document.blocks]
    for block in blocks:
        texts = (block.text,) if isinstance(block, Paragraph) else block.cells
        _refuse_long_line(max(map(len, texts), default=0), block.line)
    return replace(document, blocks=blocks)


def _without_nul(block):
    if isinstance(block, Paragraph):
        return replace(block, text=block.text.replace("\x00", "")) if "\x00" in block.text else block
    if any("\x00" in cell for cell in block.cells):
        return replace(block, cells=tuple(cell.replace("\x00", "") for cell in block.cells))
    return block


# --- the parsed JSON, before the database ------------------------------------------------


def check_parsed(parsed: dict) -> None:
    """Refuse a parse that the database could not hold: an amount beyond PARSE_MAX_AMOUNT, a
    count that is negative or too big, a name longer than its column or its index allows."""
    for block in AMOUNT_BLOCKS:
        for key, value in (parsed.get(block) or {}).items():
            _check_amount(value, {"figure": f"{block}.{key}"}, parsed, block, key)
    for block, keys in COUNTS.items():
        for key in keys:
            _check_count((parsed.get(block) or {}).get(key), {"figure": f"{block}.{key}"})
    for item in parsed.get("line_items") or []:
        where = _line_of(item)
        for field in LINE_ITEM_AMOUNTS:
            named = refusals.refusal("line_item", name=_short(item.get("name")))
            _check_amount(item.get(field), named, where=where)
        _check_indexed(item.get("name"), "line_item_name", where)
    for indicator in parsed.get("indicators") or []:
        _check_indexed(indicator.get("group"), "indicator_project", _line_of(indicator))
    year = parsed.get("year")
    if year is not None and year not in YEARS:
        raise UnreadableDocument("year_out_of_range", year=year, first=YEARS[0], last=YEARS[-1])
    for key, most in IDENTITY_LENGTHS.items():
        text = parsed.get(key) or ""
        if len(text) > most:
            raise UnreadableDocument(
                "name_too_long", what={"code": key}, length=f"{len(text):,}", text=_short(text), most=most
            )


def _decimal(value) -> Decimal | None:
    if isinstance(value, dict):
        value = value.get("value")
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _check_amount(value, what: dict, parsed=None, block: str = "", key: str = "", where="") -> None:
    """Refuse an amount beyond PARSE_MAX_AMOUNT; `what` names it for ingest.refusals (a figure
    by its path, or a line item)."""
    amount = _decimal(value)
    most = max_amount()
    if amount is None or abs(amount) <= most:
        return
    if parsed is not None:
        where = _line_of({"source": ((parsed.get("sources") or {}).get(block, {}).get(key) or {})})
    raise UnreadableDocument(
        "amount_too_large", amount=f"{amount:f}", what=what, where=where, most=f"{most:,.0f}"
    )


def _check_count(value, what: dict) -> None:
    count = _decimal(value)
    if count is not None and not 0 <= count <= min(MAX_COUNT, max_amount()):
        raise UnreadableDocument("count_impossible", count=f"{count:f}", what=what)


def _check_indexed(text, what: str, where) -> None:
    most = limit("indexed_chars")
    if text and len(text) > most:
        length, printed = f"{len(text):,}", _short(text)
        raise UnreadableDocument(
            "text_too_long", what={"code": what}, where=where, length=length, text=printed, most=most
        )


def _line_of(item: dict):
    """Where a row was printed, as a refusal's piece (", line 12"), or nothing."""
    source = item.get("source") or {}
    return refusals.refusal("at_line", line=source["line"]) if source.get("line") else ""


def _short(text, length: int = 30) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= length else text[:length] + "…"
