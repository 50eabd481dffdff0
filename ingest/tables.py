"""The standard budget tables of a disclosure: found, joined across pages, and read.

`find_tables` cuts a Document's blocks into tables: a title paragraph (see `layout.TABLE_TITLES`),
the lines printed above the table (department code, 预算年度, 单位), the column header rows and
the body rows. A table that runs over several pages repeats its page header and column header
rows; those repeats are dropped, and a row the PDF wrapped onto the next line (no 序号 or code,
only text in the name column) is joined to the row above.

`read_tables` turns the tables into figures: candidate totals and 三公 figures (each saying
which table and line printed it), the merged line items, staffing counts and the list of tables
for the admin preview. Column meanings come from the header text, never from positions.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ingest import amounts, layout
from ingest.amounts import format_amount, parse_amount
from ingest.document import Document, Paragraph, Row
from ingest.text import bare_label, outline_level, squash, strip_numbering

MONEY_UNITS = {"万元", "元", "千元", "亿元"}
# Tables print the same few cell texts many times over; remembering them keeps parsing fast.
is_amount = lru_cache(maxsize=8192)(amounts.is_amount)
parse_code = lru_cache(maxsize=8192)(amounts.parse_code)


@dataclass
class BodyRow:
    cells: list[str]
    line: int
    # Amount columns a short row may have printed a figure in, without saying which.
    uncertain: set[str] = field(default_factory=set)


@dataclass
class Table:
    kind: str
    title: str
    line: int
    level: str = "department"
    unit: str = "万元"
    unit_printed: bool = False
    header: list[tuple[str, ...]] = field(default_factory=list)
    rows: list[BodyRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)
    labels: list[list[str]] = field(default_factory=list)
    # Read once and kept: the header cell texts (for repeated headers) and the read body rows.
    _header_texts: set[str] | None = field(default=None, repr=False, compare=False)
    _rows: list[dict] | None = field(default=None, repr=False, compare=False)

    def header_words(self) -> str:
        """The title and every header label, squashed: the words a table says it is by."""
        return squash(self.title) + "|" + "|".join(t for stack in self.labels for t in stack)

    def header_texts(self) -> set[str]:
        """Every header cell text, squashed: what a repeated header row may print (asked only
        once the body has begun, when the header is complete)."""
        if self._header_texts is None:
            self._header_texts = {squash(c) for cells in self.header for c in cells if c.strip()}
        return self._header_texts

    @property
    def scope(self) -> str:
        """`fiscal` for tables of 财政拨款 money only, `all` for the whole department budget."""
        return "fiscal" if layout.FISCAL_TITLE.search(self.title) else "all"

    @property
    def stage(self) -> str:
        return "决算" if layout.FINAL_ACCOUNTS_TITLE.search(self.title) else "预算"

    @property
    def empty(self) -> bool:
        """Published empty (空表列示): no body row prints an amount."""
        return not any(_has_amount(row.cells, self) for row in self.rows)

    def value(self, row: BodyRow, meaning: str) -> Decimal | None:
        """The amount in the column that means `meaning`, in 万元; None where blank or absent."""
        index = self.columns.get(meaning)
        if index is None or index >= len(row.cells):
            return None
        return _amount(row.cells[index], self.unit)

    def cell(self, row: BodyRow, meaning: str) -> str:
        index = self.columns.get(meaning)
        return row.cells[index].strip() if index is not None and index < len(row.cells) else ""


# --- finding the tables ----------------------------------------------------------------------


@lru_cache(maxsize=4096)
def title_kind(text: str) -> str | None:
    """The table kind a title paragraph names (`部门预算收支总表` → `summary`), else None."""
    title = layout.TITLE_SUFFIX.sub("", squash(text))
    if len(title) > layout.TITLE_MAX_LENGTH or layout.TITLE_REJECT.search(title):
        return None
    if not layout.TITLE_ENDING.search(title):
        return None
    for kind, pattern in layout.TABLE_TITLES:
        if pattern.search(title):
            return kind
    return None


@lru_cache(maxsize=4096)
def is_table_title(text: str) -> bool:
    """A short line that names some table (`表三 部门支出预算经济分类表`), standard or not: the
    table's own header and rows then say what it holds."""
    title = layout.TITLE_SUFFIX.sub("", squash(text))
    return (
        len(title) <= layout.TITLE_MAX_LENGTH
        and not layout.TITLE_REJECT.search(title)
        and title.endswith("表")
        and not layout.NOT_A_BUDGET_TABLE.search(title)
    )


def find_tables(document: Document) -> list[Table]:
    """Every standard table of the document, in reading order, with its pages joined: tables
    whose title names them, and tables with an unfamiliar title or none whose header and rows
    say what they are."""
    segmenter = _Segmenter()
    for block in document.blocks:
        if isinstance(block, Paragraph):
            segmenter.paragraph(block)
        else:
            segmenter.row(block)
    segmenter.close()
    return segmenter.tables


class _Segmenter:
    """Walks the blocks once. States of the open table: `meta` (title seen), `header`, `body`,
    `page` (a page header seen inside the body: repeated column headers follow) and
    `interrupted` (a stray line such as a footnote inside the body: the table goes on only if
    its header is printed again)."""

    def __init__(self):
        self.tables: list[Table] = []
        self.current: Table | None = None
        self.state = "closed"
        self.level = "department"
        self.stray_lines = 0

    def open(self, kind: str, title: str, line: int) -> None:
        self.close()
        self.current, self.state = Table(kind=kind, title=title, line=line, level=self.level), "meta"
        _take_unit(self.current, title)

    def close(self) -> None:
        _close(self.current, self.tables)
        self.current, self.state, self.stray_lines = None, "closed", 0

    def paragraph(self, block: Paragraph) -> None:
        text = block.text.strip()
        kind = title_kind(text) or (UNKNOWN if is_table_title(text) else None)
        if kind:
            self.open(kind, text, block.line)
            return
        if layout.UNIT_PART.search(squash(text)):
            self.level = "unit"
        if self.current is None:
            return
        if layout.PAGE_HEADER.match(text):
            _take_unit(self.current, text)
            if self.state in ("body", "interrupted"):
                self.state = "page"
        elif layout.NOTE.match(text):
            self.current.notes.append(text)
        elif self.state in ("body", "page", "interrupted") and self.stray_lines < layout.STRAY_LINES:
            self.state, self.stray_lines = "interrupted", self.stray_lines + 1
        else:
            self.close()

    def row(self, block: Row) -> None:
        kind = _title_row_kind(block)
        if kind:
            self.open(kind, block.filled[0].strip(), block.line)
            for cell in block.filled[1:]:
                _take_unit(self.current, cell)
            return
        if self.current is None:
            if _is_header_row(block):
                self.open(UNKNOWN, "", block.line)
                self.state = _add_row(self.current, block, self.state)
            return
        if self.state == "interrupted" and not _repeats_header(block, self.current):
            self.close()
            return
        self.state = _add_row(self.current, block, self.state)
        self.stray_lines = 0 if self.state == "body" else self.stray_lines


def _is_header_row(row: Row) -> bool:
    """A row that may be a column header: cells of text, no amount, one naming what its column
    holds (`项目 | 政府性基金预算支出`, `科目编码 | 科目名称 | 合计`). It starts a table printed
    without a title; what follows decides whether it is one (`classify`)."""
    if len(row.filled) < 2 or any(is_amount(c) for c in row.filled):
        return False
    return any(_header_meaning(c) for c in row.filled)


def _title_row_kind(row: Row) -> str | None:
    """Word and Excel tables often print the title as their merged first row, alone or beside
    the unit (`部门收支总表 | 单位：万元`)."""
    filled = [c.strip() for c in row.filled]
    if not filled or not all(_is_page_header(c) for c in filled[1:]):
        return None
    return title_kind(filled[0])


def _add_row(table: Table, row: Row, state: str) -> str:
    """File one row of an open table as a page header, column header or body row; return the new state."""
    if _is_meta_row(row):
        for cell in row.filled:
            _take_unit(table, cell)
        return "page" if state in ("body", "interrupted") else state
    if state in ("meta", "header"):
        header, row = _split_code_parts_row(row)
        if header:
            table.header.append(header)
            if not row.filled:
                return "header"
        if _looks_like_body(row):
            table.rows.append(BodyRow(list(row.cells), row.line))
            return "body"
        for cell in row.filled:
            _take_unit(table, cell)
        table.header.append(row.cells)
        return "header"
    if state in ("page", "interrupted") and _repeats_header(row, table):
        return "page"
    table.rows.append(BodyRow(list(row.cells), row.line))
    return "body"


def _split_code_parts_row(row: Row) -> tuple[tuple[str, ...] | None, Row]:
    """A PDF may print the last header row (`类 | 款 | 项`) and the first body row (`合计 | 2,946.25`)
    as one row: the 类/款/项 cells go to the header, the rest stays a body row."""
    parts = [i for i, c in enumerate(row.cells) if squash(c) in layout.SPLIT_CODE_PARTS]
    if len(parts) < 2:
        return None, row
    header = tuple(c if i in parts else "" for i, c in enumerate(row.cells))
    body = Row(
        cells=tuple("" if i in parts else c for i, c in enumerate(row.cells)), line=row.line, page=row.page
    )
    return header, body


def _close(table: Table | None, tables: list[Table]) -> None:
    """Keep a table that printed a header or rows and whose title or content says which
    standard table it is; a lone title (a mention, a contents line) is dropped."""
    if table is None or not (table.header or table.rows):
        return
    _align_header(table)
    _read_columns(table)
    if _split_two_sided(table):
        _read_columns(table)
    table.kind = classify(table)
    if table.kind == UNKNOWN:
        return
    if not table.title:
        table.title = f"{layout.TABLE_KIND_NAMES[table.kind]}（未命名表格，第{table.line}行）"
    _read_columns(table)
    _align_short_rows(table)
    _join_continuations(table)
    tables.append(table)


def _take_unit(table: Table, text: str) -> None:
    match = layout.UNIT.search(text)
    if match and not table.unit_printed:
        table.unit, table.unit_printed = match.group(1), True


def _is_meta_row(row: Row) -> bool:
    """A row holding only page-header lines (`434政府 | 单位：万元`)."""
    filled = [c.strip() for c in row.filled]
    return bool(filled) and all(_is_page_header(c) for c in filled)


@lru_cache(maxsize=4096)
def _is_page_header(text: str) -> bool:
    return bool(layout.PAGE_HEADER.match(text))


def _is_column_number_row(cells) -> bool:
    """The row numbering the columns: `栏次 | 1 | 2 | 3`, or the numbers alone."""
    filled = [squash(c) for c in cells if c.strip()]
    if filled and filled[0] in layout.COLUMN_NUMBER_ROW:
        return True
    return len(filled) >= 3 and filled == [str(n) for n in range(1, len(filled) + 1)]


def _looks_like_body(row: Row) -> bool:
    """The first body row under a header: it prints an amount, a 序号, a code or a numbered label."""
    if _is_column_number_row(row.cells):
        return False
    for cell in row.filled:
        if is_amount(cell):
            return True
        text = squash(cell)
        if bare_label(text) != text and not text.startswith("其中"):
            return True
    return False


def _repeats_header(row: Row, table: Table) -> bool:
    """A column header row printed again at the top of a new page (`档次` for `栏次` included)."""
    if _is_column_number_row(row.cells):
        return True
    seen = table.header_texts()
    filled = {squash(c) for c in row.filled}
    return bool(filled) and filled <= seen and not any(is_amount(c) for c in row.filled)


# --- columns -----------------------------------------------------------------------------------


def _align_header(table: Table) -> None:
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
        if len(cells) < width and not _is_column_number_row(cells):
            columns = [kind if index not in taken else "taken" for index, kind in enumerate(kinds)]
            placed = _place(cells, columns, _header_fit)
            row = [""] * width
            for cell_index, column in enumerate(placed):
                row[column] = cells[cell_index]
            cells = tuple(row)
        taken |= {i for i, cell in enumerate(cells) if _header_meaning(cell)}
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
def _header_meaning(text: str) -> str | None:
    label = squash(text)
    if any(p.search(label) for patterns in layout.CODE_COLUMN.values() for p in patterns):
        return "code"
    if any(p.search(label) for p in layout.NAME_COLUMN):
        return "text"
    if layout.SERIAL_COLUMN.match(label):
        return "serial"
    if any(p.match(label) for p in layout.VALUE_COLUMNS.values()):
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
    meaning = _header_meaning(text)
    if meaning is None or kind == "empty" and meaning != "amount":
        return 0
    return _HEADER_FIT.get((meaning, kind), -1)


def _read_columns(table: Table) -> None:
    """Name each column from the header text above it (deepest header row first)."""
    rows = [cells for cells in table.header if not _is_column_number_row(cells)]
    width = max(len(cells) for cells in [*table.header, *(r.cells for r in table.rows)])
    spread = _spread_merged_labels(rows, width)
    table.labels = [[row[i] for row in spread if row[i]] for i in range(width)]
    classification = layout.ROW_CLASSIFICATION.get(table.kind, "functional")
    columns: dict[str, int] = {}
    for pattern in layout.CODE_COLUMN[classification]:
        index = _first_column(table.labels, lambda stack, p=pattern: any(p.search(t) for t in stack))
        if index is not None:
            columns["code"] = index
            break
    for pattern in layout.NAME_COLUMN:
        index = _first_column(
            table.labels, lambda stack, p=pattern: any(p.search(t) for t in stack), skip=columns.values()
        )
        if index is not None:
            columns["name"] = index
            break
    serial = _first_column(table.labels, lambda stack: bool(stack) and layout.SERIAL_COLUMN.match(stack[0]))
    if serial is not None:
        columns["serial"] = serial
    for meaning, pattern in layout.VALUE_COLUMNS.items():
        index = _first_column(table.labels, lambda stack, p=pattern: bool(stack) and bool(p.match(stack[-1])))
        if index is not None:
            columns[meaning] = index
    actual = _first_column(
        table.labels, lambda stack: bool(stack) and bool(layout.ACTUAL_COLUMN.match(stack[-1]))
    )
    budgeted = _first_column(
        table.labels, lambda stack: bool(stack) and bool(layout.BUDGETED_COLUMN.match(stack[-1]))
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


# --- what a table is ----------------------------------------------------------------------------

UNKNOWN = "table"
# Kinds whose rows are functional classes; a title naming one of them refines what the rows say.
_FUNCTIONAL_KINDS = {"income", "expenditure", "general_budget", "fund", "state_capital", "project"}
_ECONOMIC_KINDS = {"basic", "personnel", "public"}
_SUMMARY_KINDS = {"summary", "fiscal_summary"}


def classify(table: Table) -> str:
    """The standard table `table` is, from what its header and rows hold; the title is one clue
    among these: it decides only between kinds the content allows, or where the content is silent
    (a table published empty, a project list)."""
    codes = [r["code"] for r in _read_rows(table) if r["code"]]
    economic = sum(1 for c in codes if c.startswith("3"))
    functional = len(codes) - economic
    if codes and economic * 2 > len(codes):
        return table.kind if table.kind in _ECONOMIC_KINDS else "basic"
    if codes and functional * 2 >= len(codes):
        return _functional_kind(table)
    if _names_three_costs(table):
        return "three_costs"
    if table.kind == UNKNOWN and _prints_summary_labels(table):
        return "fiscal_summary" if layout.FISCAL_TITLE.search(table.header_words()) else "summary"
    return table.kind


def _functional_kind(table: Table) -> str:
    if table.kind in _FUNCTIONAL_KINDS:
        return table.kind
    words = table.header_words()
    if table.kind == UNKNOWN and not layout.MONEY_WORDS.search(words):
        return UNKNOWN
    if any(layout.INCOME_COLUMN.match(stack[-1]) for stack in table.labels if stack):
        return "income"
    return _funds_named(table) or "expenditure"


def _funds_named(table: Table) -> str | None:
    """fund, state_capital or general_budget where the title (else the header) names those funds."""
    for words in (squash(table.title), table.header_words()):
        kind = next((kind for kind, pattern in layout.FUNDS_WORDS if pattern.search(words)), None)
        if kind:
            return kind
    return None


def _names_three_costs(table: Table) -> bool:
    """Two or more of 因公出国（境）费, 公务用车… and 公务接待费 head its columns or label its rows."""
    labels = {bare_label(t) for stack in table.labels for t in stack}
    labels |= {bare_label(row_name(table, row)) for row in table.rows}
    keys = {_three_cost_key(label) for label in labels}
    return len(keys & {"overseas", "vehicle", "reception"}) >= 2


def _prints_summary_labels(table: Table) -> bool:
    """Label cells of both sides of a 收支总表 (收入总计 … 支出总计)."""
    labels = {bare_label(c) for row in table.rows for c in row.cells if c.strip()}
    return bool(labels & set(layout.SUMMARY_LABELS["income"])) and bool(
        labels & set(layout.SUMMARY_LABELS["expenditure"])
    )


def _split_two_sided(table: Table) -> bool:
    """Tables printed in two halves side by side (301 and 303 on the left, 302 and 310 on the
    right, each half with its own code, name and amount columns) become one table of rows: the
    left half's rows, then the right half's. True where the table was split."""
    width = len(table.labels)
    half = width // 2
    if width < 4 or width % 2 or table.labels[:half] != table.labels[half:]:
        return False
    if not any(_header_meaning(t) == "amount" for stack in table.labels[:half] for t in stack):
        return False
    table.header = [tuple(cells[:half]) for cells in table.header]
    left = [BodyRow(list(r.cells[:half]), r.line) for r in table.rows]
    right = [BodyRow(list(r.cells[half:width]), r.line) for r in table.rows]
    table.rows = [r for r in (*left, *right) if any(c.strip() for c in r.cells)]
    return True


# --- body rows ---------------------------------------------------------------------------------


def _cell_fit(text: str, meaning: str | None) -> float:
    """How well a cell's text suits a column: amounts under amount columns, words under names."""
    text = text.strip()
    if meaning in layout.VALUE_COLUMNS:
        # A row that prints any amount prints its 合计: the first amount goes there.
        bonus = 0.25 if meaning == "amount" else 0
        return 2 + bonus if is_amount(text) else (0.5 if not text else -2)
    if meaning == "code":
        return 2 if parse_code(text) else (0.5 if not text else -1)
    if meaning == "name":
        return -2 if is_amount(text) else (2 if text else 0)
    return 0


def _align_short_rows(table: Table) -> None:
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
    columns = [meanings.get(i) for i in range(width)]
    previous: list[str] = []
    for row in table.rows:
        if 0 < len(row.cells) < width:
            placed = _place(row.cells, columns, _cell_fit)
            rightmost = _place_rightmost(row.cells, columns, _cell_fit)
            cells = [""] * width
            for cell_index, column in enumerate(placed):
                other = rightmost[cell_index]
                if other != column and columns[column] in layout.VALUE_COLUMNS:
                    row.uncertain |= {c for c in columns[column : other + 1] if c in layout.VALUE_COLUMNS}
                    continue
                cells[column] = row.cells[cell_index]
            for column in set(range(width)) - set(placed):
                if meanings.get(column) not in layout.VALUE_COLUMNS and column < len(previous):
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


def _join_continuations(table: Table) -> None:
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


@lru_cache(maxsize=8192)
def _amount(text: str, unit: str) -> Decimal | None:
    if not is_amount(text):
        return None
    return parse_amount(text, unit if unit in MONEY_UNITS else "万元")


def _has_amount(cells, table: Table) -> bool:
    skip = {table.columns.get("serial"), table.columns.get("code")}
    return any(is_amount(c) for i, c in enumerate(cells) if i not in skip)


def row_name(table: Table, row: BodyRow) -> str:
    """The row's label as printed, without indentation; the first text cell where no name column is known."""
    name = table.cell(row, "name")
    if name:
        return " ".join(name.split())
    texts = [c.strip() for c in row.cells if c.strip() and not is_amount(c)]
    return texts[0] if texts else ""


# --- figures -----------------------------------------------------------------------------------


def _candidate(table: Table, row: BodyRow, value: Decimal, printed: str, rank: int = 0) -> dict:
    """A figure as one table row printed it; `printed` carries the unit where it is not 万元."""
    printed = printed.strip()
    if printed and table.unit in MONEY_UNITS - {"万元"}:
        printed += table.unit
    return {
        "value": value,
        "printed": printed,
        "table": table.title,
        "line": row.line,
        "rank": rank,
        "scope": table.scope,
        "level": table.level,
    }


def _add(candidates: dict, key: str, candidate: dict) -> None:
    candidates.setdefault(key, []).append(candidate)


def summary_totals(table: Table, candidates: dict) -> None:
    """收支总表 figures: each label cell with the amount printed right after it."""
    keys = (
        layout.SUMMARY_LABELS
        if table.kind == "summary"
        else {k: v for k, v in layout.SUMMARY_LABELS.items() if k in layout.FISCAL_SUMMARY_KEYS}
    )
    sides = _column_sides(table)
    for row in table.rows:
        for index, text in enumerate(row.cells[:-1]):
            following = row.cells[index + 1]
            if not text.strip() or is_amount(text) or not is_amount(following):
                continue
            label = bare_label(text)
            value = _amount(following, table.unit)
            side = sides[index] if index < len(sides) else None
            if label in layout.SIDED_LABELS and side in keys:
                _add(candidates, side, _candidate(table, row, value, following, layout.SIDED_LABELS[label]))
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
        side = next((layout.SUMMARY_SIDES[t] for t in stack if t in layout.SUMMARY_SIDES), side)
        sides.append(side)
    return sides


def _rank(key: str, label: str) -> int:
    """0 for a label naming the whole-year figure, 1 for a fallback (本年收入合计 beside 收入总计)."""
    fallbacks = {"income": {"收入合计", "本年收入合计"}, "expenditure": {"支出合计", "本年支出合计"}}
    return 1 if label in fallbacks.get(key, ()) else 0


def detail_totals(table: Table, candidates: dict) -> None:
    """Totals a detail table prints: its 合计 row by column, and labelled total rows."""
    columns = layout.TOTAL_ROW_COLUMNS.get(table.kind, {})
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
        for key, labels in layout.DETAIL_TOTAL_LABELS.items():
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
    rows = [(row, _three_cost_key(bare_label(row_name(table, row)))) for row in table.rows]
    lists_others = any(key in _NOT_THREE_COSTS for _row, key in rows)
    for row, key in rows:
        if key is None:
            continue
        label = bare_label(row_name(table, row))
        if lists_others and key == "total" and label in _GENERIC_TOTALS:
            continue
        rank = layout.THREE_COST_LABELS[key].index(label)
        for meaning, found in (("amount", candidates), ("budgeted", budgeted)):
            if meaning == "budgeted" and meaning not in table.columns:
                continue
            printed = table.cell(row, meaning) if meaning in table.columns else _first_amount(row)
            value = _amount(printed, table.unit) if printed else Decimal(0)
            _add(found, key, _candidate(table, row, value, printed, rank=rank))


# Rows and columns of a 三公 table that are not among the three costs, and the total labels
# that do not say whose total they are.
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
    prints_actual = any(stack and layout.ACTUAL_COLUMN.match(stack[-1]) for stack in table.labels)
    found: dict[int, tuple[str, str]] = {}
    for index, stack in enumerate(table.labels):
        stage = "amount"
        if stack and (layout.ACTUAL_COLUMN.match(stack[-1]) or layout.BUDGETED_COLUMN.match(stack[-1])):
            stage = "budgeted" if prints_actual and layout.BUDGETED_COLUMN.match(stack[-1]) else "amount"
            stack = stack[:-1]
        keys = [_three_cost_key(bare_label(text)) for text in reversed(stack)]
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
    return found if len(parts) >= 2 else {}


def _generic_total(stack: list[str]) -> bool:
    """A total column headed 合计 or 小计 with nothing above it naming the 三公 costs."""
    return not any(_three_cost_key(bare_label(t)) == "total" and t not in _GENERIC_TOTALS for t in stack)


def _three_cost_key(label: str) -> str | None:
    return next((key for key, labels in layout.THREE_COST_LABELS.items() if label in labels), None)


def _three_costs_by_column(table: Table, columns: dict, found: dict) -> None:
    row = next((r for r in table.rows if _has_amount(r.cells, table)), None)
    if row is None:
        return
    for index, (key, stage) in columns.items():
        printed = row.cells[index] if index < len(row.cells) else ""
        value = _amount(printed, table.unit) if printed.strip() else Decimal(0)
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
    total = {
        **firsts[0],
        "value": sum((p["value"] for p in firsts), Decimal(0)),
        "printed": " + ".join(p["printed"] or "0" for p in firsts),
        "derived": True,
    }
    candidates["total"] = [total]


def staffing_figures(table: Table) -> dict:
    """Counts from a 部门基本情况表: 编制/在职/离退 summed over their sub-columns on the 合计 row."""
    row = next((r for r in table.rows if bare_label(row_name(table, r)) in ("合计", "总计")), None)
    row = row or (table.rows[0] if len(table.rows) == 1 else None)
    if row is None:
        return {}
    figures = {}
    for key, columns in _staffing_columns(table).items():
        printed = [row.cells[i] for i in columns if i < len(row.cells) and is_amount(row.cells[i])]
        if printed:
            total = sum(parse_amount(p) for p in printed)
            figures[key] = {
                "value": int(total),
                "printed": " + ".join(printed),
                "table": table.title,
                "line": row.line,
            }
    return figures


def _staffing_columns(table: Table) -> dict[str, list[int]]:
    """Header groups (编制人数 …) over their sub-columns (行政, 事业 …), walked left to right.

    Merged header cells shift the group labels left in the text, so positions are taken from
    the sub-label row: each group takes the consecutive sub-labels it allows.
    """
    rows = [cells for cells in table.header if not _is_column_number_row(cells)]
    if not rows:
        return {}
    groups = []
    for index, text in enumerate(rows[0]):
        for key, pattern, allowed in layout.STAFFING_GROUPS:
            if pattern.search(squash(text)):
                groups.append((index, key, allowed))
                break
    subs = [squash(c) for c in rows[1]] if len(rows) > 1 else []
    columns: dict[str, list[int]] = {}
    position = groups[0][0] if groups else 0
    for start, key, allowed in groups:
        if not subs:
            columns[key] = [start]
            continue
        taken: list[int] = []
        while (
            position < len(subs)
            and subs[position] in allowed
            and subs[position] not in {subs[i] for i in taken}
        ):
            taken.append(position)
            position += 1
        if not taken:
            taken, position = [position], position + 1
        columns[key] = taken
    return columns


# --- line items --------------------------------------------------------------------------------


def table_rows(table: Table) -> list[dict]:
    """Body rows of a classified table as code, name and amounts in 万元 (for checks and preview)."""
    if table._rows is None:
        table._rows = _read_rows(table)
    return table._rows


def _read_rows(table: Table) -> list[dict]:
    rows = []
    split_code = _SplitCode(table) if _has_split_code(table) else None
    for row in table.rows:
        name = row_name(table, row)
        if split_code:
            code = split_code.read(row)
        else:
            code = parse_code(table.cell(row, "code")) if "code" in table.columns else None
        if not code and table.kind != "project":
            code, name = _code_in_name(name)
        values = {m: table.value(row, m) for m in layout.VALUE_COLUMNS if m in table.columns}
        if not name and not code:
            continue
        entry = {
            "line": row.line,
            "code": code,
            "name": strip_numbering(name),
            "total": not code and bool(layout.TOTAL_ROW.search(bare_label(name))),
            **values,
        }
        if row.uncertain:
            entry["uncertain"] = sorted(row.uncertain)
        if not code and outline_level(name):
            entry["level"] = outline_level(name)
        rows.append(entry)
    return rows


def _code_in_name(name: str) -> tuple[str | None, str]:
    """`[2010301]行政运行` or `30101 基本工资` printed in one cell: the code and the name apart."""
    match = layout.CODE_IN_NAME.match(name)
    return (match.group(1), name[match.end() :].strip()) if match else (None, name)


def _has_split_code(table: Table) -> bool:
    """Codes printed over 类 | 款 (| 项) columns: functional codes have three parts, economic two."""
    return all(
        any(stack and stack[-1] == part for stack in table.labels) for part in layout.SPLIT_CODE_PARTS[:2]
    )


class _SplitCode:
    """Codes printed over 类 | 款 | 项 columns (`201 | 03 | 01`); a row printing only its 款 or
    项 belongs to the 类 and 款 printed above it. A part printed without its leading zero
    (`301 | 2`) is padded: parts are two digits."""

    def __init__(self, table: Table):
        self.table = table
        self.columns = [
            next((i for i, stack in enumerate(table.labels) if stack and stack[-1] == part), None)
            for part in layout.SPLIT_CODE_PARTS
        ]
        self.above = ["", ""]

    def read(self, row: BodyRow) -> str | None:
        parts = [squash(row.cells[i]) if i is not None and i < len(row.cells) else "" for i in self.columns]
        if not any(parts):
            return None
        full = next((p for p in reversed(parts) if parse_code(p) and len(p) > 3), None)
        if full:  # some tables print the whole code in the 款 or 项 column
            self.above = [full[:3], full[3:5]]
            return full
        if not all(p.isdigit() for p in parts if p):
            return None
        parts = [parts[0], *(p.zfill(2) if p else "" for p in parts[1:])]
        if parts[0]:
            self.above = [parts[0], ""]
        if parts[1]:
            self.above[1] = parts[1]
        digits = self.above[0] + (self.above[1] if parts[1] or parts[2] else "") + parts[2]
        return parse_code(digits)


def _project_rows(table: Table, rows: list[dict]) -> list[dict]:
    """The individual projects: rows with a functional code; where no code column exists, the
    numbered rows (`1、办公设备配备`) under their unnumbered activity headings."""
    if "code" in table.columns:
        return [r for r in rows if r["code"]]
    numbered = {
        row.line for row in table.rows if bare_label(row_name(table, row)) != squash(row_name(table, row))
    }
    return [r for r in rows if r["line"] in numbered] if numbered else rows


def line_items(tables: list[Table]) -> list[dict]:
    """One item per (kind, code) — or (kind, name) where no code is printed — over all tables.

    Tables are taken department level first, then by `layout.TABLE_PRIORITY`; each fills the
    fields it prints that are still empty.
    """
    ordered = sorted(
        (t for t in tables if t.kind in layout.ROW_CLASSIFICATION and not t.empty),
        key=lambda t: (t.level != "department", layout.TABLE_PRIORITY.index(t.kind)),
    )
    items: dict[tuple, dict] = {}
    for table in ordered:
        kind = layout.ROW_CLASSIFICATION[table.kind]
        rows = [r for r in table_rows(table) if not r["total"] and _prints_amount(r)]
        if kind == "project":
            rows = _project_rows(table, rows)
        elif kind == "economic":
            rows = [r for r in rows if not _is_detail_total(r["name"])]
        for row in rows:
            _merge_item(items, kind, table, row)
    order = {"functional": 0, "economic": 1, "project": 2}
    return sorted(items.values(), key=lambda item: (order[item["kind"]], item["source"]["line"]))


def _prints_amount(row: dict) -> bool:
    return any(row.get(m) is not None for m in layout.VALUE_COLUMNS)


def _is_detail_total(name: str) -> bool:
    label = bare_label(name)
    return any(label in labels for labels in layout.DETAIL_TOTAL_LABELS.values())


def _merge_item(items: dict, kind: str, table: Table, row: dict) -> None:
    label = bare_label(row["name"])
    if kind == "project":
        key = (kind, label, row["code"])
    else:
        key = (kind, row["code"]) if row["code"] else (kind, None, label)
    item = items.get(key)
    if item is None:
        item = items[key] = {
            "kind": kind,
            "code": row["code"],
            "name": row["name"],
            "amount": None,
            "basic": None,
            "project": None,
            "source": {"table": table.title, "line": row["line"]},
            "tables": [],
        }
    elif len(row["name"]) > len(item["name"]) and row["name"].startswith(item["name"]):
        item["name"] = row["name"]
    for field_name in ("amount", "basic", "project"):
        if item[field_name] is None and row.get(field_name) is not None:
            item[field_name] = row[field_name]
    # A field no table printed for sure, though one may have printed it in a column unknown.
    unsure = {*item.get("uncertain", ()), *row.get("uncertain", ())}
    unsure = sorted(f for f in unsure if item.get(f, "") is None)
    if unsure:
        item["uncertain"] = unsure
    else:
        item.pop("uncertain", None)
    if table.title not in item["tables"]:
        item["tables"].append(table.title)


# --- the whole reading ---------------------------------------------------------------------------


def read_tables(document: Document) -> dict:
    """Everything the standard tables of `document` print.

    Returns {"tables": [Table], "totals": {key: [candidate]}, "three_costs": {key: [candidate]},
    "three_costs_budget": (the 预算数 a final-accounts 三公 table prints beside its 决算数),
    "line_items": [item], "staffing": {key: figure}, "non_tax_income": [item]}; a candidate is
    {"value": Decimal, "printed", "table", "line", "rank", "scope", "level"}, best first.
    """
    tables = find_tables(document)
    totals: dict[str, list] = {}
    three_costs: dict[str, list] = {}
    three_costs_budget: dict[str, list] = {}
    staffing: dict = {}
    for table in tables:
        if table.kind in ("summary", "fiscal_summary"):
            summary_totals(table, totals)
        elif table.kind == "three_costs":
            three_cost_figures(table, three_costs, three_costs_budget)
        elif table.kind == "staffing" and not staffing:
            staffing = staffing_figures(table)
        if table.kind in layout.TOTAL_ROW_COLUMNS or table.kind == "basic":
            detail_totals(table, totals)
    for candidates in (*totals.values(), *three_costs.values(), *three_costs_budget.values()):
        candidates.sort(key=_preference)
    derived_three_costs_total(three_costs)
    derived_three_costs_total(three_costs_budget)
    return {
        "tables": tables,
        "totals": totals,
        "three_costs": three_costs,
        "three_costs_budget": three_costs_budget,
        "line_items": line_items(tables),
        "staffing": staffing,
        "non_tax_income": non_tax_income(tables),
    }


def _preference(candidate: dict) -> tuple:
    """Best figure first: whole-year label, department level, all money, summary tables before details."""
    return (candidate["rank"], candidate["level"] != "department", candidate["scope"] != "all")


def non_tax_income(tables: list[Table]) -> list[dict]:
    """Rows of a 非税收入 plan: income code, name and amount."""
    items = []
    for table in (t for t in tables if t.kind == "non_tax"):
        code_index = next((i for i, s in enumerate(table.labels) if any("编码" in t for t in s)), None)
        for row in table.rows:
            name = row_name(table, row)
            value = table.value(row, "amount")
            if value is None or layout.TOTAL_ROW.search(bare_label(name)):
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
                    "amount": format_amount(value),
                    "source": {"table": table.title, "line": row.line},
                }
            )
    return items


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
    if table.kind in layout.ROW_CLASSIFICATION or table.kind == "three_costs":
        summary["rows"] = [
            {k: (format_amount(v) if isinstance(v, Decimal) else v) for k, v in row.items()}
            for row in table_rows(table)
        ]
    return summary
