"""The "corrected" mark beside a figure the site's editors changed (budgets.corrections):
`{{ row|corrected }}` on a figure row, `{{ row|corrected:"budgeted" }}` on its budgeted column,
`{{ item|corrected:"amount" }}` on a line item or indicator. It links to the figure's history on
the page and carries it as its title; nothing where the figure was not corrected. On a page that
shows the figure away from its budget year (department, comparison) `{{ entries|correction_mark }}`
marks it from its entries (corrections.of_headlines), linking to the history on the year's page."""

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
def correction_mark(entries):
    """The mark of a figure with these corrections: to the last one's history, on this page or
    at its `url`."""
    if not entries:
        return ""
    last = entries[-1]
    return format_html(
        ' <a class="corrected-mark" href="{}" title="{}">{}</a>',
        last.get("url") or f"#{last['id']}",
        gettext("Corrected by the site's editors.") + " " + " ".join(history_line(e) for e in entries),
        gettext("corrected"),
    )


@register.filter
def corrected(row, column="value"):
    found = row.get("corrections") if isinstance(row, dict) else getattr(row, "corrections", None)
    return correction_mark((found or {}).get(column))
