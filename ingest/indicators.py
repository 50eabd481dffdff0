"""Performance indicators (绩效指标): the rows of a disclosure's 绩效目标 tables.

Two table shapes exist, both recognised by their column headers, never by their place:

- duty-activity tables (部门职责-工作活动绩效目标):
  职责活动 | 年度预算数 | 内容描述 | 绩效目标 | 绩效指标 | 评价标准 (优 良 中 差).
  An activity row names a group; the indicator rows under it belong to it until the next
  activity row. Sub-activities are numbered `1、` or indented under `一、` headings.
- project target tables (…绩效目标表):
  一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据.
  The group is the project the table title (or a 项目名称 row) names; merged level cells
  are filled down, across page breaks too.

Prose sentences that start with 绩效指标： are not indicators: only table rows are.
"""

import re
from dataclasses import dataclass, field

from ingest.amounts import format_amount, is_amount, parse_amount
from ingest.document import Document, Paragraph, Row
from ingest.result import Source
from ingest.text import UNIT_IN_BRACKETS, money_unit, outline_level, squash, strip_numbering
from ingest.vocabulary import indicators as words

GRADES = ("excellent", "good", "fair", "poor")
# What makes a row start a new logical row in each table kind (tsv layout), and which
# fields an activity prints once on its own row: text in those on a row without an
# activity name can only be the rest of a cell that a page break cut.
KEY_FIELDS = {"activity": ("activity",), "project": ("level1", "level2")}
GROUP_FIELDS = {"activity": ("budget", "description", "goal"), "project": ()}

_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[)）]$")
# Page furniture a PDF prints on every page besides the lines it repeats from the first
# page of the table (department and code, unit): page numbers, 续表, units, budget year.
_FURNITURE = re.compile(
    r"^(?:[-—\s]*\d+[-—\s]*|第\s*\d+\s*页.*|[（(]?续?表[)）]?|续表.*|(单位|预算年度)\s*[:：].*)$"
)
# Word exports sometimes repeat a table's percent scale as a row of its own.
_PERCENT = re.compile(r"^\d+(\.\d+)?%$")
# Table titles are short lines; prose that mentions 绩效目标 is longer.
_LONGEST_TITLE = 60
# Header cells carry at most a label and a short note such as （包含数字及文字描述）.
_LONGEST_HEADER = 24
_CJK = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_SPACE_BY_CJK = re.compile(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+")


@dataclass
class _Line:
    """One logical table row: physical rows a page break split are joined into it."""

    cells: list[str]
    line: int
    label: str | None = None
    page: int | None = None


@dataclass
class _Table:
    title: str
    kind: str
    columns: dict[str, int]
    unit: str
    project: str | None
    lines: list[_Line] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max(self.columns.values()) + 1

    def get(self, line: _Line, name: str) -> str:
        index = self.columns.get(name)
        return line.cells[index] if index is not None and index < len(line.cells) else ""


def parse_indicators(document: Document) -> list[dict]:
    """Every indicator row of the document's 绩效目标 tables, in reading order.

    Accepts any Document; one without such tables gives []. Each dict holds group, level1,
    level2, name, target, grades ({excellent, good, fair, poor} or None), kind
    ("activity" or "project") and source ({table, line}); description, basis, budget
    (万元, decimal string) and parent (the activity heading above a sub-activity) where printed.
    """
    indicators: list[dict] = []
    state = _GroupState()
    for table in _tables(document):
        if table.title != state.title:
            state = _GroupState(title=table.title)
        if table.project:
            state.group = table.project
        reader = _activity_indicators if table.kind == "activity" else _project_indicators
        indicators.extend(reader(table, state))
    return indicators


# --- phase 1: find the tables and join what page breaks cut ---------------------------------


def _tables(document: Document) -> list[_Table]:
    """The indicator tables of a document, each from a recognised header row to the next
    paragraph that is not page furniture, with the rows page breaks cut joined again."""
    splitter = _Splitter(document.layout)
    for block in document.blocks:
        if isinstance(block, Paragraph):
            splitter.paragraph(block.text)
        else:
            splitter.row(block)
    return [t for t in splitter.tables if t.lines]


class _Splitter:
    """Walks the blocks once. Outside tables it keeps what the next table inherits: the
    title, the unit line and a 项目名称 row."""

    def __init__(self, layout: str):
        self.layout = layout
        self.tables: list[_Table] = []
        self.table: _Table | None = None
        self.title, self.unit, self.project = "", "万元", None
        # Lines printed between the title and the table (`434 高邑县政府办`): a PDF
        # repeats them at the top of every page, where they end no table.
        self.page_header: set[str] = set()
        self.after_break = False

    def paragraph(self, text: str) -> None:
        if _is_title(text):
            if self.table is None or text != self.title:  # a title repeated on each page
                self._new_title(text)
        elif self.table is None:
            self.page_header.add(text)
        elif text not in self.page_header and not _FURNITURE.match(text):
            self.table = None
        self.unit = money_unit(text) or self.unit

    def row(self, row: Row) -> None:
        filled = row.filled
        if not filled:
            return
        if len(filled) == 1 and row.cells[0] and _is_title(filled[0]):
            # Word prints some table titles as a one-cell row.
            self._new_title(filled[0])
            return
        columns = _header_columns(row)
        if columns:
            self._header(row, columns)
        elif _is_grade_header(filled):
            if self.table is not None:
                self.table.columns.update(_grade_columns(row))
        elif self.table is None:
            self._outside(row, filled)
        else:
            self._inside(row, filled)

    def _new_title(self, text: str) -> None:
        self.title, self.unit, self.project, self.table = text, "万元", None, None
        self.page_header = set()

    def _header(self, row: Row, columns: dict[str, int]) -> None:
        if self.table is not None and self.table.columns.keys() == columns.keys():
            self.after_break = True  # the header a PDF repeats on every page
            return
        self.table = _Table(self.title, _kind(columns), columns, _header_unit(row) or self.unit, self.project)
        self.tables.append(self.table)
        self.after_break = False

    def _outside(self, row: Row, filled: tuple[str, ...]) -> None:
        if _label(filled) == "项目名称":
            self.project = _label_value(filled)
        if any("单位" in c for c in filled):
            self.unit = money_unit(" ".join(filled)) or self.unit

    def _inside(self, row: Row, filled: tuple[str, ...]) -> None:
        table = self.table
        label = _label(filled)
        if label and table.kind == "project":
            table.lines.append(_Line(list(row.cells), row.line, label, row.page))
            return
        if self.layout == "cells" and _is_stray_scale(filled):
            return
        cells = _aligned(row, table, self.layout)
        if self.layout == "tsv" and table.lines and _continues(cells, table, self.after_break):
            _join(table.lines[-1], cells)
        else:
            table.lines.append(_Line(cells, row.line, page=row.page))
        self.after_break = False


def _is_title(text: str) -> bool:
    if len(text) > 2 * _LONGEST_TITLE or "绩" not in text:
        return False
    squashed = _TRAILING_NOTE.sub("", squash(text))
    return len(squashed) <= _LONGEST_TITLE and bool(words.TITLE.search(squashed))


def _header_label(cell: str) -> str:
    """A header cell reduced to its label (`指标值（包含数字及文字描述）` -> `指标值`); long
    cells are data, not labels, and skip the normalising."""
    if len(cell) > _LONGEST_HEADER:
        return ""
    return _TRAILING_NOTE.sub("", squash(cell))


def _header_columns(row: Row) -> dict[str, int] | None:
    """The field -> column index of an indicator table header, or None for any other row.

    A header has an indicator-name column and at least two other known columns. Where two
    columns claim the name, the rightmost wins: in project tables a leading 绩效指标 cell
    is a row label spanning the three level columns, 三级指标 is the name."""
    if "指" not in "".join(row.cells):  # every name label (绩效指标, 三级指标) has it
        return None
    columns: dict[str, int] = {}
    for index, cell in enumerate(row.cells):
        name = words.COLUMN_FIELDS.get(_header_label(cell))
        if name and (name not in columns or name == "name"):
            columns[name] = index
    if "name" not in columns or len(columns) < 3:
        return None
    if "grades" in columns and "excellent" not in columns:
        # 评价标准 spans the four grade columns when the 优/良/中/差 row is missing.
        start = columns.pop("grades")
        columns.update({grade: start + offset for offset, grade in enumerate(GRADES)})
    columns.pop("grades", None)
    return columns


def _header_unit(row: Row) -> str | None:
    for cell in row.cells:
        if words.COLUMN_FIELDS.get(_header_label(cell)) == "budget":
            found = UNIT_IN_BRACKETS.search(squash(cell))
            if found:
                return found.group(1)
    return None


def _kind(columns: dict[str, int]) -> str:
    return "activity" if "activity" in columns else "project"


def _is_grade_header(filled: tuple[str, ...]) -> bool:
    """The 优 良 中 差 row under 评价标准 (three labels at least: a lone 差 is a value)."""
    if len(filled) < 3 or any(len(c) > 4 for c in filled):
        return False
    return {words.COLUMN_FIELDS.get(squash(c)) for c in filled} <= set(GRADES)


def _grade_columns(row: Row) -> dict[str, int]:
    return {words.COLUMN_FIELDS[squash(c)]: i for i, c in enumerate(row.cells) if c.strip()}


def _label(filled: tuple[str, ...]) -> str | None:
    label = _header_label(filled[0])
    return label if label in words.PROJECT_LABELS else None


def _label_value(cells) -> str | None:
    """The text beside a row label: `项目名称 | 大气办经费` -> `大气办经费`."""
    filled = [c for c in cells if c.strip()]
    return _clean(filled[1]) if len(filled) > 1 else None


def _is_stray_scale(filled: tuple[str, ...]) -> bool:
    return all(_PERCENT.match(squash(c)) for c in filled)


def _aligned(row: Row, table: _Table, layout: str) -> list[str]:
    """The row's cells under the header's columns. Word drops merged cells instead of
    printing them empty, and merged cells are the leading ones (activity, level1, level2),
    so a short row is aligned to the right edge."""
    cells = list(row.cells)
    if layout == "cells" and len(cells) < table.width:
        cells = [""] * (table.width - len(cells)) + cells
    return cells


def _continues(cells: list[str], table: _Table, after_break: bool) -> bool:
    """Whether a tsv row is the rest of the row above, cut by a page break or a wrap.

    A row that names no indicator continues the row above. So does a row without the
    key cell of its kind (activity; level1/level2) that prints an activity's own text.
    First after a page break, a keyless row also continues the row above when one of
    the two lacks every value (grades, target): the break cut the name from its values."""
    line = _Line(cells, 0)
    name = table.get(line, "name").strip()
    keyless = not any(table.get(line, f).strip() for f in KEY_FIELDS[table.kind])
    if table.kind == "activity" and not keyless:
        return False
    if not name:
        return True
    if keyless and any(table.get(line, f).strip() for f in GROUP_FIELDS[table.kind]):
        return True
    return keyless and after_break and not (_has_values(table, line) and _has_values(table, table.lines[-1]))


def _has_values(table: _Table, line: _Line) -> bool:
    return any(table.get(line, f).strip() for f in (*GRADES, "target") if f in table.columns)


def _join(line: _Line, cells: list[str]) -> None:
    """Append each continuation cell to the same column of the row above. A PDF cuts a
    cell anywhere (`80-8` + `9%`), so the parts join without a space."""
    width = max(len(line.cells), len(cells))
    line.cells.extend([""] * (width - len(line.cells)))
    for index, part in enumerate(cells):
        if part.strip():
            line.cells[index] = line.cells[index].rstrip() + part.strip()


# --- phase 2: turn logical rows into indicators ----------------------------------------------


@dataclass
class _GroupState:
    """What carries over from one table to the next with the same title (a table resumed
    after page furniture): the current group and the filled-down cells."""

    title: str | None = None
    group: str | None = None
    # (outline level, name) of the activity rows above, outermost first
    outline: list[tuple[int, str]] = field(default_factory=list)
    activity: dict = field(default_factory=dict)
    level1: str | None = None
    level2: str | None = None


def _activity_indicators(table: _Table, state: _GroupState) -> list[dict]:
    """Indicators of a duty-activity table; each belongs to the activity row above it."""
    indicators = []
    for line in table.lines:
        raw_activity = table.get(line, "activity")
        if raw_activity.strip():
            _enter_activity(state, table, line, raw_activity)
        name = _clean(table.get(line, "name"))
        if name:
            indicator = _indicator(table, line, state.group, name, "activity")
            indicator.update(state.activity)
            if len(state.outline) > 1:
                indicator["parent"] = state.outline[-2][1]
            indicators.append(indicator)
    return indicators


def _enter_activity(state: _GroupState, table: _Table, line: _Line, raw_activity: str) -> None:
    name = strip_numbering(_clean(raw_activity)).rstrip("。；;，,")
    level = _outline_level(raw_activity)
    while state.outline and state.outline[-1][0] >= level:
        state.outline.pop()
    state.outline.append((level, name))
    state.group = name
    state.activity = {}
    description = _clean(table.get(line, "description"))
    if description:
        state.activity["description"] = description
    budget = _budget(table.get(line, "budget"), table.unit)
    if budget is not None:
        state.activity["budget"] = budget


def _outline_level(raw: str) -> int:
    """How deep an activity row sits: by its numbering (一、 above （一） above 1.), or,
    unnumbered, by its indentation (Word indents sub-activities with full-width spaces)."""
    text = raw.lstrip()
    level = outline_level(text)
    return level if level is not None else len(raw) - len(text)


def _budget(cell: str, unit: str) -> str | None:
    return format_amount(parse_amount(cell, unit)) if is_amount(cell) else None


def _project_indicators(table: _Table, state: _GroupState) -> list[dict]:
    """Indicators of a project target table, level1/level2 filled down from the rows above."""
    if state.group is None:
        state.group = _project_from_title(table.title)
    indicators = []
    for line in table.lines:
        if line.label:
            if words.PROJECT_LABELS[line.label] == "group":
                state.group, state.level1, state.level2 = _label_value(line.cells), None, None
            continue
        level1, level2 = _clean(table.get(line, "level1")), _clean(table.get(line, "level2"))
        if level1:
            # A merged level2 never spans two level1 cells, so a new level1 restarts it.
            state.level1, state.level2 = level1, level2 or None
        elif level2:
            state.level2 = level2
        name = _clean(table.get(line, "name"))
        if name:
            indicator = _indicator(table, line, state.group, name, "project")
            indicator.update(level1=state.level1, level2=state.level2)
            indicators.append(indicator)
    return indicators


def _project_from_title(title: str) -> str | None:
    """`1.人民防空宣教基地建设（上年结转）绩效目标表` -> `人民防空宣教基地建设（上年结转）`."""
    name = words.TITLE_SUFFIX.sub("", _TRAILING_NOTE.sub("", strip_numbering(_clean(title))))
    return name or None


def _indicator(table: _Table, line: _Line, group: str | None, name: str, kind: str) -> dict:
    indicator = {
        "group": group,
        "level1": None,
        "level2": None,
        "name": name,
        "target": _clean(table.get(line, "target")) or None,
        "grades": _grades(table, line),
        "kind": kind,
        "source": Source(table=_clean(table.title) or None, line=line.line, page=line.page).to_json(),
    }
    for key in ("description", "basis"):
        text = _clean(table.get(line, key))
        if text:
            indicator[key] = text
    return indicator


def _grades(table: _Table, line: _Line) -> dict | None:
    if "excellent" not in table.columns:
        return None
    grades = {grade: _clean(table.get(line, grade)) or None for grade in GRADES}
    return grades if any(grades.values()) else None


# --- text ------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Cell text as printed, without the spaces and line breaks that wrapping put inside
    Chinese text (`≥100 人` -> `≥100人`); spaces between Latin words and digits stay."""
    return _SPACE_BY_CJK.sub("", text).strip()
