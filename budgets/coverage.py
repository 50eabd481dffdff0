"""What each disclosure printed of the standard parts of a disclosure, and what the site read.

The rules (财预〔2016〕143号 and the provinces' templates, ../shared/reference/standards.md) ask a
department to print a set of standard tables and explanation sections; the parser lists the ones
it expects (ingest.vocabulary.tables.EXPECTED_TABLES and EXPECTED_SECTIONS) and reports those it
did not find under `unread`. A reader needs more than "found": a table may be printed empty
(空表列示: the department has no such money), printed but give no figure the site could read
for sure, or be read with some figures in columns that cannot be told. `of_parse` works that out
from the parse alone (docs/disclosure-json.md), when a disclosure is saved (ingest.loader) and,
for those saved before, in migration 0009; the result is kept on the BudgetYear:

- `coverage`: {"tables": {kind: {"status", "table", "line", "page", "note"}}, "sections":
  {heading: found}, "unidentified": [{"table", "line", "page"}]}, for the pages (`table` is the
  title printed, as in a figure's `sources`);
- `tables_missing`: the standard tables, and the kinds of classification table, of which the
  site has no figure: "none", or their keys ("three_costs; functional"), as the budget-years
  list filters (`?missing=three_costs`) and exports them; "" where not known.

"Not found" is never written "not printed": a table the parser did not recognise is not found
either, and the page says so and points to the original.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from ingest.review import SECTION_NAMES, TABLE_NAMES
from ingest.tables import UNKNOWN
from ingest.vocabulary import tables as vocab

READ, UNCLEAR, EMPTY, UNREAD, ABSENT = "read", "unclear", "empty", "unread", "absent"
# A table of these statuses gave the site figures.
HAS_FIGURES = (READ, UNCLEAR)


@dataclass(frozen=True)
class Status:
    mark: str  # one character, the same in both languages: the county page's columns of marks
    label: object  # lazy text
    css: str


STATUSES = {
    READ: Status("●", _("printed and read"), "part-read"),
    UNCLEAR: Status("◐", _("printed, some figures unclear"), "part-unclear"),
    EMPTY: Status("○", _("printed empty"), "part-empty"),
    UNREAD: Status("✕", _("printed, not read"), "part-unread"),
    ABSENT: Status("–", _("not found"), "part-absent"),
}

# The standard tables every page lists, then those shown only where a disclosure prints them.
STANDARD = tuple(vocab.EXPECTED_TABLES)
OPTIONAL = ("fund", "state_capital", "project", "personnel", "public")
CLASSIFICATIONS = {
    "functional": tuple(k for k, c in vocab.ROW_CLASSIFICATION.items() if c == "functional"),
    "economic": tuple(k for k, c in vocab.ROW_CLASSIFICATION.items() if c == "economic"),
}
# Column heads of the county page's table of marks: short, as a reader scans them.
SHORT_NAMES = {
    "summary": pgettext_lazy("table kind, short", "Summary"),
    "income": pgettext_lazy("table kind, short", "Income"),
    "expenditure": pgettext_lazy("table kind, short", "Expenditure"),
    "fiscal_summary": pgettext_lazy("table kind, short", "Fiscal summary"),
    "general_budget": pgettext_lazy("table kind, short", "General budget"),
    "basic": pgettext_lazy("table kind, short", "Basic"),
    "three_costs": pgettext_lazy("table kind, short", "Three costs"),
}

# What `?missing=` asks for: a standard table, a kind of classification table, or neither kind.
MISSING_CHOICES = [
    ("three_costs", TABLE_NAMES["three_costs"]),
    ("functional", _("tables of functional classes")),
    ("economic", _("tables of economic classes")),
    ("classification", _("tables of functional and of economic classes")),
    *((kind, TABLE_NAMES[kind]) for kind in STANDARD if kind != "three_costs"),
]
NONE_MISSING = "none"
SEPARATOR = "; "


def of_parse(parsed: dict) -> dict:
    """The `coverage` of a parsed disclosure (see the module's docstring); empty, not known,
    for a parse that does not list its tables and what it did not find."""
    if "tables" not in parsed or "unread" not in parsed:
        return {}
    tables = parsed["tables"] or []
    read, unclear = _tables_read(parsed)
    kinds = {}
    for kind in (*STANDARD, *OPTIONAL):
        printed = [t for t in tables if t.get("kind") == kind]
        if printed or kind in STANDARD:
            kinds[kind] = _table(printed, read, unclear)
    missing = {u.get("name") for u in parsed.get("unread") or () if u.get("kind") == "section"}
    return {
        "tables": kinds,
        "sections": {name: name not in missing for name in vocab.EXPECTED_SECTIONS},
        "unidentified": [_where(t) for t in tables if t.get("kind") == UNKNOWN],  # not identified
    }


def fields(parsed: dict) -> dict:
    """The BudgetYear fields of a parsed disclosure's coverage."""
    coverage = of_parse(parsed)
    return {"coverage": coverage, "tables_missing": missing_text(coverage)}


def _tables_read(parsed: dict) -> tuple[set[str], set[str]]:
    """The titles of the tables any figure or line item was read from, and of those that printed
    a line item in a column that cannot be told for sure."""
    read, unclear = set(), set()
    for by_key in (parsed.get("figures") or {}).values():
        for candidates in by_key.values():
            read.update(c["table"] for c in candidates if c.get("table"))
    for item in (*(parsed.get("line_items") or ()), *(parsed.get("non_tax_income") or ())):
        titles = {*(item.get("tables") or ()), (item.get("source") or {}).get("table")} - {None}
        read |= titles
        if item.get("uncertain"):
            unclear |= titles
    return read, unclear


def _where(table: dict) -> dict:
    """Where a table was printed, as a figure's `sources` entry says it: table (its title), line, page."""
    where = {"table": table.get("title"), "line": table.get("line"), "page": table.get("page")}
    return {key: value for key, value in where.items() if value not in (None, "")}


def _table(printed: list[dict], read: set[str], unclear: set[str]) -> dict:
    """One kind of table: the status of the best of its printings (a department's before a
    unit's, as the line items take them, then in the order printed), where it was printed, and
    the document's own note on a table printed empty."""
    printed = sorted(printed, key=lambda t: t.get("level", "department") != "department")
    with_figures = [t for t in printed if t.get("title") in read]
    if with_figures:
        status = UNCLEAR if any(t.get("title") in unclear for t in with_figures) else READ
        return {"status": status, **_where(with_figures[0])}
    full = [t for t in printed if not t.get("empty")]
    if full:
        return {"status": UNREAD, **_where(full[0])}
    if printed:
        notes = [n for n in printed[0].get("notes") or () if n]
        return {"status": EMPTY, **_where(printed[0]), **({"note": notes[-1]} if notes else {})}
    return {"status": ABSENT}


def missing_keys(coverage: dict) -> list[str]:
    """The standard tables, then the kinds of classification table, of which the site has no
    figure (not found, or printed but not read); empty where nothing is missing."""
    tables = coverage.get("tables") or {}
    keys = [kind for kind in STANDARD if tables.get(kind, {}).get("status", ABSENT) in (ABSENT, UNREAD)]
    keys += [
        group
        for group, kinds in CLASSIFICATIONS.items()
        if not any(tables.get(kind, {}).get("status") in HAS_FIGURES for kind in kinds)
    ]
    return keys


def missing_text(coverage: dict) -> str:
    """The `tables_missing` text: "none", the keys joined, or "" where coverage is not known."""
    if not coverage:
        return ""
    return SEPARATOR.join(missing_keys(coverage)) or NONE_MISSING


def missing_filter(key: str) -> Q:
    """Budget years whose `tables_missing` names `key` (a key as a whole: `summary` is not
    `fiscal_summary`); `classification` asks for both kinds of classification table."""
    if key == "classification":
        return missing_filter("functional") & missing_filter("economic")
    return (
        Q(tables_missing=key)
        | Q(tables_missing__startswith=key + SEPARATOR)
        | Q(tables_missing__endswith=SEPARATOR + key)
        | Q(tables_missing__contains=SEPARATOR + key + SEPARATOR)
    )


def missing_names(text: str) -> str:
    """The `tables_missing` text as a person reads it, in the active language."""
    if not text:
        return str(_("not known"))
    if text == NONE_MISSING:
        return str(_("none"))
    keys = text.split(SEPARATOR)
    if set(STANDARD) <= set(keys):  # and so both kinds of classification table
        return str(_("every standard table"))
    names = dict(MISSING_CHOICES)
    return pgettext("list separator", ", ").join(str(names.get(key, key)) for key in keys)


# --- the pages -----------------------------------------------------------------------------


def table_rows(budget_year) -> list[dict]:
    """The budget-year page's rows: each standard table (and each other kind it printed) with
    its name in the reader's language, its status and what the page says of it."""
    tables = (budget_year.coverage or {}).get("tables") or {}
    unidentified = len((budget_year.coverage or {}).get("unidentified") or ())
    rows = []
    for kind in in_order(tables, (*STANDARD, *OPTIONAL)):
        entry = tables[kind]
        status = entry.get("status", ABSENT)
        rows.append(
            {
                "kind": kind,
                "name": TABLE_NAMES.get(kind, kind),
                "status": STATUSES[status],
                "entry": entry,
                "source": {key: entry[key] for key in ("table", "line", "page") if key in entry} or None,
                "why": _why(status, entry, unidentified),
            }
        )
    return rows


# Why a table's figures are not (all) on the page, as the budget-year page says it; a table not
# found is explained once, by the legend.
WHY = {
    UNREAD: _("Printed, but no figure could be read from it for sure, so none is shown."),
    UNCLEAR: _("Some figures are printed in columns that cannot be told for sure: shown as unclear."),
    EMPTY: _("Printed without figures: the department has no such money."),
}
ABSENT_BESIDE_UNIDENTIFIED = _("Not among the tables recognised; one the site could not identify may be it.")


def _why(status, entry, unidentified) -> str:
    if status == ABSENT and unidentified:
        return str(ABSENT_BESIDE_UNIDENTIFIED)
    if status == EMPTY and entry.get("note"):
        return entry["note"]  # the document's own words: 注：无政府基金预算财政拨款预算，空表列示。
    return str(WHY.get(status, ""))


def section_rows(budget_year) -> list[dict]:
    """The explanation sections: each by its name, found or not."""
    sections = (budget_year.coverage or {}).get("sections") or {}
    return [
        {
            "name": SECTION_NAMES.get(name, name),
            "status": STATUSES[READ if sections[name] else ABSENT],
            "found": sections[name],
        }
        for name in in_order(sections, vocab.EXPECTED_SECTIONS)
    ]


def in_order(stored: dict, order) -> list[str]:
    """The keys of a stored object in the order the pages list them: PostgreSQL's jsonb keeps
    no order of its own. Keys the order does not know (an older vocabulary's) come last."""
    known = [key for key in order if key in stored]
    return known + sorted(set(stored) - set(known))


def prints_classification(budget_year) -> bool | None:
    """Whether the site read a table of functional or economic classes from the disclosure;
    None where its coverage is not known."""
    text = budget_year.tables_missing
    if not text:
        return None
    missing = set(text.split(SEPARATOR))
    return not {"functional", "economic"} <= missing


def marks(budget_year) -> list[tuple[str, Status]]:
    """The county page's row of marks: (table kind, status) for each standard table; empty where
    the coverage is not known."""
    tables = (budget_year.coverage or {}).get("tables") or {}
    if not tables:
        return []
    return [(kind, STATUSES[tables.get(kind, {}).get("status", ABSENT)]) for kind in STANDARD]


def sections_found(budget_year) -> tuple[int, int]:
    sections = (budget_year.coverage or {}).get("sections") or {}
    return sum(1 for found in sections.values() if found), len(sections)


def page_context(budget_year) -> dict:
    """What the budget-year page's block "what this disclosure printed" shows."""
    tables = table_rows(budget_year)
    return {
        "printed_tables": tables,
        "no_table_found": all(row["status"] is STATUSES[ABSENT] for row in tables),
        "printed_sections": section_rows(budget_year),
        "prints_classification": prints_classification(budget_year),
        "unidentified_tables": (budget_year.coverage or {}).get("unidentified") or [],
        "part_statuses": list(STATUSES.values()),
    }


def county_context(budget_years) -> dict:
    """What the county page shows: how many of its disclosures print tables of functional or
    economic classes the site read, how many none, how many are not known; the columns of its
    table of marks and their legend."""
    printed = [prints_classification(b) for b in budget_years]
    return {
        "classification": {
            "total": len(printed),
            "with": printed.count(True),
            "without": printed.count(False),
            "unknown": printed.count(None),
        },
        "part_columns": [(kind, SHORT_NAMES[kind], TABLE_NAMES[kind]) for kind in STANDARD],
        "part_statuses": list(STATUSES.values()),
    }
