"""Writing many rows at once with the database's own bulk path, and what follows a bulk load.

PostgreSQL takes rows through `COPY … FROM STDIN` (psycopg 3's `cursor.copy()`, rows written as
tuples, never model instances): about ten times the rows per second of multi-row INSERTs, and
no statement is parsed per row. SQLite, embedded and in-process, takes `bulk_create` in batches.
Either way each table is written with the columns the caller gives and every other column of
the model (one another part of the project added) with its default, as a model instance saved
without it would have: a new field with a default never breaks a bulk load.
"""

import json
from contextlib import contextmanager
from importlib import import_module

from django.core.management.color import no_style
from django.db import connection, models


def _unwritten(model, columns):
    """(field, value) for each column of `model` not in `columns`: what a model instance saved
    without it would hold (its default; "" for text, None otherwise). Columns the database
    fills itself (db_default, generated) are left out."""
    return [
        (f, f.get_default())
        for f in model._meta.local_concrete_fields
        if f.attname not in columns
        and not getattr(f, "generated", False)
        and f.db_default is models.NOT_PROVIDED
    ]


def _by_attname(model):
    return {f.attname: f for f in model._meta.local_concrete_fields}


def write(model, columns, rows) -> int:
    """Write `rows` (tuples in the order of `columns`, attnames of `model`) in the current
    transaction; returns how many."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        return _copy(model, columns, rows)
    return _bulk_create(model, columns, rows)


def _copy(model, columns, rows) -> int:
    extra = _unwritten(model, columns)
    fields = _by_attname(model)
    names = [fields[c].column for c in columns] + [f.column for f, _value in extra]
    tail = tuple(f.get_db_prep_save(value, connection) for f, value in extra)
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        if tail:
            for row in rows:
                copy.write_row(row + tail)
        else:
            for row in rows:
                copy.write_row(row)
    return len(rows)


def _bulk_create(model, columns, rows, batch_size=2000) -> int:
    # JSON columns arrive as their text, as COPY takes them; a model instance wants the value.
    fields = _by_attname(model)
    json_columns = [i for i, c in enumerate(columns) if isinstance(fields[c], models.JSONField)]
    instances = []
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        for i in json_columns:
            values[columns[i]] = json.loads(row[i])
        instances.append(model(**values))
    model.objects.bulk_create(instances, batch_size=batch_size)
    return len(rows)


@contextmanager
def loading(models_list):
    """The state the tables are filled in, within the caller's transaction. PostgreSQL, tables
    empty: their secondary indexes, unique and foreign-key constraints are dropped and made
    again at the end (PostgreSQL's "Populating a Database": one sort per index instead of one
    insertion per row, one join per foreign key instead of one look-up per row). Otherwise the
    foreign keys are checked row by row as they come (SET CONSTRAINTS ALL IMMEDIATE) rather
    than queued to the commit, whose queue of millions of rows would take gigabytes."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models_list]
    with connection.cursor() as cursor:
        if any(m.objects.exists() for m in models_list):
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            yield
            return
        # Constraints first (a unique constraint owns its index), then the indexes left.
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f')",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        # Unique constraints before the foreign keys that may need their index.
        for table, name, definition in sorted(constraints, key=lambda c: c[2].startswith("FOREIGN")):
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")


def next_ids(models_by_key: dict) -> dict:
    """The first free primary key of each model: bulk rows carry their own keys."""
    start = {}
    for key, model in models_by_key.items():
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        start[key] = (last or 0) + 1
    return start


def reset_sequences(models_list) -> None:
    """Move the key sequences past the keys a bulk load wrote itself (PostgreSQL)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_list):
            cursor.execute(sql)


def analyze() -> None:
    """Fresh planner statistics: after millions of new rows the old ones mislead the planner."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def vacuum_analyze() -> str:
    """The last step of a bulk load. On PostgreSQL, VACUUM marks the new pages all-visible as
    well: until then an index-only scan (every list's count and page) reads each row's page
    too, and the autovacuum comes to do it while the site serves, on 35 million indicators
    (docs/decisions.md). SQLite has no visibility map, and VACUUM cannot run inside a
    transaction (a test's): ANALYZE alone."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    statement = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return statement


# The search index (budgets/search/index.py, built by the search work) exposes a bulk rebuild; the
# synthetic load calls it so that search sees the new rows. Without the module there is
# nothing to rebuild.
SEARCH_MODULE = "budgets.search.index"
SEARCH_REBUILD = "rebuild"


def rebuild_search() -> str:
    try:
        module = import_module(SEARCH_MODULE)
    except ModuleNotFoundError as error:
        if not SEARCH_MODULE.startswith(error.name or "?"):
            raise  # the module is there but something it imports is not
        return f"no search index to rebuild ({SEARCH_MODULE} not found)"
    rebuild = getattr(module, SEARCH_REBUILD, None)
    if rebuild is None:
        return f"no search index to rebuild ({SEARCH_MODULE}.{SEARCH_REBUILD} not found)"
    rebuild()
    return f"search index rebuilt ({SEARCH_MODULE}.{SEARCH_REBUILD})"
