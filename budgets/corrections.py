"""Figures changed by hand, in the open: what a save in the admin changed of the figures read
from a document becomes a Correction (old and new value, who, when, why), which the budget-year
page shows beside the figure and the lists' exports mark as `corrected`.

A figure is what the document printed and the site shows as such: the headline figures, the
three public costs, a line item's amounts, an indicator's target and grades. Names, codes and
identities are not figures; the admin's own history (LogEntry) keeps their changes.

The public page says a figure was corrected by the site's editors, not by whom: the site answers
for its figures, the admin names the person.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from budgets import anchors
from budgets.exports import plain_decimal
from budgets.models import BUDGETED_KEYS, BudgetYear, Correction, LineItem, PerformanceIndicator, ThreeCosts
from budgets.templatetags.budget_format import format_amount
from budgets.templatetags.figure_anchors import ASSET_PATHS
from ingest.result import THREE_COST_KEYS, TOTAL_KEYS

Subject = Correction.Subject
SUBJECTS = {
    BudgetYear: Subject.BUDGET_YEAR,
    ThreeCosts: Subject.THREE_COSTS,
    LineItem: Subject.LINE_ITEM,
    PerformanceIndicator: Subject.INDICATOR,
}
MODELS = {subject: model for model, subject in SUBJECTS.items()}
# The fields of each model that are figures: a change to one needs a reason and is recorded.
FIGURES = {
    BudgetYear: (*TOTAL_KEYS, *ASSET_PATHS),
    ThreeCosts: (*THREE_COST_KEYS, *(f"budgeted_{key}" for key in BUDGETED_KEYS)),
    LineItem: ("amount", "basic", "project"),
    PerformanceIndicator: (
        "target",
        "comparator",
        "number",
        "unit",
        "grade_excellent",
        "grade_good",
        "grade_fair",
        "grade_poor",
    ),
}
# The field of the admin's forms that says why the figures change.
REASON = "correction_reason"


def as_text(value) -> str:
    """A figure as the history keeps it: an amount's exact digits (1.51), a count, a text; ""
    for none."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain_decimal(value)
    return str(value).strip()


def changes(form) -> list[tuple[str, str, str]]:
    """(field, old, new) for each figure a bound, valid or validating, admin form changes."""
    figures = FIGURES.get(form._meta.model, ())
    found = []
    for name in form.changed_data:
        if name not in figures or name not in form.cleaned_data:
            continue
        old = as_text(form.get_initial_for_field(form.fields[name], name))
        new = as_text(form.cleaned_data[name])
        if old != new:
            found.append((name, old, new))
    return found


def settle(instance, changed) -> None:
    """Before saving: a line item's figure set by hand is no longer one printed in a column that
    cannot be told (LineItem.uncertain), or the page would go on showing it as unclear."""
    if isinstance(instance, LineItem) and instance.uncertain:
        corrected = {name for name, _old, _new in changed}
        instance.uncertain = [name for name in instance.uncertain if name not in corrected]


def record(instance, changed, user, reason) -> list[Correction]:
    """The corrections of one saved row's figures."""
    if not changed:
        return []
    subject = SUBJECTS[type(instance)]
    budget_year = instance if subject == Subject.BUDGET_YEAR else instance.budget_year
    row = str(instance) if subject in (Subject.LINE_ITEM, Subject.INDICATOR) else ""
    return Correction.objects.bulk_create(
        Correction(
            budget_year=budget_year,
            subject=subject,
            object_id=instance.pk,
            field=name,
            row=row,
            old_value=old,
            new_value=new,
            reason=reason.strip(),
            user=user,
        )
        for name, old, new in changed
    )


def corrected(subject):
    """Whether a list row has a corrected figure, as an expression of its queryset, so that an
    export run in the database writes it too. The row is of `subject`; a correction counts while
    its budget year is the row's (it outlives a disclosure removed, not onto its successor)."""
    year = "pk" if subject == Subject.BUDGET_YEAR else "budget_year"
    return Exists(
        Correction.objects.filter(subject=subject, object_id=OuterRef("pk"), budget_year=OuterRef(year))
    )


def any_for_year():
    """Whether a budget year has any correction: annotated on the page's one query for it, so a
    year without (nearly all) reads no corrections."""
    return Exists(Correction.objects.filter(budget_year=OuterRef("pk")))


# --- the budget-year page ------------------------------------------------------------------


def _anchor(correction) -> str:
    subject, field = correction.subject, correction.field
    if subject == Subject.LINE_ITEM:
        return anchors.line_item_anchor(correction.object_id)
    if subject == Subject.INDICATOR:
        return anchors.indicator_anchor(correction.object_id)
    if subject == Subject.THREE_COSTS:
        key = field.removeprefix("budgeted_")
        return anchors.figure_anchor(f"three_costs.{'total' if key == 'total_change' else key}")
    return anchors.figure_anchor(ASSET_PATHS.get(field) or f"totals.{field}")


def _shown(correction, text) -> str:
    """An old or new value as the page prints it: an amount with its separators, a text quoted."""
    if not text:
        return "—"
    field = MODELS[correction.subject]._meta.get_field(correction.field)
    if field.get_internal_type() == "DecimalField" and field.decimal_places == 6:
        return format_amount(Decimal(text))
    if field.get_internal_type() in ("TextField", "CharField"):
        return f"“{text}”"
    return text


def label(correction) -> str:
    """What was corrected, as a person names it: Receptions; 30217 公务接待费 · amount."""
    field = MODELS[correction.subject]._meta.get_field(correction.field)
    name = capfirst(str(field.verbose_name))
    return f"{correction.row} · {name}" if correction.row else name


def entry(correction) -> dict:
    """One correction as the page lists it: what, old → new, when, why, and the figure's anchor."""
    return {
        "id": f"correction-{correction.pk}",
        "label": label(correction),
        "old": _shown(correction, correction.old_value),
        "new": _shown(correction, correction.new_value),
        "at": correction.at,
        "reason": correction.reason,
        "anchor": _anchor(correction),
    }


def attach(budget_year, ctx) -> None:
    """Put the year's corrections beside its figures in the page's context: `corrections` on each
    figure row (by column: value, budgeted, change), on each line item and indicator (by field),
    and the year's list as `corrections`. No query for a year without any (`has_corrections`)."""
    ctx["corrections"] = []
    if not getattr(budget_year, "has_corrections", True):
        return
    by_figure = defaultdict(list)
    for correction in budget_year.corrections.order_by("at", "pk"):
        shown = entry(correction)
        ctx["corrections"].append(shown)
        by_figure[(correction.subject, correction.object_id, correction.field)].append(shown)
    if not by_figure:
        return

    def of(subject, pk, field):
        return by_figure.get((subject, pk, field), [])

    for row in (*ctx["totals"], *ctx["assets"], *ctx["counts"]):
        row["corrections"] = {"value": of(Subject.BUDGET_YEAR, budget_year.pk, row["key"])}
    three_costs = ctx.get("three_costs")
    if three_costs is not None:
        for row in ctx["three_cost_rows"]:
            row["corrections"] = {
                "value": of(Subject.THREE_COSTS, three_costs.pk, row["key"]),
                "budgeted": of(Subject.THREE_COSTS, three_costs.pk, f"budgeted_{row['key']}"),
                "change": of(Subject.THREE_COSTS, three_costs.pk, f"{row['key']}_change"),
            }
    for item in (*ctx["functional"], *ctx["economic"], *ctx["projects"]):
        item.corrections = {name: of(Subject.LINE_ITEM, item.pk, name) for name in FIGURES[LineItem]}
    for _kind, _group, indicators in ctx["indicator_groups"]:
        for indicator in indicators:
            indicator.corrections = {
                name: of(Subject.INDICATOR, indicator.pk, name) for name in FIGURES[PerformanceIndicator]
            }


# --- pages that show a year's headline figures beside others' (department, comparison) ----------


def of_headlines(budget_years) -> dict:
    """The corrections of the headline figures (a BudgetYear's own and its three costs') of
    `budget_years`, each as the budget-year page lists it (`entry`) with `url`, its history on
    that page: (budget year id, subject, field) → entries, oldest first. One query; none where
    no year has a correction (`has_corrections`, any_for_year)."""
    by_id = {b.pk: b for b in budget_years if getattr(b, "has_corrections", True)}
    found = defaultdict(list)
    if not by_id:
        return found
    for correction in Correction.objects.filter(
        budget_year__in=by_id, subject__in=(Subject.BUDGET_YEAR, Subject.THREE_COSTS)
    ).order_by("at", "pk"):
        budget_year = by_id[correction.budget_year_id]
        own = (
            budget_year
            if correction.subject == Subject.BUDGET_YEAR
            else getattr(budget_year, "three_costs", None)
        )
        if own is None or correction.object_id != own.pk:
            continue  # a three-costs row since replaced: its correction is not of today's figure
        shown = entry(correction)
        shown["url"] = anchors.permalink(budget_year, shown["id"])
        found[(budget_year.pk, correction.subject, correction.field)].append(shown)
    return found


# --- a citation of a corrected figure --------------------------------------------------------


def for_figure(budget_year, anchor) -> list[Correction]:
    """The corrections of the figure a citation names by its page anchor (the figure itself: a
    line item's amount, an indicator's target, not the budgeted or change beside a figure)."""
    return [
        correction
        for correction in budget_year.corrections.order_by("at", "pk")
        if _anchor(correction) == anchor
        and correction.field in ("amount", "target", *FIGURES[BudgetYear], *THREE_COST_KEYS)
        and not correction.field.endswith("_change")
    ]


def cited(found) -> str:
    """What a citation adds about a corrected figure, in the active language: the document prints
    another value than the one cited, since when and why."""
    if not found:
        return ""
    first, last = found[0], found[-1]
    return " " + _(
        "Corrected by the site's editors on %(date)s: the document prints %(old)s. Why: %(reason)s"
    ) % {
        "date": date_format(localtime(last.at), "Y-m-d"),
        "old": _shown(first, first.old_value),
        "reason": last.reason,
    }
