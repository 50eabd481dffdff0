"""Line items: one per (kind, code), or (kind, name) where no code is printed, merged over
every table that prints it."""

from ingest.result import Source
from ingest.tables.model import Table, row_name
from ingest.tables.rows import table_rows
from ingest.text import bare_label, squash
from ingest.vocabulary import tables as vocab


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

    Tables are taken department level first, then by `vocab.TABLE_PRIORITY`; each fills the
    fields it prints that are still empty.
    """
    ordered = sorted(
        (t for t in tables if t.kind in vocab.ROW_CLASSIFICATION and not t.empty),
        key=lambda t: (t.level != "department", vocab.TABLE_PRIORITY.index(t.kind)),
    )
    items: dict[tuple, dict] = {}
    for table in ordered:
        kind = vocab.ROW_CLASSIFICATION[table.kind]
        rows = [r for r in table_rows(table) if not r["total"] and _prints_amount(r)]
        if kind == "project":
            rows = _project_rows(table, rows)
        elif kind == "economic":
            rows = [r for r in rows if not _is_detail_total(r["name"])]
        for row in rows:
            _merge_item(items, kind, table, row)
    order = {"functional": 0, "economic": 1, "project": 2}
    return sorted(items.values(), key=lambda item: (order[item["kind"]], item["source"].line))


def _prints_amount(row: dict) -> bool:
    return any(row.get(m) is not None for m in vocab.VALUE_COLUMNS)


def _is_detail_total(name: str) -> bool:
    label = bare_label(name)
    return any(label in labels for labels in vocab.DETAIL_TOTAL_LABELS.values())


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
            "source": Source(table=table.title, line=row["line"], page=row.get("page")),
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
