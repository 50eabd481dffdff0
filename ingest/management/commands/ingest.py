"""Parse and save disclosure files: each in one transaction, the same bytes once."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingest.document import UnreadableDocument
from ingest.loader import IngestError, YearConflict, ingest_bytes


class Command(BaseCommand):
    help = "Parse disclosure files and save them; a file already saved is skipped."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace a department's year already saved from another document (the old source is kept)",
        )

    def handle(self, *args, files, replace, **options):
        failures = 0
        for path in files:
            try:
                result = ingest_bytes(path.read_bytes(), path.name, replace=replace)
            except OSError as exc:
                failures += 1
                self.stderr.write(f"{path}: cannot read the file ({exc.strerror})")
                continue
            except YearConflict as exc:
                failures += 1
                self.stderr.write(f"{path.name}: {exc} Ingest again with --replace to replace it.")
                continue
            except (UnreadableDocument, IngestError) as exc:
                failures += 1
                self.stderr.write(f"{path.name}: {exc}")
                continue
            budget_year = result.budget_year
            if not result.created and not result.counts:
                self.stdout.write(f"{path.name}: already saved as {budget_year}")
                continue
            counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
            self.stdout.write(self.style.SUCCESS(f"{path.name}: saved {budget_year} ({counts})"))
        if failures:
            raise CommandError(f"{failures} of {len(files)} file(s) not saved")
