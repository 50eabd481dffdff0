"""A list page's row of cells (budgets.lists._display) as HTML in one pass: the template's loop
over some 1,500 cells a page, each through a chain of tests, took most of the page's time."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def _content(text, css, href):
    """What a cell shows: a mark for a figure not printed, in doubt or unclear, never the bare
    figure; a link where the cell has one."""
    if "missing" in css:
        return format_html('<span title="{}">—</span>', gettext("not printed"))
    if css == "flag doubts":
        return format_html('<span class="check-mark">{}</span>', gettext("needs checking"))
    if "unclear" in css:
        return format_html('<span class="unclear">{}</span>', gettext("unclear"))
    if "needs-checking" in css:
        return format_html(
            '<span class="doubtful">{}</span> <span class="check-mark">{}</span>',
            text,
            gettext("needs checking"),
        )
    if href:
        return format_html('<a href="{}">{}</a>', href, text)
    return text


@register.filter
def list_cells(row):
    """`<td>` for each (text, css class, link) of a row."""
    return format_html_join(
        "",
        "<td{}>{}</td>",
        (
            (format_html(' class="{}"', css) if css else mark_safe(""), _content(text, css, href))
            for text, css, href in row
        ),
    )
