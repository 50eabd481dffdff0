"""Findings in the reader's language: one template per check, filled with the finding's figures.

Validation (ingest.validation) gives every finding `params`: the figures and labels its message
needs, exactly as the document prints them. `render(check, params)` writes the message in the
active language. The parsed JSON's `message` is the same template rendered in Chinese (the
document's language), so the JSON contract keeps a message and the pages, the admin and the
upload preview render the finding again for whoever reads it. A finding without params (saved
before they existed) or of a check not named here reads as its stored message.

What the document prints (amounts, table and section titles, row labels) is quoted as printed,
in any language; what the site names (the figures, the table columns, the units) is named here
in both. Pure functions of plain dicts: the parser and the pages share them.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

# The language of the JSON's `message`: the document's own.
MESSAGE_LANGUAGE = "zh-hans"

# The figures a finding names, by their path in the parsed JSON (`totals.income`); in Chinese
# the words the disclosures print.
FIGURE_NAMES = {
    "totals.income": pgettext_lazy("figure named in a finding", "income total"),
    "totals.expenditure": pgettext_lazy("figure named in a finding", "expenditure total"),
    "totals.general_budget_income": pgettext_lazy(
        "figure named in a finding", "general public budget appropriation income"
    ),
    "totals.basic": pgettext_lazy("figure named in a finding", "basic expenditure"),
    "totals.personnel": pgettext_lazy("figure named in a finding", "personnel costs"),
    "totals.public": pgettext_lazy("figure named in a finding", "public costs"),
    "totals.project": pgettext_lazy("figure named in a finding", "project expenditure"),
    "totals.operating": pgettext_lazy("figure named in a finding", "office running costs"),
    "totals.business": pgettext_lazy("figure named in a finding", "business expenditure"),
    "totals.to_superior": pgettext_lazy("figure named in a finding", "payments to the superior unit"),
    "totals.to_subsidiary": pgettext_lazy("figure named in a finding", "grants to subsidiary units"),
    "totals.reserve": pgettext_lazy("figure named in a finding", "reserve of the unit"),
    "totals.fiscal_total": pgettext_lazy(
        "figure named in a finding", "fiscal appropriation income and expenditure total"
    ),
    "totals.general_budget_expenditure": pgettext_lazy(
        "figure named in a finding", "general public budget appropriation expenditure"
    ),
    "totals.fund_expenditure": pgettext_lazy(
        "figure named in a finding", "government fund appropriation expenditure"
    ),
    "totals.state_capital_expenditure": pgettext_lazy(
        "figure named in a finding", "state capital operations budget appropriation expenditure"
    ),
    "three_costs.total": pgettext_lazy("figure named in a finding", "three public costs"),
    "three_costs.overseas": pgettext_lazy("figure named in a finding", "overseas trips"),
    "three_costs.vehicle": pgettext_lazy(
        "figure named in a finding", "official cars (purchase and operation)"
    ),
    "three_costs.vehicle_purchase": pgettext_lazy("figure named in a finding", "car purchase"),
    "three_costs.vehicle_operation": pgettext_lazy("figure named in a finding", "car operation"),
    "three_costs.reception": pgettext_lazy("figure named in a finding", "receptions"),
    "assets.fixed_assets_total": pgettext_lazy("figure named in a finding", "fixed assets"),
    "assets.vehicles_count": pgettext_lazy("figure named in a finding", "vehicles"),
    "assets.vehicles_value": pgettext_lazy("figure named in a finding", "value of vehicles"),
    "procurement.total": pgettext_lazy("figure named in a finding", "government procurement"),
    "staffing.authorized": pgettext_lazy("figure named in a finding", "authorised staff"),
    "staffing.in_service": pgettext_lazy("figure named in a finding", "staff in service"),
    "staffing.retired": pgettext_lazy("figure named in a finding", "retired staff"),
}
# The amount columns of a table row, as a finding names them.
COLUMN_NAMES = {
    "amount": pgettext_lazy("table column named in a finding", "total"),
    "basic": pgettext_lazy("table column named in a finding", "basic expenditure"),
    "project": pgettext_lazy("table column named in a finding", "project expenditure"),
    "personnel": pgettext_lazy("table column named in a finding", "personnel costs"),
    "public": pgettext_lazy("table column named in a finding", "public costs"),
    "business": pgettext_lazy("table column named in a finding", "business expenditure"),
    "to_superior": pgettext_lazy("table column named in a finding", "payments to the superior unit"),
    "to_subsidiary": pgettext_lazy("table column named in a finding", "grants to subsidiary units"),
    "reserve": pgettext_lazy("table column named in a finding", "reserve of the unit"),
}
# A printed amount with its unit (tables state theirs once above the table: 万元 unless said).
UNITS = {
    "万元": pgettext_lazy("amount in a finding", "%(amount)s 万元"),
    "元": pgettext_lazy("amount in a finding", "%(amount)s yuan"),
}


@dataclass(frozen=True)
class Check:
    name: object  # what the check is called, for the admin's lists (lazy)
    template: object  # the message, with %(…)s for the pieces `fill` makes (lazy)
    fill: object  # params → {piece: text}


def figure_name(path: str) -> str:
    """`totals.income` → income total (收入总计); never the path itself."""
    block, _dot, key = path.partition(".")
    if key.endswith("_change"):
        named = figure_name(f"{block}.{key.removesuffix('_change')}")
        return pgettext("figure named in a finding", "change in %(figure)s on the previous year") % {
            "figure": named
        }
    if block == "three_costs_budget":
        named = figure_name(f"three_costs.{key}")
        return pgettext("figure named in a finding", "%(figure)s budgeted") % {"figure": named}
    return str(FIGURE_NAMES.get(path) or pgettext("figure named in a finding", "a figure"))


def amount(value, unit: str = "万元") -> str:
    """`1135000` with its unit: 1135000万元, or 1135000 万元 in English."""
    template = UNITS.get(unit)
    return str(template) % {"amount": value} if template else f"{value}{unit}"


def place(quoted: dict) -> str:
    """Where a quoted figure was printed: the page of a PDF, else the line of its table or section."""
    title = quoted.get("table") or quoted.get("section") or ""
    if quoted.get("page"):
        return pgettext("where a finding's figure was printed", "(%(place)s, page %(page)s)") % {
            "place": title,
            "page": quoted["page"],
        }
    if quoted.get("line"):
        return pgettext("where a finding's figure was printed", "(%(place)s, line %(line)s)") % {
            "place": title,
            "line": quoted["line"],
        }
    if title:
        return pgettext("where a finding's figure was printed", "(%(place)s)") % {"place": title}
    return ""


def _placed(text: str, quoted: dict) -> str:
    where = place(quoted)
    if not where:
        return text
    return pgettext("a figure quoted in a finding", "%(amount)s %(where)s") % {"amount": text, "where": where}


def quote(quoted: dict) -> str:
    """A printed figure with its unit and where it was printed: 113.50万元（…表，第1733行）."""
    return _placed(amount(quoted["amount"], quoted.get("unit", "万元")), quoted)


def named(quoted: dict) -> str:
    """A figure's name and its quote: 基本支出 336.30万元（…）."""
    return f"{figure_name(quoted['figure'])} {quote(quoted)}"


def change(quoted: dict) -> str:
    """A printed change on the previous year, by its sign: 增加1421.25万元（…）, a rise of …"""
    value = Decimal(quoted["amount"])
    if value > 0:
        text = pgettext("a change in a finding", "a rise of %(amount)s")
    elif value < 0:
        text = pgettext("a change in a finding", "a fall of %(amount)s")
    else:
        text = pgettext("a change in a finding", "no change")
    return _placed(text % {"amount": amount(format(abs(value), "f"), quoted.get("unit", "万元"))}, quoted)


def column(key: str) -> str:
    return str(COLUMN_NAMES.get(key) or pgettext("table column named in a finding", "a column"))


def empty(value) -> str:
    """A cell as printed, or (empty) where it prints nothing."""
    return value if value not in (None, "") else pgettext("a cell in a finding", "(empty)")


def plus(pieces) -> str:
    return " + ".join(pieces)


def _differ(p):
    return {
        "income": quote(p["income"]),
        "expenditure": quote(p["expenditure"]),
        "difference": amount(p["difference"]),
    }


def _spending(p):
    return {"whole": quote(p["whole"]), "parts": plus(named(x) for x in p["parts"]), "sum": amount(p["sum"])}


def _sum(p):
    return {"whole": named(p["whole"]), "parts": plus(named(x) for x in p["parts"]), "sum": amount(p["sum"])}


def _exceeds(p):
    return {"part": named(p["part"]), "expenditure": quote(p["expenditure"])}


def _negative_prior(p):
    return {"figure": named(p["figure"]), "change": change(p["change"]), "prior": amount(p["prior"])}


def _row_sum(p):
    return {
        "table": p["table"],
        "row": p["row"],
        "column": column(p["column"]),
        "value": empty(p.get("value")),
        "parts": plus(p["parts"]),
        "sum": p["sum"],
    }


def _row_parts(p):
    return {
        "table": p["table"],
        "row": p["row"],
        "amount": p["amount"],
        "parts": plus(f"{column(x['column'])} {empty(x.get('value'))}" for x in p["parts"]),
    }


def _two_printings(p):
    return {"figure": figure_name(p["figure"]), "first": quote(p["first"]), "other": quote(p["other"])}


def _text_and_table(p):
    return {
        "figure": figure_name(p["figure"]),
        "text": quote(p["text"]),
        "table": quote(p["table"]),
        "power": p.get("power", ""),
    }


SUM_TEMPLATE = pgettext_lazy("finding", "%(whole)s does not equal %(parts)s = %(sum)s")
ROW_SUM_TEMPLATE = pgettext_lazy(
    "finding",
    "%(table)s: the %(column)s of %(row)s, %(value)s, does not equal the sum of the rows under it, "
    "%(parts)s = %(sum)s",
)

CHECKS = {
    "income_equals_expenditure": Check(
        gettext_lazy("income total equals expenditure total"),
        pgettext_lazy(
            "finding",
            "income total %(income)s and expenditure total %(expenditure)s differ by %(difference)s",
        ),
        _differ,
    ),
    "basic_plus_project_equals_expenditure": Check(
        gettext_lazy("basic plus project expenditure equals spending"),
        pgettext_lazy("finding", "spending %(whole)s does not equal %(parts)s = %(sum)s"),
        _spending,
    ),
    "personnel_plus_public_equals_basic": Check(
        gettext_lazy("personnel plus public costs equal basic expenditure"), SUM_TEMPLATE, _sum
    ),
    "three_costs_parts_equal_total": Check(
        gettext_lazy("the three public costs add up to their total"), SUM_TEMPLATE, _sum
    ),
    "vehicle_parts_equal_vehicle": Check(
        gettext_lazy("car purchase plus operation equal official cars"), SUM_TEMPLATE, _sum
    ),
    "part_exceeds_total": Check(
        gettext_lazy("no part exceeds the expenditure total"),
        pgettext_lazy(
            "finding", "%(part)s is more than the expenditure total %(expenditure)s: the unit may be wrong"
        ),
        _exceeds,
    ),
    "change_implies_negative_prior": Check(
        gettext_lazy("a change leaves the previous year at zero or more"),
        pgettext_lazy(
            "finding",
            "%(figure)s, %(change)s on the previous year: the previous year's figure would be %(prior)s, "
            "which cannot be below zero",
        ),
        _negative_prior,
    ),
    "class_equals_sum_of_codes": Check(
        gettext_lazy("a class equals the sum of its codes"), ROW_SUM_TEMPLATE, _row_sum
    ),
    "total_equals_sum_of_classes": Check(
        gettext_lazy("a total row equals the sum of its classes"), ROW_SUM_TEMPLATE, _row_sum
    ),
    "row_parts_equal_amount": Check(
        gettext_lazy("a row's total equals its parts"),
        pgettext_lazy("finding", "%(table)s: the total of %(row)s, %(amount)s, does not equal %(parts)s"),
        _row_parts,
    ),
    "tables_agree": Check(
        gettext_lazy("tables printing the same figure agree"),
        pgettext_lazy("finding", "%(figure)s: %(first)s and %(other)s disagree"),
        _two_printings,
    ),
    "unit_mismatch": Check(
        gettext_lazy("the text and the tables use the same unit"),
        pgettext_lazy(
            "finding",
            "%(figure)s: the text says %(text)s, the table %(table)s, a factor of %(power)s apart: "
            "a unit is wrong",
        ),
        _text_and_table,
    ),
    "prose_rounds_table": Check(
        gettext_lazy("the text rounds a table's figure"),
        pgettext_lazy("finding", "%(figure)s: the text says %(text)s, the table %(table)s (rounded)"),
        _text_and_table,
    ),
    "prose_agrees_with_tables": Check(
        gettext_lazy("the text agrees with the tables"),
        pgettext_lazy("finding", "%(figure)s: the text says %(text)s, the table %(table)s: they disagree"),
        _text_and_table,
    ),
}


def render(check: str, params: dict | None, message: str = "") -> str:
    """The finding's message in the active language; the stored `message` where the finding
    has no params or its check is not one of CHECKS (or its params are not what it needs)."""
    rule = CHECKS.get(check)
    if rule is None or not params:
        return message
    try:
        return capfirst(str(rule.template) % rule.fill(params))
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return message


def message(check: str, params: dict) -> str:
    """The JSON's `message`: the finding rendered in the document's language."""
    with translation.override(MESSAGE_LANGUAGE):
        return render(check, params)


def check_name(check: str) -> str:
    """What a check is called, for a person: never its identifier."""
    rule = CHECKS.get(check)
    return str(rule.name) if rule else _("another check")
