"""Where a chart can be had on its own: `{% chart_links chart as links %}` gives its SVG file
(links.svg), its embed (links.embed, absolute, in the page's language) and the <iframe> snippet a
newsroom pastes (links.snippet, plain text for the page to escape). On the embed itself the
page the chart belongs to is the one it was embedded from (budgets/embeds.py)."""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import get_language

register = template.Library()

# Room an embed needs around its canvas: heading, source line, links (px).
EMBED_CHROME = 190


def _page(request):
    """The chart's page path without its leading slash, and its query less the embed's language."""
    match = request.resolver_match
    page = match.kwargs["page"] if match and match.view_name == "budgets:embed" else request.path.lstrip("/")
    query = request.GET.copy()
    for name in ("lang", "format"):
        query.pop(name, None)
    return page, query


@register.simple_tag(takes_context=True)
def chart_links(context, chart):
    request = context["request"]
    page, query = _page(request)
    svg_query = query.copy()
    if "lang" in request.GET:  # in an embed, whose frame may not carry the site's language cookie
        svg_query["lang"] = get_language()
    svg = reverse("budgets:chart-svg", args=[chart.id, page])
    if svg_query:
        svg += "?" + svg_query.urlencode()
    query["lang"] = get_language()
    embed = reverse("budgets:embed", args=[chart.id, page]) + "?" + query.urlencode()
    embed = request.build_absolute_uri(embed)
    height = chart.height * 16 + EMBED_CHROME
    snippet = (
        f'<iframe src="{escape(embed)}" title="{escape(chart.heading)}" width="100%" height="{height}" '
        f'style="border:0" loading="lazy"></iframe>'
    )
    return {"svg": svg, "embed": embed, "snippet": snippet}
