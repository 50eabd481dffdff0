"""The typed parse result: where a figure was printed (`Source`) and a figure as one place
printed it (`Candidate`). The extractors (tables, prose, identity, indicators) build these with
the page already known; `to_json` is the one place they become the JSON of
docs/disclosure-json.md, and `from_json` the one place that JSON becomes them again.
"""

from dataclasses import dataclass, field
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
        elif self.scope is not None:
            data["scope"] = self.scope
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


# The keys every disclosure's JSON carries in each block of figures, null where not printed
# (docs/disclosure-json.md); a block may carry more (changes on last year, 经营支出 …).
TOTAL_KEYS = (
    "income",
    "expenditure",
    "general_budget_income",
    "basic",
    "personnel",
    "public",
    "project",
    "operating",
)
THREE_COST_KEYS = (
    "total",
    "overseas",
    "vehicle",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
    "total_change",
)
BLOCK_KEYS = {
    "totals": TOTAL_KEYS,
    "three_costs": THREE_COST_KEYS,
    "three_costs_budget": THREE_COST_KEYS[:-1],
    "assets": ("fixed_assets_total", "vehicles_count", "vehicles_value"),
    "staffing": (),
    "procurement": (),
}


@dataclass
class Disclosure:
    """One parsed disclosure: who and when (`identity`, with `identity_sources`), every printed
    candidate of every figure (`figures`: block → key → candidates, the kept one first), the
    line items, indicators and tables as read, what was not read, and the findings."""

    identity: dict
    identity_sources: dict
    figures: dict[str, dict[str, list[Candidate]]]
    line_items: list[dict]
    indicators: list[dict]
    non_tax_income: list[dict]
    tables: list[dict]
    unread: list[dict]
    parser_version: str
    findings: list[dict] = field(default_factory=list)

    def kept(self, block: str) -> dict:
        """The kept (first) value per key: every contract key present, null where not printed."""
        values = dict.fromkeys(BLOCK_KEYS[block])
        for key, candidates in self.figures.get(block, {}).items():
            values[key] = candidates[0].value if candidates else None
        return values

    def kept_sources(self, block: str) -> dict:
        """Where each kept figure was printed, and as what (`printed`)."""
        sources = {}
        for key, candidates in self.figures.get(block, {}).items():
            if candidates:
                kept = candidates[0]
                sources[key] = {**kept.source.to_json(), "printed": kept.printed}
                if kept.scope:  # which money: `all` of the department's, or `fiscal` (财政拨款) alone
                    sources[key]["scope"] = kept.scope
        return sources

    def to_json(self) -> dict:
        """The parsed-disclosure JSON (docs/disclosure-json.md): every value JSON-safe, amounts
        as exact decimal strings."""
        data = {
            **self.identity,
            **{block: self.kept(block) for block in BLOCK_KEYS},
            "line_items": self.line_items,
            "indicators": self.indicators,
            "non_tax_income": self.non_tax_income,
            "sources": {
                "identity": self.identity_sources,
                **{block: self.kept_sources(block) for block in BLOCK_KEYS},
            },
            "figures": {block: self.figures.get(block, {}) for block in BLOCK_KEYS},
            "tables": self.tables,
            "unread": self.unread,
            "parser_version": self.parser_version,
            "findings": self.findings,
            "needs_checking": needs_checking(self.findings),
        }
        return json_value(data)

    @classmethod
    def from_json(cls, data: dict) -> "Disclosure":
        """The disclosure a parsed JSON describes (as the preview and the loader keep it)."""
        figures = {
            block: {key: [Candidate.from_json(c) for c in candidates] for key, candidates in by_key.items()}
            for block, by_key in (data.get("figures") or {}).items()
        }
        identity_keys = (
            set(data)
            - set(BLOCK_KEYS)
            - {
                "line_items",
                "indicators",
                "non_tax_income",
                "sources",
                "figures",
                "tables",
                "unread",
                "parser_version",
                "findings",
                "needs_checking",
            }
        )
        return cls(
            identity={key: data[key] for key in identity_keys},
            identity_sources=(data.get("sources") or {}).get("identity") or {},
            figures=figures,
            line_items=data.get("line_items") or [],
            indicators=data.get("indicators") or [],
            non_tax_income=data.get("non_tax_income") or [],
            tables=data.get("tables") or [],
            unread=data.get("unread") or [],
            parser_version=data.get("parser_version") or "",
            findings=data.get("findings") or [],
        )


def needs_checking(findings: list[dict]) -> list[str]:
    """The headline figures an error concerns: shown as "needs checking", never as fact."""
    return sorted({name for f in findings if f["severity"] == "error" for name in f.get("figures", ())})
