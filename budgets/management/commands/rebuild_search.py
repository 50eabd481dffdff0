"""Index every place, department and printed name again (budgets.search.index.rebuild)."""

import time

from django.core.management.base import BaseCommand

from budgets.search import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the tables: every county, prefecture and province, every "
        "department, and each distinct name printed as a class, project, project or activity "
        "measured, or indicator. Saving a disclosure keeps the index up to date; run this after "
        "loading rows in bulk (manage.py synthesize does) or after changing how names are tokenized."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = rebuild()
        self.stdout.write(
            f"Search index rebuilt in {time.monotonic() - started:.1f} s: "
            + ", ".join(f"{count:,} {kind}" for kind, count in counts.items())
            + "."
        )
