"""The typed parse result: where a figure was printed (`Source`) and a figure as one place
printed it (`Candidate`). The extractors (tables, prose, identity, indicators) build these with
the page already known; `to_json` is the one place they become the JSON of
docs/disclosure-json.md, and `from_json` the one place that JSON becomes them again.
"""

from dataclasses import dataclass
from decimal import Decimal

from ingest.amounts import format_amount


@dataclass(frozen=True)
class Source:
    """A table (by its title) or an explanation section (by its heading), the line the figure
    was printed on and, for formats with pages, the page."""

    table: str | None = None
    section: str | None = None
    line: int | None = None
    page: int | None = None

    def to_json(self) -> dict:
        return {
            k: v
            for k, v in (
                ("table", self.table),
                ("section", self.section),
                ("line", self.line),
                ("page", self.page),
            )
            if v is not None
        }

    @classmethod
    def from_json(cls, data: dict) -> "Source":
        return cls(data.get("table"), data.get("section"), data.get("line"), data.get("page"))


@dataclass
class Candidate:
    """One printing of a figure: its value (万元 as `Decimal`, or a count), the text printed, where.

    `rank` 0 is a figure of the whole year, 1 a fallback (本年支出合计 beside 支出总计); `scope`
    says which money a table covers (`all`, or `fiscal` for 财政拨款 alone); `level` whether a
    department or a unit printed it; `derived` marks a figure the document did not print but
    its parts give (the 三公 total where only the three costs are printed)."""

    value: Decimal | int
    printed: str
    source: Source
    rank: int = 0
    scope: str | None = None
    level: str | None = None
    derived: bool = False

    def to_json(self) -> dict:
        data = {"value": json_value(self.value), "printed": self.printed, **self.source.to_json()}
        if self.source.table is not None:
            data.update(rank=self.rank, scope=self.scope, level=self.level)
        if self.derived:
            data["derived"] = True
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Candidate":
        value = data["value"]
        return cls(
            value=value if isinstance(value, int) else Decimal(value),
            printed=data.get("printed") or "",
            source=Source.from_json(data),
            rank=data.get("rank", 0),
            scope=data.get("scope"),
            level=data.get("level"),
            derived=bool(data.get("derived")),
        )


def json_value(value):
    """A value as the JSON carries it: decimals as exact strings, everything else as it is."""
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, Source | Candidate):
        return value.to_json()
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value
