#!/usr/bin/env python3
"""`make bench`: median time to parse each sample disclosure, on one core.

Target (issue #3): under 50 ms per text document. Timings are reported, not asserted:
speed targets live here, not in the test suite.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from ingest.parser import parse_bytes  # noqa: E402

RUNS = 30
TARGET_MS = 50


def median_ms(data: bytes, name: str) -> float:
    timings = []
    for _ in range(RUNS):
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
