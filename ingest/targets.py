"""Split a performance target as printed (`≥100人`, `100%`, `≤364815百分比`) into a
comparator, a number and a unit, so targets can be filtered and compared; the printed
text is always kept beside them."""

import re
from decimal import Decimal

from ingest.text import to_ascii

_COMPARATORS = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", ">": ">", "<": "<", "＞": ">", "＜": "<", "=": "="}
# PerformanceIndicator.number is DecimalField(max_digits=20, decimal_places=6): 14 integer
# digits. A target printing more is kept as text only, with no number to filter on.
_TARGET = re.compile(
    r"^(?P<cmp>≥|≤|>=|<=|>|<|＞|＜|=)?(?P<number>[0-9]{1,14}(?:\.[0-9]{1,6})?)(?P<unit>[^0-9]{0,12})$"
)


def parse_target(target: str) -> tuple[str, Decimal | None, str]:
    """(comparator, number, unit) of a target, or ("", None, "") when it is not a number
    with an optional comparator and unit (`较大提高`, `及时`)."""
    match = _TARGET.match(to_ascii(target or ""))
    if not match:
        return "", None, ""
    comparator = _COMPARATORS.get(match["cmp"] or "=", "=")
    return comparator, Decimal(match["number"]), match["unit"]
