"""The gold comparison of ../shared/tools/check_gold.py, kept in the project so the test
suite and `manage.py corpus_report` stand alone: `check_doc(gold, parsed)` yields (label, ok,
detail) for every hand-read figure of one document (tests/data/gold_seeds.json)."""

import json
import re
from decimal import Decimal, InvalidOperation


def squash(text):
    return re.sub(r"\s+", "", str(text or ""))


def same_amount(want, got):
    if want is None:
        return got in (None, "")
    try:
        return Decimal(str(want)) == Decimal(str(got))
    except (InvalidOperation, TypeError, ValueError):
        return False


def _pick_items(items, spec):
    return [
        it
        for it in items or []
        if (not spec.get("kind") or it.get("kind") == spec["kind"])
        and (not spec.get("code") or str(it.get("code") or "") == spec["code"])
        and (not spec.get("name_contains") or squash(spec["name_contains"]) in squash(it.get("name")))
    ]


def _pick_indicators(indicators, spec):
    return [
        it
        for it in indicators or []
        if (not spec.get("group_contains") or squash(spec["group_contains"]) in squash(it.get("group")))
        and squash(spec["name_contains"]) in squash(it.get("name"))
    ]


def check_doc(gold, got):
    for key in (
        "county",
        "department",
        "department_code",
        "year",
        "kind",
        "level",
        "province",
        "prefecture",
        "division_code",
    ):
        if key in gold:
            yield key, str(got.get(key)) == str(gold[key]), f"want {gold[key]!r} got {got.get(key)!r}"
    for block in ("totals", "three_costs", "assets"):
        for key, want in gold.get(block, {}).items():
            have = (got.get(block) or {}).get(key)
            ok = str(have) == str(want) if isinstance(want, int) else same_amount(want, have)
            yield f"{block}.{key}", ok, f"want {want!r} got {have!r}"
    for spec in gold.get("line_items", []):
        found = _pick_items(got.get("line_items"), spec)
        label = f"line_item {spec.get('kind')} {spec.get('code') or spec.get('name_contains')}"
        it = found[0] if found else {}
        for key in ("amount", "basic", "project"):
            if key in spec:
                yield (
                    f"{label}.{key}",
                    same_amount(spec[key], it.get(key)),
                    f"want {spec[key]!r} got {it.get(key)!r}",
                )
        yield f"{label}.found", bool(found), "no such row"
    for kind in ("functional", "economic", "project"):
        key = f"{kind}_item_count"
        if key in gold:
            n = sum(1 for it in got.get("line_items") or [] if it.get("kind") == kind)
            yield key, n == gold[key], f"want {gold[key]} got {n}"
    if "indicator_count" in gold:
        n = len(got.get("indicators") or [])
        yield "indicator_count", n == gold["indicator_count"], f"want {gold['indicator_count']} got {n}"
    for group, count in gold.get("indicator_groups", {}).items():
        n = sum(1 for it in got.get("indicators") or [] if squash(it.get("group")) == squash(group))
        yield f"indicator_group {group}", n == count, f"want {count} got {n}"
    for spec in gold.get("indicators", []):
        found = _pick_indicators(got.get("indicators"), spec)
        it = found[0] if found else {}
        label = f"indicator {spec['name_contains']}"
        yield f"{label}.found", bool(found), "no such indicator"
        for key in ("level1", "level2", "target"):
            if key in spec:
                yield (
                    f"{label}.{key}",
                    squash(it.get(key)) == squash(spec[key]),
                    f"want {spec[key]!r} got {it.get(key)!r}",
                )
        for grade, want in spec.get("grades", {}).items():
            have = (it.get("grades") or {}).get(grade)
            yield f"{label}.grades.{grade}", squash(have) == squash(want), f"want {want!r} got {have!r}"
    findings = got.get("findings") or []
    rules = gold.get("findings", {})
    if rules.get("no_errors"):
        errors = [f for f in findings if f.get("severity") == "error"]
        yield "findings.no_errors", not errors, f"errors: {[f.get('message') for f in errors][:3]}"
    for needle in rules.get("must_mention", []):
        hit = any(needle in json.dumps(f, ensure_ascii=False) for f in findings)
        yield f"findings.mention {needle}", hit, "no finding quotes it"
