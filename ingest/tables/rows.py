"""Body rows as code, name and amounts in 万元 (codes joined from 类 | 款 | 项 columns)."""

from ingest.tables.model import BodyRow, Table, parse_code, row_name
from ingest.text import bare_label, outline_level, squash, strip_numbering
from ingest.vocabulary import tables as vocab


def table_rows(table: Table) -> list[dict]:
    """Body rows of a classified table as code, name and amounts in 万元 (for checks and preview)."""
    if table._rows is None:
        table._rows = read_rows(table)
    return table._rows


def read_rows(table: Table) -> list[dict]:
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
        values = {m: table.value(row, m) for m in vocab.VALUE_COLUMNS if m in table.columns}
        if not name and not code:
            continue
        entry = {
            "line": row.line,
            "code": code,
            "name": strip_numbering(name),
            "total": not code and bool(vocab.TOTAL_ROW.search(bare_label(name))),
            **values,
        }
        if row.page is not None:
            entry["page"] = row.page
        if row.uncertain:
            entry["uncertain"] = sorted(row.uncertain)
        if not code and outline_level(name):
            entry["level"] = outline_level(name)
        rows.append(entry)
    return rows


def _code_in_name(name: str) -> tuple[str | None, str]:
    """`[2010301]行政运行` or `30101 基本工资` printed in one cell: the code and the name apart."""
    match = vocab.CODE_IN_NAME.match(name)
    return (match.group(1), name[match.end() :].strip()) if match else (None, name)


def _has_split_code(table: Table) -> bool:
    """Codes printed over 类 | 款 (| 项) columns: functional codes have three parts, economic two."""
    return all(
        any(stack and stack[-1] == part for stack in table.labels) for part in vocab.SPLIT_CODE_PARTS[:2]
    )


class _SplitCode:
    """Codes printed over 类 | 款 | 项 columns (`201 | 03 | 01`); a row printing only its 款 or
    项 belongs to the 类 and 款 printed above it. A part printed without its leading zero
    (`301 | 2`) is padded: parts are two digits."""

    def __init__(self, table: Table):
        self.table = table
        self.columns = [
            next((i for i, stack in enumerate(table.labels) if stack and stack[-1] == part), None)
            for part in vocab.SPLIT_CODE_PARTS
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
        if not all(p.isascii() and p.isdecimal() for p in parts if p):
            return None
        parts = [parts[0], *(p.zfill(2) if p else "" for p in parts[1:])]
        if parts[0]:
            self.above = [parts[0], ""]
        if parts[1]:
            self.above[1] = parts[1]
        digits = self.above[0] + (self.above[1] if parts[1] or parts[2] else "") + parts[2]
        return parse_code(digits)
