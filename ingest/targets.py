"""Split a performance target as printed (`≥100人`, `100%`, `≤364815百分比`) into a
comparator, a number and a unit, so targets can be filtered and compared; the printed
text is always kept beside them."""

import re
from decimal import Decimal

from ingest.text import to_ascii

_COMPARATORS = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", ">": ">", "<": "<", "＞": ">", "＜": "<", "=": "="}
_TARGET = re.compile(r"^(?P<cmp>≥|≤|>=|<=|>|<|＞|＜|=)?(?P<number>\d+(?:\.\d+)?)(?P<unit>[^\d]{0,12})$")


def parse_target(target: str) -> tuple[str, Decimal | None, str]:
    """(comparator, number, unit) of a target, or ("", None, "") when it is not a number
    with an optional comparator and unit (`较大提高`, `及时`)."""
    match = _TARGET.match(to_ascii(target or ""))
    if not match:
        return "", None, ""
    comparator = _COMPARATORS.get(match["cmp"] or "=", "=")
    return comparator, Decimal(match["number"]), match["unit"]
