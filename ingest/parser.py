"""One disclosure in, the parsed-disclosure JSON out (docs/disclosure-json.md).

`parse_document` puts the parts together: identity (ingest.identity), the standard tables
(ingest.tables), the figures of the explanation text (ingest.prose) and the performance
indicators (ingest.indicators). A figure a table prints wins over the same figure in the text;
the text fills what no table printed; where both print it, validation compares them. Every
kept figure says where it was printed under `sources`, every printed candidate under `figures`.
"""

from decimal import Decimal

from ingest import layout
from ingest.amounts import format_amount
from ingest.document import Document, Paragraph, UnreadableDocument
from ingest.identity import parse_identity
from ingest.indicators import parse_indicators
from ingest.prose import parse_prose
from ingest.readers import read_document
from ingest.tables import read_tables, table_summary
from ingest.text import is_numbered
from ingest.validation import needs_checking, validate

PARSER_VERSION = "1.0"

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
ASSET_KEYS = ("fixed_assets_total", "vehicles_count", "vehicles_value")


def parse_bytes(data: bytes, name: str) -> dict:
    """Parse the bytes of one disclosure file named `name` (text for now; PDF, Word and
    Excel readers will produce the same Document). Raises UnreadableDocument."""
    return parse_document(read_document(data, name))


def parse_document(document: Document) -> dict:
    """The parsed-disclosure JSON of one Document; raises UnreadableDocument when the
    document has no budget tables and no explanation sections."""
    identity = parse_identity(document)
    reading = read_tables(document)
    prose = parse_prose(document, identity["year"], identity.get("kind") == "final_accounts")
    indicators = parse_indicators(document)
    sections = sections_found(document)
    if not (reading["tables"] or _prints_figures(prose) or indicators or len(sections) >= 2):
        raise UnreadableDocument(
            "this is not a budget disclosure: no budget tables or explanation sections found"
        )
    figures = {
        "totals": merge_figures(reading["totals"], prose.get("totals") or {}),
        "three_costs": merge_figures(reading["three_costs"], prose.get("three_costs") or {}),
        "three_costs_budget": merge_figures(reading["three_costs_budget"], {}),
    }
    others = {
        "assets": merge_figures({}, prose.get("assets") or {}),
        "staffing": merge_figures(
            {k: [f] for k, f in reading["staffing"].items()}, prose.get("staffing") or {}
        ),
        "procurement": merge_figures({}, prose.get("procurement") or {}),
    }
    parsed = {
        **{k: v for k, v in identity.items() if k != "sources"},
        "totals": kept_values(figures["totals"], TOTAL_KEYS),
        "three_costs": kept_values(figures["three_costs"], THREE_COST_KEYS),
        "three_costs_budget": kept_values(figures["three_costs_budget"], THREE_COST_KEYS[:-1]),
        "line_items": [_item_json(item) for item in reading["line_items"]],
        "indicators": indicators,
        "assets": kept_values(others["assets"], ASSET_KEYS),
        "staffing": kept_values(others["staffing"], ()),
        "procurement": kept_values(others["procurement"], ()),
        "non_tax_income": reading["non_tax_income"],
        "sources": {
            "identity": identity.get("sources") or {},
            **{block: kept_sources(candidates) for block, candidates in {**figures, **others}.items()},
        },
        "figures": figures,
        "tables": [table_summary(t) for t in reading["tables"]],
        "unread": unread(identity, reading["tables"], sections),
        "parser_version": PARSER_VERSION,
    }
    parsed["findings"] = validate(parsed)
    parsed["needs_checking"] = needs_checking(parsed["findings"])
    if any(block.page for block in document.blocks):
        add_pages(parsed, {block.line: block.page for block in document.blocks})
    return parsed


def add_pages(node, pages: dict) -> None:
    """Give every provenance (a dict with a `line`) the page its line was printed on, for the
    formats that have pages: a reader of a PDF looks for the page, not a running line count."""
    if isinstance(node, dict):
        if isinstance(node.get("line"), int) and pages.get(node["line"]) and "page" not in node:
            node["page"] = pages[node["line"]]
        for value in node.values():
            add_pages(value, pages)
    elif isinstance(node, list):
        for value in node:
            add_pages(value, pages)


def _prints_figures(prose: dict) -> bool:
    return any(prose.get(block) for block in ("totals", "three_costs", "assets"))


# --- merging table and text figures ---------------------------------------------------------


def merge_figures(table_candidates: dict, prose_figures: dict) -> dict:
    """{key: [candidate]}: the tables' candidates (best first), then the text's figure
    (a Figure dict, or a bare value where the text gives no provenance)."""
    merged = {key: [_candidate_json(c) for c in candidates] for key, candidates in table_candidates.items()}
    for key, figure in prose_figures.items():
        figure = figure if isinstance(figure, dict) and "value" in figure else {"value": figure}
        merged.setdefault(key, []).append(_candidate_json(figure))
    return merged


def _candidate_json(figure: dict) -> dict:
    """A printed figure made JSON-safe: decimals as exact strings, counts as integers."""
    return {k: _json_value(v) for k, v in figure.items()}


def _json_value(value):
    return format_amount(value) if isinstance(value, Decimal) else value


def kept_values(figures: dict, keys) -> dict:
    """The kept (first) figure per key: every contract key present, null where nothing printed it."""
    values = dict.fromkeys(keys)
    for key, candidates in figures.items():
        values[key] = candidates[0]["value"] if candidates else None
    return values


def kept_sources(figures: dict) -> dict:
    """Where each kept figure was printed: {"table" or "section", "line", "printed"}."""
    sources = {}
    for key, candidates in figures.items():
        if candidates:
            kept = candidates[0]
            sources[key] = {k: kept[k] for k in ("table", "section", "line", "printed") if k in kept}
    return sources


def _item_json(item: dict) -> dict:
    return {k: _json_value(v) for k, v in item.items()}


# --- what was not found ------------------------------------------------------------------------


def sections_found(document: Document) -> list[str]:
    """The expected explanation sections whose heading the document prints."""
    found = []
    for block in document.blocks:
        if not isinstance(block, Paragraph) or not _is_heading(block.text):
            continue
        for name, pattern in layout.EXPECTED_SECTIONS.items():
            if name not in found and pattern.search(block.text):
                found.append(name)
    return found


def _is_heading(text: str) -> bool:
    text = text.strip()
    return len(text) <= 40 and (is_numbered(text) or len(text) <= 16)


def unread(identity: dict, tables, sections: list[str]) -> list[dict]:
    """Expected parts of a disclosure the parser did not find, for the reviewer."""
    missing = [
        {"kind": "identity", "name": key} for key in ("county", "department", "year") if not identity.get(key)
    ]
    kinds = {t.kind for t in tables}
    missing += [{"kind": "table", "name": kind} for kind in layout.EXPECTED_TABLES if kind not in kinds]
    missing += [
        {"kind": "section", "name": name} for name in layout.EXPECTED_SECTIONS if name not in sections
    ]
    return missing
