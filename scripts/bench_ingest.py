#!/usr/bin/env python3
"""`make bench`, bulk ingest: documents per minute of `manage.py ingest DIR --jobs N`, written to
docs/benchmarks.md with date and machine.

- text: the samples and the corpus texts (../shared/corpus), each also as disclosures of other
  counties of its province (the county's name replaced in the text), so that a run saves enough
  documents to time and none refuses another as a second disclosure of the same year;
- PDF: the corpus PDFs as they are.

Each set is ingested into a fresh SQLite database (the embedded default; saving is serialised
there) with --jobs 1 and --jobs 2, RUNS times each; the rate is the command's own (documents
parsed and saved per minute from the first file to the last, without Django's start-up), the
median of the runs. Nothing is asserted: the machine is shared and the figures are noisy.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from ingest import divisions  # noqa: E402
from ingest.parser import parse_bytes  # noqa: E402
from ingest.readers.text import decode_text  # noqa: E402
from scripts.bench import CORPUS, machine  # noqa: E402
from scripts.report import write_section  # noqa: E402

SECTION = "## Bulk ingest (`make bench`)"
RUNS = 3
JOBS = (1, 2)
COUNTIES_PER_TEXT = int(os.environ.get("BENCH_INGEST_COUNTIES", 12))


def other_counties(county: str, province: str) -> list[str]:
    """Counties of `province` whose name no other division shares, `county` left out."""
    names = [name for name, division in divisions.every_county() if division.province == province]
    return [name for name in names if name != county and len(divisions.namesakes(name)) == 1]


def text_set(folder: Path) -> int:
    """The texts and their copies as other counties' disclosures, written to `folder`; a copy
    whose county the parser does not read back as the name put in is left out."""
    texts = sorted((ROOT / "samples").glob("*.txt"))
    if CORPUS.exists():
        texts += sorted((CORPUS / "shanghai-putuo").glob("*.txt"))
    count = 0
    for path in texts:
        data = path.read_bytes()
        parsed = parse_bytes(data, path.name)
        text = decode_text(data)
        folder.joinpath(path.name).write_bytes(data)
        count += 1
        copies = 0
        for name in other_counties(parsed["county"], parsed["province"]):
            if copies == COUNTIES_PER_TEXT:
                break
            copy = text.replace(parsed["county"], name).encode()
            if parse_bytes(copy, path.name).get("county") == name:
                folder.joinpath(f"{path.stem}-{copies:02d}.txt").write_bytes(copy)
                copies += 1
        count += copies
    return count


def pdf_set(folder: Path) -> int:
    pdfs = sorted((CORPUS / "shanghai-putuo").glob("*.pdf")) if CORPUS.exists() else []
    for path in pdfs:
        shutil.copy(path, folder / path.name)
    return len(pdfs)


def ingest_rate(folder: Path, jobs: int, template: Path, scratch: Path) -> tuple[float, int]:
    """(documents per minute, documents saved) of one run into a copy of the migrated database."""
    database = scratch / f"run-{jobs}.sqlite3"
    shutil.copyfile(template, database)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "MEDIA_ROOT": str(scratch / "media")}
    shutil.rmtree(scratch / "media", ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "ingest", str(folder), "--jobs", str(jobs), "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    last = result.stderr.strip().splitlines()
    found = [
        re.search(r"(\d+) saved · \d+ skipped · (\d+) failed · (\d+) documents/min", line) for line in last
    ]
    found = [match for match in found if match]
    if not found or found[-1].group(2) != "0":
        raise SystemExit(f"ingest of {folder} failed:\n{result.stderr}")
    return float(found[-1].group(3)), int(found[-1].group(1))


def main() -> int:
    load_at_start = os.getloadavg()[0]
    table = [
        "| documents | files | " + " | ".join(f"--jobs {jobs}" for jobs in JOBS) + " |",
        "|---|---:|" + "---:|" * len(JOBS),
    ]
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        scratch = Path(tmp)
        template = scratch / "migrated.sqlite3"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{template}"}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        for label, make in (("text", text_set), ("PDF", pdf_set)):
            folder = scratch / label
            folder.mkdir()
            if not make(folder):
                table.append(f"| {label} | SKIPPED: no files (../shared/corpus not found) | |")
                continue
            cells = []
            for jobs in JOBS:
                runs = [ingest_rate(folder, jobs, template, scratch) for _ in range(RUNS)]
                cells.append(f"{statistics.median(rate for rate, _ in runs):.0f} per min")
            table.append(f"| {label} | {runs[0][1]} | " + " | ".join(cells) + " |")
    lines = [
        SECTION,
        "",
        f"{date.today().isoformat()} on {machine()}; SQLite, median of {RUNS} runs. The machine is",
        f"shared: load average {load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.",
        "",
        "Documents parsed and saved per minute by `manage.py ingest DIR --jobs N` (the command's",
        "own count, from its first file to its last). Text: the samples and the corpus texts, each",
        f"also as the disclosure of up to {COUNTIES_PER_TEXT} other counties of its province; PDF:",
        "the corpus PDFs.",
        "",
        *table,
    ]
    text = "\n".join(lines) + "\n\n"  # a blank line before the section after it
    print(text)
    write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
