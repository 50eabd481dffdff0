"""A link to a disclosure (its year, tagged budget or final accounts, unit or not), written in
Python once for every page: the county page links some 650 disclosures, and including a
template for each took about half of its time."""

from functools import cache

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

register = template.Library()


@register.simple_tag
def disclosure_link(budget_year, tag=False):
    """`<a class="year">2022</a>`, tagged with its kind where its page is not the department's
    budget (or `tag` asks for it): 2023 final accounts, 2023 unit budget. A tag, so that a
    `tag` the including template does not set reads as false."""
    return link(budget_year, tagged=bool(budget_year.page or tag))


@register.filter
def disclosure_links(budget_years):
    """The links of several disclosures, a space apart."""
    return format_html_join(" ", "{}", ((link(b, tagged=bool(b.page)),) for b in budget_years))


def link(budget_year, tagged):
    """The link, with its kind's tag if `tagged`."""
    final = budget_year.is_final_accounts
    return format_html(
        '<a class="{}" href="{}">{}{}</a>',
        "year final" if final else "year",
        budget_year.get_absolute_url(),
        budget_year.year,
        _tags(get_language())[final, budget_year.level == "unit"] if tagged else "",
    )


@cache
def _tags(language) -> dict:
    """The tag of each (final accounts, unit) in one language, made once per process for the
    hundreds of links a page has."""
    return {
        (final, unit): format_html(
            ' <span class="tag">{}{}</span>',
            f"{gettext('unit')} " if unit else "",
            gettext("final accounts") if final else gettext("budget"),
        )
        for final in (False, True)
        for unit in (False, True)
    }
