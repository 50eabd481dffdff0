"""The pages that say what the site holds and how to take it away: /about/ (coverage, how figures
are read, the rounding rule, every check), /api/ (every machine-readable endpoint), /data/ (the
whole dataset as a zip of CSV files and a SQLite file), and robots.txt."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets import api, dataset, summaries
from budgets.feeds import ENTRIES
from budgets.models import County, CountySummary
from budgets.percent import percent
from ingest import finding_messages, validation

# The percentages the about page computes before the reader's eyes, by the site's one rule
# (budgets.percent): halves, a negative half, a third.
ROUNDING_EXAMPLES = (("88.75", "100"), ("88.65", "100"), ("-12.25", "100"), ("2", "3"))


def site_counts():
    """What the database holds, from the county summaries kept when the data changes
    (budgets.summaries): three queries, whatever the size of the country."""
    counts = CountySummary.objects.aggregate(
        disclosures=Coalesce(Sum("disclosures"), 0),
        budgets=Coalesce(Sum("budgets"), 0),
        departments=Coalesce(Sum("departments"), 0),
        counties=Count("pk"),
        provinces=Count("county__province", distinct=True, filter=~Q(county__province="")),
        line_items=Coalesce(Sum("line_items"), 0),
        indicators=Coalesce(Sum("indicators"), 0),
        errors=Coalesce(Sum("errors"), 0),
        doubted=Coalesce(Sum("doubted"), 0),
    )
    counts["final_accounts"] = counts["disclosures"] - counts["budgets"]
    years = summaries.published_years()
    counts["first_year"], counts["last_year"] = (years[0], years[-1]) if years else (None, None)
    counts["divisions"] = County.objects.exclude(code=None).count()
    return counts


def _rounding():
    """Each example as the site prints it, computed by the one function the pages use."""
    return [
        {"part": part, "whole": whole, "shown": percent(Decimal(part), Decimal(whole))}
        for part, whole in ROUNDING_EXAMPLES
    ]


def about(request):
    ctx = {
        "coverage": site_counts(),
        "checks": [
            {"id": check, "name": finding_messages.check_name(check)} for check in finding_messages.CHECKS
        ],
        "tolerance": validation.ROUNDING,
        "rounding": _rounding(),
        "dataset": dataset.manifest(),
    }
    return render(request, "budgets/about.html", ctx)


def api_page(request):
    endpoints = [
        {
            "endpoint": endpoint,
            "params": endpoint.params(),
            "keys": endpoint.row_keys(),
            "examples": endpoint.example_urls(),
        }
        for endpoint in api.ENDPOINTS
    ]
    example = api.example_budget_year()
    routes = [
        {"route": route, "params": route.params(), "examples": route.examples(example) if example else []}
        for route in api.ROUTES
    ]
    ctx = {
        "endpoints": endpoints,
        "routes": routes,
        "feed_entries": ENTRIES,
        "example_county": County.objects.filter(departments__budget_years__isnull=False)
        .order_by("code")
        .first(),
        "tables": dataset.TABLES,
    }
    return render(request, "budgets/api.html", ctx)


def data(request):
    """The download page of the whole dataset: the files, their date, their tables."""
    dataset.ensure_built()
    manifest = dataset.manifest()
    counts = manifest["tables"] if manifest else {}
    ctx = {
        "dataset": manifest,
        "tables": [{"table": table, "rows": counts.get(table.name)} for table in dataset.TABLES],
        "files": _files(manifest),
    }
    return render(request, "budgets/data.html", ctx)


def _files(manifest):
    if manifest is None:
        return []
    return [
        {
            "url": reverse("budgets:data-file", args=[name]),
            "name": name,
            "size": manifest["files"].get(name),
            "kind": kind,
        }
        for name, kind in ((dataset.CSV_ZIP, _("CSV files in a zip")), (dataset.SQLITE, _("SQLite database")))
    ]


# The files the download serves, and their media types.
DATA_FILES = {dataset.CSV_ZIP: "application/zip", dataset.SQLITE: "application/vnd.sqlite3"}


def data_file(request, name):
    """One file of the last build, named with its date (county-budgets-csv-2024-05-02.zip)."""
    if name not in DATA_FILES:
        raise Http404(_("No such file."))
    manifest = dataset.manifest()
    try:
        handle = (dataset.directory() / name).open("rb")
    except FileNotFoundError:
        dataset.ensure_built()
        raise Http404(_("The download is being prepared; try again in a few minutes.")) from None
    filename = name
    if manifest:
        # The date the download page shows: the site's, not the UTC the manifest keeps (after
        # 16:00 UTC the page said the 7th and the file was named the 6th).
        stem, dot, extension = name.partition(".")
        filename = f"{stem}-{timezone.localtime(manifest['built_at']):%Y-%m-%d}{dot}{extension}"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=DATA_FILES[name])


def robots_txt(request):
    """Crawlers may read every page; the exports are for people and programs, and the sitemap
    lists what there is."""
    sitemap = request.build_absolute_uri(reverse("budgets:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /*format=", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
