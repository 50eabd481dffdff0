"""A figure's citation: a ready sentence in Chinese and in English naming the figure, the
department, the year and kind of disclosure, the document and the table and line or page it was
printed on, the figure's permalink (its budget-year page at its anchor, budgets/anchors.py) and
the date retrieved. The budget-year page's cite box (static/js/cite.js) asks for it with
`/cite/<budget year>/<anchor>/` when a reader clicks a figure's "cite" button.

A figure the checks cast doubt on is cited with that doubt; one the document does not print
is cited as not printed, and an amount printed in a column that cannot be told as unclear.
"""

from dataclasses import dataclass
from typing import Any

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.encoding import uri_to_iri
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from budgets import anchors, charts, corrections
from budgets.compare import CHART_CHOICES
from budgets.models import BudgetYear
from budgets.templatetags.budget_format import class_label, format_amount, printed_at
from budgets.templatetags.figure_anchors import ASSET_PATHS
from budgets.views import ASSETS, COUNTS, THREE_COSTS, TOTALS

LANGUAGES = {"zh": "zh-hans", "en": "en"}


@dataclass
class Figure:
    label: Any  # a lazy translation or a callable: read in each language
    value: Any  # Decimal, int, the text of a target, or None (not printed)
    source: Any  # what printed_at reads
    money: bool = True
    needs_checking: bool = False
    unclear: bool = False

    def label_text(self):
        return str(self.label()) if callable(self.label) else str(self.label)


def _headline(budget_year, anchor):
    """A figure of the totals, three-costs or assets tables, by its anchor (fig-totals-income), at
    the path of the parsed JSON it was read from (the ids budgets/templatetags/figure_anchors.py
    gives the rows)."""
    names = dict(CHART_CHOICES)  # standalone names: "General public budget income", not "of which …"
    three_costs = getattr(budget_year, "three_costs", None)
    # (path, the object holding it, its field, its name, money?, the `sources` block of the view)
    rows = [(f"totals.{key}", budget_year, key, names[key], True, "totals") for key, _l, _i in TOTALS]
    rows += [
        (
            f"three_costs.{key}",
            three_costs,
            key,
            names["three_costs" if key == "total" else key],
            True,
            "three_costs",
        )
        for key, _label, _indent in THREE_COSTS
    ]
    rows += [(ASSET_PATHS[key], budget_year, key, label, True, "assets") for key, label in ASSETS]
    rows += [(ASSET_PATHS[key], budget_year, key, label, False, "assets") for key, label in COUNTS]
    sources = budget_year.sources or {}
    for path, holder, key, label, money, block in rows:
        if anchors.figure_anchor(path) == anchor:
            return Figure(
                label=label,
                value=getattr(holder, key, None),
                source=sources.get(block, {}).get(key),
                money=money,
                needs_checking=path in (budget_year.needs_checking or ()),
            )
    return None


def figure_at(budget_year, anchor):
    """The figure an anchor of the budget-year page names, or None."""
    kind, _sep, pk = anchor.rpartition("-")
    if kind == "line" and pk.isdigit():
        item = budget_year.line_items.filter(pk=int(pk)).first()
        if item is None:
            return None
        unclear = "amount" in (item.uncertain or ())
        return Figure(
            label=lambda: class_label(item) if item.kind != "project" else item.name,
            value=None if unclear else item.amount,
            source=item,
            unclear=unclear,
        )
    if kind == "indicator" and pk.isdigit():
        indicator = budget_year.indicators.filter(pk=int(pk)).first()
        if indicator is None:
            return None
        return Figure(
            label=lambda: (
                _("target of “%(indicator)s” (%(group)s)")
                % {"indicator": indicator.name, "group": indicator.group}
            ),
            value=indicator.target or None,
            source=indicator,
            money=False,
        )
    return _headline(budget_year, anchor)


def _value(figure):
    if figure.unclear:
        return _("unclear (printed in a column that cannot be told for sure)")
    if figure.value is None or figure.value == "":
        return _("not printed")
    if figure.money:
        return _("%(amount)s (10,000 yuan)") % {"amount": format_amount(figure.value)}
    return str(figure.value)


def sentence(budget_year, figure, url, retrieved):
    """The citation in the active language."""
    document = budget_year.source_document.original_name
    where = printed_at(figure.source)
    text = _(
        "%(department)s, %(disclosure)s %(year)s: %(figure)s %(value)s. Printed in %(document)s. "
        "%(url)s (retrieved %(date)s)."
    ) % {
        "department": budget_year.department.name,
        "disclosure": charts.disclosure_name(budget_year),
        "year": budget_year.year,
        "figure": figure.label_text(),
        "value": _value(figure),
        "document": _("%(document)s, %(where)s") % {"document": document, "where": where}
        if where
        else document,
        "url": url,
        "date": date_format(retrieved, pgettext("date of a citation", "j F Y")),
    }
    if figure.needs_checking:
        text += " " + _("This figure needs checking: a check of the document's own figures contradicts it.")
    return text


def citation(request, budget_year, anchor):
    """{"zh": …, "en": …, "permalink": …} for the figure at `anchor`; None where there is none."""
    figure = figure_at(budget_year, anchor)
    if figure is None:
        return None
    # Readable in an article: 高邑县, not %E9%AB%98…; browsers and word processors take it as it is.
    url = uri_to_iri(request.build_absolute_uri(anchors.permalink(budget_year, anchor)))
    retrieved = timezone.localdate()
    found = {"permalink": url}
    # A figure changed by hand is not what its table prints: the citation says so (budgets.corrections).
    fixed = corrections.for_figure(budget_year, anchor)
    for key, code in LANGUAGES.items():
        with translation.override(code):
            found[key] = sentence(budget_year, figure, url, retrieved) + corrections.cited(fixed)
    return found


def cite(request, pk, anchor):
    budget_year = get_object_or_404(BudgetYear.objects.with_place().select_related("three_costs"), pk=pk)
    found = citation(request, budget_year, anchor)
    if found is None:
        raise Http404(_("No such figure on this page."))
    return JsonResponse(found, json_dumps_params={"ensure_ascii": False})
