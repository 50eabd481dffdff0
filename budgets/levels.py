"""Where each line item sits in its classification, so that no chart, total or export adds a
class to its own parts.

A disclosure prints every level of a classification as a row: 201 (类), 20103 (款) and 2010301
(项) alike, and 涞源县 2016, printing no codes, `一、工资福利支出` over `1、基本工资` over
`（1）基本养老保险费`. Adding such rows counts the same money two or three times. Each line item
therefore carries, computed once when it is saved (ingest.loader, and migration 0007 for rows
saved before):

- `level`: 1, 2, 3 for 类, 款, 项 — from the code's length where a code is printed; where none
  is, the row's depth in the outline its table prints (1 under no other row, 2 under a row of
  level 1 …). 0 for a project, and for a row whose place is not known.
- `leaf`: no row of the same budget year and kind is printed under it.

The rows of one level add up once; so do the leaves. `top()` picks the rows a chart of one
kind draws.
"""

from django.utils.translation import gettext_lazy as _

from budgets.models import LineItem

PROJECT = "project"
# A level as the pages, the lists and their filter name it.
NAMES = {1: _("1 · class (类)"), 2: _("2 · subclass (款)"), 3: _("3 · item (项)")}


def name(level, coded=True) -> str:
    """1 · class (类) for a coded row; a row without a code sits at a depth of its document's own
    outline, not at a level of the national classification: its number only."""
    return str(NAMES[level]) if coded and level in NAMES else str(level)


def classify(items, tables=()) -> None:
    """Set `level` and `leaf` on line items of one budget year (model instances, saved or not,
    with kind, code, source_table, source_line and source_page). `tables` are the parsed
    disclosure's tables (`parsed["tables"]`, docs/disclosure-json.md), whose rows give the
    outline numbering of rows printed without a code."""
    coded, uncoded = [], []
    for item in items:
        if item.kind == PROJECT:
            item.level, item.leaf = 0, True
        elif item.code:
            coded.append(item)
        else:
            uncoded.append(item)
    _by_code(coded)
    _by_outline(uncoded, tables)


def _by_code(items) -> None:
    codes = {(item.kind, item.code) for item in items}
    prefixes = {(kind, code[:length]) for kind, code in codes for length in range(1, len(code))}
    for item in items:
        item.level = LineItem.level_of(item.code)
        item.leaf = (item.kind, item.code) not in prefixes


def _by_outline(items, tables) -> None:
    """Rows without a code: nested by the numbering of the table each was printed in."""
    printed = {}
    for item in items:
        item.level, item.leaf = 0, True  # unless its table says where it sits
        printed[(item.source_table, item.source_line, item.source_page)] = item
    if not printed:
        return
    for table in tables:
        title = table.get("title") or ""
        rows = [
            (row, printed.get((title, row.get("line"), row.get("page"))))
            for row in table.get("rows") or ()
            if not row.get("code")
        ]
        if any(item is not None for _row, item in rows):
            _nest(rows)


def _nest(rows) -> None:
    """Walk one table's rows in printed order keeping the numbered rows above the current one
    (`open_rows`): a row's parents are those of a shallower numbering. A 合计 row closes the rows
    above it; an unnumbered row sits under the innermost open row and heads nothing. Only rows
    saved as line items count as levels: a heading printed without an amount is not one."""
    open_rows = []  # (numbering level, item or None), outermost first
    for row, item in rows:
        if row.get("total"):
            open_rows = []
            continue
        numbering = row.get("level")
        if numbering is not None:
            while open_rows and open_rows[-1][0] >= numbering:
                open_rows.pop()
        if item is not None:
            parents = [above for _n, above in open_rows if above is not None]
            item.level = 1 + len(parents)
            for parent in parents:
                parent.leaf = False
        if numbering is not None:
            open_rows.append((numbering, item))


def top(items):
    """The rows of one kind that add up to its total once: the 类 (level 1) where the kind
    prints codes, else the outermost rows of its printed outline. Never a class beside its
    own parts; empty where the levels are not known."""
    coded = [item for item in items if item.code and item.level == 1]
    return coded or [item for item in items if not item.code and item.level == 1]
