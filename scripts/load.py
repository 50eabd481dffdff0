#!/usr/bin/env python3
"""`make load`: the site under 20 concurrent readers for 60 s, written to docs/benchmarks.md.

Run inside scripts/throwaway_postgres.py (the Makefile does), so DATABASE_URL names a fresh
PostgreSQL: the samples are loaded, gunicorn serves the site with two workers on 127.0.0.1 only
(static files collected, DEBUG off, a throwaway SECRET_KEY), and a pool of CLIENTS threads
requests the page types and CSV exports for SECONDS, round robin. Throughput, p50/p95/p99 per
page type and every error are reported. The traffic stays on the loopback address, and the run
is bounded in time (and so in requests); it stops gunicorn however it ends.
"""

import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from html import unescape
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urlsplit
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.report import write_section  # noqa: E402

CLIENTS = int(os.environ.get("LOAD_CLIENTS", 20))
SECONDS = float(os.environ.get("LOAD_SECONDS", 60))
WORKERS = 2
HOST = "127.0.0.1"
SECTION = "## Load (`make load`)"
PER_TYPE = 4  # addresses of each page type the clients take turns on
CSV_OF = ("budget-years", "line-items", "three-costs", "indicators", "compare")
# The search box is a form, not a link: searches a reader would type.
SEARCHES = ["/search/?q=%E5%8A%9E%E5%85%AC%E5%AE%A4", "/search/?q=%E4%BC%9A%E8%AE%AE%E8%B4%B9"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def prepare(env: dict) -> None:
    """Migrate the throwaway database and load the samples into it."""
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    samples = sorted(str(p) for p in (ROOT / "samples").glob("*.txt"))
    subprocess.run(
        [python, "manage.py", "ingest", *samples], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(WORKERS),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urlopen(f"http://{HOST}:{port}/", timeout=2):
                return server
        except (URLError, ConnectionError):
            time.sleep(0.2)
    stop(server)
    raise SystemExit("gunicorn did not answer within 30 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def page_type(path: str) -> str:
    """The URL name of a path (budget-year-detail, line-items …), `… CSV` for an export."""
    from django.urls import Resolver404, resolve

    parts = urlsplit(path)
    try:
        name = resolve(unquote(parts.path)).url_name
    except Resolver404:
        return ""
    return f"{name} CSV" if "format=csv" in parts.query else name


def discover(base: str) -> dict[str, list[str]]:
    """Addresses of every page type linked from the home page and the pages it leads to, with
    the CSV export of each list and of the comparison."""
    found: dict[str, list[str]] = defaultdict(list)
    queue, seen = ["/", *SEARCHES], set()
    while queue:
        path = queue.pop(0)
        kind = page_type(path)
        if path in seen or not kind or len(found[kind]) >= PER_TYPE:
            continue
        seen.add(path)
        with urlopen(base + path, timeout=30) as response:
            html = response.read().decode("utf-8", errors="replace")
        found[kind].append(path)
        for href in re.findall(r'href="(/[^"#]*)"', html):
            href = unescape(href)
            if not href.startswith(("/static/", "/admin/", "/i18n/", "/documents/")):
                queue.append(href)
    for name in CSV_OF:
        for path in list(found.get(name, []))[:PER_TYPE]:
            joiner = "&" if "?" in path else "?"
            found[f"{name} CSV"].append(f"{path}{joiner}format=csv")
    return dict(found)


def hammer(base: str, targets: list[tuple[str, str]], until: float, results: list, lock) -> None:
    """One client: request the targets in turn until `until`; record (type, seconds, error)."""
    index = hash(threading.get_ident()) % len(targets)
    while time.monotonic() < until:
        kind, path = targets[index % len(targets)]
        index += 1
        started = time.perf_counter()
        error = ""
        try:
            with urlopen(base + path, timeout=30) as response:
                response.read()
        except HTTPError as failure:
            error = f"HTTP {failure.code}"
        except (URLError, OSError) as failure:
            error = type(failure).__name__
        with lock:
            results.append((kind, time.perf_counter() - started, error))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(results: list, seconds: float, database: str) -> str:
    by_type = defaultdict(list)
    errors = defaultdict(int)
    for kind, elapsed, error in results:
        by_type[kind].append(elapsed * 1000)
        if error:
            errors[(kind, error)] += 1
    total_errors = sum(errors.values())
    lines = [
        SECTION,
        "",
        f"{date.today().isoformat()} on {platform.node()} ({os.cpu_count()} cores, Python "
        f"{platform.python_version()}): gunicorn with {WORKERS} workers on {database}, the samples "
        f"loaded; {CLIENTS} concurrent clients for {seconds:.0f} s on {HOST}.",
        "",
        f"**{len(results)} requests, {len(results) / seconds:.1f} per second, {total_errors} errors.**",
        "",
        "| page type | requests | p50 | p95 | p99 |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind in sorted(by_type):
        times = by_type[kind]
        lines.append(
            f"| {kind} | {len(times)} | {statistics.median(times):.0f} ms | "
            f"{percentile(times, 0.95):.0f} ms | {percentile(times, 0.99):.0f} ms |"
        )
    everything = [elapsed * 1000 for _kind, elapsed, _error in results]
    lines.append(
        f"| **all** | {len(everything)} | {statistics.median(everything):.0f} ms | "
        f"{percentile(everything, 0.95):.0f} ms | {percentile(everything, 0.99):.0f} ms |"
    )
    if errors:
        lines += ["", "Errors:", ""]
        lines += [f"- {kind}: {error} × {count}" for (kind, error), count in errors.items()]
    return "\n".join(lines) + "\n"


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("make load runs inside scripts/throwaway_postgres.py (DATABASE_URL=postgres://…)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    media = tempfile.mkdtemp(prefix="load-media-")
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": HOST,
        "MEDIA_ROOT": media,
    }
    env.pop("HTTPS", None)
    prepare(env)
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = start_gunicorn(env, port)
    try:
        pages = discover(base)
        targets = [(kind, path) for kind, paths in sorted(pages.items()) for path in paths]
        print(f"{len(targets)} addresses over {len(pages)} page types; {CLIENTS} clients for {SECONDS:.0f} s")
        results, lock = [], threading.Lock()
        started = time.monotonic()
        until = started + SECONDS
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            for _ in range(CLIENTS):
                pool.submit(hammer, base, targets, until, results, lock)
        elapsed = time.monotonic() - started
    finally:
        stop(server)
        shutil.rmtree(media, ignore_errors=True)
    text = report(results, elapsed, "PostgreSQL (throwaway cluster)")
    print(text)
    write_section(SECTION, text)
    return 0 if not any(error for _kind, _elapsed, error in results) else 1


if __name__ == "__main__":
    sys.exit(main())
