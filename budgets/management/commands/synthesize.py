"""Synthesize a national dataset for measuring the site at scale (budgets.synthetic)."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from budgets import bulk, summaries, synthetic
from budgets.models import BudgetYear, County, Department, Finding, LineItem, PerformanceIndicator, ThreeCosts
from ingest.models import SourceDocument

MODELS = {
    "document": SourceDocument,
    "department": Department,
    "budget_year": BudgetYear,
    "three_costs": ThreeCosts,
    "line_item": LineItem,
    "indicator": PerformanceIndicator,
    "finding": Finding,
}


class Command(BaseCommand):
    help = (
        "Fill counties of the national list (manage.py load_divisions first) with synthetic "
        "departments, budgets and final accounts drawn from the real parsed disclosures, through "
        "the database's bulk path (COPY on PostgreSQL). For benchmarks, never for a site people read: "
        "the documents are marked （合成） and have no file. Counties that already have departments "
        "are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--counties", type=int, help="how many counties (default: every county without data)"
        )
        parser.add_argument("--departments", type=int, default=30, help="departments per county (default 30)")
        parser.add_argument("--years", type=int, default=8, help="years of budgets, up to 2024 (default 8)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=20, help="counties generated and written at a time")

    def handle(self, *args, counties, departments, years, seed, batch, verbosity, **options):
        free = list(
            County.objects.filter(code__isnull=False, departments__isnull=True)
            .order_by("code")
            .values_list("pk", "name", "code")
        )
        if not free:
            raise CommandError("No county without data: run manage.py load_divisions first.")
        chosen = random.Random(seed).sample(free, min(counties or len(free), len(free)))
        chosen.sort(key=lambda county: county[2])
        started = time.monotonic()
        material = synthetic.read_material()
        ids = synthetic.Ids(bulk.next_ids(MODELS))
        plan = synthetic.Plan(departments=departments, years=years, seed=seed)
        generator = synthetic.Generator(material, plan, ids)
        totals = dict.fromkeys(MODELS, 0)
        # One transaction: a load that fails leaves nothing behind.
        with transaction.atomic(), bulk.loading(list(MODELS.values())):
            for first in range(0, len(chosen), batch):
                rows = {table: [] for table in synthetic.TABLES}
                for pk, name, _code in chosen[first : first + batch]:
                    for table, new in generator.county_rows(pk, name).items():
                        rows[table].extend(new)
                for table in synthetic.TABLES:
                    totals[table] += bulk.write(MODELS[table], synthetic.COLUMNS[table], rows[table])
                if verbosity > 1 or (verbosity and (first // batch) % 10 == 9):
                    done = min(first + batch, len(chosen))
                    self.stdout.write(
                        f"{done}/{len(chosen)} counties, {totals['budget_year']:,} budget years, "
                        f"{totals['line_item']:,} line items, {totals['indicator']:,} indicators, "
                        f"{time.monotonic() - started:.0f} s"
                    )
            written = time.monotonic()
        steps = [
            f"rows written in {written - started:.0f} s",
            f"indexes made in {time.monotonic() - written:.0f} s",
        ]
        bulk.reset_sequences(list(MODELS.values()))
        bulk.analyze()
        for name, work in (
            ("county summaries, headlines, latest budgets and execution rates kept", summaries.refresh_all),
            ("search", bulk.rebuild_search),
            ("VACUUM ANALYZE", bulk.vacuum_analyze),
        ):
            begun = time.monotonic()
            said = work()
            steps.append(f"{said if isinstance(said, str) else name} in {time.monotonic() - begun:.0f} s")
        self.stdout.write(
            f"Synthesized {len(chosen)} counties in {time.monotonic() - started:.0f} s: "
            + ", ".join(f"{count:,} {table}" for table, count in totals.items())
            + "; "
            + "; ".join(steps)
            + "."
        )
