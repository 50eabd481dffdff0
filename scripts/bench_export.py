#!/usr/bin/env python3
"""`make bench`, CSV export: rows per second of a list's CSV written by PostgreSQL's COPY
(budgets.copy_export) and by the Python path, beside COPY of the same rows unformatted.

Run inside scripts/throwaway_postgres.py (the Makefile does); without PostgreSQL it says so and
writes nothing. COUNTIES counties are filled by `manage.py synthesize` (departments, budgets and
final accounts drawn from the real parsed disclosures). Each export is the whole
`/line-items/?format=csv` through Django's request handling, read to the last byte; the figure
is the median of RUNS. `make bench-scale` measures the same at national scale, with memory.
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from budgets import copy_export, lists  # noqa: E402
from budgets.models import LineItem  # noqa: E402
from scripts.bench import machine  # noqa: E402
from scripts.report import write_section  # noqa: E402

SECTION = "## CSV export (`make bench`)"
# About 4,000 line items a county (the tenth of China: 1.2 million in 289 counties).
COUNTIES = int(os.environ.get("BENCH_EXPORT_COUNTIES", 80))
RUNS = 3
URL = "/line-items/?format=csv"


def load() -> int:
    """The national list of counties, COUNTIES of them filled by `manage.py synthesize`; returns
    the rows of the line-items list."""
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_divisions", verbosity=0)
    call_command("synthesize", counties=COUNTIES, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return LineItem.objects.count()


def duration(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def export(client: Client) -> int:
    response = client.get(URL)
    assert response.status_code == 200
    return sum(len(chunk) for chunk in response.streaming_content)


def plain_copy() -> None:
    """COPY of the list's rows as the database holds them: no formatting, no Django."""
    listing = lists.LINE_ITEMS
    rows = listing.queryset.values_list(*[column.path for column in listing.columns])
    sql, params = rows.query.sql_with_params()
    with (
        connection.cursor() as cursor,
        cursor.copy(connection.ops.compose_sql(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params)) as copy,
    ):
        for _row in copy:
            pass


def main() -> int:
    if connection.vendor != "postgresql":
        print("bench_export: SKIPPED, needs PostgreSQL (run it inside scripts/throwaway_postgres.py)")
        return 0
    rows = load()
    load_average = os.getloadavg()[0]
    client = Client(HTTP_HOST="localhost")
    size = export(client)

    def python_export():
        original = copy_export.csv_response
        copy_export.csv_response = lambda *args, **kwargs: None
        try:
            assert export(client) == size
        finally:
            copy_export.csv_response = original

    # The three in turn, RUNS times: the machine's noise falls on all of them alike.
    ways = {"plain": plain_copy, "copy": lambda: export(client), "python": python_export}
    times = {way: [] for way in ways}
    for _ in range(RUNS):
        for way, run in ways.items():
            times[way].append(duration(run))
    plain_seconds, copied_seconds, python_seconds = (statistics.median(times[way]) for way in ways)
    lines = [
        SECTION,
        "",
        f"{date.today().isoformat()} on {machine()}; PostgreSQL (throwaway cluster), median of {RUNS} runs.",
        "",
        f"The whole `{URL}` ({rows:,} rows, {size / 2**20:.0f} MiB) through Django's request handling,",
        f"read to its last byte; {COUNTIES} counties filled by `manage.py synthesize`. Load average",
        f"{load_average:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (the machine is shared).",
        "",
        "| export | seconds | rows/s | of plain COPY |",
        "|---|---:|---:|---:|",
    ]
    for label, seconds in (
        ("`COPY (SELECT …) TO STDOUT` of the same rows, unformatted", plain_seconds),
        ("CSV by COPY (budgets.copy_export)", copied_seconds),
        ("CSV row by row in Python", python_seconds),
    ):
        lines.append(f"| {label} | {seconds:.2f} | {rows / seconds:,.0f} | {plain_seconds / seconds:.2f} |")
    text = "\n".join(lines) + "\n\n"  # a blank line before the section after it
    print(text)
    write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
