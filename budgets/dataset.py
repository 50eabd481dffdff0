"""The whole dataset as two downloads: a zip of CSV files, one per list, and a SQLite file holding
the same tables, rebuilt in the background after disclosures are saved.

Each table is a list of budgets.lists (its columns, its rows as the list's CSV writes them, every
page of it) or one of the three defined here (the findings; the documents each disclosure was
read from: where and when the county published it, when it was loaded; and the figures the
site's editors corrected, as the budget-year pages show them, without naming the editor). The CSV
headers and the SQLite columns are the lists' stable English keys, the same as their JSON's.

Saving thousands of disclosures must not build thousands of times: a save only marks the data
changed (`note_change`, a file whose creation queues one build); the build takes the mark away
when it starts, so saves during a build queue exactly one more. At most one build runs and one
waits, however many disclosures are saved. `manage.py build_dataset` builds at once.
"""

import contextlib
import csv
import io
import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, CharField, Value, When
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from budgets import exports, links, lists
from budgets.models import BudgetYear, Correction, Finding

CSV_ZIP = "county-budgets-csv.zip"
SQLITE = "county-budgets.sqlite3"
MANIFEST = "manifest.json"
# Present while saved changes are not in a build yet: its creation queues the one build.
PENDING = "pending"
BUILDING = "building"


@dataclass(frozen=True)
class Table:
    name: str  # the CSV file's stem and the SQLite table's name
    title: object  # what people read (lazy)
    listing: lists.Listing


def _column(key, label, path, kind="text"):
    return lists.Column(key, label, path, kind, sortable=False)


_DISCLOSURE = (
    _column("county", _("County"), "budget_year__department__county__name"),
    _column("division_code", _("Division code"), "budget_year__department__county__code"),
    _column("department", _("Department"), "budget_year__department__name"),
    _column("year", _("Year"), "budget_year__year", "int"),
    _column("disclosure", _("Disclosure"), "budget_year__kind", "disclosure"),
    _column("level", _("Level"), "budget_year__level"),
)

FINDINGS = lists.Listing(
    "findings",
    _("Findings"),
    None,
    Finding.objects.order_by(
        "budget_year__department__county__code", "budget_year__department__name", "-budget_year__year", "pk"
    ),
    _DISCLOSURE
    + (
        _column("severity", _("Severity"), "severity"),
        _column("check", _("Check"), "rule"),
        _column("message", _("Message"), "message"),
        _column("line", _("Line"), "line", "int"),
        _column("page", _("Page"), "page", "int"),
        _column("figures", _("Figures concerned"), "figures", "unclear"),
    ),
)

DOCUMENTS = lists.Listing(
    "documents",
    _("Documents"),
    None,
    BudgetYear.objects.order_by("department__county__code", "department__name", "-year", "kind", "level"),
    tuple(_column(c.key, c.label, c.path.removeprefix("budget_year__"), c.type) for c in _DISCLOSURE)
    + (
        _column("document_id", _("Document"), "source_document_id", "int"),
        _column("file_name", _("File name"), "source_document__original_name"),
        _column("sha256", "SHA-256", "source_document__sha256"),
        _column("format", _("Format"), "source_document__format"),
        _column("published_url", _("Published at"), "source_document__published_url"),
        _column("published_on", _("Published on"), "source_document__published_on", "date"),
        _column("loaded_at", _("Loaded"), "source_document__uploaded_at", "date"),
    ),
)


def _of_correction(name):
    return capfirst(Correction._meta.get_field(name).verbose_name)


CORRECTIONS = lists.Listing(
    "corrections",
    _("Corrections"),
    None,
    Correction.objects.order_by("at", "pk").annotate(
        # The history of the figure on its budget year's page; none once the disclosure is removed.
        permalink=Case(
            When(budget_year__isnull=True, then=Value(None)),
            default=links.permalink("budget_year__", links.pk_anchor("correction-")),
            output_field=CharField(),
        )
    ),
    _DISCLOSURE
    + (
        _column("budget_year_id", _of_correction("budget_year"), "budget_year_id", "int"),
        _column("permalink", _("Permalink"), "permalink", "permalink"),
        _column("subject", _of_correction("subject"), "subject"),
        _column("field", _of_correction("field"), "field"),
        _column("row", _of_correction("row"), "row"),
        _column("old_value", _of_correction("old_value"), "old_value"),
        _column("new_value", _of_correction("new_value"), "new_value"),
        _column("corrected_at", _of_correction("at"), "at", "date"),
        _column("reason", _of_correction("reason"), "reason"),
    ),
)

TABLES = (
    Table("budget_years", lists.BUDGET_YEARS.title, lists.BUDGET_YEARS),
    Table("line_items", lists.LINE_ITEMS.title, lists.LINE_ITEMS),
    Table("three_costs", lists.THREE_COSTS.title, lists.THREE_COSTS),
    Table("indicators", lists.INDICATORS.title, lists.INDICATORS),
    Table("execution", lists.EXECUTION.title, lists.EXECUTION),
    Table("findings", FINDINGS.title, FINDINGS),
    Table("documents", DOCUMENTS.title, DOCUMENTS),
    Table("corrections", CORRECTIONS.title, CORRECTIONS),
)

# Amounts are REAL in SQLite, as in a spreadsheet: binary floating point, exact to 15
# significant digits, which every amount within PARSE_MAX_AMOUNT with its 6 decimals holds.
SQLITE_TYPES = {"amount": "REAL", "rate": "REAL", "int": "INTEGER"}


def directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "dataset"


def _rows(table):
    return lists.exported_rows(table.listing, table.listing.queryset)


def _text(value):
    """A value as the lists' CSV writes it; a date or time as ISO 8601."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return exports.cell(value)


def _sqlite_value(column, value):
    if value is None or value == "":
        return None
    if column.type in ("amount", "rate"):
        return float(Decimal(value))
    if column.type == "int":
        return value
    return _text(value)


def build() -> dict:
    """Write both files from the database as it is now, each replacing the previous one only
    once whole; returns the manifest (when, and the rows of each table)."""
    target = directory()
    target.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    counts = {}
    paths = [_temporary(target, ".zip"), _temporary(target, ".sqlite3")]
    try:
        # One snapshot for every table, so that no table holds a disclosure another lacks (inside
        # a caller's transaction, that transaction's).
        outermost = not connection.in_atomic_block
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            _write_zip(paths[0], counts)
            _write_sqlite(paths[1])
        os.replace(paths[0], target / CSV_ZIP)
        os.replace(paths[1], target / SQLITE)
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
    manifest = {
        "built_at": started.isoformat(timespec="seconds"),
        "tables": counts,
        "files": {name: (target / name).stat().st_size for name in (CSV_ZIP, SQLITE)},
    }
    _write_atomically(target / MANIFEST, json.dumps(manifest, indent=2).encode())
    return manifest


def _temporary(target, suffix):
    handle, path = tempfile.mkstemp(dir=target, prefix=".building-", suffix=suffix)
    os.close(handle)
    return Path(path)


def _write_zip(path, counts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            with archive.open(f"{table.name}.csv", "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(text)
                text.write(exports.BOM)
                writer.writerow([column.key for column in table.listing.columns])
                count = 0
                for row in _rows(table):
                    writer.writerow([_text(value) for value in row])
                    count += 1
                text.flush()
                text.detach()
            counts[table.name] = count


def _write_sqlite(path):
    path.unlink()
    database = sqlite3.connect(path)
    try:
        with database:
            database.execute(
                "CREATE TABLE columns "
                "(table_name TEXT, column_name TEXT, type TEXT, label_en TEXT, label_zh TEXT)"
            )
            for table in TABLES:
                columns = table.listing.columns
                definitions = ", ".join(f'"{c.key}" {SQLITE_TYPES.get(c.type, "TEXT")}' for c in columns)
                database.execute(f'CREATE TABLE "{table.name}" ({definitions})')
                marks = ", ".join("?" for _c in columns)
                database.executemany(
                    f'INSERT INTO "{table.name}" VALUES ({marks})',
                    (
                        [_sqlite_value(c, v) for c, v in zip(columns, row, strict=True)]
                        for row in _rows(table)
                    ),
                )
                database.executemany(
                    "INSERT INTO columns VALUES (?, ?, ?, ?, ?)",
                    [
                        (table.name, c.key, SQLITE_TYPES.get(c.type, "TEXT"), *_labels(c.label))
                        for c in columns
                    ],
                )
    finally:
        database.close()


def _labels(label):
    with translation.override("en"):
        english = str(label)
    with translation.override("zh-hans"):
        chinese = str(label)
    return english, chinese


def _write_atomically(path, data):
    temporary = _temporary(path.parent, path.suffix)
    temporary.write_bytes(data)
    os.replace(temporary, path)


def manifest() -> dict | None:
    """The last build's manifest, with `pending` set while saved changes are not in it yet."""
    try:
        found = json.loads((directory() / MANIFEST).read_text())
    except (FileNotFoundError, ValueError):
        return None
    found["built_at"] = datetime.fromisoformat(found["built_at"])
    found["pending"] = any((directory() / name).exists() for name in (PENDING, BUILDING))
    return found


def note_change() -> None:
    """Saved disclosures changed the data: queue one build unless one is already waiting."""
    target = directory()
    target.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(target / PENDING, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return  # a build is queued and will read this change too
    try:
        rebuild.enqueue()
    except DatabaseError:
        # Nothing queued: the next change (or the download page) tries again.
        (target / PENDING).unlink(missing_ok=True)
        raise


def admin_changed(sender, instance, created, **kwargs):
    """An edit in the admin (a figure corrected, a disclosure deleted, where a document was
    published) changes the data as a save does."""
    if not created or instance.content_type_id is None:
        return
    if ContentType.objects.get_for_id(instance.content_type_id).app_label in ("budgets", "ingest"):
        transaction.on_commit(note_change, robust=True)


def disclosure_deleted(sender, instance, **kwargs):
    transaction.on_commit(note_change, robust=True)


def ensure_built() -> None:
    """The download page asks for a build where there is none yet."""
    if manifest() is None and not (directory() / PENDING).exists():
        note_change()


def build_marked() -> dict:
    """Build, first taking the mark of the changes this build will read (the command does this
    at once; the worker's task when it was queued)."""
    target = directory()
    target.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):  # nothing changed since the last build
        os.replace(target / PENDING, target / BUILDING)
    built = build()
    (target / BUILDING).unlink(missing_ok=True)
    return built


@task()
def rebuild() -> str:
    """The worker's build, queued by `note_change`; nothing to do where a build already read
    every change."""
    if not (directory() / PENDING).exists() and manifest() is not None:
        return "up to date"
    build_marked()
    return "built"
