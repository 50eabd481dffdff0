"""The "corrected" mark beside a figure the site's editors changed (budgets.corrections):
`{{ row|corrected }}` on a figure row, `{{ row|corrected:"budgeted" }}` on its budgeted column,
`{{ item|corrected:"amount" }}` on a line item or indicator. It links to the figure's history on
the page and carries it as its title; nothing where the figure was not corrected."""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext

register = template.Library()


def history_line(entry) -> str:
    """One correction in a sentence: 2025-06-01: 1.51 → 1.61. Why."""
    return gettext("%(date)s: %(old)s → %(new)s. %(reason)s") % {
        "date": date_format(localtime(entry["at"]), "Y-m-d"),
        "old": entry["old"],
        "new": entry["new"],
        "reason": entry["reason"],
    }


@register.filter
def corrected(row, column="value"):
    found = row.get("corrections") if isinstance(row, dict) else getattr(row, "corrections", None)
    entries = (found or {}).get(column) or []
    if not entries:
        return ""
    return format_html(
        ' <a class="corrected-mark" href="#{}" title="{}">{}</a>',
        entries[-1]["id"],
        gettext("Corrected by the site's editors.") + " " + " ".join(history_line(e) for e in entries),
        gettext("corrected"),
    )
