"""A chart on its own, for a newsroom's article: `/embed/<chart>/<page path>?<the page's query>`
draws chart `<chart>` of that page (e.g. /embed/three-costs/counties/130127-高邑县/高邑县人民政府办公室/),
and `/svg/<chart>/<page path>` saves it as SVG (budgets/svg.py). Both build the chart with the
same function the page uses (budgets/charts.py, budgets/compare.py), so the three always agree.

Only the embed may be framed, and by any site: it alone is exempt from X-Frame-Options and has
`frame-ancestors *` in its Content-Security-Policy; every other page stays DENY.
`?lang=en` (or zh-hans) fixes the language, which a frame on another site cannot set by cookie.
"""

from contextlib import nullcontext
from urllib.parse import quote

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from budgets import charts, compare, queries, svg
from budgets.models import BudgetYear, County, Department

PAGE_KINDS = {page: kind_level for kind_level, page in BudgetYear.PAGES.items()}


def _county(slug):
    counties = list(County.objects.by_slug(slug)[:2])
    if len(counties) != 1 or counties[0].slug != slug:
        raise Http404(_("No such county."))
    return counties[0]


def _county_charts(request, county):
    county = _county(county)
    return charts.county_charts(county, queries.county_budget_years(county))


def _department(county, name):
    try:
        return Department.objects.select_related("county").get(county=_county(county), name=name)
    except Department.DoesNotExist as error:
        raise Http404(_("No such department.")) from error


def _department_charts(request, county, department):
    department = _department(county, department)
    return charts.department_charts(department, queries.department_budget_years(department))


def _budget_year_charts(request, county, department, year, page=""):
    if page not in PAGE_KINDS:
        raise Http404(_("No such page."))
    department = _department(county, department)
    kind, level = PAGE_KINDS[page]
    all_years = queries.department_budget_years(department)
    budget_year = next((b for b in all_years if (b.year, b.kind, b.level) == (year, kind, level)), None)
    if budget_year is None:
        raise Http404(_("No such page."))
    previous = queries.previous_disclosure(budget_year, all_years)
    items = queries.line_items_by_year_and_kind([budget_year, *([previous] if previous else [])])
    found = charts.budget_year_charts(
        budget_year, previous, items[budget_year.pk], items[previous.pk] if previous else {}
    )
    return list(found.values())


def _compare_charts(request):
    chart = compare.chart_for(request.GET)
    if chart is None:
        raise Http404(_("No budget year matches this choice."))
    return [chart]


# The pages that have charts, by URL name: each returns its charts as the page draws them.
_PAGES = {
    "budgets:county-detail": _county_charts,
    "budgets:department-detail": _department_charts,
    "budgets:budget-year-detail": _budget_year_charts,
    "budgets:budget-year-page": _budget_year_charts,
    "budgets:compare": _compare_charts,
}


def chart_of_page(request, chart_id, page):
    """The chart `chart_id` of the page at path `page` (without its leading slash); 404 if the
    page has no such chart."""
    try:
        match = resolve("/" + page)
    except Resolver404 as error:
        raise Http404(_("No such page.")) from error
    build = _PAGES.get(match.view_name)
    if build is None:
        raise Http404(_("This page has no charts."))
    chart = next(
        (chart for chart in build(request, *match.args, **match.kwargs) if chart.id == chart_id), None
    )
    if chart is None:
        raise Http404(_("This page has no such chart."))
    return chart


def _language(request):
    code = request.GET.get("lang", "")
    return translation.override(code) if code in dict(settings.LANGUAGES) else nullcontext()


def _page_query(request):
    """The page's own query string: the request's, less the language of the embed."""
    query = request.GET.copy()
    query.pop("lang", None)
    return query.urlencode(safe="/")


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request, chart, page):
    with _language(request):
        found = chart_of_page(request, chart, page)
        query = _page_query(request)
        back = "/" + quote(page) + (f"?{query}" if query else "")
        ctx = {
            "chart": found,
            "page_url": request.build_absolute_uri(f"{back}#{found.figure_id}"),
            "language": translation.get_language(),
            "site_name": charts.SITE_NAME,
        }
        return render(request, "budgets/embed.html", ctx)


def chart_svg(request, chart, page):
    with _language(request):
        found = chart_of_page(request, chart, page)
        response = HttpResponse(svg.render(found, host=request.get_host()), content_type="image/svg+xml")
    response["Content-Disposition"] = f"inline; filename*=utf-8''{quote(found.filename + '.svg')}"
    return response
