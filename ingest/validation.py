"""Checks a parsed disclosure against itself: sums, hierarchies, tables against the text.

`validate(parsed)` takes the parsed-disclosure JSON (see docs/disclosure-json.md) and returns
findings `{"severity", "check", "params", "message", "line"}`. A sum that misses its parts by no
more than rounding (0.01 for each part summed) is `info`; a figure that contradicts another
figure of the document is an `error`. `params` holds the figures the finding quotes, as the
document prints them; ingest.finding_messages writes the message from them in any language
(`message` is the Chinese).
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from ingest.finding_messages import FIGURE_NAMES, message
from ingest.text import bare_label
from ingest.vocabulary import tables as vocab

ROUNDING = Decimal("0.01")

# (check id, whole, parts) over `totals`; the first rule whose figures are all printed applies.
TOTAL_SUMS = [("personnel_plus_public_equals_basic", "basic", ("personnel", "public"))]
# This year's spending is 基本支出 + 项目支出 (or 人员经费 + 公用经费 + 项目支出), plus what a
# 事业单位 spends besides where it prints it.
EXPENDITURE_PARTS = [("basic", "project"), ("personnel", "public", "project")]
OTHER_SPENDING = ("business", "to_superior", "to_subsidiary", "reserve")
THREE_COST_SUMS = [
    ("three_costs_parts_equal_total", "total", ("overseas", "vehicle", "reception")),
    ("vehicle_parts_equal_vehicle", "vehicle", ("vehicle_purchase", "vehicle_operation")),
]
# The amount columns of a table row (ingest.finding_messages names them).
COLUMNS = (
    "amount",
    "basic",
    "project",
    "personnel",
    "public",
    "business",
    "to_superior",
    "to_subsidiary",
    "reserve",
)
# Parts of a table row that add up to its 合计: the first two must be columns of the table.
ROW_PARTS = [("basic", "project", *OTHER_SPENDING), ("personnel", "public")]
# No part of the budget can exceed the whole; one that does was printed in the wrong unit.
PARTS_OF_EXPENDITURE = ("basic", "personnel", "public", "project", "operating")


def validate(parsed: dict) -> list[dict]:
    """Every finding about one parsed disclosure, errors first."""
    findings: list[dict] = []
    findings += check_income_equals_expenditure(parsed)
    findings += check_expenditure_parts(parsed)
    findings += check_sums(parsed, "totals", TOTAL_SUMS)
    findings += check_sums(parsed, "three_costs", THREE_COST_SUMS)
    findings += check_parts_within_expenditure(parsed)
    for table in parsed.get("tables") or []:
        findings += check_table_hierarchy(table)
        findings += check_numbered_hierarchy(table)
        findings += check_row_parts(table)
    for block in ("totals", "three_costs"):
        findings += check_tables_agree(parsed, block)
        findings += check_prose_agrees_with_tables(parsed, block)
        findings += check_changes(parsed, block)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: order[f["severity"]])


def finding(severity: str, check: str, params: dict, where: dict | None = None, figures=()) -> dict:
    """A finding, at the line and page of `where` (the figure or row it is about); `params` are
    the figures its message quotes, `figures` the headline figures it casts doubt on
    (`totals.basic`)."""
    result = {"severity": severity, "check": check, "params": params, "message": message(check, params)}
    result.update({k: where[k] for k in ("line", "page") if where and where.get(k) is not None})
    if figures:
        result["figures"] = list(figures)
    return result


def sum_severity(whole: Decimal, parts: list[Decimal]) -> str | None:
    """None when the parts add up, `info` when they miss by rounding only, else `error`."""
    difference = abs(whole - sum(parts, Decimal(0)))
    if not difference:
        return None
    return "info" if difference <= ROUNDING * len(parts) else "error"


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


# The units a printed figure may end with; a table states its unit once, above it (万元 unless said).
UNITS = ("万元", "千元", "亿元", "元", "%")


def _quote(printed, where: dict | None) -> dict:
    """A printed figure as a finding's params quote it: the amount and its unit as printed, and
    the table or section, page and line where it was printed."""
    text = str(printed).strip()
    unit = next((u for u in UNITS if text.endswith(u)), "")
    quoted = {"amount": text.removesuffix(unit).strip() if unit else text, "unit": unit or "万元"}
    quoted.update({k: where[k] for k in ("table", "section", "page", "line") if where and where.get(k)})
    return quoted


def _quoted(candidate: dict, path: str = "") -> dict:
    """A printed candidate figure (its own source), named by `path` where given."""
    quoted = _quote(candidate.get("printed") or candidate["value"], candidate)
    return {"figure": path, **quoted} if path else quoted


def _printed(parsed: dict, block: str, key: str, named: bool = True) -> dict:
    """A kept figure as the document printed it, with where it was printed."""
    source = _source(parsed, block, key)
    quoted = _quote(source.get("printed") or parsed[block][key], source)
    return {"figure": f"{block}.{key}", **quoted} if named else quoted


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def _source(parsed: dict, block: str, key: str) -> dict:
    return (parsed.get("sources") or {}).get(block, {}).get(key) or {}


# --- sums of kept figures ----------------------------------------------------------------------


def check_income_equals_expenditure(parsed: dict) -> list[dict]:
    totals = parsed.get("totals") or {}
    income, expenditure = _decimal(totals.get("income")), _decimal(totals.get("expenditure"))
    if income is None or expenditure is None or income == expenditure:
        return []
    severity = sum_severity(income, [expenditure])
    params = {
        "income": _printed(parsed, "totals", "income", named=False),
        "expenditure": _printed(parsed, "totals", "expenditure", named=False),
        "difference": _decimal_text(abs(income - expenditure)),
    }
    return [
        finding(
            severity,
            "income_equals_expenditure",
            params,
            _source(parsed, "totals", "income"),
            ("totals.income", "totals.expenditure"),
        )
    ]


def check_expenditure_parts(parsed: dict) -> list[dict]:
    """基本支出 + 项目支出 (+ 经营支出 …) = this year's spending: 本年支出合计 where a table
    prints it (支出总计 may add the balance carried forward), else 支出总计."""
    totals = parsed.get("totals") or {}
    candidates = ((parsed.get("figures") or {}).get("totals") or {}).get("expenditure") or []
    this_year = next((c for c in candidates if c.get("table") and c.get("rank") == 1), None)
    whole = _decimal(this_year["value"] if this_year else totals.get("expenditure"))
    whole_scope = (this_year or (candidates[0] if candidates else {})).get("scope")
    for part_keys in EXPENDITURE_PARTS:
        keys = [*part_keys, *(k for k in OTHER_SPENDING if _decimal(totals.get(k)) is not None)]
        chosen = _one_scope(parsed, "totals", keys)
        if whole is None or chosen is None:
            continue
        scopes = {c.get("scope") for c in chosen.values()} - {None}
        if whole_scope and scopes and scopes != {whole_scope}:
            continue  # 财政拨款 parts of a whole that counts all the money, or the reverse
        parts = [Decimal(chosen[k]["value"]) for k in keys]
        severity = sum_severity(whole, parts)
        if not severity:
            return []
        whole_printed = _quoted(this_year) if this_year else _printed(parsed, "totals", "expenditure", False)
        params = {
            "whole": whole_printed,
            "parts": [_quoted(chosen[k], f"totals.{k}") for k in keys],
            "sum": _decimal_text(sum(parts, Decimal(0))),
        }
        where = this_year or _source(parsed, "totals", "expenditure")
        return [
            finding(
                severity,
                "basic_plus_project_equals_expenditure",
                params,
                where,
                [f"totals.{k}" for k in ("expenditure", *keys)],
            )
        ]
    return []


def check_sums(parsed: dict, block: str, rules) -> list[dict]:
    """Whole = sum of parts for each rule whose figures are all printed (first applicable per
    check), comparing figures of one scope only: a document may print 基本支出 for all its money
    and 人员经费 for its 财政拨款 alone, and those need not add up."""
    findings, done = [], set()
    for check, whole_key, part_keys in rules:
        if check in done:
            continue
        chosen = _one_scope(parsed, block, (whole_key, *part_keys))
        if chosen is None:
            continue
        done.add(check)
        whole = Decimal(chosen[whole_key]["value"])
        parts = [Decimal(chosen[k]["value"]) for k in part_keys]
        severity = sum_severity(whole, parts)
        if severity:
            params = {
                "whole": _quoted(chosen[whole_key], f"{block}.{whole_key}"),
                "parts": [_quoted(chosen[k], f"{block}.{k}") for k in part_keys],
                "sum": _decimal_text(sum(parts, Decimal(0))),
            }
            findings.append(
                finding(
                    severity,
                    check,
                    params,
                    chosen[whole_key],
                    [f"{block}.{k}" for k in (whole_key, *part_keys)],
                )
            )
    return findings


def _one_scope(parsed: dict, block: str, keys) -> dict | None:
    """{key: candidate} for `keys`: the kept figures where they cover the same money (the text
    does not say which money it means, so it goes with any), else for each key the figure of
    one scope (all money, then 财政拨款) that every key has; None where there is none."""
    figures = (parsed.get("figures") or {}).get(block) or {}
    values = parsed.get(block) or {}
    if any(values.get(k) is None for k in keys):
        return None
    kept = {k: (figures.get(k) or [{"value": values[k]}])[0] for k in keys}
    if len({c["scope"] for c in kept.values() if c.get("scope")}) <= 1:
        return kept
    for scope in ("all", "fiscal"):
        chosen = {k: next((c for c in figures.get(k) or [] if c.get("scope") == scope), None) for k in keys}
        if all(chosen.values()):
            return chosen
    return None


def check_parts_within_expenditure(parsed: dict) -> list[dict]:
    """A part larger than the whole budget is a unit slip (元 printed as 万元, or the reverse)."""
    totals = parsed.get("totals") or {}
    expenditure = _decimal(totals.get("expenditure"))
    if expenditure is None:
        return []
    findings = []
    parts = [("totals", k) for k in PARTS_OF_EXPENDITURE] + [("three_costs", "total")]
    for block, key in parts:
        value = _decimal((parsed.get(block) or {}).get(key))
        if value is not None and value > expenditure:
            params = {
                "part": _printed(parsed, block, key),
                "expenditure": _printed(parsed, "totals", "expenditure", named=False),
            }
            where = _source(parsed, block, key)
            findings.append(finding("error", "part_exceeds_total", params, where, [f"{block}.{key}"]))
    return findings


def check_changes(parsed: dict, block: str) -> list[dict]:
    """A figure cannot have grown by more than it is: `0万元，比上年增加1421.25万元` says last
    year's figure was below zero, which no budget figure is."""
    figures = parsed.get(block) or {}
    findings = []
    for key, value in figures.items():
        change = _decimal(figures.get(f"{key}_change"))
        level = _decimal(value)
        named = f"{block}.{key}" in FIGURE_NAMES
        if key.endswith("_change") or not named or change is None or level is None or change <= level:
            continue
        params = {
            "figure": _printed(parsed, block, key),
            "change": _quote(_decimal_text(change), _source(parsed, block, f"{key}_change")),
            "prior": _decimal_text(level - change),
        }
        findings.append(
            finding(
                "error",
                "change_implies_negative_prior",
                params,
                _source(parsed, block, key),
                [f"{block}.{key}"],
            )
        )
    return findings


# --- table hierarchies -----------------------------------------------------------------------


def check_table_hierarchy(table: dict) -> list[dict]:
    """In one table, each class equals the sum of its codes (201 = Σ201xx, 20103 = Σ20103xx),
    and the 合计 row equals the sum of the classes, for every amount column."""
    rows = table.get("rows") or []
    coded = [r for r in rows if r.get("code")]
    if not coded:
        return []
    findings = []
    fields = [f for f in COLUMNS if any(f in r for r in rows)]
    # A code's children are the codes two digits longer that start with it: indexed once by
    # their parent's code, so the check costs one pass, not one pass per class.
    children_of: dict[str, list[dict]] = {}
    for row in coded:
        children_of.setdefault(row["code"][:-2], []).append(row)
    for parent in coded:
        children = children_of.get(parent["code"], [])
        if children:
            # A project table may print a 项 row and then its projects under the same code: the
            # class adds up either over every row or over the first row of each code.
            firsts = list({r["code"]: r for r in reversed(children)}.values())[::-1]
            findings += min(
                (
                    _sum_findings(table, parent, rows, fields, "class_equals_sum_of_codes")
                    for rows in (children, firsts)
                ),
                key=_badness,
            )
    for index, total in enumerate(rows):
        if total.get("total"):
            findings += min(
                (
                    _sum_findings(table, total, classes, fields, "total_equals_sum_of_classes")
                    for classes in _classes_of(total, rows, index)
                    if classes
                ),
                key=_badness,
                default=[],
            )
    return findings


def _classes_of(total: dict, rows: list[dict], index: int) -> tuple[list[dict], ...]:
    """The sets of classes a total row may add up. 人员经费合计 and 公用经费合计 add up their own
    classes wherever the table prints them (a two-sided table read in printed order interleaves
    301 with 302); any other total the classes beside it."""
    label = bare_label(total.get("name") or "")
    part = next((key for key, labels in vocab.DETAIL_TOTAL_LABELS.items() if label in labels), None)
    if part in ("personnel", "public"):
        classes = [r for r in rows if r.get("code") and len(r["code"]) == 3]
        personnel = part == "personnel"
        return ([r for r in classes if (r["code"] in vocab.PERSONNEL_CLASSES) == personnel],)
    return _classes_beside(rows, index)


def _walk(rows: list, start: int, step: int):
    """The rows from `start` on, forwards (step 1) or backwards (-1), read in place: a check
    per row that copied the rest of the table would cost the square of its length."""
    return (rows[i] for i in range(start, len(rows) if step > 0 else -1, step))


def _classes_beside(rows: list[dict], index: int) -> tuple[list[dict], list[dict]]:
    """The classes (3-digit codes) a total row may add up: those between it and the total row
    before it (a total closing its rows), and those after it up to the next total row (a
    合计 heading them). A two-sided table read half after half closes each half with its own
    total (人员经费合计 under 301 and 303, 公用经费合计 under 302 and 310)."""

    def classes(run):
        found = []
        for row in run:
            if row.get("total"):
                break
            if row.get("code") and len(row["code"]) == 3:
                found.append(row)
        return found

    return classes(_walk(rows, index - 1, -1))[::-1], classes(_walk(rows, index + 1, 1))


def check_numbered_hierarchy(table: dict) -> list[dict]:
    """In a table without codes (涞源 2016 prints names only), a numbered row equals the rows
    numbered one level below it (`一、工资福利支出` = Σ`1、…`, `4、社会保障缴费` = Σ`（1）…`), and a
    合计/小计 row equals the top numbered rows under it, up to the next total row."""
    rows = table.get("rows") or []
    if any(r.get("code") for r in rows):
        return []
    fields = [f for f in COLUMNS if any(f in r for r in rows)]
    findings = []
    for index, row in enumerate(rows):
        if row.get("amount") is None:
            continue
        if row.get("total"):
            # A total row may head its rows (合计 first) or close them (“三公”经费小计 last).
            below = _numbered_children(_walk(rows, index + 1, 1), None)
            above = _numbered_children(_walk(rows, index - 1, -1), None)[::-1]
            findings += min(
                (
                    _sum_findings(table, row, children, fields, "total_equals_sum_of_classes")
                    for children in (below, above)
                    if children
                ),
                key=_badness,
                default=[],
            )
        elif row.get("level"):
            children = _numbered_children(_walk(rows, index + 1, 1), row["level"])
            if children:
                findings += _sum_findings(table, row, children, fields, "class_equals_sum_of_codes")
    return findings


def _badness(findings: list[dict]) -> tuple:
    return (any(f["severity"] == "error" for f in findings), len(findings))


def _numbered_children(following: Iterable[dict], level: int | None) -> list[dict]:
    """The rows of the numbering level next below `level` (the shallowest level for a total
    row; documents skip levels: `一、` may head `1、` rows), up to the next row of `level` or
    above, or the next total row."""
    children, child_level = [], None
    for row in following:
        if row.get("total") or (level is not None and row.get("level") and row["level"] <= level):
            break
        if row.get("level") is None:
            continue
        if child_level is None:
            child_level = row["level"]
        if row["level"] == child_level:
            children.append(row)
        elif row["level"] < child_level:
            break
    return children


def _sum_findings(table: dict, whole: dict, parts: list[dict], fields, check: str) -> list[dict]:
    findings = []
    for field in fields:
        if any(field in row.get("uncertain", ()) for row in (whole, *parts)):
            continue  # a figure read from a column not known for sure is not held against anything
        value = _decimal(whole.get(field)) or Decimal(0)
        values = [_decimal(p.get(field)) or Decimal(0) for p in parts]
        severity = sum_severity(value, values)
        if severity:
            params = {
                "table": table["title"],
                "row": " ".join(filter(None, (whole.get("code"), whole.get("name")))),
                "column": field,
                "value": whole.get(field) or None,
                "parts": [p.get(field) or "0" for p in parts],
                "sum": _decimal_text(sum(values, Decimal(0))),
            }
            findings.append(finding(severity, check, params, whole))
    return findings


def check_row_parts(table: dict) -> list[dict]:
    """Each row's 合计 equals its 基本支出 + 项目支出 (or 人员经费 + 公用经费)."""
    findings = []
    for row in table.get("rows") or []:
        amount = _decimal(row.get("amount"))
        for columns in ROW_PARTS:
            parts = [p for p in columns if p in row]
            if amount is None or not all(p in row for p in columns[:2]) or all(row[p] is None for p in parts):
                continue
            if any(p in row.get("uncertain", ()) for p in ("amount", *parts)):
                continue
            values = [_decimal(row[p]) or Decimal(0) for p in parts]
            severity = sum_severity(amount, values)
            if severity:
                params = {
                    "table": table["title"],
                    "row": " ".join(filter(None, (row.get("code"), row.get("name")))),
                    "amount": row["amount"],
                    "parts": [{"column": p, "value": row[p] or None} for p in parts],
                }
                findings.append(finding(severity, "row_parts_equal_amount", params, row))
    return findings


# --- the same figure printed twice ------------------------------------------------------------


def check_tables_agree(parsed: dict, block: str) -> list[dict]:
    """Two tables printing the same figure (same meaning, money and level) must agree."""
    findings = []
    for key, candidates in ((parsed.get("figures") or {}).get(block) or {}).items():
        groups: dict[tuple, list[dict]] = {}
        for candidate in candidates:
            if candidate.get("table") and _decimal(candidate.get("value")) is not None:
                group = (candidate.get("rank"), candidate.get("scope"), candidate.get("level"))
                groups.setdefault(group, []).append(candidate)
        for group in groups.values():
            first = group[0]
            for other in group[1:]:
                severity = sum_severity(Decimal(first["value"]), [Decimal(other["value"])])
                if severity:
                    params = {"figure": f"{block}.{key}", "first": _quoted(first), "other": _quoted(other)}
                    findings.append(finding(severity, "tables_agree", params, other, [f"{block}.{key}"]))
    return findings


def check_prose_agrees_with_tables(parsed: dict, block: str) -> list[dict]:
    """A figure the explanation text prints must be the one the tables print.

    A text figure a power of ten away from the table is a unit slip (涞源 2016 prints the 三公
    经费 as `1135000万元` beside a table of 113.50 万元); one that only drops decimals the
    table prints is rounding.
    """
    findings = []
    for key, candidates in ((parsed.get("figures") or {}).get(block) or {}).items():
        # A candidate whose cell printed no amount (`-`, an unreadable figure) has no value to compare.
        tables = [c for c in candidates if c.get("table") and _decimal(c.get("value")) is not None]
        if not tables:
            continue
        for text in (c for c in candidates if c.get("section") and _decimal(c.get("value")) is not None):
            # A text about all the money is held against tables of all the money, one about
            # 财政拨款 against 财政拨款 tables; 三公 are 财政拨款 money whatever a heading says.
            same = [
                t
                for t in tables
                if block == "three_costs" or t.get("scope") == text.get("scope", t.get("scope"))
            ]
            if not same:
                continue
            table = same[0]
            # The text may give this year's figure where the kept one adds the balance carried
            # over (本年收入合计 beside 收入总计): any table figure it equals will do.
            if any(Decimal(text["value"]) == Decimal(t["value"]) for t in same):
                continue
            result = _compare_text(Decimal(text["value"]), Decimal(table["value"]))
            if result is None:
                continue
            severity, check, power = result
            params = {"figure": f"{block}.{key}", "text": _quoted(text), "table": _quoted(table)}
            if power:
                params["power"] = power
            findings.append(finding(severity, check, params, text, [f"{block}.{key}"]))
    return findings


def _compare_text(text: Decimal, table: Decimal):
    """(severity, check, power of ten apart or None) for a text figure against the table
    figure, None if they are equal."""
    if text == table:
        return None
    if text and table:
        ratio = text / table
        for power in (10, 100, 1000, 10000, 100000000):
            if ratio in (power, Decimal(1) / power):
                return "error", "unit_mismatch", power
    places = -text.as_tuple().exponent if text.as_tuple().exponent < 0 else 0
    if places < -table.as_tuple().exponent:
        rounded = table.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if rounded == text:
            return "info", "prose_rounds_table", None
    return "error", "prose_agrees_with_tables", None
