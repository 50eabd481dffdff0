"""Columns: header labels laid over the body, merged labels spread over the columns they
span, the meaning of each column from its header text (never its position), two-sided tables
split, short rows placed, rows a page wrapped joined again."""

from functools import lru_cache

from ingest.tables.model import BodyRow, Table, is_amount, is_column_number_row, parse_code
from ingest.text import squash, strip_numbering
from ingest.vocabulary import tables as vocab


def align_header(table: Table) -> None:
    """Place the cells of a header row printed with fewer cells than the body has columns.

    Word leaves merged header cells out (a `序号` spanning two header rows is printed once), so
    a short header row is laid over the body columns its labels suit: a code label over codes,
    a name label over text, an amount label over amounts, in order.
    """
    width = max(len(cells) for cells in [*table.header, *(r.cells for r in table.rows)])
    kinds = _body_column_kinds(table, width)
    aligned: list[tuple[str, ...]] = []
    # A column a leaf label above already heads (序号, 合计 merged downwards) takes no other label.
    taken: set[int] = set()
    for cells in table.header:
        if len(cells) < width and not is_column_number_row(cells):
            columns = [kind if index not in taken else "taken" for index, kind in enumerate(kinds)]
            placed = _place(cells, columns, _header_fit)
            row = [""] * width
            for cell_index, column in enumerate(placed):
                row[column] = cells[cell_index]
            cells = tuple(row)
        taken |= {i for i, cell in enumerate(cells) if header_meaning(cell)}
        aligned.append(cells)
    table.header = aligned


def _body_column_kinds(table: Table, width: int) -> list[str]:
    """What each column of the full-width body rows holds: code, serial, amount, text or empty."""
    full = [row.cells for row in table.rows if len(row.cells) == width]
    kinds = []
    for index in range(width):
        cells = [c.strip() for c in (cells[index] for cells in full) if c.strip()]
        if not cells:
            kinds.append("empty")
        elif sum(1 for c in cells if parse_code(c)) * 2 >= len(cells):
            kinds.append("code")
        elif all(c.isdigit() and len(c) <= 3 for c in cells):
            kinds.append("serial")
        elif sum(1 for c in cells if is_amount(c)) * 2 >= len(cells):
            kinds.append("amount")
        else:
            kinds.append("text")
    return kinds


@lru_cache(maxsize=4096)
def header_meaning(text: str) -> str | None:
    label = squash(text)
    if any(p.search(label) for patterns in vocab.CODE_COLUMN.values() for p in patterns):
        return "code"
    if any(p.search(label) for p in vocab.NAME_COLUMN):
        return "text"
    if vocab.SERIAL_COLUMN.match(label):
        return "serial"
    if any(p.match(label) for p in vocab.VALUE_COLUMNS.values()):
        return "amount"
    return None


# How well a header label suits a body column: (label meaning, column kind) → score.
_HEADER_FIT = {
    ("code", "code"): 3,
    ("text", "text"): 3,
    ("serial", "serial"): 2,
    ("amount", "amount"): 2,
    ("amount", "empty"): 1,
    ("text", "code"): -2,
    ("text", "amount"): -2,
    ("text", "serial"): -2,
    ("amount", "text"): -2,
}


def _header_fit(text: str, kind: str) -> float:
    if kind == "taken":
        return -100
    meaning = header_meaning(text)
    if meaning is None or kind == "empty" and meaning != "amount":
        return 0
    return _HEADER_FIT.get((meaning, kind), -1)


def read_columns(table: Table) -> None:
    """Name each column from the header text above it (deepest header row first)."""
    rows = [cells for cells in table.header if not is_column_number_row(cells)]
    width = max(len(cells) for cells in [*table.header, *(r.cells for r in table.rows)])
    spread = _spread_merged_labels(rows, width)
    table.labels = [[row[i] for row in spread if row[i]] for i in range(width)]
    classification = vocab.ROW_CLASSIFICATION.get(table.kind, "functional")
    columns: dict[str, int] = {}
    for pattern in vocab.CODE_COLUMN[classification]:
        index = _first_column(table.labels, lambda stack, p=pattern: any(p.search(t) for t in stack))
        if index is not None:
            columns["code"] = index
            break
    for pattern in vocab.NAME_COLUMN:
        index = _first_column(
            table.labels, lambda stack, p=pattern: any(p.search(t) for t in stack), skip=columns.values()
        )
        if index is not None:
            columns["name"] = index
            break
    serial = _first_column(table.labels, lambda stack: bool(stack) and vocab.SERIAL_COLUMN.match(stack[0]))
    if serial is not None:
        columns["serial"] = serial
    for meaning, pattern in vocab.VALUE_COLUMNS.items():
        index = _first_column(table.labels, lambda stack, p=pattern: bool(stack) and bool(p.match(stack[-1])))
        if index is not None:
            columns[meaning] = index
    actual = _first_column(
        table.labels, lambda stack: bool(stack) and bool(vocab.ACTUAL_COLUMN.match(stack[-1]))
    )
    budgeted = _first_column(
        table.labels, lambda stack: bool(stack) and bool(vocab.BUDGETED_COLUMN.match(stack[-1]))
    )
    if actual is not None and budgeted is not None:
        columns["amount"], columns["budgeted"] = actual, budgeted
    table.columns = columns


def _spread_merged_labels(rows: list[tuple[str, ...]], width: int) -> list[list[str]]:
    """Header rows (squashed) with each merged label repeated over the columns it spans.

    Readers put a merged cell's text in its first column only. A label spans the columns to
    its right that are blank in its row, sit under the same label one row up, and are split
    further down (`合计` over `预算数 | 决算数`); a blank over nothing is just blank.
    """
    texts = [[squash(cells[i]) if i < len(cells) else "" for i in range(width)] for cells in rows]
    spread: list[list[str]] = []
    for depth, row in enumerate(texts):
        filled = list(row)
        for i in range(1, width):
            split_below = any(texts[d][i] for d in range(depth + 1, len(texts)))
            same_parent = all(spread[d][i] == spread[d][i - 1] for d in range(depth))
            if not filled[i] and filled[i - 1] and split_below and same_parent:
                filled[i] = filled[i - 1]
        spread.append(filled)
    return spread


def _first_column(labels: list[list[str]], test, skip=()) -> int | None:
    skipped = set(skip)
    return next((i for i, stack in enumerate(labels) if i not in skipped and test(stack)), None)


def split_two_sided(table: Table) -> bool:
    """Tables printed in two halves side by side (301 and 303 on the left, 302 and 310 on the
    right, each half with its own code, name and amount columns) become one table of rows: the
    left half's rows, then the right half's. True where the table was split."""
    width = len(table.labels)
    half = width // 2
    if width < 4 or width % 2 or table.labels[:half] != table.labels[half:]:
        return False
    if not any(header_meaning(t) == "amount" for stack in table.labels[:half] for t in stack):
        return False
    table.header = [tuple(cells[:half]) for cells in table.header]
    left = [BodyRow(list(r.cells[:half]), r.line, r.page) for r in table.rows]
    right = [BodyRow(list(r.cells[half:width]), r.line, r.page) for r in table.rows]
    table.rows = [r for r in (*left, *right) if any(c.strip() for c in r.cells)]
    return True


def _cell_fit(text: str, meaning: str | None) -> float:
    """How well a cell's text suits a column: amounts under amount columns, words under names."""
    text = text.strip()
    if meaning in vocab.VALUE_COLUMNS:
        # A row that prints any amount prints its 合计: the first amount goes there.
        bonus = 0.25 if meaning == "amount" else 0
        return 2 + bonus if is_amount(text) else (0.5 if not text else -2)
    if meaning == "code":
        return 2 if parse_code(text) else (0.5 if not text else -1)
    if meaning == "code_part":  # the 款 or 项 of a code printed over 类 | 款 | 项 columns
        return 2 if text.isdigit() and len(text) <= 2 else (0.5 if not text else -1)
    if meaning == "name":
        return -2 if is_amount(text) else (2 if text else 0)
    return 0


def align_short_rows(table: Table) -> None:
    """Place the cells of a row that printed fewer cells than the header has columns.

    Word leaves merged cells out of its text, and text read in reading order drops empty
    cells, so a short row is matched to the columns its cells fit best (in order); a skipped
    text column takes the value of the row above (a cell merged downwards), a skipped amount
    column stays blank. Where the cells fit as well one column further right (two amounts
    under 合计 | 基本支出 | 项目支出), the amount is not placed at all: the row's columns it
    might belong to are `uncertain`, never guessed.
    """
    width = len(table.labels)
    meanings = {index: meaning for meaning, index in table.columns.items()}
    parts = {i for i, stack in enumerate(table.labels) if stack and stack[-1] in vocab.SPLIT_CODE_PARTS[1:]}
    columns = [meanings.get(i) or ("code_part" if i in parts else None) for i in range(width)]
    previous: list[str] = []
    for row in table.rows:
        if 0 < len(row.cells) < width:
            placed = _place(row.cells, columns, _cell_fit)
            rightmost = _place_rightmost(row.cells, columns, _cell_fit)
            cells = [""] * width
            for cell_index, column in enumerate(placed):
                other = rightmost[cell_index]
                if other != column and columns[column] in vocab.VALUE_COLUMNS:
                    row.uncertain |= {c for c in columns[column : other + 1] if c in vocab.VALUE_COLUMNS}
                    continue
                cells[column] = row.cells[cell_index]
            for column in set(range(width)) - set(placed):
                if meanings.get(column) not in vocab.VALUE_COLUMNS and column < len(previous):
                    cells[column] = previous[column]
            row.cells = cells
        previous = row.cells


def _place_rightmost(cells, columns, fit) -> list[int]:
    """`_place` with ties keeping cells rightmost."""
    width = len(columns)
    return [width - 1 - j for j in reversed(_place(cells[::-1], columns[::-1], fit))]


def _place(cells, columns, fit) -> list[int]:
    """Columns for `cells` (kept in order) that maximise the summed `fit(cell, column)`; ties
    keep cells leftmost."""
    n, width = len(cells), len(columns)
    # best[i][j]: the best score placing cells[i:] into columns[j:]
    best = [[0.0] * (width + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        best[i][width] = float("-inf")
        for j in range(width - 1, -1, -1):
            best[i][j] = max(fit(cells[i], columns[j]) + best[i + 1][j + 1], best[i][j + 1])
    placed, j = [], 0
    for i in range(n):
        while fit(cells[i], columns[j]) + best[i + 1][j + 1] < best[i][j]:
            j += 1
        placed.append(j)
        j += 1
    return placed


def join_continuations(table: Table) -> None:
    """Join rows the PDF wrapped: no 序号/code, no amount, only text in the name column.

    Only a row under one that printed its 序号 or code can be told from a row of its own:
    涞源 2016 prints real rows such as `　　　专项收入` or `（9）咨询费` with no number and no
    amount, in tables whose code column is empty throughout. A numbered or indented text
    starts a row of its own.
    """
    name = table.columns.get("name")
    markers = [table.columns[m] for m in ("serial", "code") if m in table.columns]
    if name is None or not markers:
        return
    kept: list[BodyRow] = []
    for row in table.rows:
        filled = [i for i, c in enumerate(row.cells) if c.strip()]
        if kept and filled == [name] and _continues(row.cells[name], kept[-1], markers):
            above = kept[-1]
            above.cells[name] = above.cells[name].rstrip() + row.cells[name].strip()
            continue
        kept.append(row)
    table.rows = kept


def _continues(text: str, above: BodyRow, markers: list[int]) -> bool:
    marked = any(i < len(above.cells) and above.cells[i].strip() for i in markers)
    starts_row = text[:1] in ("\u3000", " ") or strip_numbering(text) != " ".join(text.split())
    return marked and not starts_row and not is_amount(text)
