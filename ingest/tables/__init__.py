"""The standard budget tables of a disclosure: found, joined across pages, and read.

`find_tables` cuts a Document's blocks into tables: a title paragraph (see `vocab.TABLE_TITLES`),
the lines printed above the table (department code, 预算年度, 单位), the column header rows and
the body rows. A table that runs over several pages repeats its page header and column header
rows; those repeats are dropped, and a row the PDF wrapped onto the next line (no 序号 or code,
only text in the name column) is joined to the row above.

`read_tables` turns the tables into figures: candidate totals and 三公 figures (each saying
which table and line printed it), the merged line items, staffing counts and the list of tables
for the admin preview. Column meanings come from the header text, never from positions.
"""

from ingest.document import Document
from ingest.result import json_value
from ingest.tables.explanation import explanation_table_figures
from ingest.tables.figures import (
    derived_three_costs_total,
    detail_totals,
    non_tax_income,
    preference,
    summary_totals,
    three_cost_figures,
)
from ingest.tables.items import line_items
from ingest.tables.kinds import UNKNOWN
from ingest.tables.model import Table
from ingest.tables.rows import table_rows
from ingest.tables.segment import find_tables, is_table_title, title_kind
from ingest.vocabulary import tables as vocab

__all__ = ["UNKNOWN", "Table", "find_tables", "is_table_title", "read_tables", "table_summary", "title_kind"]


def read_tables(document: Document) -> dict:
    """Everything the standard tables of `document` print.

    Returns {"tables": [Table], "totals": {key: [Candidate]}, "three_costs": {key: [Candidate]},
    "three_costs_budget": (the 预算数 a final-accounts 三公 table prints beside its 决算数),
    "assets", "staffing", "procurement": {key: Candidate} (the explanation's small tables),
    "line_items": [item], "non_tax_income": [item]}; candidates best first.
    """
    tables = find_tables(document)
    totals: dict[str, list] = {}
    three_costs: dict[str, list] = {}
    three_costs_budget: dict[str, list] = {}
    for table in tables:
        if table.kind in ("summary", "fiscal_summary"):
            summary_totals(table, totals)
        elif table.kind == "three_costs":
            three_cost_figures(table, three_costs, three_costs_budget)
        if table.kind in vocab.TOTAL_ROW_COLUMNS or table.kind == "basic":
            detail_totals(table, totals)
    for candidates in (*totals.values(), *three_costs.values(), *three_costs_budget.values()):
        candidates.sort(key=preference)
    derived_three_costs_total(three_costs)
    derived_three_costs_total(three_costs_budget)
    return {
        "tables": tables,
        "totals": totals,
        "three_costs": three_costs,
        "three_costs_budget": three_costs_budget,
        "line_items": line_items(tables),
        "non_tax_income": non_tax_income(tables),
        **explanation_table_figures(document),
    }


def table_summary(table: Table) -> dict:
    """What the admin preview lists for a table; classified tables also carry their rows."""
    summary = {
        "title": table.title,
        "kind": table.kind,
        "line": table.line,
        "unit": table.unit,
        "unit_printed": table.unit_printed,
        "level": table.level,
        "scope": table.scope,
        "stage": table.stage,
        "empty": table.empty,
        "notes": table.notes,
    }
    if table.page is not None:
        summary["page"] = table.page
    if table.kind in vocab.ROW_CLASSIFICATION or table.kind == "three_costs":
        summary["rows"] = json_value(table_rows(table))
    return summary
