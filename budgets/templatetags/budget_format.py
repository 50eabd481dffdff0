"""How amounts and their sources read on every page: `{{ amount|wan }}` and `{{ source|printed_at }}`."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

register = template.Library()

CENT = Decimal("0.01")


def format_amount(value) -> str:
    """A Decimal in 万元 as a reader wants it: thousands separators, at least two decimals,
    no trailing zeros past them (416.950000 → 416.95, 0.800000 → 0.80, 435.353586 kept).
    None (not printed) shows as a dash."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    normal = amount.normalize()
    if normal.as_tuple().exponent > -2:
        normal = amount.quantize(CENT)
    return format(normal, ",f")


@register.filter
def wan(value):
    return format_amount(value)


@register.filter
def signed_wan(value):
    """A change: +1,234.50 or −0.02 (a real minus sign), dash when unknown."""
    if value is None or value == "":
        return "—"
    amount = Decimal(str(value))
    text = format_amount(abs(amount))
    if amount > 0:
        return f"+{text}"
    if amount < 0:
        return f"−{text}"
    return text


@register.filter
def printed_at(source):
    """Where a figure was printed, from a `sources` entry or a (table, line) pair:
    "部门收支预算总表, line 766"."""
    if not source:
        return ""
    if isinstance(source, (tuple, list)):
        where, line = source
    else:
        where, line = source.get("table") or source.get("section") or "", source.get("line")
    if where and line:
        return _("%(where)s, line %(line)s") % {"where": where, "line": line}
    if line:
        return _("line %(line)s") % {"line": line}
    return where
