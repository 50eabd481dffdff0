"""Finding the tables: a Document's blocks cut into tables.

A table starts at a title paragraph (see `vocab.TABLE_TITLES`), a short line naming some table,
or a header row; then come the lines printed above the table (department code, 预算年度, 单位),
the column header rows and the body rows. A table that runs over several pages repeats its page
header and column header rows; those repeats are dropped. On closing, its columns are named
(`columns`) and what it is decided from its content (`kinds`).
"""

from functools import lru_cache

from ingest.document import Document, Paragraph, Row
from ingest.tables.columns import (
    align_header,
    align_short_rows,
    header_meaning,
    join_continuations,
    read_columns,
    split_two_sided,
)
from ingest.tables.kinds import UNKNOWN, classify
from ingest.tables.model import BodyRow, Table, is_amount, is_column_number_row
from ingest.text import UNIT_STATEMENT, bare_label, squash
from ingest.vocabulary import tables as vocab


@lru_cache(maxsize=4096)
def title_kind(text: str) -> str | None:
    """The table kind a title paragraph names (`部门预算收支总表` → `summary`), else None."""
    title = vocab.TITLE_SUFFIX.sub("", squash(text))
    if len(title) > vocab.TITLE_MAX_LENGTH or vocab.TITLE_REJECT.search(title):
        return None
    if not vocab.TITLE_ENDING.search(title):
        return None
    for kind, pattern in vocab.TABLE_TITLES:
        if pattern.search(title):
            return kind
    return None


@lru_cache(maxsize=4096)
def is_table_title(text: str) -> bool:
    """A short line that names some table (`表三 部门支出预算经济分类表`), standard or not: the
    table's own header and rows then say what it holds."""
    title = vocab.TITLE_SUFFIX.sub("", squash(text))
    return (
        len(title) <= vocab.TITLE_MAX_LENGTH
        and not vocab.TITLE_REJECT.search(title)
        and title.endswith("表")
        and not vocab.NOT_A_BUDGET_TABLE.search(title)
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

    def open(self, kind: str, title: str, block: Paragraph | Row) -> None:
        self.close()
        self.current, self.state = (
            Table(kind=kind, title=title, line=block.line, page=block.page, level=self.level),
            "meta",
        )
        _take_unit(self.current, title)

    def close(self) -> None:
        _close(self.current, self.tables)
        self.current, self.state, self.stray_lines = None, "closed", 0

    def paragraph(self, block: Paragraph) -> None:
        text = block.text.strip()
        kind = title_kind(text) or (UNKNOWN if is_table_title(text) else None)
        if kind:
            self.open(kind, text, block)
            return
        if vocab.UNIT_PART.search(squash(text)):
            self.level = "unit"
        if self.current is None:
            return
        if vocab.PAGE_HEADER.match(text):
            _take_unit(self.current, text)
            if self.state in ("body", "interrupted"):
                self.state = "page"
        elif vocab.NOTE.match(text):
            self.current.notes.append(text)
        elif self.state in ("body", "page", "interrupted") and self.stray_lines < vocab.STRAY_LINES:
            self.state, self.stray_lines = "interrupted", self.stray_lines + 1
        else:
            self.close()

    def row(self, block: Row) -> None:
        kind = _title_row_kind(block)
        if kind:
            self.open(kind, block.filled[0].strip(), block)
            for cell in block.filled[1:]:
                _take_unit(self.current, cell)
            return
        if self.current is None:
            if _is_header_row(block):
                self.open(UNKNOWN, "", block)
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
    return any(header_meaning(c) for c in row.filled)


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
            table.rows.append(BodyRow(list(row.cells), row.line, row.page))
            return "body"
        for cell in row.filled:
            _take_unit(table, cell)
        table.header.append(row.cells)
        return "header"
    if state in ("page", "interrupted") and _repeats_header(row, table):
        return "page"
    table.rows.append(BodyRow(list(row.cells), row.line, row.page))
    return "body"


def _split_code_parts_row(row: Row) -> tuple[tuple[str, ...] | None, Row]:
    """A PDF may print the last header row (`类 | 款 | 项`) and the first body row (`合计 | 2,946.25`)
    as one row: the 类/款/项 cells go to the header, the rest stays a body row."""
    parts = [i for i, c in enumerate(row.cells) if squash(c) in vocab.SPLIT_CODE_PARTS]
    if len(parts) < 2 or not any(is_amount(c) for c in row.cells):
        return None, row
    header = tuple(c if i in parts else "" for i, c in enumerate(row.cells))
    body = Row(
        cells=tuple("" if i in parts else c for i, c in enumerate(row.cells)), line=row.line, page=row.page
    )
    return header, body


def _close(table: Table | None, tables: list[Table]) -> None:
    """Keep a table that printed a header, or rows with an amount, and whose title or content
    says which standard table it is; a lone title (a mention, a contents line, a title followed
    by a numbered heading) is dropped."""
    if table is None or not (table.header or any(is_amount(c) for row in table.rows for c in row.cells)):
        return
    align_header(table)
    read_columns(table)
    if split_two_sided(table):
        read_columns(table)
    table.kind = classify(table)
    if table.kind == UNKNOWN:
        return
    if not table.title:
        table.title = f"{vocab.TABLE_KIND_NAMES[table.kind]}（未命名表格，第{table.line}行）"
    read_columns(table)
    align_short_rows(table)
    join_continuations(table)
    tables.append(table)


def _take_unit(table: Table, text: str) -> None:
    match = UNIT_STATEMENT.search(text)
    if match and not table.unit_printed:
        table.unit, table.unit_printed = match.group(1), True


def _is_meta_row(row: Row) -> bool:
    """A row holding only page-header lines (`434政府 | 单位：万元`)."""
    filled = [c.strip() for c in row.filled]
    return bool(filled) and all(_is_page_header(c) for c in filled)


@lru_cache(maxsize=4096)
def _is_page_header(text: str) -> bool:
    return bool(vocab.PAGE_HEADER.match(text))


def _looks_like_body(row: Row) -> bool:
    """The first body row under a header: it prints an amount, a 序号, a code or a numbered label."""
    if is_column_number_row(row.cells):
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
    if is_column_number_row(row.cells):
        return True
    seen = table.header_texts()
    filled = {squash(c) for c in row.filled}
    return bool(filled) and filled <= seen and not any(is_amount(c) for c in row.filled)
