"""A link to a disclosure (its year, tagged budget or final accounts, unit or not), written in
Python once for every page: the county page links some 650 disclosures, and including a
template for each took about half of its time."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def disclosure_link(budget_year, tag=False):
    """`<a class="year">2022</a>`, tagged with its kind where its page is not the department's
    budget (or `tag` asks for it): 2023 final accounts, 2023 unit budget. A tag, so that a
    `tag` the including template does not set reads as false."""
    return link(budget_year, tags() if budget_year.page or tag else None)


@register.filter
def disclosure_links(budget_years):
    """The links of several disclosures, a space apart."""
    all_tags = tags()
    return format_html_join(" ", "{}", ((link(b, all_tags if b.page else None),) for b in budget_years))


def tags() -> dict:
    """The tag of each (final accounts, unit) in the reader's language, made once for a page's
    hundreds of links."""
    return {
        (final, unit): format_html(
            ' <span class="tag">{}{}</span>',
            f"{gettext('unit')} " if unit else "",
            gettext("final accounts") if final else gettext("budget"),
        )
        for final in (False, True)
        for unit in (False, True)
    }


def link(budget_year, tags=None):
    """The link, with its tag from `tags` (tags()) or none."""
    final = budget_year.is_final_accounts
    return format_html(
        '<a class="{}" href="{}">{}{}</a>',
        "year final" if final else "year",
        budget_year.get_absolute_url(),
        budget_year.year,
        tags[final, budget_year.level == "unit"] if tags else "",
    )
