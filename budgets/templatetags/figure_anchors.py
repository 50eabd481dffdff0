"""The ids the budget-year page gives its figures, line items and indicators, named by
budgets.anchors, so that a list row's permalink (budgets.links) lands on its row:
`{{ row.key|figure_id:"totals" }}`, `{{ item.pk|line_item_id }}`, `{{ indicator.pk|indicator_id }}`,
and a line item's level as the page names it, `{{ item|level_name }}`."""

from django import template

from budgets import anchors, levels

register = template.Library()

# The assets table's rows by their BudgetYear field, at the path of the parsed JSON they were
# read from (ingest.loader): their anchors follow the JSON, as every figure's does.
ASSET_PATHS = {
    "fixed_assets_total": "assets.fixed_assets_total",
    "vehicles_value": "assets.vehicles_value",
    "vehicles_count": "assets.vehicles_count",
    "procurement_total": "procurement.total",
    "staff_authorized": "staffing.authorized",
    "staff_in_service": "staffing.in_service",
    "staff_retired": "staffing.retired",
}


@register.filter
def figure_id(key, block=""):
    """totals + income → fig-totals-income; without a block, an assets-table row by its field."""
    return anchors.figure_anchor(f"{block}.{key}" if block else ASSET_PATHS[key])


@register.filter
def line_item_id(pk):
    return anchors.line_item_anchor(pk)


@register.filter
def indicator_id(pk):
    return anchors.indicator_anchor(pk)


@register.filter
def level_name(item):
    """1 · class (类) …, a row without a code its depth only (budgets.levels.name)."""
    return levels.name(item.level, coded=bool(item.code))
