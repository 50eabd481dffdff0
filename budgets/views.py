from urllib.parse import urlencode

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets import charts, corrections, coverage, execution, queries, rankings, summaries
from budgets.models import SLUG_CODE, SLUG_PK, BudgetYear, County, Department, Finding, LineItem
from budgets.percent import percent
from budgets.search.views import SearchForm
from budgets.sources import CONTENT_TYPES, visible_documents


def home(request):
    ctx = {
        "form": SearchForm(),
        **summaries.counties_for_home(),
        "latest": queries.latest_budget_years(),
        # Found when the data changed (budgets.summaries), not on each view.
        "headlines": summaries.headlines(),
    }
    return render(request, "budgets/home.html", ctx)


def _county_lookup(segment):
    """County filters for a code or id segment (`310107-普陀区`, `id7-甲县`); None for a bare name."""
    if match := SLUG_CODE.match(segment):
        return {"code": match["code"]}
    if match := SLUG_PK.match(segment):
        return {"pk": int(match["pk"]), "code__isnull": True}
    return None


def _by_name(request, name, view_name, rest=()):
    """An old name-only link: to the county's page where one county has the name; where
    several do, a 404 listing them, each with its own link."""
    counties = list(County.objects.filter(name=name).order_by("code"))
    if len(counties) == 1:
        return redirect(reverse(f"budgets:{view_name}", args=[counties[0].slug, *rest]))
    if not counties:
        raise Http404(_("No county of that name."))
    ctx = {"name": name, "counties": counties}
    return render(request, "budgets/namesakes.html", ctx, status=404)


def county_detail(request, county):
    lookup = _county_lookup(county)
    if lookup is None:
        return _by_name(request, county, "county-detail")
    county_obj = get_object_or_404(County, **lookup)
    if county_obj.slug != county:  # renamed since the link was made
        return redirect(county_obj)
    county = county_obj
    budget_years = queries.county_budget_years(county)
    departments = {}
    for budget_year in budget_years:
        departments.setdefault(budget_year.department, []).append(budget_year)
    ctx = {
        "county": county,
        "departments": list(departments.items()),
        "charts": charts.county_charts(county, budget_years),
        **coverage.county_context(budget_years),
    }
    return render(request, "budgets/county.html", ctx)


def _department_or_redirect(request, county, department, view_name, rest=()):
    """The department a permalink names with its county (one query), or the redirect an old or
    renamed link needs."""
    lookup = _county_lookup(county)
    if lookup is None:
        return _by_name(request, county, view_name, [department, *rest])
    found = get_object_or_404(
        Department.objects.select_related("county", "parent__county"),
        name=department,
        **{f"county__{key}": value for key, value in lookup.items()},
    )
    if found.county.slug != county:
        return redirect(reverse(f"budgets:{view_name}", args=[found.county.slug, department, *rest]))
    return found


def department_detail(request, county, department):
    department = _department_or_redirect(request, county, department, "department-detail")
    if not isinstance(department, Department):
        return department
    budget_years = queries.department_budget_years(department)
    columns = _department_columns(budget_years)
    ctx = {
        "county": department.county,
        "department": department,
        "budget_years": budget_years,
        "columns": columns,
        # Budgets and final accounts together: every column says which it is.
        "mixed": len({b.kind for b in budget_years}) > 1,
        "rows": _department_rows(columns),
        "rankings": rankings.of_department(department),
        "charts": charts.department_charts(department, budget_years),
    }
    return render(request, "budgets/department.html", ctx)


# (field, label, indent) of the totals a budget-year and a department page show, in order.
TOTALS = [
    ("income", gettext_lazy("Income total"), 0),
    ("general_budget_income", gettext_lazy("of which general public budget"), 1),
    ("expenditure", gettext_lazy("Expenditure total"), 0),
    ("basic", gettext_lazy("Basic expenditure"), 1),
    ("personnel", gettext_lazy("Personnel costs"), 2),
    ("public", gettext_lazy("Public costs"), 2),
    ("project", gettext_lazy("Project expenditure"), 1),
    ("operating", gettext_lazy("Office running costs"), 0),
]
THREE_COSTS = [
    ("total", gettext_lazy("Three public costs"), 0),
    ("overseas", gettext_lazy("Overseas trips"), 1),
    ("vehicle", gettext_lazy("Official cars"), 1),
    ("vehicle_purchase", gettext_lazy("Car purchase"), 2),
    ("vehicle_operation", gettext_lazy("Car operation"), 2),
    ("reception", gettext_lazy("Receptions"), 1),
]
ASSETS = [
    ("fixed_assets_total", gettext_lazy("Fixed assets")),
    ("vehicles_value", gettext_lazy("Value of vehicles")),
    ("procurement_total", gettext_lazy("Government procurement")),
]
COUNTS = [
    ("vehicles_count", gettext_lazy("Vehicles")),
    ("staff_authorized", gettext_lazy("Authorised staff")),
    ("staff_in_service", gettext_lazy("Staff in service")),
    ("staff_retired", gettext_lazy("Retired staff")),
]
# Which share each split is of: basic and project of expenditure, personnel and public of basic;
# the column holds both, so each share names its base.
SHARE_OF = {"basic": "expenditure", "project": "expenditure", "personnel": "basic", "public": "basic"}
SHARE_TEXT = {
    "expenditure": gettext_lazy("%(percent)s%% of expenditure total"),
    "basic": gettext_lazy("%(percent)s%% of basic expenditure"),
}


def _three_costs(budget_year):
    return getattr(budget_year, "three_costs", None)


def _department_columns(budget_years):
    """The department page's columns: each disclosure in year order, budget before final
    accounts, and after a year that has both an execution-rate column (决算 ÷ 预算)."""
    columns = []
    order = {BudgetYear.Kind.BUDGET: 0, BudgetYear.Kind.FINAL_ACCOUNTS: 1}
    ordered = sorted(budget_years, key=lambda b: (b.year, b.level, order.get(b.kind, 2)))
    for budget_year in ordered:
        columns.append({"type": "disclosure", "budget_year": budget_year})
        if budget_year.kind == BudgetYear.Kind.FINAL_ACCOUNTS:
            budget = execution.counterpart(budget_year, budget_years)
            if budget is not None:
                columns.append({"type": "rate", "budget": budget, "final": budget_year})
    return columns


def _department_rows(columns):
    """One row per figure, one cell per column, for the department page's table: each cell a
    (value, needs checking, is a rate, corrections) tuple, so a figure in doubt is marked there as
    on its year's page, a corrected one links to its history there (a rate of a corrected figure
    too), and a rate shows as a percentage. One query for the corrections, none without any."""
    disclosures = [c["budget_year"] if c["type"] == "disclosure" else None for c in columns]
    corrected = corrections.of_headlines([b for b in disclosures if b is not None])

    def fixed(b, block, key):
        subject = (
            corrections.Subject.THREE_COSTS if block == "three_costs" else corrections.Subject.BUDGET_YEAR
        )
        return corrected.get((b.pk, subject, key), [])

    def cells(block, key, read):
        row = []
        for column in columns:
            if column["type"] == "rate":
                budget, final = column["budget"], column["final"]
                doubted = key in budget.doubts(block) or key in final.doubts(block)
                history = sorted(fixed(budget, block, key) + fixed(final, block, key), key=lambda e: e["at"])
                row.append((execution.rate(read(final), read(budget)), doubted, True, history))
            else:
                b = column["budget_year"]
                row.append((read(b), key in b.doubts(block), False, fixed(b, block, key)))
        return row

    rows = [
        {"label": label, "indent": indent, "cells": cells("totals", key, lambda b, k=key: getattr(b, k))}
        for key, label, indent in TOTALS
    ]
    rows += [
        {
            "label": label,
            "indent": indent,
            "cells": cells("three_costs", key, lambda b, k=key: getattr(_three_costs(b), k, None)),
        }
        for key, label, indent in THREE_COSTS
    ]
    rows += [
        {
            "label": label,
            "cells": [
                (b and getattr(b, key), False, b is None, b and fixed(b, "", key)) for b in disclosures
            ],
            "plain": True,
        }
        for key, label in ASSETS
    ]
    rows += [
        {
            "label": label,
            "count": True,
            "cells": [
                (b and getattr(b, key), False, b is None, b and fixed(b, "", key)) for b in disclosures
            ],
        }
        for key, label in COUNTS
    ]
    return rows


def _figure_row(key, label, indent, this, previous, source, printed_change=None):
    value, before = getattr(this, key, None), getattr(previous, key, None)
    return {
        "key": key,
        "label": label,
        "indent": indent,
        "value": value,
        "source": source,
        "previous": before,
        "difference": value - before if value is not None and before is not None else None,
        "printed_change": (printed_change or {}).get("printed", ""),
    }


def _doubt(row, block, budget_year, previous, findings):
    """Mark a figure row whose figure (or last year's) an error finding casts doubt on: the
    page shows it as "needs checking", linked to the finding, never as a plain fact."""
    key = row["key"]
    here = key in budget_year.doubts(block)
    before = previous is not None and key in previous.doubts(block)
    return {
        **row,
        "needs_checking": here,
        "doubt": _finding_about(findings, f"{block}.{key}") if here else None,
        "previous_needs_checking": before,
        "difference_needs_checking": here or before,
        "printed_change_needs_checking": f"{key}_change" in budget_year.doubts(block),
    }


def _finding_about(findings, path):
    """The first error finding that names a figure: its "needs checking" mark links there."""
    return next((f for f in findings if f.severity == Finding.Severity.ERROR and path in f.figures), None)


def _share(budget_year, key):
    """A split's share of its whole by the one rule (budgets.percent), naming the whole."""
    base = SHARE_OF.get(key)
    share = percent(getattr(budget_year, key, None), getattr(budget_year, base, None)) if base else None
    return None if share is None else SHARE_TEXT[base] % {"percent": share}


def _concerning(findings, lines=(), words=(), block=""):
    """The findings that concern a part of the page: casting doubt on one of its figures
    (`block`), printed on one of its lines, or naming it."""
    lines = {line for line in lines if line}
    prefix = f"{block}." if block else None
    return [
        f
        for f in findings
        if (prefix and any(path.startswith(prefix) for path in f.figures))
        or f.line in lines
        or any(w in f.rule or w in f.message for w in words)
    ]


PAGE_KINDS = {page: kind_level for kind_level, page in BudgetYear.PAGES.items()}


def budget_year_detail(request, county, department, year, page=""):
    if page not in PAGE_KINDS:
        raise Http404(_("No such page."))
    lookup = _county_lookup(county)
    if lookup is None:
        return _by_name(
            request,
            county,
            "budget-year-page" if page else "budget-year-detail",
            [department, year, *([page] if page else [])],
        )
    kind, level = PAGE_KINDS[page]
    budget_year = (
        queries.budget_year_for_page(lookup, department, year, kind, level)
        .annotate(has_corrections=corrections.any_for_year())
        .first()
    )
    if budget_year is None:
        return _other_disclosure_of_year(lookup, department, year, page)
    department = budget_year.department
    if department.county.slug != county:
        return redirect(budget_year)
    all_years = queries.department_budget_years(department)
    previous = queries.previous_disclosure(budget_year, all_years)
    items = queries.line_items_by_year_and_kind([budget_year] + ([previous] if previous else []))
    this_items = items[budget_year.pk]
    before_items = items[previous.pk] if previous else {}
    findings = list(budget_year.findings.all())
    sources = budget_year.sources or {}
    three_costs, previous_three_costs = _three_costs(budget_year), _three_costs(previous)

    totals = [
        {
            **_doubt(
                _figure_row(
                    key,
                    label,
                    indent,
                    budget_year,
                    previous,
                    sources.get("totals", {}).get(key),
                    sources.get("totals", {}).get(f"{key}_change"),
                ),
                "totals",
                budget_year,
                previous,
                findings,
            ),
            "share": _share(budget_year, key),
            # A share of a doubtful whole is as doubtful as one of a doubtful part.
            "share_needs_checking": bool({key, SHARE_OF.get(key)} & budget_year.doubts("totals")),
        }
        for key, label, indent in TOTALS
    ]
    three_cost_rows = [
        {
            **_doubt(
                _figure_row(
                    key,
                    label,
                    indent,
                    three_costs,
                    previous_three_costs,
                    sources.get("three_costs", {}).get(key),
                    sources.get("three_costs", {}).get(f"{key}_change"),
                ),
                "three_costs",
                budget_year,
                previous,
                findings,
            ),
            "budgeted": getattr(three_costs, f"budgeted_{key}", None),
            "budgeted_needs_checking": key in budget_year.doubts("three_costs_budget"),
        }
        for key, label, indent in THREE_COSTS
    ]
    if three_costs is not None and three_costs.total_change is not None:
        three_cost_rows[0]["printed_change_value"] = three_costs.total_change
    assets = [
        _figure_row(key, label, 0, budget_year, previous, sources.get("assets", {}).get(key))
        for key, label in ASSETS
    ]
    counts = [
        {
            **_figure_row(key, label, 0, budget_year, previous, sources.get("assets", {}).get(key)),
            "count": True,
        }
        for key, label in COUNTS
    ]

    functional, economic = (
        this_items.get(LineItem.Kind.FUNCTIONAL, []),
        this_items.get(LineItem.Kind.ECONOMIC, []),
    )
    projects = this_items.get(LineItem.Kind.PROJECT, [])
    page_charts = charts.budget_year_charts(budget_year, previous, this_items, before_items)

    def lines_of(block):
        return [source.get("line") for source in sources.get(block, {}).values() if isinstance(source, dict)]

    ctx = {
        "budget_year": budget_year,
        "department": department,
        "county": department.county,
        "document": budget_year.source_document,
        "all_years": all_years,
        "counterpart": execution.counterpart(budget_year, all_years),
        "previous": previous,
        "totals": totals,
        "three_costs": three_costs,
        "three_cost_rows": three_cost_rows,
        "show_budgeted": three_costs is not None and three_costs.has_budgeted,
        "assets": assets,
        "counts": counts,
        "functional": functional,
        "economic": economic,
        "projects": projects,
        "charts": page_charts,
        "three_costs_chart": page_charts.get("three-costs"),
        "indicator_groups": queries.indicators_by_group(budget_year),
        "findings": findings,
        "finding_counts": [
            (severity, count)
            for severity in Finding.Severity
            if (count := sum(1 for f in findings if f.severity == severity))
        ],
        "serious_findings": any(f.severity != Finding.Severity.INFO for f in findings),
        **coverage.page_context(budget_year),
        "findings_for": {
            "totals": _concerning(
                findings, lines_of("totals"), ["income_equals", "basic_", "personnel_"], "totals"
            ),
            "three_costs": _concerning(
                findings, lines_of("three_costs"), ["三公", "three_costs", "vehicle"], "three_costs"
            ),
            "functional": _concerning(findings, [i.source_line for i in functional]),
            "economic": _concerning(findings, [i.source_line for i in economic]),
            "projects": _concerning(findings, [i.source_line for i in projects]),
        },
    }
    corrections.attach(budget_year, ctx)
    return render(request, "budgets/budget_year.html", ctx)


def _other_disclosure_of_year(lookup, department, year, page):
    """A year link whose disclosure of that kind does not exist: to the one the year has (a
    department that published only final accounts), else 404."""
    other = (
        BudgetYear.objects.select_related("department__county")
        .filter(
            department__name=department,
            year=year,
            **{f"department__county__{k}": v for k, v in lookup.items()},
        )
        .order_by("level", "kind")
        .first()
    )
    if other is None or page:
        raise Http404(_("No disclosure of that kind for this year."))
    return redirect(other)


def execution_detail(request, county, department, year):
    """Budget against actual: the year's final accounts beside its budget, with the execution
    rate of the totals, the three public costs and their parts, and the classes. Four queries."""
    found = _department_or_redirect(request, county, department, "execution-detail", [year])
    if not isinstance(found, Department):
        return found
    department = found
    all_years = queries.department_budget_years(department)
    of_year = [b for b in all_years if b.year == year]
    budget = next(
        (b for b in of_year if b.kind == BudgetYear.Kind.BUDGET and execution.counterpart(b, of_year)), None
    )
    if budget is None:
        raise Http404(_("This department has not published both a budget and final accounts for this year."))
    final = execution.counterpart(budget, of_year)
    items = queries.line_items_by_year_and_kind([budget, final], level=1)
    totals, three_costs = execution.figure_rows(budget, final)
    ctx = {
        "county": department.county,
        "department": department,
        "year": year,
        "budget": budget,
        "final": final,
        "all_years": all_years,
        "totals": totals,
        "three_costs": three_costs,
        "functional": execution.class_rows(
            items[budget.pk].get(LineItem.Kind.FUNCTIONAL, []),
            items[final.pk].get(LineItem.Kind.FUNCTIONAL, []),
        ),
        "economic": execution.class_rows(
            items[budget.pk].get(LineItem.Kind.ECONOMIC, []), items[final.pk].get(LineItem.Kind.ECONOMIC, [])
        ),
    }
    return render(request, "budgets/execution.html", ctx)


def document_download(request, pk):
    """The original disclosure as uploaded, under its own name: every figure on the site
    says where in this file it was printed."""
    document = get_object_or_404(visible_documents(request.user), pk=pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404(_("The file of this document is missing.")) from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=CONTENT_TYPES.get(document.format),
    )


def places(request):
    """Provinces, each with its counties and how many have published: one query."""
    ctx = {"provinces": queries.provinces_published()}
    return render(request, "budgets/places.html", ctx)


def province_detail(request, province):
    """A province's prefectures, and the counties directly under it (a municipality's districts):
    two queries."""
    prefectures = queries.prefectures_published(province)
    if not prefectures:
        raise Http404(_("No such province."))
    direct = [p for p in prefectures if not p["prefecture"]]
    counties = queries.counties_published(province, "") if direct else []
    ctx = {
        "province": province,
        "prefectures": [p for p in prefectures if p["prefecture"]],
        "counties": counties,
        "rankings_url": f"{reverse('budgets:rankings')}?{urlencode({'province': province})}",
    }
    return render(request, "budgets/province.html", ctx)


def prefecture_detail(request, province, prefecture):
    """A prefecture's counties with the budgets and final accounts each has published: two queries."""
    counties = queries.counties_published(province, prefecture)
    if not counties:
        raise Http404(_("No such prefecture."))
    ctx = {
        "province": province,
        "prefecture": prefecture,
        "counties": counties,
        "rankings_url": reverse("budgets:rankings")
        + "?"
        + urlencode({"province": province, "prefecture": prefecture}),
    }
    return render(request, "budgets/prefecture.html", ctx)
