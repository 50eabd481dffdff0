"""Give departments their kind from the list in ingest/vocabulary/department_kinds.py."""

from django.core.management.base import BaseCommand

from budgets.models import Department
from ingest.department_kinds import kind_of


class Command(BaseCommand):
    help = (
        "Give each department of unknown kind the kind its name ends with (after the list "
        "grew); --all also re-reads the kinds already set, overwriting corrections made in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="re-read every department's kind")

    def handle(self, *args, all, **options):
        departments = Department.objects.all() if all else Department.objects.filter(kind="")
        changed = []
        for department in departments:
            kind = kind_of(department.name)
            if kind != department.kind and (kind or all):
                department.kind = kind
                changed.append(department)
        Department.objects.bulk_update(changed, ["kind"], batch_size=500)
        self.stdout.write(f"{len(changed)} department(s) given a kind.")
