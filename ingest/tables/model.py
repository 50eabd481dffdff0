"""A table as read: its title, header rows and body rows, and what each column means."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ingest import amounts
from ingest.amounts import parse_amount
from ingest.result import Source
from ingest.text import MONEY_UNITS, squash
from ingest.vocabulary import tables as vocab

# Tables print the same few cell texts many times over; remembering them keeps parsing fast.
is_amount = lru_cache(maxsize=8192)(amounts.is_amount)


is_amount = lru_cache(maxsize=8192)(amounts.is_amount)
parse_code = lru_cache(maxsize=8192)(amounts.parse_code)


@dataclass
class BodyRow:
    cells: list[str]
    line: int
    page: int | None = None
    # Amount columns a short row may have printed a figure in, without saying which.
    uncertain: set[str] = field(default_factory=set)


@dataclass
class Table:
    kind: str
    title: str
    line: int
    page: int | None = None
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
        return "fiscal" if vocab.FISCAL_TITLE.search(self.title) else "all"

    @property
    def stage(self) -> str:
        return "决算" if vocab.FINAL_ACCOUNTS_TITLE.search(self.title) else "预算"

    @property
    def empty(self) -> bool:
        """Published empty (空表列示): no body row prints an amount."""
        return not any(has_amount(row.cells, self) for row in self.rows)

    def value(self, row: BodyRow, meaning: str) -> Decimal | None:
        """The amount in the column that means `meaning`, in 万元; None where blank or absent."""
        index = self.columns.get(meaning)
        if index is None or index >= len(row.cells):
            return None
        return cell_amount(row.cells[index], self.unit)

    def source(self, row: BodyRow) -> Source:
        return Source(table=self.title, line=row.line, page=row.page)

    def cell(self, row: BodyRow, meaning: str) -> str:
        index = self.columns.get(meaning)
        return row.cells[index].strip() if index is not None and index < len(row.cells) else ""


@lru_cache(maxsize=8192)
def cell_amount(text: str, unit: str) -> Decimal | None:
    if not is_amount(text):
        return None
    return parse_amount(text, unit if unit in MONEY_UNITS else "万元")


def has_amount(cells, table: Table) -> bool:
    skip = {table.columns.get("serial"), table.columns.get("code")}
    return any(is_amount(c) for i, c in enumerate(cells) if i not in skip)


def row_name(table: Table, row: BodyRow) -> str:
    """The row's label as printed, without indentation; the first text cell where no name column is known."""
    name = table.cell(row, "name")
    if name:
        return " ".join(name.split())
    texts = [c.strip() for c in row.cells if c.strip() and not is_amount(c)]
    return texts[0] if texts else ""


def is_column_number_row(cells) -> bool:
    """The row numbering the columns: `栏次 | 1 | 2 | 3`, or the numbers alone."""
    filled = [squash(c) for c in cells if c.strip()]
    if filled and filled[0] in vocab.COLUMN_NUMBER_ROW:
        return True
    return len(filled) >= 3 and filled == [str(n) for n in range(1, len(filled) + 1)]
