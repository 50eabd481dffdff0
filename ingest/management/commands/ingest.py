"""Parse and save disclosure files and folders of them: parsed in parallel (--jobs), each saved in
one transaction, the same bytes once (ingest.bulk)."""

import argparse
import datetime
import os
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from ingest import bulk


class Command(BaseCommand):
    help = "Parse disclosure files and save them; a file already saved is skipped."

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="+", type=Path, help="files, or folders of files (read recursively)"
        )
        parser.add_argument(
            "--jobs", type=_positive, default=1, help="files parsed at once, each in a process of its own"
        )
        parser.add_argument(
            "--report",
            type=Path,
            help="write a CSV of every file: file, status, county, department, year, kind, error",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace a department's year already saved from another document (the old source is kept)",
        )
        parser.add_argument(
            "--published-url",
            type=_url,
            help="where the county published the file(s), e.g. https://www.gaoyi.gov.cn/…; "
            "recorded on a file saved earlier too",
        )
        parser.add_argument(
            "--published-on",
            type=_date,
            help="the date the county published the file(s), YYYY-MM-DD",
        )

    def handle(self, *args, files, replace, jobs, report, **options):
        files = bulk.collect(files)
        save = {
            "replace": replace,
            "published_url": options["published_url"],
            "published_on": options["published_on"],
        }
        # The progress line goes to the stream itself: redrawn in place, neither coloured nor
        # ended by Django's OutputWrapper (call_command's `stderr`, else the process's).
        progress = bulk.Progress(options.get("stderr") or sys.stderr, len(files))
        self.verbosity = options["verbosity"]
        self.progress = progress
        # The report is written a line at a time, so a stopped run's holds what it did.
        with (
            bulk.Stop() as stop,
            open(report or os.devnull, "w", encoding="utf-8", newline="", buffering=1) as handle,
        ):
            writer = bulk.report_writer(handle) if report else None
            outcomes = bulk.run(
                files, jobs=jobs, save=save, report=writer, progress=progress, on_outcome=self.said, stop=stop
            )
        progress.finish()
        failures = sum(1 for outcome in outcomes if outcome.status == bulk.FAILED)
        if stop.requested:
            raise CommandError(
                f"stopped: {len(files) - len(outcomes)} of {len(files)} file(s) not ingested; "
                "run the same command again to go on (saved files are skipped)"
            )
        if failures:
            raise CommandError(f"{failures} of {len(files)} file(s) not saved")

    def said(self, outcome):
        """A line for each file: failures always, the others unless -v 0."""
        if outcome.status != bulk.FAILED and self.verbosity < 1:
            return
        self.progress.clear()
        name = outcome.path.name
        if outcome.status == bulk.FAILED:
            self.stderr.write(f"{outcome.path}: {outcome.error}")
        elif outcome.status == bulk.SKIPPED:
            self.stdout.write(f"{name}: already saved as {outcome.saved_as}")
        else:
            counts = ", ".join(f"{k} {v}" for k, v in outcome.counts.items())
            self.stdout.write(self.style.SUCCESS(f"{name}: saved {outcome.saved_as} ({counts})"))


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a number of processes: {value}")
    return int(value)


def _url(value: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise argparse.ArgumentTypeError(f"not a web address: {value}") from None
    return value


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from None
