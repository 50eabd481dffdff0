"""Build the whole-dataset downloads now (a zip of CSV files and a SQLite file), without the worker."""

from django.core.management.base import BaseCommand

from budgets import dataset


class Command(BaseCommand):
    help = "Build the whole-dataset downloads now: a zip of CSV files, one per list, and a SQLite file."

    def handle(self, *args, **options):
        manifest = dataset.build_marked()
        rows = ", ".join(f"{name} {count}" for name, count in manifest["tables"].items())
        self.stdout.write(self.style.SUCCESS(f"built {dataset.directory()} ({rows})"))
