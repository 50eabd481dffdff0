"""A list page's row of cells (budgets.lists._display) as HTML in one pass: the template's loop
over some 1,500 cells a page, each through a chain of tests, took most of the page's time."""

from functools import cache

from django import template
from django.utils.html import conditional_escape, format_html
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
    return conditional_escape(text)


@cache
def _class(css):
    """The cell's class attribute: a page's 1,000 cells have a dozen."""
    return format_html(' class="{}"', css) if css else ""


@register.filter
def list_cells(row):
    """`<td>` for each (text, css class, link) of a row, each part escaped where it is made: a
    page has some 1,000 cells, and joining them through format_html took a third of its time."""
    return mark_safe("".join(f"<td{_class(css)}>{_content(text, css, href)}</td>" for text, css, href in row))
