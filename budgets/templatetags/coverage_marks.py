"""What each disclosure printed, as the county page shows it: one row of marks per disclosure, a
column per standard table (budgets.coverage). Written in Python in one pass, as the disclosure
links are: a large county lists some 650 disclosures."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from budgets import coverage
from budgets.templatetags.disclosure_links import link

register = template.Library()


def _mark(marks, kind, status):
    """A table's mark, made once per page for each (table, status) in `marks`."""
    key = (kind, status.css)
    if key in marks:
        return marks[key]
    name = coverage.TABLE_NAMES[kind]
    # The mark is an image with its status as its name, for a screen reader; a hidden text would
    # be placed outside the table's scrolling box on a phone and widen the page.
    marks[key] = format_html(
        '<td class="part {}" title="{}: {}"><span role="img" aria-label="{}">{}</span></td>',
        status.css,
        name,
        status.label,
        status.label,
        status.mark,
    )
    return marks[key]


def _row(department, budget_year, first, span, made):
    """A disclosure's row; `made` holds what rows repeat (marks, "not known"), written
    once for the county's hundreds of rows."""
    head = (
        # The department's name only: the table above links it, one link per department.
        format_html('<th scope="row" rowspan="{}">{}</th>', span, department) if first else ""
    )
    marks = coverage.marks(budget_year)
    if not marks:
        cells = made["unknown"]
    else:
        found, expected = coverage.sections_found(budget_year)
        cells = format_html(
            '{}<td class="num">{}</td>',
            format_html_join("", "{}", ((_mark(made["marks"], kind, status),) for kind, status in marks)),
            made["found"] % {"found": found, "expected": expected},
        )
    return format_html("<tr>{}<td>{}</td>{}</tr>", head, link(budget_year, tagged=True), cells)


@register.filter
def coverage_rows(departments):
    """The rows of the county page's table: [(department, [budget years])] in, `<tr>`s out."""
    made = {
        "unknown": format_html(
            '<td colspan="{}" class="muted">{}</td>', len(coverage.STANDARD) + 1, gettext("not known")
        ),
        "found": gettext("%(found)s of %(expected)s"),
        "marks": {},
    }
    return format_html_join(
        "\n",
        "{}",
        (
            (_row(department, budget_year, index == 0, len(budget_years), made),)
            for department, budget_years in departments
            for index, budget_year in enumerate(budget_years)
        ),
    )
