"""The intermediate form every format reader produces and the one parser reads.

A disclosure is a sequence of *blocks* in reading order: a `Paragraph` is a line of
running text, a `Row` is one table row as a tuple of cell texts. Readers decide what a
row is for their format; the parser never looks at tabs, PDF coordinates or Word XML.
Every block carries the line (and, where the format has them, the page) it was printed
on, so that each parsed figure can say where it came from.
"""

from dataclasses import dataclass, field
from functools import cached_property

from ingest import refusals


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int
    page: int | None = None


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    line: int
    page: int | None = None

    def cell(self, index: int) -> str:
        """The cell at `index`, or "" where the row is shorter (merged or dropped cells)."""
        return self.cells[index] if index < len(self.cells) else ""

    @cached_property
    def filled(self) -> tuple[str, ...]:
        """The non-empty cells, for rows whose empty merged cells were not printed."""
        return tuple(c for c in self.cells if c)


Block = Paragraph | Row


@dataclass
class Document:
    """One disclosure as read from its file: `name` is the file name, `layout` says which
    reader produced it (for provenance and error messages)."""

    name: str
    layout: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def rows(self) -> list[Row]:
        return [b for b in self.blocks if isinstance(b, Row)]

    @cached_property
    def _pages(self) -> dict[int, int]:
        return {block.line: block.page for block in self.blocks if block.page is not None}

    def page_of(self, line: int | None) -> int | None:
        """The page a line was printed on, for formats with pages (None for text)."""
        return self._pages.get(line) if line is not None else None

    def text(self) -> str:
        """All text in reading order, cells joined by spaces: for searching prose."""
        return "\n".join(b.text if isinstance(b, Paragraph) else " ".join(b.cells) for b in self.blocks)


class UnreadableDocument(Exception):
    """Input that is not a budget disclosure we can read: `code` names the refusal
    (ingest.refusals), `params` its figures. One line that does not repeat the file name, which
    callers prefix: `str()` in English (the command line, the logs), `text()` in the reader's
    language; `message` is what a SourceDocument keeps, to show in whoever's language."""

    def __init__(self, code: str, **params):
        super().__init__(code)  # a pickled copy is rebuilt from the code, then given its params
        self.code, self.params = code, params

    def __str__(self):
        return refusals.english(self.message)

    @property
    def message(self) -> dict:
        return refusals.refusal(self.code, **self.params)

    def text(self) -> str:
        return refusals.render(self.message)
