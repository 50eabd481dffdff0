"""How amounts, sources and names read on every page: `{{ amount|wan }}`, `{{ source|printed_at }}`,
`{{ item|class_name }}`, `{{ item|item_figure:"amount" }}` and, on the search page,
`{{ text|highlight:terms }}`."""

import re
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from budgets import classification
from budgets.sources import figure_source_url, printed_where

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
def item_figure(item, field):
    """A line item's `amount`, `basic` or `project` as a reader sees it: the amount, a dash
    where the document prints none, or "unclear" where it printed one in a column that could
    not be told for sure (LineItem.uncertain): unknown, neither zero nor not printed."""
    if field in (item.uncertain or ()):
        return format_html(
            '<span class="unclear" title="{}">{}</span>',
            _("The document prints a figure here, in a column that cannot be told for sure."),
            _("unclear"),
        )
    return format_amount(getattr(item, field))


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
def printed_at(source, document=None):
    """Where a figure was printed, from a `sources` entry, a (table, line) pair, or a line
    item or indicator (their source_table, source_line, source_page): "部门收支预算总表, line
    766". A PDF's figures give their page, which is what a reader of the PDF looks for.
    Given the document it was read from (`{{ item|printed_at:document }}`), the words link to
    it opened there, the figure highlighted (budgets.sources.figure_source_url)."""
    if not source:
        return ""
    text = _printed_at(*printed_where(source))
    if not (document and text):
        return text
    return format_html('<a href="{}">{}</a>', figure_source_url(document, source), text)


def _printed_at(where, line, page) -> str:
    if where and page:
        return _("%(where)s, page %(page)s") % {"where": where, "page": page}
    if where and line:
        return _("%(where)s, line %(line)s") % {"where": where, "line": line}
    if page:
        return _("page %(page)s") % {"page": page}
    if line:
        return _("line %(line)s") % {"line": line}
    return where


@register.filter
def class_name(item):
    """A line item's name: as printed in Chinese; in English a classification code also
    gets the reference list's name, the printed one kept in brackets (budgets.classification).
    Project names are the department's own and stay as printed."""
    if item.kind == "project":
        return item.name
    return classification.class_name(item.kind, item.code, item.name)


@register.filter
def class_label(item):
    """Code and name together: "201 一般公共服务支出" or "201 General public services (一般公共服务支出)"."""
    return f"{item.code} {class_name(item)}".strip()


@register.filter
def highlight(text, terms):
    """The text, escaped, with each search term in it marked: <mark>会议费</mark>."""
    text = "" if text is None else str(text)
    terms = [t for t in terms or () if t]
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))
