"""One disclosure in, the parsed-disclosure JSON out (docs/disclosure-json.md).

`parse_document` puts the parts together: identity (ingest.identity), the standard tables
(ingest.tables), the figures of the explanation text (ingest.prose) and the performance
indicators (ingest.indicators). A figure a table prints wins over the same figure in the text;
the text fills what no table printed; where both print it, validation compares them. Every
kept figure says where it was printed under `sources`, every printed candidate under `figures`.
"""

from ingest.bounds import check_parsed
from ingest.document import Document, Paragraph, UnreadableDocument
from ingest.identity import parse_identity
from ingest.indicators import parse_indicators
from ingest.prose import parse_prose
from ingest.readers import read_document
from ingest.result import BLOCK_KEYS, Candidate, Disclosure
from ingest.tables import read_tables, table_summary
from ingest.text import is_numbered
from ingest.validation import validate
from ingest.vocabulary import tables as vocab

PARSER_VERSION = "2.0"


def parse_bytes(data: bytes, name: str) -> dict:
    """Parse the bytes of one disclosure file named `name`, in any format a reader reads, into
    the parsed-disclosure JSON. Raises UnreadableDocument."""
    return parse_document(read_document(data, name))


def parse_document(document: Document) -> dict:
    """The parsed-disclosure JSON of one Document; raises UnreadableDocument when the
    document has no budget tables and no explanation sections, or holds a figure or a name
    the database cannot (ingest.bounds)."""
    disclosure = read_disclosure(document)
    parsed = disclosure.to_json()
    check_parsed(parsed)
    disclosure.findings = validate(parsed)
    return disclosure.to_json()


def read_disclosure(document: Document) -> Disclosure:
    """Every part of one Document put together, before validation."""
    identity = parse_identity(document)
    reading = read_tables(document)
    prose = parse_prose(document, identity["year"], identity.get("kind") == "final_accounts")
    indicators = parse_indicators(document)
    sections = sections_found(document)
    if not (reading["tables"] or _prints_figures(prose) or indicators or len(sections) >= 2):
        raise UnreadableDocument("not_a_disclosure")
    table_figures = {
        "totals": reading["totals"],
        "three_costs": reading["three_costs"],
        "three_costs_budget": reading["three_costs_budget"],
        **{
            block: {key: [figure] for key, figure in reading[block].items()}
            for block in ("assets", "staffing", "procurement")
        },
    }
    return Disclosure(
        identity={k: v for k, v in identity.items() if k != "sources"},
        identity_sources=identity.get("sources") or {},
        figures={
            block: merge_figures(table_figures.get(block, {}), prose.get(block) or {}, block == "totals")
            for block in BLOCK_KEYS
        },
        line_items=reading["line_items"],
        indicators=indicators,
        non_tax_income=reading["non_tax_income"],
        tables=[table_summary(t) for t in reading["tables"]],
        unread=unread(identity, reading["tables"], sections),
        parser_version=PARSER_VERSION,
    )


def _prints_figures(prose: dict) -> bool:
    return any(prose.get(block) for block in ("totals", "three_costs", "assets"))


def merge_figures(
    table_candidates: dict, prose_figures: dict, by_scope: bool = False
) -> dict[str, list[Candidate]]:
    """{key: [candidate]}: the tables' candidates (best first), then the text's figure. A figure
    a table prints wins over the same figure in the text; validation compares them. With
    `by_scope` (the totals, which mean all of a department's money), a figure of all the money
    comes first, from the text if no table prints it (a 决算 whose 支出决算表 could not be read
    for sure, beside a 财政拨款 table that could)."""
    merged = {key: list(candidates) for key, candidates in table_candidates.items()}
    for key, figure in prose_figures.items():
        merged.setdefault(key, []).append(figure)
    if by_scope:
        for candidates in merged.values():
            candidates.sort(key=lambda candidate: candidate.scope == "fiscal")
    return merged


# --- what was not found ------------------------------------------------------------------------


def sections_found(document: Document) -> list[str]:
    """The expected explanation sections whose heading the document prints."""
    found = []
    for block in document.blocks:
        if not isinstance(block, Paragraph) or not _is_heading(block.text):
            continue
        for name, pattern in vocab.EXPECTED_SECTIONS.items():
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
    missing += [{"kind": "table", "name": kind} for kind in vocab.EXPECTED_TABLES if kind not in kinds]
    missing += [{"kind": "section", "name": name} for name in vocab.EXPECTED_SECTIONS if name not in sections]
    return missing
