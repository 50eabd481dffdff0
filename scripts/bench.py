#!/usr/bin/env python3
"""`make bench`: median time to parse each sample disclosure, on one core.

Targets: under 50 ms per text document (issue #3); for PDFs (issue #4) the parse time per
page is reported, from each sample's PDF rendition (tests/renditions.py: the Word file
rendered by LibreOffice), where LibreOffice is installed. Timings are reported, not
asserted: speed targets live here, not in the test suite.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from ingest.parser import parse_bytes  # noqa: E402

RUNS = 30
TARGET_MS = 50
PDF_RUNS = 5


def median_ms(data: bytes, name: str, runs: int = RUNS) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_bytes(data, name)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    print(f"parse time per sample, median of {RUNS} runs on one core (target < {TARGET_MS} ms)")
    for path in sorted((ROOT / "samples").glob("*.txt")):
        data = path.read_bytes()
        ms = median_ms(data, path.name)
        mark = "ok" if ms < TARGET_MS else "SLOW"
        print(f"  {path.name:<22} {len(data) / 1024:6.1f} KiB  {ms:7.2f} ms  {mark}")
    bench_pdfs()
    return 0


def bench_pdfs() -> None:
    """Parse time per page of each sample's PDF rendition (median of PDF_RUNS parses)."""
    import pdfplumber

    from ingest.readers.doc import soffice
    from tests.renditions import build_docx, convert_all

    if soffice() is None:
        print("PDF: SKIPPED, LibreOffice is not installed (scripts/ensure_system_packages.sh)")
        return
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        samples = sorted((ROOT / "samples").glob("*.txt"))
        for path in samples:
            (folder / f"{path.stem}.docx").write_bytes(build_docx(path.read_bytes(), path.name))
        job = convert_all(sorted(folder.glob("*.docx")), "pdf", folder, folder / "profile")
        job.wait(timeout=300)
        print(f"PDF parse time per page, median of {PDF_RUNS} runs on one core (renditions of the samples)")
        per_page = []
        for path in samples:
            pdf = folder / f"{path.stem}.pdf"
            if not pdf.exists():
                print(f"  {path.stem}.pdf: LibreOffice did not convert it")
                continue
            data = pdf.read_bytes()
            with pdfplumber.open(pdf) as opened:
                pages = len(opened.pages)
            ms = median_ms(data, pdf.name, PDF_RUNS) / pages
            per_page.append(ms)
            print(f"  {pdf.name:<22} {pages:3d} pages  {ms:7.1f} ms/page")
        if per_page:
            print(f"  median over the PDFs: {statistics.median(per_page):.1f} ms/page")


if __name__ == "__main__":
    sys.exit(main())
