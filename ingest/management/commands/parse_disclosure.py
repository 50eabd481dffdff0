"""Print the parsed-disclosure JSON of one file; writes nothing to the database."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingest.document import UnreadableDocument
from ingest.parser import parse_bytes


class Command(BaseCommand):
    help = "Parse one disclosure file (text, for now) and print its JSON (see docs/disclosure-json.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: cannot read the file ({exc.strerror})") from exc
        try:
            parsed = parse_bytes(data, file.name)
        except UnreadableDocument as exc:
            raise CommandError(f"{file.name}: {exc}") from exc
        self.stdout.write(json.dumps(parsed, ensure_ascii=False, indent=2, default=str))
