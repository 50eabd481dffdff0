#!/usr/bin/env python3
"""`make bench-scale`: every public page at the size of the country, written to docs/benchmarks.md.

On a database of its own (a throwaway PostgreSQL cluster by default, `DB=sqlite` a temporary
SQLite file; never the database DATABASE_URL names): migrate, load the national list of
divisions, `manage.py synthesize` `SCALE` of its counties (1 = all, 0.1 = a tenth), then:

- every public page type and the heavy list combinations (filters, sorts, deep pages, text
  search for two-character words, ten counties compared, execution rates, rankings), each
  requested `BENCH_RUNS` times in turn through gunicorn (one sync worker, DEBUG off) on
  127.0.0.1: p50 and p95, beside the worker's CPU time per request, the time of the page's
  main SQL alone (its slowest query, caught in-process and run again through a cursor) and how
  many queries the page makes. The bench, gunicorn and PostgreSQL run at nice `BENCH_NICE` (-10)
  where allowed, ahead of whatever else the machine runs;
- the CSV export of the whole line-items list: rows per second through the web worker, beside
  PostgreSQL's own `COPY (SELECT the same rows) TO STDOUT`, and the worker's peak memory (RSS)
  while it streams.

`BENCH_DATABASE_URL` measures a database synthesized before instead (a national load takes half
an hour): nothing is migrated or loaded, and the report names the database as it found it.

Targets (issue 11): PostgreSQL at national scale, every page p95 ≤ 100 ms and the export at
least half of COPY's rows per second; SQLite at SCALE=0.05, every page p95 ≤ 200 ms.
"""

import math
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote, urlencode
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.load import HOST, free_port  # noqa: E402
from scripts.report import write_section  # noqa: E402

DATABASE = os.environ.get("DB") or "postgres"
SCALE = float(os.environ.get("SCALE") or ("0.05" if DATABASE == "sqlite" else "1"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
PAGE_SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "40"))  # a slow page gets fewer runs
# The priority the measured processes run at (the bench, gunicorn, PostgreSQL): on a machine
# shared with other jobs they go first, so that a page's time is its own and not the queue for a
# core. Raising it needs root; otherwise they run as they are and the report says so.
NICE = int(os.environ.get("BENCH_NICE", "-10"))
TARGET_MS = {"postgresql": 100, "sqlite": 200}
INSIDE = "--inside"  # the run inside the throwaway cluster
REUSED = os.environ.get("BENCH_DATABASE_URL")
# A deployment's settings for a dedicated 2-core machine with this much data, given to the
# throwaway cluster (PostgreSQL's defaults are sized for a small shared machine): docs/decisions.md.
SERVER_SETTINGS = (
    "shared_buffers=1GB effective_cache_size=8GB work_mem=32MB maintenance_work_mem=1GB "
    "random_page_cost=1.1 max_wal_size=8GB jit=off"
)


def section() -> str:
    return (
        "## National scale on SQLite (`make bench-scale DB=sqlite`)"
        if DATABASE == "sqlite"
        else ("## National scale on PostgreSQL (`make bench-scale`)")
    )


def main() -> int:
    if REUSED:
        os.environ["DATABASE_URL"] = REUSED
        return run()
    if DATABASE == "sqlite":
        folder = tempfile.mkdtemp(prefix="bench-scale-")
        try:
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            return run()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if INSIDE not in sys.argv:
        env = dict(os.environ, THROWAWAY_PG_SETTINGS=SERVER_SETTINGS)
        command = [sys.executable, str(ROOT / "scripts" / "throwaway_postgres.py"), "--"]
        return subprocess.run([*command, sys.executable, __file__, INSIDE], env=env, cwd=ROOT).returncode
    return run()


def run() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from budgets.models import County

    started = time.monotonic()
    if REUSED:
        counties, loaded = County.objects.filter(departments__isnull=False).distinct().count(), None
    else:
        call_command("migrate", verbosity=0)
        call_command("load_divisions")
        counties = max(1, round(County.objects.count() * SCALE))
        call_command("synthesize", counties=counties)
        loaded = time.monotonic() - started
    pages = addresses()
    prioritized = first_in_line([os.getpid(), *database_processes(connection)])
    media = tempfile.mkdtemp(prefix="bench-scale-media-")
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": HOST,
        "MEDIA_ROOT": media,
    }
    env.pop("HTTPS", None)
    rows = []
    load_before = load_average()
    try:
        with Gunicorn(env) as server:
            for name, path in pages:
                rows.append(measure_page(server, name, path))
                print(format_row(rows[-1], connection.vendor), flush=True)
        export = measure_export(env)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    text = report(
        rows,
        export,
        counties,
        loaded,
        connection.vendor,
        f"{load_before} at the start, {load_average()} at the end",
        prioritized,
    )
    print(text)
    write_section(section(), text)
    return 0


class Gunicorn:
    """One sync worker on 127.0.0.1, as a small deployment runs per core; stopped however the run ends."""

    def __init__(self, env):
        self.env = env
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"

    def __enter__(self):
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            "1",
            "--timeout",
            "3600",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urlopen(f"{self.base}/places/", timeout=30):
                    first_in_line([self.process.pid, self.worker()])  # later workers inherit it
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def worker(self) -> int:
        return children(self.process.pid)[0]

    def get(self, path) -> tuple[int, float, int]:
        """(status, seconds, bytes) of one request, the body read to its end."""
        started = time.perf_counter()
        size = 0
        try:
            with urlopen(self.base + path, timeout=3600) as response:
                status = response.status
                while chunk := response.read(1 << 20):  # a whole export does not fit in memory
                    size += len(chunk)
        except HTTPError as error:
            size, status = len(error.read()), error.code
        return status, time.perf_counter() - started, size


def addresses() -> list[tuple[str, str]]:
    """(what, address) of every page measured, chosen from the data: the county that published
    most, its department with most disclosures, that department's latest budget and final
    accounts, the province and prefecture with most counties, ten of the largest counties."""
    from django.db.models import Count

    from budgets import sitemaps
    from budgets.models import BudgetYear, County, CountySummary, Department

    summaries = list(CountySummary.objects.select_related("county").order_by("-disclosures", "county__code"))
    largest, middle = summaries[0].county, summaries[len(summaries) // 2].county
    department = (
        Department.objects.filter(county=largest)
        .annotate(n=Count("budget_years"))
        .order_by("-n", "name")
        .first()
    )
    years = BudgetYear.objects.filter(department=department, level="department").select_related(
        "department__county"
    )
    budget = years.filter(kind="budget").order_by("-year").first()
    final = years.filter(kind="final_accounts").order_by("-year").first()
    both = years.filter(kind="final_accounts", year__in=years.filter(kind="budget").values("year")).order_by(
        "-year"
    )
    executed = both.first()
    province = County.objects.values("province").annotate(n=Count("pk")).order_by("-n").first()["province"]
    prefecture = (
        County.objects.filter(province=province)
        .exclude(prefecture="")
        .values("prefecture")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["prefecture"]
    )
    compared = [s.county.code for s in summaries[:10]]
    first_saved = BudgetYear.objects.order_by("pk").values_list("department__county__province", flat=True)[0]
    kind = "财政局"
    last_page = -(-BudgetYear.objects.order_by("-pk").values_list("pk", flat=True)[0] // sitemaps.PER_PAGE)

    def q(path, **params):
        return f"{path}?{urlencode(params, doseq=True)}"

    county_url = largest.get_absolute_url()
    pages = [
        ("home", "/"),
        ("places", "/places/"),
        ("province", f"/places/{quote(province)}/"),
        ("prefecture", f"/places/{quote(province)}/{quote(prefecture)}/"),
        ("about (what the site holds)", "/about/"),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap: last page of disclosures", q("/sitemap-disclosures.xml", p=last_page)),
        ("feed of new disclosures", "/feeds/disclosures/"),
        ("county (most disclosures)", county_url),
        ("county (median)", middle.get_absolute_url()),
        ("department (most disclosures)", department.get_absolute_url()),
        ("budget year", budget.get_absolute_url()),
        ("final accounts", final.get_absolute_url() if final else budget.get_absolute_url()),
    ]
    if executed:
        args = [largest.slug, department.name, executed.year]
        from django.urls import reverse

        pages.append(("execution page", reverse("budgets:execution-detail", args=args)))
    pages += [
        ("search 接待", q("/search/", q="接待")),
        ("search 车辆", q("/search/", q="车辆")),
        ("search county name", q("/search/", q=largest.name)),
        ("budget years", "/budget-years/"),
        ("budget years by expenditure", q("/budget-years/", sort="-expenditure")),
        (
            "budget years: final accounts by expenditure",
            q("/budget-years/", kind="final_accounts", sort="-expenditure"),
        ),
        (
            "budget years: 财政局 by expenditure",
            q("/budget-years/", department_kind=kind, sort="-expenditure"),
        ),
        (
            "budget years: province, 2020–2022",
            q("/budget-years/", province=province, year_min=2020, year_max=2022),
        ),
        ("budget years, page 2000", q("/budget-years/", page=2000)),
        ("line items", "/line-items/"),
        ("line items by amount", q("/line-items/", sort="-amount")),
        ("line items: 30217 by amount", q("/line-items/", kind="economic", code="30217", sort="-amount")),
        (
            "line items: province, class 201, 2022",
            q("/line-items/", province=province, code="201", year_min=2022, year_max=2022),
        ),
        # A class few disclosures print, in every year of a province: counted among its 40,000
        # budget years; and a department named in part, within the province.
        ("line items: province, class 2010301", q("/line-items/", province=province, code="2010301")),
        ("line items: province, department 财政", q("/line-items/", province=province, department="财政")),
        (
            "line items: province, class 201 by amount",
            q("/line-items/", province=province, code="201", sort="-amount"),
        ),
        ("line items: one county by amount", q("/line-items/", county=largest.code, sort="-amount")),
        # A place's rows in the list's own order (the disclosures saved last first): the place
        # whose counties were saved first is found last.
        ("line items: province saved first", q("/line-items/", province=first_saved)),
        ("indicators: province saved first", q("/indicators/", province=first_saved)),
        ("line items ?q=接待", q("/line-items/", q="接待")),
        ("line items ?q=车辆", q("/line-items/", q="车辆")),
        ("line items, page 2000", q("/line-items/", page=2000)),
        # Every column header sorts: those of another table (the year) and of long text.
        ("line items by code", q("/line-items/", sort="code")),
        ("line items by year, latest first", q("/line-items/", sort="-year")),
        ("three costs by total", q("/three-costs/", sort="-total")),
        ("three costs: province by receptions", q("/three-costs/", province=province, sort="-reception")),
        ("three costs by change", q("/three-costs/", sort="-change")),
        ("three costs by department", q("/three-costs/", sort="department")),
        ("indicators", "/indicators/"),
        ("indicators ?q=满意度", q("/indicators/", q="满意度")),
        ("indicators ?q=车辆", q("/indicators/", q="车辆")),
        ("indicators ?q=车辆, one year", q("/indicators/", q="车辆", year_min=2022, year_max=2022)),
        ("indicators, page 2000", q("/indicators/", page=2000)),
        ("indicators by name", q("/indicators/", sort="name")),
        ("indicators by year", q("/indicators/", sort="year")),
        ("execution rates", "/execution/"),
        ("execution: receptions overspent", q("/execution/", sort="-reception_rate")),
        ("execution: project spent least", q("/execution/", sort="project_rate")),
        ("execution: province by rate", q("/execution/", province=province, sort="-expenditure_rate")),
        ("rankings: national three costs", q("/rankings/", by="three_costs")),
        (
            "rankings: province 财政局 by expenditure",
            q("/rankings/", province=province, department_kind=kind, by="expenditure"),
        ),
        (
            "rankings: prefecture 人民政府办公室",
            q("/rankings/", province=province, prefecture=prefecture, department_kind="人民政府办公室"),
        ),
        ("compare, no county named", "/compare/"),
        ("compare ten counties, every department", q("/compare/", county=compared)),
        ("compare ten counties", q("/compare/", county=compared, department="人民政府办公室")),
        (
            "compare ten counties, execution rate",
            q("/compare/", county=compared, department="人民政府办公室", disclosure="rate"),
        ),
    ]
    return pages


def main_sql(path) -> tuple[float, int, str]:
    """(median ms of the page's slowest query run again alone, queries the page made, the query's
    first words): the page is requested in-process to catch its queries with their parameters."""
    from django.db import connection
    from django.test import Client

    caught = []

    def catch(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            caught.append((time.perf_counter() - started, sql, params, many))

    with connection.execute_wrapper(catch):
        response = Client(raise_request_exception=False, HTTP_HOST=HOST).get(path)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
    if not caught:
        return 0.0, 0, ""
    _slowest, sql, params, many = max(caught, key=lambda query: query[0])
    times = []
    with connection.cursor() as cursor:
        for _ in range(5):
            started = time.perf_counter()
            (cursor.executemany if many else cursor.execute)(sql, params)
            if not many and cursor.description:
                cursor.fetchall()
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, len(caught), " ".join(sql.split()[:6])


def measure_page(server, name, path) -> dict:
    server.get(path)  # warm the caches once
    times, statuses = [], set()
    worker = server.worker()
    cpu = cpu_seconds(worker)
    deadline = time.monotonic() + PAGE_SECONDS
    while len(times) < RUNS and (len(times) < 3 or time.monotonic() < deadline):
        status, seconds, _size = server.get(path)
        statuses.add(status)
        times.append(seconds * 1000)
    cpu = (cpu_seconds(worker) - cpu) * 1000 / len(times)
    sql_ms, queries, sql = main_sql(path)
    return {
        "name": name,
        "path": path,
        "runs": len(times),
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "cpu": cpu,
        "sql": sql_ms,
        "queries": queries,
        "statuses": sorted(statuses),
    }


def cpu_seconds(pid) -> float:
    """The CPU time a process has used (user and system): a page's own work, however busy the
    machine is with other things."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def children(pid) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def database_processes(connection) -> list[int]:
    """The throwaway cluster's postmaster and its processes: the backends forked later inherit
    its priority. None for SQLite, which runs in the web worker."""
    if connection.vendor != "postgresql":
        return []
    socket_folder = connection.settings_dict["HOST"] or ""
    try:  # a cluster laid out as throwaway_postgres makes it; another is left at its priority
        postmaster = int(Path(socket_folder, "data", "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError):
        return []
    return [postmaster, *children(postmaster)]


def first_in_line(pids) -> bool:
    """Run the processes ahead of other jobs (NICE); False where that is not allowed."""
    try:
        for pid in pids:
            os.setpriority(os.PRIO_PROCESS, pid, NICE)
    except (PermissionError, ProcessLookupError):
        return False
    return True


def percentile(values, share):
    """The nearest-rank percentile: the time `share` of the requests took at most."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure_export(env) -> dict:
    """The whole line-items list as CSV through a fresh worker (rows/s, peak RSS), beside COPY."""
    from django.db import connection

    from budgets.lists import LINE_ITEMS
    from budgets.models import LineItem

    expected = LineItem.objects.count()
    with Gunicorn(env) as server:
        server.get("/line-items/?county=000000&format=csv")  # load the code once, no rows
        worker = server.worker()
        before = rss_kib(worker, "VmRSS")
        status, seconds, size = server.get("/line-items/?format=csv")
        peak = rss_kib(worker, "VmHWM")
    result = {
        "rows": expected,
        "status": status,
        "seconds": seconds,
        "bytes": size,
        "rows_per_s": expected / seconds,
        "rss_before": before,
        "rss_peak": peak,
    }
    if connection.vendor == "postgresql":
        paths = [column.path for column in LINE_ITEMS.columns]
        sql, params = LINE_ITEMS.queryset.values_list(*paths).query.sql_with_params()
        with connection.cursor() as cursor:
            started = time.perf_counter()
            copied = 0
            with cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy:
                for data in copy:
                    copied += len(data)
            elapsed = time.perf_counter() - started
        result |= {"copy_seconds": elapsed, "copy_rows_per_s": expected / elapsed, "copy_bytes": copied}
    return result


def rss_kib(pid, field) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def format_row(row, vendor) -> str:
    slow = row["p95"] > TARGET_MS[vendor]
    statuses = ", ".join(str(s) for s in row["statuses"])
    return (
        f"| {row['name']} | `{row['path']}` | {row['p50']:.0f} ms | {row['p95']:.0f} ms"
        f"{' **SLOW**' if slow else ''} | {row['cpu']:.0f} ms | {row['sql']:.0f} ms | {row['queries']} | "
        f"{row['runs']} | {statuses} |"
    )


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory = next(
        (
            int(line.split()[1]) // (1024 * 1024)
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores, {memory} GB, Python {platform.python_version()}"
    )


def report(rows, export, counties, loaded, vendor, load, prioritized) -> str:
    from django.db import connection

    from budgets.models import BudgetYear, LineItem, PerformanceIndicator

    target = TARGET_MS[vendor]
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            found = []
            for name in (setting.split("=")[0] for setting in SERVER_SETTINGS.split()):
                cursor.execute(f"SHOW {name}")
                found.append(f"{name}={cursor.fetchone()[0]}")
            database = (
                f"PostgreSQL {version} (a cluster of its own: {' '.join(found)})"
                if REUSED
                else f"PostgreSQL {version} (throwaway cluster: {SERVER_SETTINGS})"
            )
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    slow = [row for row in rows if row["p95"] > target]
    lines = [
        section(),
        "",
        f"{date.today().isoformat()} on {machine()}; {database}.",
        "",
        (
            f"{counties:,} counties synthesized before (`BENCH_DATABASE_URL`), "
            if REUSED
            else f"SCALE={SCALE:g}: {counties:,} counties synthesized (`manage.py synthesize`), "
        )
        + f"{BudgetYear.objects.count():,} budget years, {LineItem.objects.count():,} line items, "
        f"{PerformanceIndicator.objects.count():,} indicators"
        + (f"; migrate, divisions and load took {loaded:.0f} s." if loaded is not None else "."),
        "",
        f"Each page requested {RUNS} times in turn (fewer where a page took over {PAGE_SECONDS:.0f} s) "
        "through gunicorn, one sync worker, DEBUG off, on 127.0.0.1. *Worker CPU*: the worker's CPU time per "
        "request (its own work, whatever else the machine runs); *main SQL*: the page's slowest query "
        "run again alone through a cursor (median of 5). "
        f"Load average {load}: the machine is shared, and a request waits for a core when it is busy; "
        + (
            f"the bench, gunicorn and the database ran at nice {NICE}, ahead of the other jobs. "
            if prioritized
            else "the bench, gunicorn and the database ran at normal priority. "
        )
        + f"Target: p95 ≤ {target} ms. **{len(rows) - len(slow)} of {len(rows)} pages meet it.**",
        "",
        "| page | address | p50 | p95 | worker CPU | main SQL | queries | runs | status |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
        *(format_row(row, vendor) for row in rows),
        "",
        "CSV export of the whole line-items list (`/line-items/?format=csv`) through a fresh worker:",
        "",
        "| rows | status | time | rows/s | worker RSS before → peak | PostgreSQL COPY of the same rows "
        "| export ÷ COPY |",
        "|---:|---|---:|---:|---|---|---:|",
    ]
    copy = (
        f"{export['copy_rows_per_s']:,.0f} rows/s ({export['copy_seconds']:.1f} s)"
        if "copy_rows_per_s" in export
        else "— (SQLite has no COPY)"
    )
    ratio = f"{export['rows_per_s'] / export['copy_rows_per_s']:.2f}" if "copy_rows_per_s" in export else "—"
    lines.append(
        f"| {export['rows']:,} | {export['status']} | {export['seconds']:.1f} s "
        f"| {export['rows_per_s']:,.0f} | "
        f"{export['rss_before'] / 1024:.0f} → {export['rss_peak'] / 1024:.0f} MB | {copy} | {ratio} |"
    )
    return "\n".join(lines) + "\n\n"  # a blank line before the next section


if __name__ == "__main__":
    sys.exit(main())
