#!/usr/bin/env python3
"""`make fuzz`: a long fuzz campaign over the readers, the parser and the database.

FUZZ_INPUTS inputs (default 10,000) drawn by Hypothesis from tests/fuzz.py: the samples
mutated, and Office, PDF, web-page and zip files made hostile. Each is parsed in a forked
child with an address-space limit (FUZZ_MEMORY_MB, default 2048) and a time limit (the
issue's 10 s, FUZZ_TIMEOUT), so a runaway input is counted, not suffered; the child's peak
resident memory is its `ru_maxrss`. Each clean parse is then saved to the database inside a
transaction that is rolled back: SQLite always, and PostgreSQL too where DATABASE_URL names
one. The counts (inputs, results, refusals, uncaught exceptions, database errors, hangs, peak
memory) go to their own section of docs/benchmarks.md with the date and the machine.
"""

import collections
import gc
import os
import pickle
import random
import resource
import select
import signal
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings  # noqa: E402

INPUTS = int(os.environ.get("FUZZ_INPUTS", 10_000))
MEMORY_MB = int(os.environ.get("FUZZ_MEMORY_MB", 2048))
TIMEOUT = float(os.environ.get("FUZZ_TIMEOUT", 10))
SEED = int(os.environ.get("FUZZ_SEED", random.randrange(2**32)))
SECTION = "## Fuzzing (`make fuzz`)"
SQLITE = "fuzz_sqlite"


class SaveTo:
    """Routes every query to the database the campaign is saving to (`SaveTo.alias`): the
    loader saves through the default managers, and each parse is saved to each database."""

    alias = "default"

    def db_for_read(self, model, **hints):
        return SaveTo.alias

    def db_for_write(self, model, **hints):
        return SaveTo.alias

    def allow_relation(self, *objects, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return True


def configure() -> list[str]:
    """The databases to save to: SQLite (the default's throwaway test database, or one of
    its own beside PostgreSQL), and PostgreSQL where the default database is one."""
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="fuzz-media-"))
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return ["default"]
    settings.DATABASES[SQLITE] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        # Migrated after the default: a data migration reading through the default manager finds it.
        "TEST": {"DEPENDENCIES": ["default"]},
    }
    return ["default", SQLITE]


configure_aliases = configure()

import django  # noqa: E402

django.setup()

from django.db import DatabaseError, connections, router, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ingest.loader import IngestError, keep_document, save_parsed  # noqa: E402
from ingest.parser import parse_bytes  # noqa: E402
from ingest.readers.archive import read_archive  # noqa: E402
from scripts.bench import machine  # noqa: E402
from scripts.report import write_section  # noqa: E402
from tests import fuzz  # noqa: E402


class Rollback(Exception):
    """Raised to leave a save's transaction without keeping anything."""


class Campaign:
    def __init__(self, aliases: list[str]):
        self.aliases = aliases
        self.counts = collections.Counter()
        self.details = collections.Counter()
        self.peak_kb = 0
        self.slowest = (0.0, "")

    def run(self, name: str, data: bytes) -> None:
        function = _read_archive if name.endswith(".zip") else parse_bytes
        start = time.perf_counter()
        kind, detail, parsed, peak_kb = isolated(function, data, name)
        seconds = time.perf_counter() - start
        self.counts["inputs"] += 1
        self.counts[kind] += 1
        self.peak_kb = max(self.peak_kb, peak_kb)
        self.slowest = max(self.slowest, (seconds, f"{name} ({kind})"))
        if kind in ("crash", "hang"):
            self.found((kind, name, detail))
        if kind == "ok" and isinstance(parsed, dict):
            for alias in self.aliases:
                self.save(alias, data, name, parsed)

    def save(self, alias: str, data: bytes, name: str, parsed: dict) -> None:
        SaveTo.alias = alias
        try:
            with transaction.atomic(using=alias):
                save_parsed(keep_document(data, name), parsed)
                raise Rollback
        except Rollback:
            self.counts[f"saved ({_vendor(alias)})"] += 1
        except IngestError:
            # No county or year, a county several divisions share: the loader's refusals, by design.
            self.counts[f"not filed ({_vendor(alias)})"] += 1
        except DatabaseError as error:
            self.counts["database errors"] += 1
            self.found(("database", name, f"{alias}: {type(error).__name__}: {str(error)[:160]}"))

    def found(self, failure: tuple[str, str, str]) -> None:
        """Count a failure, and say it at once: a long campaign should not hide one for an hour."""
        self.details[failure] += 1
        print("FAILURE", *failure, file=sys.stderr, flush=True)


def _vendor(alias: str) -> str:
    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(connections[alias].vendor, alias)


def _read_archive(data: bytes, _name: str):
    return read_archive(data)


def isolated(function, data: bytes, name: str) -> tuple[str, str, object, int]:
    """(outcome kind, detail, result, peak KB) of one input run in a forked child."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(reader)
            limit = MEMORY_MB * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            result = fuzz.outcome(function, data, name)
            kept = result.result if isinstance(result.result, dict) else None
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(pickle.dumps((result.kind, result.detail, kept)))
        finally:
            os._exit(0)  # never back into the campaign's loop, whatever happened
    os.close(writer)
    payload, deadline, hung = bytearray(), time.monotonic() + TIMEOUT, False
    with os.fdopen(reader, "rb") as pipe:
        while True:
            ready, _, _ = select.select([pipe], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                hung = True
                os.kill(pid, signal.SIGKILL)
                break
            chunk = os.read(pipe.fileno(), 1 << 20)
            if not chunk:
                break
            payload += chunk
    _pid, status, usage = os.wait4(pid, 0)
    if hung:
        return "hang", f"over {TIMEOUT:.0f} s", None, usage.ru_maxrss
    if not payload:
        return "crash", f"child died (status {status})", None, usage.ru_maxrss
    kind, detail, parsed = pickle.loads(payload)
    return kind, detail, parsed, usage.ru_maxrss


def inputs():
    """Mostly mutated samples (cheap, and the parser's own surface), then built files, then
    random bytes behind each format's magic number."""
    garbage = st.tuples(st.sampled_from(["x.pdf", "x.docx", "x.txt"]), st.binary(max_size=8192)).map(
        lambda file: (file[0], {"x.pdf": b"%PDF-1.4\n", "x.docx": b"PK\x03\x04"}.get(file[0], b"") + file[1])
    )
    mutated = fuzz.mutated_samples()
    return st.one_of(mutated, mutated, mutated, mutated, fuzz.generated_files(), garbage)


def campaign_test(campaign: Campaign):
    @seed(SEED)
    @hypothesis_settings(
        max_examples=INPUTS,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(inputs())
    def one_input(file):
        name, data = file
        campaign.run(name, data)
        if campaign.counts["inputs"] % 500 == 0:
            print(dict(campaign.counts), flush=True)

    return one_input


def report(campaign: Campaign, seconds: float) -> str:
    counts = campaign.counts
    saved = ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()) if k.startswith(("saved", "not filed")))
    lines = [
        SECTION,
        "",
        f"{date.today().isoformat()} on {machine()}; seed {SEED}, {seconds / 60:.0f} min.",
        "",
        "| inputs | parsed | refused | uncaught exceptions | database errors | hangs (> "
        f"{TIMEOUT:.0f} s) | peak memory of a parse |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {counts['inputs']:,} | {counts['ok']:,} | {counts['refused']:,} | {counts['crash']:,} | "
        f"{counts['database errors']:,} | {counts['hang']:,} | {campaign.peak_kb / 1024:.0f} MB |",
        "",
        f"Clean parses saved and rolled back: {saved or 'none'} (not filed: the loader's refusals, "
        "no county, department or year, or a county several divisions share). "
        f"Slowest input: {campaign.slowest[1]}, {campaign.slowest[0]:.1f} s.",
    ]
    if campaign.details:
        lines += ["", "| what | input | detail | times |", "|---|---|---|---:|"]
        lines += [
            f"| {kind} | {name} | {detail.replace('|', '/')} | {times} |"
            for (kind, name, detail), times in campaign.details.most_common(20)
        ]
    return "\n".join(lines) + "\n"


def warm_up() -> None:
    """Import every reader and parse a sample in this process, then freeze its objects: each
    forked child starts with them loaded, and its garbage collector never walks (and so never
    copies) the parent's heap."""
    import ingest.readers.doc  # noqa: F401
    import ingest.readers.docx  # noqa: F401
    import ingest.readers.html  # noqa: F401
    import ingest.readers.pdf  # noqa: F401
    import ingest.readers.xls  # noqa: F401
    import ingest.readers.xlsx  # noqa: F401

    name, data = fuzz.SAMPLE_FILES[0]
    parse_bytes(data, name)
    gc.collect()
    gc.freeze()


def main() -> int:
    # The campaign's own process too: a generator gone wrong must fail here, not fill the machine.
    limit = 2 * MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    aliases = configure_aliases
    warm_up()
    old_config = setup_databases(verbosity=0, interactive=False, aliases=set(aliases))
    # Routed only once the databases are migrated: migrations choose their own database.
    router.routers = [SaveTo()]
    campaign = Campaign(aliases)
    start = time.perf_counter()
    try:
        campaign_test(campaign)()
    finally:
        teardown_databases(old_config, verbosity=0)
    text = report(campaign, time.perf_counter() - start)
    print(text)
    write_section(SECTION, text)
    failed = campaign.counts["crash"] + campaign.counts["database errors"] + campaign.counts["hang"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
