"""A link to a disclosure (its year, tagged budget or final accounts, unit or not), written in
Python once for every page: the county page links some 450 disclosures, and including a
template for each took about half of its time."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def disclosure_link(budget_year, tag=False):
    """`<a class="year">2022</a>`, tagged with its kind where its page is not the department's
    budget (or `tag` asks for it): 2023 final accounts, 2023 unit budget. A tag, so that a
    `tag` the including template does not set reads as false."""
    final = budget_year.is_final_accounts
    label = mark_safe("")
    if budget_year.page or tag:
        unit = f"{gettext('unit')} " if budget_year.level == "unit" else ""
        label = format_html(
            ' <span class="tag">{}{}</span>', unit, gettext("final accounts") if final else gettext("budget")
        )
    return format_html(
        '<a class="{}" href="{}">{}{}</a>',
        "year final" if final else "year",
        budget_year.get_absolute_url(),
        budget_year.year,
        label,
    )


@register.filter
def disclosure_links(budget_years):
    """The links of several disclosures, a space apart."""
    return format_html_join(" ", "{}", ((disclosure_link(budget_year),) for budget_year in budget_years))
