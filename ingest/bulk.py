"""Bulk ingest (`manage.py ingest DIR… --jobs N`): files parsed in parallel, saved one by one.

Parsing is the slow part (a 30-page PDF takes a second or two), so N pool processes parse (one
job: this process), each parse through `ingest.tasks.parse_in_time` (a child with the upload's
time and memory limits, so one broken file fails alone and cannot take a pool process down).
Saving stays in this process, one transaction per document (`loader.ingest_bytes`): writes are
serialised as SQLite requires, and the files are saved in the order given whatever order their
parses end in, so which of two disclosures of one department's year is saved first never
depends on the number of jobs. A file the database refuses fails alone too.

Documents are addressed by their SHA-256: a file whose bytes are already saved is skipped before
it is parsed, so a stopped run resumes by running it again. Ctrl-C or SIGTERM stops after the
save under way (a second one at once, the database rolling that save back): nothing is half saved.
"""

import csv
import hashlib
import multiprocessing
import os
import signal
import time
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.utils import translation

from budgets import exports
from ingest import loader, tasks
from ingest.models import SourceDocument

SAVED = "saved"
SKIPPED = "skipped (already saved)"
FAILED = "failed"
REPORT_HEADER = ("file", "status", "county", "department", "year", "kind", "error")
# Parses kept in flight per job: enough to keep every pool process busy while this process
# saves, few enough that the bytes and parses waiting here stay small.
IN_FLIGHT_PER_JOB = 3
# How much lower the parsing processes' priority is than the saving one's (see os.nice).
PARSER_NICENESS = 5
# How often the progress shows: redrawn on a terminal, a line in a log.
TTY_INTERVAL_SECONDS = 0.2
LOG_INTERVAL_SECONDS = 10.0


@dataclass
class Outcome:
    path: Path
    status: str
    county: str = ""
    department: str = ""
    year: int | None = None
    kind: str = ""
    error: str = ""
    # What the command says of a saved document: its budget year and the counts of its parts
    # (not the document itself, whose parse a long run would otherwise keep in memory).
    saved_as: str = ""
    counts: dict | None = None

    def report_row(self) -> list[str]:
        values = (str(self.path), self.status, self.county, self.department, self.year, self.kind, self.error)
        return [exports.cell(value) for value in values]


def collect(paths: list[Path]) -> list[Path]:
    """The files named, and every file under the folders named (sorted; hidden ones left out).
    Any file is taken: the readers tell a disclosure by its bytes, never by its name."""
    files = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        for folder, subfolders, names in os.walk(path):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            files += [Path(folder, name) for name in sorted(names) if not name.startswith(".")]
    return files


def _parse(data: bytes, name: str, seconds: float) -> tuple[str, object]:
    """("ok", parsed JSON) or ("failed", why, in English as the command line prints a refusal:
    ingest.refusals)."""
    try:
        return "ok", tasks.parse_in_time(data, name, seconds)
    except tasks.ParseFailed as error:
        with translation.override("en"):
            return "failed", str(error)


def _pool_process_started(parent: int) -> None:
    # Ctrl-C reaches every process of the terminal's group: the command decides when to stop,
    # and its pool processes end with it however it ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    tasks.die_with(parent)
    # The one process that saves goes first where the cores are short: parses ready ahead of
    # the saving are of no use (a text's save takes longer than its parse).
    os.nice(PARSER_NICENESS)


class Stop:
    """SIGINT and SIGTERM while the files are ingested: the first asks to stop after the save
    under way, the second ends the process at once (the database rolls that save back)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        self.requested = False
        self._previous = {}

    def __enter__(self):
        for signum in self.SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc):
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum, frame):
        if self.requested:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
        self.requested = True


class Progress:
    """Files done of all, documents saved and skipped, failures and the time left: one line
    redrawn with a bar on a terminal, else a plain line every LOG_INTERVAL_SECONDS."""

    def __init__(self, stream, total: int, *, tty: bool | None = None, interval: float | None = None):
        self.stream = stream
        self.total = total
        self.tty = stream.isatty() if tty is None else tty
        self.interval = (
            interval if interval is not None else TTY_INTERVAL_SECONDS if self.tty else LOG_INTERVAL_SECONDS
        )
        self.counts = {SAVED: 0, SKIPPED: 0, FAILED: 0}
        self.started = time.monotonic()
        self._shown_at = None
        self._shown_done = None
        self._drawn = False

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def count(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        self.show()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        parsed = self.counts[SAVED] + self.counts[FAILED]
        left = ""
        if self.done and self.done < self.total:
            left = f" · {_duration(elapsed / self.done * (self.total - self.done))} left"
        text = (
            f"{self.done}/{self.total} files · {self.counts[SAVED]} saved · "
            f"{self.counts[SKIPPED]} skipped · {self.counts[FAILED]} failed · "
            f"{_per_minute(parsed, elapsed)} documents/min{left}"
        )
        if not self.tty:
            return text
        width = 24
        filled = width * self.done // self.total if self.total else width
        return f"[{'#' * filled}{'.' * (width - filled)}] {text}"

    def show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and self._shown_at is not None and now - self._shown_at < self.interval:
            return
        self._shown_at = now
        self._shown_done = self.done
        if self.tty:
            self._write(f"\r{self.line()}\x1b[K")
            self._drawn = True
        else:
            self._write(self.line() + "\n")

    def clear(self) -> None:
        """Before a line of its own is written to the terminal: the bar is drawn again after it."""
        if self._drawn:
            self._write("\r\x1b[K")
            self._drawn = False
            self._shown_at = None

    def finish(self) -> None:
        if self._shown_done != self.done or self.tty:
            self.show(force=True)
        if self.tty:
            self._write("\n")
            self._drawn = False

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"


def _per_minute(documents: int, seconds: float) -> str:
    return f"{documents * 60 / seconds:.0f}" if seconds > 0 else "0"


def run(files, *, jobs, save, report=None, progress=None, on_outcome=None, stop=None):
    """Ingest `files` with `jobs` parsing processes; `save` holds the keyword arguments of
    `loader.ingest_bytes` (replace, …). Each outcome goes to `on_outcome`, the report writer
    (a csv.writer) and `progress` as it comes, in the order of `files`. Returns the outcomes;
    fewer than the files where `stop` was requested."""
    stop = stop or Stop()
    outcomes = []
    window = deque()  # (path, data, future or an Outcome already known), in the order of `files`
    pending = iter(files)
    with _parsers(jobs) as pool:
        try:
            while not stop.requested:
                while (
                    not stop.requested
                    and len(window) < jobs * IN_FLIGHT_PER_JOB
                    and (path := next(pending, None)) is not None
                ):
                    window.append(_start(pool, path, save))
                if not window:
                    break
                path, data, work = window[0]
                if not isinstance(work, Outcome):
                    if not wait_for([work], timeout=TTY_INTERVAL_SECONDS).done:
                        if progress:
                            progress.show()
                        continue
                    work = _save(path, data, *work.result(), save)
                window.popleft()
                outcomes.append(work)
                if on_outcome:
                    on_outcome(work)
                if report:
                    report.writerow(work.report_row())
                if progress:
                    progress.count(work)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return outcomes


def _parsers(jobs: int):
    """Where the parses run: a pool of `jobs` processes, or for one job this process itself,
    each parse in a child of its own either way (a pool would only add a process in between)."""
    if jobs == 1:
        return _OneAtATime()
    context = multiprocessing.get_context("fork")  # the pool inherits the loaded parser
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_pool_process_started, initargs=(os.getpid(),)
    )


class _OneAtATime(Executor):
    """One job: each parse made when it is handed over."""

    def submit(self, fn, /, *args, **kwargs):
        future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _start(pool, path: Path, save: dict):
    """Read a file and hand it to the parsers, unless its bytes are saved already."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return (
            path,
            None,
            Outcome(path, FAILED, error=f"cannot read the file ({error.strerror})"),
        )
    saved = SourceDocument.objects.filter(
        sha256=hashlib.sha256(data).hexdigest(), status=SourceDocument.Status.SAVED
    ).exists()
    if saved:
        # The loader returns at once for saved bytes (recording what `save` adds about them).
        return path, None, _outcome(path, loader.ingest_bytes(data, path.name, **save))
    return path, data, pool.submit(_parse, data, path.name, settings.PARSE_TIMEOUT_SECONDS)


def _save(path: Path, data: bytes, status: str, value, save: dict) -> Outcome:
    if status != "ok":
        return Outcome(path, FAILED, error=value)
    try:
        result = loader.ingest_bytes(data, path.name, parsed=value, **save)
    except loader.IngestError as error:
        return _identified(Outcome(path, FAILED, error=_sentence(error, save)), value)
    except DatabaseError as error:  # a value the database cannot hold: this file, not the run
        return _identified(
            Outcome(path, FAILED, error=f"the database refused it: {' '.join(str(error).split())}"), value
        )
    return _outcome(path, result)


def _sentence(error: loader.IngestError, save: dict) -> str:
    if isinstance(error, loader.YearConflict) and not save.get("replace"):
        return f"{error} Ingest again with --replace to replace it."
    return str(error)


def _outcome(path: Path, result: loader.IngestResult) -> Outcome:
    status = SKIPPED if not result.created and not result.counts else SAVED
    outcome = Outcome(path, status, saved_as=str(result.budget_year), counts=result.counts)
    if budget_year := result.budget_year:
        outcome.county = budget_year.department.county.name
        outcome.department = budget_year.department.name
        outcome.year = budget_year.year
        outcome.kind = budget_year.kind
    return outcome


def _identified(outcome: Outcome, parsed: dict) -> Outcome:
    """A document that could not be saved, named as far as its parse tells."""
    outcome.county = parsed.get("county") or ""
    outcome.department = parsed.get("department") or ""
    outcome.year = parsed.get("year")
    outcome.kind = parsed.get("kind") or ""
    return outcome


def report_writer(handle):
    """A csv.writer on `handle` with its header written: UTF-8 with a BOM, as the site's CSVs."""
    handle.write(exports.BOM)
    writer = csv.writer(handle)
    writer.writerow(REPORT_HEADER)
    return writer
