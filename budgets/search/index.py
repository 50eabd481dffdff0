"""The search index: one SearchEntry per place, department and distinct printed name, with its
tokens (budgets.search.text), and the one lookup that asks either database for the entries
holding some words: `SearchEntry.objects.filter(tokens__matches=terms)`.

SQLite reads the tokens through an FTS5 table kept by triggers, PostgreSQL through a GIN
index on a tsvector column generated from them (both made by migration 0006). The index follows the
data three ways: `index_budget_year` when a disclosure is saved (ingest.loader), signals when
one place, department, line item or indicator is saved on its own (the admin, load_divisions),
and `rebuild()` after a bulk load (`manage.py rebuild_search`, `manage.py synthesize`). A name
no row prints any more (a disclosure replaced) stays until the next rebuild: the search asks
for rows by name, so it finds nothing through it.
"""

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Lookup
from django.db.models.functions import Length
from django.db.models.signals import post_delete, post_save

from budgets.classification import reference_names
from budgets.models import County, Department, LineItem, PerformanceIndicator, SearchEntry
from budgets.search import text

Kind = SearchEntry.Kind
PLACES = (Kind.PROVINCE, Kind.PREFECTURE, Kind.COUNTY)
CLASSES = (Kind.FUNCTIONAL, Kind.ECONOMIC)
BATCH = 5000
FTS_TABLE = "budgets_searchentry_fts"
VECTOR_COLUMN = "vector"  # generated from the tokens, PostgreSQL only


class Matches(Lookup):
    """`tokens__matches=[Term, …]`: entries holding every term (budgets.search.text)."""

    lookup_name = "matches"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        raise NotImplementedError(f"Search needs SQLite or PostgreSQL, not {connection.vendor}")

    def as_sqlite(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.lhs.alias)
        return f"{table}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)", [
            text.fts5(self.rhs)
        ]

    def as_postgresql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.lhs.alias)
        return f"{table}.{VECTOR_COLUMN} @@ %s::tsquery", [text.tsquery(self.rhs)]


SearchEntry._meta.get_field("tokens").register_lookup(Matches)


def indexable(name: str) -> bool:
    # Longer text is no name (the parser's bound for indexed columns), and would not fit the index.
    return bool(name) and len(name) <= settings.PARSE_MAX_INDEXED_CHARS and bool(text.normalize(name))


# --- entries ---------------------------------------------------------------------------------


def province_entry(province: str) -> SearchEntry:
    return SearchEntry(
        kind=Kind.PROVINCE, text=province, tokens=text.document(province, pinyin_of=(province,))
    )


def prefecture_entry(province: str, prefecture: str) -> SearchEntry:
    return SearchEntry(
        kind=Kind.PREFECTURE,
        text=prefecture,
        place=province,
        tokens=text.document(prefecture, province, pinyin_of=(prefecture, province)),
    )


def county_entry(county) -> SearchEntry:
    """A county answers to its name and to its prefecture's and province's (石家庄 高邑)."""
    around = [name for name in (county.prefecture, county.province) if name]
    return SearchEntry(
        kind=Kind.COUNTY,
        text=county.name,
        code=county.code or "",
        ref=county.pk,
        place=county.place,
        tokens=text.document(county.name, *around, pinyin_of=(county.name, *around)),
    )


def department_entry(pk, name, aliases) -> SearchEntry:
    """A department answers to its name and every name it was printed under."""
    names = [name, *(alias for alias in aliases or () if indexable(alias))]
    return SearchEntry(kind=Kind.DEPARTMENT, text=name, ref=pk, tokens=text.document(*names))


def class_entry(kind, code, name) -> SearchEntry:
    """A class answers to its printed name and the reference list's names of its code."""
    zh, en = reference_names().get((kind, code), ("", ""))
    return SearchEntry(kind=kind, code=code, text=name, tokens=text.document(name, zh, en))


def text_entry(kind, name) -> SearchEntry:
    return SearchEntry(kind=kind, text=name, tokens=text.document(name))


def place_entries(counties) -> list[SearchEntry]:
    """The entries of counties and of the provinces and prefectures they lie in."""
    entries, provinces, prefectures = [], set(), set()
    for county in counties:
        entries.append(county_entry(county))
        if county.province:
            provinces.add(county.province)
            if county.prefecture:
                prefectures.add((county.province, county.prefecture))
    entries += [province_entry(p) for p in sorted(provinces)]
    entries += [prefecture_entry(*p) for p in sorted(prefectures)]
    return entries


def _line_item_entry(kind, code, name):
    return class_entry(kind, code, name) if kind in CLASSES else text_entry(Kind.PROJECT, name)


def _add(entries) -> None:
    """Write entries not there yet (a name already indexed is left as it is)."""
    SearchEntry.objects.bulk_create(entries, batch_size=BATCH, ignore_conflicts=True)


def _replace(entry: SearchEntry) -> None:
    SearchEntry.objects.update_or_create(
        kind=entry.kind,
        ref=entry.ref,
        defaults={"text": entry.text, "code": entry.code, "place": entry.place, "tokens": entry.tokens},
    )


# --- following the data ----------------------------------------------------------------------


def index_budget_year(budget_year) -> None:
    """Index the names a saved disclosure prints (ingest.loader.save_parsed calls this). Its
    county and department are indexed as they are saved (signals below): two queries."""
    entries = [
        _line_item_entry(kind, code, name)
        for kind, code, name in LineItem.objects.filter(budget_year=budget_year)
        .values_list("kind", "code", "name")
        .distinct()
        .order_by()
        if indexable(name)
    ]
    for group, name in (
        PerformanceIndicator.objects.filter(budget_year=budget_year)
        .values_list("group", "name")
        .distinct()
        .order_by()
    ):
        entries += [
            text_entry(kind, t) for kind, t in ((Kind.GROUP, group), (Kind.INDICATOR, name)) if indexable(t)
        ]
    _add(entries)


def _county_saved(sender, instance, **kwargs):
    _replace(county_entry(instance))
    _add([entry for entry in place_entries([instance]) if entry.kind != Kind.COUNTY])


def _department_saved(sender, instance, **kwargs):
    _replace(department_entry(instance.pk, instance.name, instance.aliases))


def _removed(kind):
    def remove(sender, instance, **kwargs):
        SearchEntry.objects.filter(kind=kind, ref=instance.pk).delete()

    return remove


def _line_item_saved(sender, instance, raw=False, **kwargs):
    if indexable(instance.name):
        _add([_line_item_entry(instance.kind, instance.code, instance.name)])


def _indicator_saved(sender, instance, raw=False, **kwargs):
    _add(
        [
            text_entry(k, t)
            for k, t in ((Kind.GROUP, instance.group), (Kind.INDICATOR, instance.name))
            if indexable(t)
        ]
    )


def connect() -> None:
    """Keep the index in step with rows saved one at a time (budgets.apps). Bulk writes send no
    signals: the loader calls index_budget_year, a bulk load rebuild()."""
    post_save.connect(_county_saved, sender=County, dispatch_uid="search-county")
    post_delete.connect(_removed(Kind.COUNTY), sender=County, dispatch_uid="search-county-gone", weak=False)
    post_save.connect(_department_saved, sender=Department, dispatch_uid="search-department")
    post_delete.connect(
        _removed(Kind.DEPARTMENT), sender=Department, dispatch_uid="search-department-gone", weak=False
    )
    post_save.connect(_line_item_saved, sender=LineItem, dispatch_uid="search-line-item")
    post_save.connect(_indicator_saved, sender=PerformanceIndicator, dispatch_uid="search-indicator")


def index_places() -> int:
    """Index every county of the national list (manage.py load_divisions, which bulk-creates them)."""
    entries = place_entries(County.objects.all())
    SearchEntry.objects.filter(kind__in=PLACES).delete()
    _add(entries)
    return len(entries)


# --- in bulk ---------------------------------------------------------------------------------


def _distinct(queryset, *fields):
    """Distinct values of a large table, streamed (PostgreSQL: a server-side cursor)."""
    return queryset.values_list(*fields).distinct().order_by().iterator(chunk_size=BATCH)


def _batched(entries):
    batch = []
    for entry in entries:
        batch.append(entry)
        if len(batch) == BATCH:
            _add(batch)
            batch = []
    _add(batch)


def _empty() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {SearchEntry._meta.db_table} RESTART IDENTITY")
    else:
        SearchEntry.objects.all().delete()


def rebuild() -> dict:
    """Index everything again from the tables: places, departments and each distinct name
    printed as a class, project, project or activity measured, or indicator. For after a bulk
    load (the synthetic national dataset) or a change of the tokens. Returns counts by kind."""
    with transaction.atomic():
        _empty()
        _add(place_entries(County.objects.all()))
        _batched(
            department_entry(pk, name, aliases)
            for pk, name, aliases in Department.objects.values_list("pk", "name", "aliases").iterator(BATCH)
        )
        _batched(
            _line_item_entry(kind, code if kind in CLASSES else "", name)
            for kind, code, name in _distinct(
                LineItem.objects.exclude(kind=Kind.PROJECT), "kind", "code", "name"
            )
            if indexable(name)
        )
        _batched(
            text_entry(Kind.PROJECT, name)
            for (name,) in _distinct(LineItem.objects.filter(kind=Kind.PROJECT), "name")
            if indexable(name)
        )
        _batched(
            text_entry(Kind.GROUP, group)
            for (group,) in _distinct(PerformanceIndicator.objects.all(), "group")
            if indexable(group)
        )
        short_names = PerformanceIndicator.objects.alias(length=Length("name")).filter(
            length__lte=settings.PARSE_MAX_INDEXED_CHARS
        )
        _batched(
            text_entry(Kind.INDICATOR, name) for (name,) in _distinct(short_names, "name") if indexable(name)
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
    return dict(SearchEntry.objects.values_list("kind").annotate(Count("pk")).order_by("kind"))


def fill_if_empty(verbosity=1, stdout=None, **kwargs) -> None:
    """After migrating: build the index where there is data and no index (a database made
    before the index was), so an upgrade needs no step of its own. Not where the migrations
    stopped before the index's own (`migrate budgets 0005`)."""
    if SearchEntry._meta.db_table not in connection.introspection.table_names():
        return
    if SearchEntry.objects.exists() or not County.objects.exists():
        return
    counts = rebuild()
    if verbosity and stdout is not None:
        stdout.write(f"Search index built: {sum(counts.values()):,} entries.\n")
