"""`manage.py corpus_report DIR [--gold FILE]`: how the parser reads a folder of disclosures.

One line per document: kind, identity, the standard tables found and the expected ones not
found, how many figures, errors, the parse time and, with a gold file, the hand-read figures
that hold. Run it on every change of the parser; `make bench` runs it on the samples and, where
it is there, on the corpus in ../shared.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingest.document import UnreadableDocument
from ingest.gold import check_doc
from ingest.parser import parse_bytes


class Command(BaseCommand):
    help = "Parse every disclosure of a folder and report what was read (no database writes)."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--gold", type=Path, help="hand-read figures (JSON keyed by file name)")

    def handle(self, *args, folder: Path, gold: Path | None, **options):
        if not folder.is_dir():
            raise CommandError(f"{folder}: not a folder")
        expected = self._gold(gold)
        files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        if expected:
            files = [p for p in files if p.name in expected]
        passed = total = 0
        for path in files:
            line, checks = report(path, expected.get(path.name))
            passed, total = passed + checks[0], total + checks[1]
            self.stdout.write(line)
        if expected:
            self.stdout.write(f"gold: {passed}/{total} checks pass")

    def _gold(self, gold: Path | None) -> dict:
        if gold is None:
            return {}
        try:
            return {
                k: v for k, v in json.loads(gold.read_text(encoding="utf-8")).items() if not k.startswith("_")
            }
        except (OSError, ValueError) as exc:
            raise CommandError(f"{gold}: cannot read the gold figures ({exc})") from exc


def report(path: Path, gold: dict | None) -> tuple[str, tuple[int, int]]:
    """The report line of one document and its (passed, total) gold checks."""
    start = time.perf_counter()
    try:
        parsed = json.loads(json.dumps(parse_bytes(path.read_bytes(), path.name), default=str))
    except UnreadableDocument as exc:
        checks = (0, sum(1 for _ in check_doc(gold, {}))) if gold else (0, 0)
        return f"{path.name}: REFUSED {exc}", checks
    ms = (time.perf_counter() - start) * 1000
    kinds = sorted({t["kind"] for t in parsed["tables"]})
    missing = [u["name"] for u in parsed["unread"] if u["kind"] == "table"]
    figures = sum(1 for block in ("totals", "three_costs") for v in parsed[block].values() if v is not None)
    errors = sum(1 for f in parsed["findings"] if f["severity"] == "error")
    parts = [
        f"{path.name}: {parsed.get('kind')}/{parsed.get('level')}",
        " ".join(str(parsed.get(k)) for k in ("province", "county", "division_code", "department", "year")),
        f"tables {','.join(kinds) or '-'}",
        f"not found {','.join(missing) or '-'}",
        f"{figures} figures, {len(parsed['line_items'])} items, {len(parsed['indicators'])} indicators",
        f"{errors} errors, needs checking {','.join(parsed['needs_checking']) or '-'}",
        f"{ms:.0f} ms",
    ]
    checks = (0, 0)
    if gold:
        results = [ok for _label, ok, _detail in check_doc(gold, parsed)]
        checks = (sum(results) + 1, len(results) + 1)  # +1: the document parsed, as check_gold.py counts
        parts.append(f"gold {checks[0]}/{checks[1]}")
    return " | ".join(parts), checks
