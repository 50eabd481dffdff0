"""The one rule for every percentage the site computes: shares, changes and execution rates.

A percentage is rounded to one decimal, halves away from zero (四舍五入, as a reader rounds and
as the disclosures round: 88.75 → 88.8, 88.65 → 88.7, −12.25 → −12.3), and printed with exactly
that one decimal everywhere: the pages (88.8%), the CSV and JSON (88.8, never 88.80) and the
spreadsheet. Amounts are never rounded; only what the site divides is.
"""

from decimal import ROUND_HALF_UP, Decimal

PLACES = Decimal("0.1")


class Percent(Decimal):
    """A percentage rounded by the rule: its text has the one decimal computed (88.8), where an
    amount prints at least two (budgets.exports.plain_decimal)."""

    __slots__ = ()

    def __str__(self):
        return format(self, "f")


def rounded(value) -> Percent | None:
    """A percentage computed elsewhere (the database's execution rates) rounded by the rule."""
    if value is None:
        return None
    return Percent(Decimal(str(value)).quantize(PLACES, ROUND_HALF_UP))


def percent(part, whole) -> Percent | None:
    """part ÷ whole × 100 by the rule; None where either is not printed or the whole is zero
    (a share or rate of nothing is none)."""
    if part is None or whole is None or not whole:
        return None
    return rounded(Decimal(part) * 100 / Decimal(whole))
