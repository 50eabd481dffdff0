"""Figures a table prints: totals of the summary and detail tables, the 三公 costs and the
非税收入 plan. Each is a `Candidate` saying which table, line and page printed it."""

from dataclasses import replace
from decimal import Decimal

from ingest.result import Candidate
from ingest.tables.model import (
    BodyRow,
    Table,
    cell_amount,
    has_amount,
    is_amount,
    parse_code,
    row_name,
)
from ingest.text import MONEY_UNITS, bare_label
from ingest.vocabulary import tables as vocab


def _candidate(table: Table, row: BodyRow, value: Decimal, printed: str, rank: int = 0) -> Candidate:
    """A figure as one table row printed it; `printed` carries the unit where it is not 万元."""
    printed = printed.strip()
    if printed and table.unit in MONEY_UNITS and table.unit != "万元":
        printed += table.unit
    return Candidate(value, printed, table.source(row), rank, table.scope, table.level)


def _add(candidates: dict, key: str, candidate: Candidate) -> None:
    candidates.setdefault(key, []).append(candidate)


def summary_totals(table: Table, candidates: dict) -> None:
    """收支总表 figures: each label cell with the amount printed right after it."""
    keys = (
        vocab.SUMMARY_LABELS
        if table.kind == "summary"
        else {k: v for k, v in vocab.SUMMARY_LABELS.items() if k in vocab.FISCAL_SUMMARY_KEYS}
    )
    sides = _column_sides(table)
    for row in table.rows:
        for index, text in enumerate(row.cells[:-1]):
            following = row.cells[index + 1]
            if not text.strip() or is_amount(text) or not is_amount(following):
                continue
            label = bare_label(text)
            value = cell_amount(following, table.unit)
            side = sides[index] if index < len(sides) else None
            if label in vocab.SIDED_LABELS and side in keys:
                _add(candidates, side, _candidate(table, row, value, following, vocab.SIDED_LABELS[label]))
                continue
            if label == "总计" and table.kind == "fiscal_summary" and side == "income":
                _add(candidates, "fiscal_total", _candidate(table, row, value, following))
                continue
            for key, labels in keys.items():
                if label in labels:
                    _add(candidates, key, _candidate(table, row, value, following, rank=_rank(key, label)))


def _column_sides(table: Table) -> list[str | None]:
    """`income` or `expenditure` for each column under a 收入 or 支出 header, carried rightwards."""
    sides, side = [], None
    for stack in table.labels:
        side = next((vocab.SUMMARY_SIDES[t] for t in stack if t in vocab.SUMMARY_SIDES), side)
        sides.append(side)
    return sides


def _rank(key: str, label: str) -> int:
    """0 for a label naming the whole-year figure, 1 for a fallback (本年收入合计 beside 收入总计)."""
    fallbacks = {"income": {"收入合计", "本年收入合计"}, "expenditure": {"支出合计", "本年支出合计"}}
    return 1 if label in fallbacks.get(key, ()) else 0


def detail_totals(table: Table, candidates: dict) -> None:
    """Totals a detail table prints: its 合计 row by column, and labelled total rows."""
    columns = vocab.TOTAL_ROW_COLUMNS.get(table.kind, {})
    for row in table.rows:
        label = bare_label(row_name(table, row))
        if label in ("合计", "总计") and not parse_code(table.cell(row, "code")):
            for meaning, key in columns.items():
                value = table.value(row, meaning)
                if value is not None:
                    # A 合计 row counts this year's money only, like 本年支出合计 (no 结转和结余).
                    rank = 1 if key in ("expenditure", "income") else 0
                    _add(candidates, key, _candidate(table, row, value, table.cell(row, meaning), rank))
            continue
        for key, labels in vocab.DETAIL_TOTAL_LABELS.items():
            value = table.value(row, "amount")
            if label in labels and value is not None:
                _add(candidates, key, _candidate(table, row, value, table.cell(row, "amount")))


def three_cost_figures(table: Table, candidates: dict, budgeted: dict) -> None:
    """三公 figures from a 三公 table, whether it lists the costs as rows or as columns. Where
    the table prints 预算数 beside 决算数 (final accounts), the 决算数 go to `candidates` and the
    预算数 to `budgeted`.

    A row that is printed with an empty amount counts as 0: the table says there is none. A
    table that also lists 会议费 and 培训费 prints a 合计 of all five, which is not the 三公
    total: only a total labelled as the 三公 one is taken there.
    """
    columns = _three_cost_columns(table)
    if columns:
        _three_costs_by_column(table, columns, {"amount": candidates, "budgeted": budgeted})
        return
    rows = [(row, three_cost_key(bare_label(row_name(table, row)))) for row in table.rows]
    lists_others = any(key in _NOT_THREE_COSTS for _row, key in rows)
    for row, key in rows:
        if key is None:
            continue
        label = bare_label(row_name(table, row))
        if lists_others and key == "total" and label in _GENERIC_TOTALS:
            continue
        rank = vocab.THREE_COST_LABELS[key].index(label)
        for meaning, found in (("amount", candidates), ("budgeted", budgeted)):
            if meaning == "budgeted" and meaning not in table.columns:
                continue
            printed = table.cell(row, meaning) if meaning in table.columns else _first_amount(row)
            value = cell_amount(printed, table.unit) if printed else Decimal(0)
            _add(found, key, _candidate(table, row, value, printed, rank=rank))


# Rows and columns of a 三公 table that are not among the three costs, and the total labels
# that do not say whose total they are.
_NOT_THREE_COSTS = {"meeting", "training"}


_NOT_THREE_COSTS = {"meeting", "training"}
_GENERIC_TOTALS = {"合计", "小计"}


def _first_amount(row: BodyRow) -> str:
    return next((c for c in row.cells if is_amount(c)), "")


def _three_cost_columns(table: Table) -> dict[int, tuple[str, str]]:
    """Column index → (三公 key, `amount` or `budgeted`) where the costs head the columns (one
    row of amounts below). A 预算数 column is `budgeted` where 决算数 columns stand beside it."""
    sub_labels = {
        "购置费": "vehicle_purchase",
        "运行费": "vehicle_operation",
        "运行维护费": "vehicle_operation",
    }
    prints_actual = any(stack and vocab.ACTUAL_COLUMN.match(stack[-1]) for stack in table.labels)
    found: dict[int, tuple[str, str]] = {}
    for index, stack in enumerate(table.labels):
        stage = "amount"
        if stack and (vocab.ACTUAL_COLUMN.match(stack[-1]) or vocab.BUDGETED_COLUMN.match(stack[-1])):
            stage = "budgeted" if prints_actual and vocab.BUDGETED_COLUMN.match(stack[-1]) else "amount"
            stack = stack[:-1]
        keys = [three_cost_key(bare_label(text)) for text in reversed(stack)]
        key = next((k for k in keys if k), None)
        if stack and stack[-1] in sub_labels and "vehicle" in keys:
            key = sub_labels[stack[-1]]
        elif stack and stack[-1] in _GENERIC_TOTALS and len(stack) > 1:
            key = next((k for k in keys[1:] if k), key)
        if key:
            found[index] = (key, stage)
    if any(key in _NOT_THREE_COSTS for key, _stage in found.values()):
        found = {
            i: (key, stage)
            for i, (key, stage) in found.items()
            if not (key == "total" and _generic_total(table.labels[i]))
        }
    parts = [key for key, _stage in found.values() if key not in ("total", *_NOT_THREE_COSTS)]
    if len(set(found.values())) < len(found):
        # One figure under two columns: the header's labels could not be placed for sure (text
        # that lost the positions of merged cells), so no column is taken as any figure.
        return {}
    return found if len(parts) >= 2 else {}


def _generic_total(stack: list[str]) -> bool:
    """A total column headed 合计 or 小计 with nothing above it naming the 三公 costs."""
    return not any(three_cost_key(bare_label(t)) == "total" and t not in _GENERIC_TOTALS for t in stack)


def three_cost_key(label: str) -> str | None:
    return next((key for key, labels in vocab.THREE_COST_LABELS.items() if label in labels), None)


def _three_costs_by_column(table: Table, columns: dict, found: dict) -> None:
    row = next((r for r in table.rows if has_amount(r.cells, table)), None)
    if row is None:
        return
    for index, (key, stage) in columns.items():
        printed = row.cells[index] if index < len(row.cells) else ""
        value = cell_amount(printed, table.unit) if printed.strip() else Decimal(0)
        _add(found[stage], key, _candidate(table, row, value, printed))


def derived_three_costs_total(candidates: dict) -> None:
    """Where no table printed the 三公 total but every part, the total is their sum, marked
    `derived` with the parts it adds (the document did not print it)."""
    if candidates.get("total"):
        return
    parts = [candidates.get(key) for key in ("overseas", "vehicle", "reception")]
    if not all(parts):
        return
    firsts = [part[0] for part in parts]
    total = replace(
        firsts[0],
        value=sum((p.value for p in firsts), Decimal(0)),
        printed=" + ".join(p.printed or "0" for p in firsts),
        derived=True,
    )
    candidates["total"] = [total]


def non_tax_income(tables: list[Table]) -> list[dict]:
    """Rows of a 非税收入 plan: income code, name and amount."""
    items = []
    for table in (t for t in tables if t.kind == "non_tax"):
        code_index = next((i for i, s in enumerate(table.labels) if any("编码" in t for t in s)), None)
        for row in table.rows:
            name = row_name(table, row)
            value = table.value(row, "amount")
            if value is None or vocab.TOTAL_ROW.search(bare_label(name)):
                continue
            code = (
                row.cells[code_index].strip()
                if code_index is not None and code_index < len(row.cells)
                else ""
            )
            items.append(
                {
                    "code": code or None,
                    "name": name,
                    "amount": value,
                    "source": table.source(row),
                }
            )
    return items


def preference(candidate: Candidate) -> tuple:
    """Best figure first: whole-year label, department level, all money, summary tables before details."""
    return (candidate.rank, candidate.level != "department", candidate.scope != "all")
