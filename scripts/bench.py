#!/usr/bin/env python3
"""`make bench`: how fast the parser reads, written to docs/benchmarks.md with date and machine.

- the sample disclosures (text): median parse time per document, target < 50 ms;
- the real corpus in ../shared/corpus where it is there: median per document, and per page
  for the PDFs, target < 0.1 s per page; then `manage.py corpus_report` with its gold checks;
- PDF renditions of the samples (tests/renditions.py: Word rendered by LibreOffice), per page.

Timings are reported, not asserted: speed targets live here, not in the test suite. The
machine is shared and noisy, so each figure is a median over several runs on one core.
"""

import io
import os
import platform
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from ingest.parser import parse_bytes  # noqa: E402
from scripts.report import write_section  # noqa: E402

RUNS = 30
PDF_RUNS = 5
TEXT_TARGET_MS = 50
PAGE_TARGET_MS = 100
CORPUS = ROOT.parent / "shared" / "corpus"
SECTION = "## Parsing (`make bench`)"


def timings_ms(data: bytes, name: str, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_bytes(data, name)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def pdf_pages(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as opened:
        return len(opened.pages)


def bench_documents(paths: list[Path], lines: list[str]) -> None:
    """One table row per document: size, median and p95 per document, per page for PDFs."""
    lines += ["| document | size | median | p95 | per page |", "|---|---:|---:|---:|---:|"]
    text_medians, page_medians = [], []
    for path in paths:
        data = path.read_bytes()
        is_pdf = data[:5] == b"%PDF-"
        runs = timings_ms(data, path.name, PDF_RUNS if is_pdf else RUNS)
        median, p95 = statistics.median(runs), sorted(runs)[int(0.95 * (len(runs) - 1))]
        per_page = ""
        if is_pdf:
            pages = pdf_pages(data)
            page_medians.append(median / pages)
            per_page = f"{median / pages:.0f} ms ({pages} pages)"
        else:
            text_medians.append(median)
        lines.append(
            f"| {path.name} | {len(data) / 1024:.0f} KiB | {median:.1f} ms | {p95:.1f} ms | {per_page} |"
        )
    if text_medians:
        mark = "ok" if statistics.median(text_medians) < TEXT_TARGET_MS else "SLOW"
        lines.append(
            f"\nText: median {statistics.median(text_medians):.1f} ms per document "
            f"(target < {TEXT_TARGET_MS} ms): {mark}."
        )
    if page_medians:
        mark = "ok" if statistics.median(page_medians) < PAGE_TARGET_MS else "SLOW"
        lines.append(
            f"\nPDF: median {statistics.median(page_medians):.0f} ms per page "
            f"(target < {PAGE_TARGET_MS} ms): {mark}."
        )


def bench_renditions(lines: list[str]) -> None:
    from ingest.readers.doc import soffice
    from tests.renditions import build_docx, convert_all

    if soffice() is None:
        lines.append(
            "\nPDF renditions: SKIPPED, LibreOffice is not installed (scripts/ensure_system_packages.sh)"
        )
        return
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        for path in sorted((ROOT / "samples").glob("*.txt")):
            (folder / f"{path.stem}.docx").write_bytes(build_docx(path.read_bytes(), path.name))
        job = convert_all(sorted(folder.glob("*.docx")), "pdf", folder, folder / "profile")
        job.wait(timeout=300)
        lines.append("\n### PDF renditions of the samples (Word → LibreOffice)\n")
        bench_documents(sorted(folder.glob("*.pdf")), lines)


def corpus_report() -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        call_command("corpus_report", str(CORPUS / "shanghai-putuo"), gold=CORPUS / "gold.json", stdout=out)
    return out.getvalue()


def machine() -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor() or "unknown CPU",
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    return f"{platform.node()}: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    lines = [SECTION, "", f"{date.today().isoformat()} on {machine()}; one core.", ""]
    lines.append(f"### Sample disclosures (text, median of {RUNS} runs)\n")
    bench_documents(sorted((ROOT / "samples").glob("*.txt")), lines)
    if CORPUS.exists():
        lines.append(f"\n### Real corpus (../shared/corpus; text median of {RUNS}, PDF of {PDF_RUNS} runs)\n")
        bench_documents(sorted((CORPUS / "shanghai-putuo").iterdir()), lines)
        lines += ["\n`manage.py corpus_report` on the corpus:\n", "```", corpus_report().rstrip(), "```"]
    else:
        lines.append(f"\nReal corpus: SKIPPED, not found at {CORPUS}")
    bench_renditions(lines)
    text = "\n".join(lines) + "\n"
    print(text)
    write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
