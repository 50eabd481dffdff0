"""What a table is, from what its header and rows hold; its title is one clue among these."""

from ingest.tables.figures import three_cost_key
from ingest.tables.model import Table, row_name
from ingest.tables.rows import read_rows
from ingest.text import bare_label, squash
from ingest.vocabulary import tables as vocab

UNKNOWN = "table"


UNKNOWN = "table"
# Kinds whose rows are functional classes; a title naming one of them refines what the rows say.
_FUNCTIONAL_KINDS = {"income", "expenditure", "general_budget", "fund", "state_capital", "project"}


_FUNCTIONAL_KINDS = {"income", "expenditure", "general_budget", "fund", "state_capital", "project"}
_ECONOMIC_KINDS = {"basic", "personnel", "public"}


_ECONOMIC_KINDS = {"basic", "personnel", "public"}
_SUMMARY_KINDS = {"summary", "fiscal_summary"}


def classify(table: Table) -> str:
    """The standard table `table` is, from what its header and rows hold; the title is one clue
    among these: it decides only between kinds the content allows, or where the content is silent
    (a table published empty, a project list)."""
    codes = [r["code"] for r in read_rows(table) if r["code"]]
    economic = sum(1 for c in codes if c.startswith("3"))
    functional = len(codes) - economic
    if codes and economic * 2 > len(codes):
        return table.kind if table.kind in _ECONOMIC_KINDS else "basic"
    if codes and functional * 2 >= len(codes):
        return _functional_kind(table)
    if _names_three_costs(table):
        return "three_costs"
    if table.kind == UNKNOWN and _prints_summary_labels(table):
        return "fiscal_summary" if vocab.FISCAL_TITLE.search(table.header_words()) else "summary"
    return table.kind


def _functional_kind(table: Table) -> str:
    if table.kind in _FUNCTIONAL_KINDS:
        return table.kind
    words = table.header_words()
    if table.kind == UNKNOWN and not vocab.MONEY_WORDS.search(words):
        return UNKNOWN
    if any(vocab.INCOME_COLUMN.match(stack[-1]) for stack in table.labels if stack):
        return "income"
    return _funds_named(table) or "expenditure"


def _funds_named(table: Table) -> str | None:
    """fund, state_capital or general_budget where the title (else the header) names those funds."""
    for words in (squash(table.title), table.header_words()):
        kind = next((kind for kind, pattern in vocab.FUNDS_WORDS if pattern.search(words)), None)
        if kind:
            return kind
    return None


def _names_three_costs(table: Table) -> bool:
    """Two or more of 因公出国（境）费, 公务用车… and 公务接待费 head its columns or label its rows."""
    labels = {bare_label(t) for stack in table.labels for t in stack}
    labels |= {bare_label(row_name(table, row)) for row in table.rows}
    keys = {three_cost_key(label) for label in labels}
    return len(keys & {"overseas", "vehicle", "reception"}) >= 2


def _prints_summary_labels(table: Table) -> bool:
    """Label cells of both sides of a 收支总表 (收入总计 … 支出总计)."""
    labels = {bare_label(c) for row in table.rows for c in row.cells if c.strip()}
    return bool(labels & set(vocab.SUMMARY_LABELS["income"])) and bool(
        labels & set(vocab.SUMMARY_LABELS["expenditure"])
    )
