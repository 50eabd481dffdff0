"""Numbers as disclosures print them: amounts, units and classification codes.

Money stays `Decimal` from the printed text to the database; a figure printed in 元 is
moved to 万元 by shifting the decimal point, so no digit is lost or invented.
"""

import re
from decimal import Decimal, InvalidOperation

from ingest.bounds import too_many_digits
from ingest.text import ascii_digits, to_ascii

# Cells that mean "nothing here" rather than zero.
_BLANKS = {"", "-", "—", "--", "——", "/", "\\", "－"}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_UNIT_FACTORS = {"万元": 0, "元": -4, "千元": -1, "亿元": 4}


def parse_amount(text: str, unit: str = "万元") -> Decimal | None:
    """The amount a cell or phrase prints, in 万元, or None where it prints none.

    Accepts thousands separators and full-width digits; `unit` is the unit the table or
    sentence states (万元, 元, 千元, 亿元). Raises ValueError for text that is not a number.
    """
    cleaned = to_ascii(text)
    if cleaned in _BLANKS:
        return None
    if not _NUMBER.match(cleaned) or too_many_digits(cleaned):
        raise ValueError(f"not an amount: {text[:40]!r}")
    try:
        value = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {text!r}") from exc
    return value.scaleb(_UNIT_FACTORS[unit]) if _UNIT_FACTORS[unit] else value


def is_amount(text: str) -> bool:
    cleaned = to_ascii(text)
    return cleaned not in _BLANKS and bool(_NUMBER.match(cleaned)) and not too_many_digits(cleaned)


def format_amount(value: Decimal | None) -> str | None:
    """The decimal string the JSON carries: exact, no exponent, no float."""
    return None if value is None else format(value, "f")


def parse_code(text: str) -> str | None:
    """A classification code as printed, joined where a column edge split it
    (`211030 1`, `201 03 01`), or None when the cell is not a code."""
    cleaned = to_ascii(text)
    if re.fullmatch(r"\d{3}(\d{2}){0,2}", cleaned):
        return cleaned
    # Type-setting drops the zero of a part printed apart: `301 2` is 30102, `201 3 1` 2010301.
    parts = ascii_digits(text).split()
    if (
        2 <= len(parts) <= 3
        and re.fullmatch(r"\d{3}", parts[0])
        and all(re.fullmatch(r"\d{1,2}", p) for p in parts[1:])
    ):
        return parts[0] + "".join(p.zfill(2) for p in parts[1:])
    return None
