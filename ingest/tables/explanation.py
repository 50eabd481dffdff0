"""The small tables of the explanation sections, wherever they stand: 固定资产占用情况表 (assets),
部门基本情况表 (staff: 编制 / 在职 / 离退, with their sub-columns), 政府采购预算 (procurement).
Each is found by its header row's words and read up to the next heading; its figures are
`Candidate`s like every other table figure. This is the one staffing reader.
"""

import re

from ingest.amounts import is_amount, parse_amount
from ingest.bounds import too_many_digits
from ingest.document import Document, Paragraph, Row
from ingest.prose import heading_kind
from ingest.result import Candidate, Source
from ingest.text import money_unit, squash, to_ascii
from ingest.vocabulary import prose as words

_TOTAL_ROW = re.compile(r"^(?:合计|总计)$")
_TABLE_ROWS_MAX = 12


def explanation_table_figures(document: Document) -> dict:
    """{block: {key: Candidate}} from the small tables of the explanation: 固定资产占用情况表,
    部门基本情况表 (staff), 政府采购预算 — wherever their header row stands."""
    figures = {"assets": {}, "staffing": {}, "procurement": {}}
    for block, key, figure in _table_figures(document):
        figures[block].setdefault(key, figure)
    return figures


def _table_figures(document):
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if not isinstance(block, Row):
            continue
        cells = [squash(cell) for cell in block.cells]
        if any("采购金额" in c for c in cells):
            yield from _procurement_table(blocks, index)
        elif "数量" in cells and any(c.startswith(("价值", "金额")) for c in cells):
            yield from _assets_table(blocks, index, cells)
        elif any("编制" in c for c in cells) and any(re.search("在职|实有", c) for c in cells):
            yield from _staffing_table(blocks, index, cells)


def _assets_table(blocks, index, header):
    """固定资产占用情况表: 项目 / 数量 / 价值 columns under the header row at `index`."""
    title = _table_title(blocks, index)
    unit = _table_unit(blocks, index, header)
    quantity_at = next(i for i, c in enumerate(header) if "数量" in c)
    value_at = next(i for i, c in enumerate(header) if c.startswith(("价值", "金额")))
    for row in _rows_after(blocks, index):
        label = squash(row.filled[0]) if row.filled else ""
        if len(row.cells) >= len(header):
            printed = {"quantity": row.cell(quantity_at), "value": row.cell(value_at)}
        else:  # merged cells not printed: the figures are the last cells
            printed = {"quantity": row.cells[-2] if len(row.cells) > 2 else "", "value": row.cells[-1]}
        for pattern, keys in words.ASSET_ROWS:
            if not pattern.match(label):
                continue
            for column, key in keys.items():
                cell = printed[column].strip()
                if column == "quantity" and to_ascii(cell).isdecimal() and not too_many_digits(cell):
                    yield "assets", key, _table_figure(int(to_ascii(cell)), cell, title, row)
                elif column == "value" and is_amount(cell):
                    yield "assets", key, _table_figure(parse_amount(cell, unit), cell, title, row)


def _staffing_table(blocks, index, header):
    """部门基本情况表: 编制人数 / 在职人数 / 离退人数, each possibly split into sub-columns
    on the next row (行政 / 事业, 离休 / 退休) that the PDF printed unaligned."""
    rows = list(_rows_after(blocks, index))
    sub = rows[0] if rows and _is_subheader(rows[0]) else None
    groups = _column_groups(header, [squash(c) for c in sub.cells] if sub else None)
    data = [row for row in rows if row is not sub and row.filled]
    total = next((row for row in data if _TOTAL_ROW.match(squash(row.filled[0]))), data[0] if data else None)
    if groups is None or total is None:
        return
    title = _table_title(blocks, index)
    for key in ("vehicles_authorized", "authorized", "in_service", "retired"):
        cells = [total.cell(i).strip() for i, (k, _) in enumerate(groups) if k == key]
        subtotal = [
            total.cell(i).strip()
            for i, (k, sub_label) in enumerate(groups)
            if k == key and sub_label in ("合计", "小计")
        ]
        printed = [c for c in (subtotal or cells) if c]
        # isdecimal, not isdigit: a circled `9①` is a digit to Python but no number to int().
        if printed and all(to_ascii(c).isdecimal() and not too_many_digits(c) for c in printed):
            value = sum(int(to_ascii(c)) for c in printed)
            yield "staffing", key, _table_figure(value, "+".join(printed), title, total)


def _column_groups(header, sub):
    """(staffing key, sub-column label) for every column, or None when the sub-columns
    cannot be matched to the groups above them."""
    names = header
    if sub is None:
        return [(_staff_key(name), "") for name in names]
    first = next(i for i, label in enumerate(sub) if label)
    if len(sub) <= len(names):  # aligned: a group's name stands over its first sub-column
        groups, current = [], ""
        for i, name in enumerate(names):
            current = name or (current if i < len(sub) and sub[i] else "")
            groups.append((_staff_key(current), sub[i] if i < len(sub) else ""))
        return groups
    runs = _subcolumn_runs(sub[first:])
    group_names = [name for name in names[first:] if name]
    if len(runs) != len(group_names):
        return None
    groups = [(_staff_key(name), "") for name in names[:first]]
    for name, run in zip(group_names, runs, strict=True):
        groups.extend((_staff_key(name), label) for label in run)
    return groups


def _subcolumn_runs(labels):
    runs = []
    for label in labels:
        family = _family(label)
        if not runs or label in runs[-1] or family != _family(runs[-1][0]):
            runs.append([])
        runs[-1].append(label)
    return runs


def _family(label):
    return next((i for i, family in enumerate(words.STAFF_SUBCOLUMN_FAMILIES) if label in family), None)


def _staff_key(name):
    return next((key for pattern, key in words.STAFF_COLUMNS if re.search(pattern, name)), None)


def _is_subheader(row):
    labels = [squash(c) for c in row.filled]
    return bool(labels) and all(_family(label) is not None for label in labels)


def _procurement_table(blocks, index):
    """部门政府采购预算: the 合计 row's figure in the 合计/总计 column of 政府采购金额,
    where the PDF kept that column aligned."""
    rows = list(_rows_after(blocks, index))
    sub = next((row for row in rows if any(squash(c) in ("合计", "总计") for c in row.cells[1:])), None)
    total = next((row for row in rows if row.filled and _TOTAL_ROW.match(squash(row.filled[0]))), None)
    if sub is None or total is None:
        return
    column = next(i for i, c in enumerate(sub.cells) if i and squash(c) in ("合计", "总计"))
    cell = total.cell(column).strip()
    if is_amount(cell):
        unit = _table_unit(blocks, index, [squash(c) for c in blocks[index].cells])
        yield (
            "procurement",
            "total",
            _table_figure(parse_amount(cell, unit), cell, _table_title(blocks, index), total),
        )


def _rows_after(blocks, index):
    """The rows of the table whose header is at `index`, up to the next heading."""
    taken = 0
    for block in blocks[index + 1 :]:
        if isinstance(block, Paragraph):
            if heading_kind(block.text) is not None:
                return
            continue
        taken += 1
        if taken > _TABLE_ROWS_MAX:
            return
        yield block


def _table_title(blocks, index):
    """The nearest line before the header that ends in 表: the table's title."""
    for block in reversed(blocks[max(0, index - 8) : index]):
        text = block.text if isinstance(block, Paragraph) else " ".join(block.filled)
        if squash(text).endswith("表"):
            return squash(text)
    return ""


def _table_unit(blocks, index, header):
    """The unit the header cells or the lines above the table state; 万元 where none does."""
    above = blocks[max(0, index - 6) : index]
    texts = [b.text if isinstance(b, Paragraph) else " ".join(b.filled) for b in above]
    for text in [*header, *texts]:
        unit = money_unit(text)
        if unit:
            return unit
    return "万元"


def _table_figure(value, printed, title, row):
    return Candidate(value, printed, Source(table=title, line=row.line, page=row.page))
