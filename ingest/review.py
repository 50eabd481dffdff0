"""What the upload preview tells the administrator about a parse, in words a person reads:
which figures need checking and the finding that says why, which expected parts of the
document were not read, and whether anything stands in the way of taking the figures as read.

Works on the parsed-disclosure JSON alone (docs/disclosure-json.md), as the preview shows a
parse before anything is saved. The parser's keys (`summary`, `three_costs.total`) are never
shown: each is named here, in English with the Chinese in `locale/`.
"""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from budgets.models import BudgetYear, ThreeCosts
from ingest.vocabulary.tables import TABLE_KIND_NAMES

# Every kind of table the parser tells apart (ingest.vocabulary.tables.TABLE_TITLES); the
# Chinese of each is the name the vocabulary gives it, so a reader finds it by that name.
TABLE_NAMES = {
    "summary": pgettext_lazy("table kind", "income and expenditure summary table"),
    "income": pgettext_lazy("table kind", "income table"),
    "expenditure": pgettext_lazy("table kind", "expenditure table"),
    "fiscal_summary": pgettext_lazy("table kind", "fiscal appropriation summary table"),
    "general_budget": pgettext_lazy("table kind", "general public budget expenditure table"),
    "fund": pgettext_lazy("table kind", "government fund budget expenditure table"),
    "state_capital": pgettext_lazy("table kind", "state capital operations budget expenditure table"),
    "basic": pgettext_lazy("table kind", "basic expenditure table"),
    "project": pgettext_lazy("table kind", "project expenditure table"),
    "personnel": pgettext_lazy("table kind", "personnel costs table"),
    "public": pgettext_lazy("table kind", "public costs table"),
    "three_costs": pgettext_lazy("table kind", "three public costs table"),
    "non_tax": pgettext_lazy("table kind", "non-tax income table"),
    "staffing": pgettext_lazy("table kind", "basic information table (staff)"),
}
# The explanation sections the parser looks for (ingest.vocabulary.tables.EXPECTED_SECTIONS),
# by their Chinese headings, which are also the names the parser reports.
SECTION_NAMES = {
    "部门职责及机构设置": pgettext_lazy("explanation section", "duties and organisation of the department"),
    "预算安排总体情况": pgettext_lazy("explanation section", "overview of the budget"),
    "机关运行经费": pgettext_lazy("explanation section", "office running costs"),
    "三公经费": pgettext_lazy("explanation section", "three public costs"),
    "绩效信息": pgettext_lazy("explanation section", "performance information"),
    "政府采购": pgettext_lazy("explanation section", "government procurement"),
    "国有资产": pgettext_lazy("explanation section", "state-owned assets"),
    "名词解释": pgettext_lazy("explanation section", "glossary"),
}
# What a disclosure is: the JSON's `kind` and `level`.
DOCUMENT_KINDS = {
    "budget": pgettext_lazy("disclosure kind", "budget (预算)"),
    "final_accounts": pgettext_lazy("disclosure kind", "final accounts (决算)"),
}
DOCUMENT_LEVELS = {
    "department": pgettext_lazy("disclosure level", "department (部门)"),
    "unit": pgettext_lazy("disclosure level", "unit (单位)"),
}
IDENTITY_NAMES = {
    "county": gettext_lazy("county"),
    "department": gettext_lazy("department"),
    "year": gettext_lazy("year"),
}
UNREAD_HEADINGS = {
    "identity": gettext_lazy("What the document is, not read from its title"),
    "table": gettext_lazy("Standard tables not found"),
    "section": gettext_lazy("Explanation sections not found"),
}
# Where the model fields of each block of figures live, for their labels.
FIGURE_FIELDS = {
    "totals": (BudgetYear, "{}"),
    "three_costs": (ThreeCosts, "{}"),
    "three_costs_budget": (ThreeCosts, "budgeted_{}"),
    "assets": (BudgetYear, "{}"),
}


@dataclass
class Part:
    """An expected part of a disclosure by name: in the reader's language, and as the
    document prints it where that differs (English gets the Chinese beside)."""

    name: str
    printed: str = ""

    def __str__(self):
        return f"{self.name} ({self.printed})" if self.printed and self.printed != self.name else self.name


@dataclass
class Verdict:
    """What the preview says first: the errors, the figures they cast doubt on, what was not read."""

    errors: int
    needs_checking: list = field(default_factory=list)  # labels of the figures
    unread: list = field(default_factory=list)  # Parts
    findings: int = 0

    @property
    def clean(self):
        return not self.errors and not self.unread


def table_name(kind: str) -> Part:
    printed = TABLE_KIND_NAMES.get(kind, "")
    name = TABLE_NAMES.get(kind)
    return Part(str(name) if name else printed or _("a table of a kind the site does not name"), printed)


def unread_part(item: dict) -> Part:
    """One entry of the parse's `unread` list ({"kind", "name"}) in words."""
    kind, name = item.get("kind"), item.get("name") or ""
    if kind == "table":
        return table_name(name)
    if kind == "section":
        return Part(str(SECTION_NAMES.get(name, name)), name)
    if kind == "identity":
        return Part(str(IDENTITY_NAMES.get(name, _("part of the title"))))
    return Part(name)


def unread_groups(unread: list[dict]) -> list[tuple[str, list[Part]]]:
    """[(heading, [Part])]: what was not read, grouped as the preview lists it."""
    groups: dict[str, list[Part]] = {}
    for item in unread:
        heading = str(UNREAD_HEADINGS.get(item.get("kind"), _("Other parts not read")))
        groups.setdefault(heading, []).append(unread_part(item))
    return list(groups.items())


def figure_label(path: str) -> str:
    """`three_costs.total` → the label the pages give the figure (three public costs)."""
    block, _dot, key = path.partition(".")
    model, name = FIGURE_FIELDS.get(block, (None, ""))
    try:
        return str(model._meta.get_field(name.format(key)).verbose_name) if model else _("a headline figure")
    except FieldDoesNotExist:
        return _("a headline figure")


def figure_rows(block: str, keys, parsed: dict) -> list[dict]:
    """The preview's rows of one block of figures: label, value and, for a figure that needs
    checking, the number of the first error finding about it (the findings table's row)."""
    values = parsed.get(block) or {}
    doubted = set(parsed.get("needs_checking") or ())
    findings = parsed.get("findings") or []
    rows = []
    for key in keys:
        path = f"{block}.{key}"
        rows.append(
            {
                "label": figure_label(path),
                "value": values.get(key),
                "needs_checking": path in doubted,
                "finding": next(
                    (
                        number
                        for number, f in enumerate(findings, 1)
                        if f.get("severity") == "error" and path in (f.get("figures") or ())
                    ),
                    None,
                ),
            }
        )
    return rows


def verdict(parsed: dict) -> Verdict:
    findings = parsed.get("findings") or []
    return Verdict(
        errors=sum(1 for f in findings if f.get("severity") == "error"),
        needs_checking=[figure_label(path) for path in parsed.get("needs_checking") or ()],
        unread=[unread_part(item) for item in parsed.get("unread") or ()],
        findings=len(findings),
    )
