"""The one write path from a parsed disclosure to the database.

Two steps, shared by the `ingest` command and the admin upload:

- `keep_document` stores the original file as a SourceDocument (the same bytes are one
  document), and `parse` reads it into the parsed-disclosure JSON;
- `save_document` writes a parsed document's figures in one transaction, so a document is
  saved whole or not at all.

The command does both at once (`ingest_bytes`); the admin upload keeps and queues the file,
parses it in the background (ingest.tasks) and saves it when the administrator has seen the
preview.
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import PurePath

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets import coverage, dataset, levels, summaries
from budgets.models import (
    BUDGETED_KEYS,
    BudgetYear,
    County,
    Department,
    Finding,
    LineItem,
    PerformanceIndicator,
    ThreeCosts,
)
from budgets.search import index as search_index
from ingest import divisions, originals
from ingest.department_kinds import kind_of
from ingest.document import UnreadableDocument
from ingest.models import SourceDocument, original_path
from ingest.parser import parse_bytes
from ingest.readers import sniff
from ingest.readers.text import decode_text
from ingest.result import THREE_COST_KEYS, TOTAL_KEYS
from ingest.targets import parse_target

# The model fields are named after the keys of the parsed JSON (docs/disclosure-json.md).
TOTAL_FIELDS = TOTAL_KEYS
THREE_COST_FIELDS = THREE_COST_KEYS


class IngestError(Exception):
    """A document that cannot be saved as it is; the message tells the user what to do."""


class YearConflict(IngestError):
    """The department's disclosure of this kind and level for the year is already saved from
    another document: replacing it must be asked for (`ingest --replace`, or the preview's
    Replace button). A 决算 never conflicts with the 预算 of its year."""

    def __init__(self, budget_year: BudgetYear):
        self.budget_year = budget_year
        super().__init__(
            _("%(dept)s %(year)s (%(kind)s) is already saved from “%(doc)s”.")
            % {
                "dept": budget_year.department.name,
                "year": budget_year.year,
                "kind": budget_year.get_kind_display(),
                "doc": budget_year.source_document.original_name,
            }
        )


class CountyUnclear(IngestError):
    """The document names a county that several divisions share and does not say which:
    the document stays in review until someone says which (never a guess)."""

    def __init__(self, name: str, candidates):
        self.candidates = candidates
        places = "; ".join(f"{c.province or ''}{c.prefecture or ''}{name} {c.code}" for c in candidates)
        super().__init__(
            _(
                "“%(name)s” names several counties (%(places)s) and the document does not say which; "
                "choose the county in the preview, or correct the document."
            )
            % {"name": name, "places": places}
        )


@dataclass
class IngestResult:
    document: SourceDocument
    budget_year: BudgetYear | None
    created: bool
    counts: dict = field(default_factory=dict)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def detect_format(data: bytes) -> str | None:
    """What the bytes are, told by their content (the readers' sniffing), never by the file
    name: a SourceDocument format, "zip" for an archive of documents, or None for anything
    the readers cannot read (binary data, another Office file)."""
    kind = sniff(data)
    if kind == "text":
        try:
            decode_text(data)
        except UnreadableDocument:
            return None
    return kind if kind == "zip" or kind in SourceDocument.Format.values else None


def format_of(data: bytes) -> str:
    """The SourceDocument format of bytes already found readable: text unless the content
    says more (no second decoding: the parse or `detect_format` has done it)."""
    kind = sniff(data)
    return kind if kind in SourceDocument.Format.values else SourceDocument.Format.TEXT


def keep_document(
    data: bytes, name: str, *, user=None, batch=None, status=None, published_url="", published_on=None
) -> SourceDocument:
    """Store the original file as a new SourceDocument (queued unless `status` says more), with
    where and when the county published it where that is known. The caller has checked that no
    document holds the same bytes."""
    name = PurePath(name).name
    document = SourceDocument(
        sha256=sha256_of(data),
        original_name=name,
        size=len(data),
        format=format_of(data),
        uploaded_by=user,
        batch=batch,
        status=status or SourceDocument.Status.QUEUED,
        waiting_since=timezone.now(),
        published_url=published_url or "",
        published_on=published_on,
    )
    document.file.name = original_path(document, name)
    originals.store(document.file.name, data)
    try:
        # A savepoint, so that the caller's transaction can still ask whether the file is
        # another document's before removing it.
        with transaction.atomic():
            document.save()
    except Exception:
        originals.discard_unreferenced(document.file.name)
        raise
    # A failed ingest of the same bytes running beside this one removes the file it found
    # unreferenced; this row, once committed, puts it back.
    transaction.on_commit(partial(originals.store, document.file.name, data))
    return document


def record_parse(document: SourceDocument, parsed: dict) -> bool:
    """Keep the parse for review: nothing reaches the budget tables before `save_document`.
    False (and nothing changed) when the document was discarded while it was parsed."""
    fields = {
        "parsed": parsed,
        "parser_version": str(parsed.get("parser_version", "")),
        "status": SourceDocument.Status.REVIEW,
        "error": "",
    }
    updated = (
        SourceDocument.objects.filter(pk=document.pk)
        .exclude(status=SourceDocument.Status.DISCARDED)
        .update(**fields)
    )
    if updated:
        for name, value in fields.items():
            setattr(document, name, value)
    return bool(updated)


def save_document(
    document: SourceDocument, *, replace: bool = False, division_code: str | None = None
) -> IngestResult:
    """Save a parsed document's figures in one transaction and mark it saved. Raises
    IngestError (YearConflict when the year is saved from another document and `replace`
    is not set, CountyUnclear when its county has namesakes it does not tell apart); then
    nothing is written. `division_code` is the county a reviewer chose among the namesakes."""
    with transaction.atomic():
        document = SourceDocument.objects.select_for_update().get(pk=document.pk)
        if document.status == SourceDocument.Status.SAVED:
            return IngestResult(document, document.budget_years.first(), created=False)
        if not document.parsed:
            raise IngestError(_("The document has not been parsed; it cannot be saved."))
        parsed = document.parsed
        if division_code and not parsed.get("division_code"):
            parsed = {**parsed, "division_code": division_code}
        budget_year = save_parsed(document, parsed, replace=replace)
        document.status = SourceDocument.Status.SAVED
        document.error = ""
        document.save(update_fields=["status", "error"])
        # The downloads of the whole dataset are rebuilt in the background, once for many saves.
        transaction.on_commit(dataset.note_change, robust=True)
    return IngestResult(document, budget_year, created=True, counts=count_parts(document.parsed))


def ingest_bytes(
    data: bytes,
    name: str,
    *,
    replace: bool = False,
    user=None,
    published_url="",
    published_on=None,
    parsed: dict | None = None,
) -> IngestResult:
    """Parse and save one disclosure at once (the `ingest` command; `parsed` where another
    process parsed the bytes, as `ingest --jobs` does). Raises
    UnreadableDocument for input that is not a disclosure and IngestError when it cannot be
    saved (YearConflict without `replace`); then nothing is left behind. Where and when the
    county published it, when given, are recorded on the document, an existing one too."""
    published = {"published_url": published_url or "", "published_on": published_on}
    existing = SourceDocument.objects.filter(sha256=sha256_of(data)).first()
    if existing and existing.status == SourceDocument.Status.SAVED:
        record_publication(existing, **published)
        return IngestResult(existing, existing.budget_years.first(), created=False)
    if parsed is None:
        parsed = parse_bytes(data, name)
    document = None
    try:
        with transaction.atomic():
            document = existing or keep_document(data, name, user=user, **published)
            if existing:
                existing.uploaded_by = existing.uploaded_by or user
                existing.save(update_fields=["uploaded_by"])
                record_publication(existing, **published)
            record_parse(document, parsed)
            result = save_document(document, replace=replace)
    except Exception as error:
        if document is not None and existing is None:
            originals.discard_unreferenced(document.file.name)
        # Another process saved the same bytes meanwhile (two ingests of one file at once).
        saved = (
            isinstance(error, IntegrityError)
            and SourceDocument.objects.filter(
                sha256=sha256_of(data), status=SourceDocument.Status.SAVED
            ).first()
        )
        if not saved:
            raise
        return IngestResult(saved, saved.budget_years.first(), created=False)
    result.created = existing is None
    return result


def record_publication(document: SourceDocument, *, published_url="", published_on=None) -> bool:
    """Set where and when the county published a document kept earlier: each value given
    replaces the one recorded, one not given leaves it. True when something changed."""
    given = {"published_url": published_url, "published_on": published_on}
    changed = [name for name, value in given.items() if value and getattr(document, name) != value]
    for name in changed:
        setattr(document, name, given[name])
    if changed:
        document.save(update_fields=changed)
        transaction.on_commit(dataset.note_change, robust=True)
    return bool(changed)


def count_parts(parsed: dict) -> dict:
    items = parsed.get("line_items") or []
    return {
        "line_items": len(items),
        "functional": sum(1 for i in items if i.get("kind") == "functional"),
        "economic": sum(1 for i in items if i.get("kind") == "economic"),
        "project": sum(1 for i in items if i.get("kind") == "project"),
        "indicators": len(parsed.get("indicators") or []),
        "findings": len(parsed.get("findings") or []),
    }


def save_parsed(document: SourceDocument, parsed: dict, *, replace: bool = False) -> BudgetYear:
    """Write one parsed disclosure; the caller holds the transaction (save_document). The home
    and place pages' counts and headlines are refreshed once, after all its rows (budgets.summaries)."""
    with summaries.refreshing():
        return _save_parsed(document, parsed, replace=replace)


def _save_parsed(document: SourceDocument, parsed: dict, *, replace: bool) -> BudgetYear:
    for key, what in (("county", _("county")), ("department", _("department")), ("year", _("year"))):
        if not parsed.get(key):
            raise IngestError(
                _("The document does not say its %(what)s; it cannot be filed.") % {"what": what}
            )
    department = _department(parsed)
    year = int(parsed["year"])
    kind, level = _kind_and_level(parsed)
    earlier = (
        BudgetYear.objects.filter(department=department, year=year, kind=kind, level=level)
        .select_related("source_document")
        .first()
    )
    if earlier:
        if not replace:
            raise YearConflict(earlier)
        old_document = earlier.source_document
        earlier.delete()
        if old_document.pk != document.pk:
            old_document.status = SourceDocument.Status.SUPERSEDED
            old_document.save(update_fields=["status"])
    budget_year = _budget_year(document, department, year, kind, level, parsed)
    _three_costs(budget_year, parsed.get("three_costs") or {}, parsed.get("three_costs_budget") or {})
    _line_items(budget_year, parsed.get("line_items") or [], parsed.get("tables") or [])
    _indicators(budget_year, parsed.get("indicators") or [])
    Finding.objects.bulk_create(
        Finding(
            budget_year=budget_year,
            severity=f["severity"],
            rule=f.get("check", ""),
            message=f.get("message", ""),
            line=f.get("line"),
            page=f.get("page"),
            figures=f.get("figures") or [],
            params=f.get("params") or {},
        )
        for f in parsed.get("findings") or []
    )
    search_index.index_budget_year(budget_year)  # the names it prints, for the search
    return budget_year


def _kind_and_level(parsed: dict) -> tuple[str, str]:
    kind = parsed.get("kind")
    level = parsed.get("level")
    return (
        kind if kind in BudgetYear.Kind.values else BudgetYear.Kind.BUDGET,
        level if level in BudgetYear.Level.values else BudgetYear.Level.DEPARTMENT,
    )


def _county(parsed: dict) -> County:
    """The county a disclosure is filed under: the one of its division code; else the one its
    province (and prefecture) and name tell, or its name where the national list has it once;
    a name the list does not have is a county of its own, with no code. A name several
    divisions share, the document not saying which, raises CountyUnclear: never a guess."""
    name = parsed["county"]
    listed = divisions.by_code(parsed.get("division_code"))
    if listed is None:
        division = divisions.resolve(name, parsed.get("province"), parsed.get("prefecture"))
        listed = divisions.by_code(division.code)
    if listed is not None:
        return county_for_division(*listed)
    candidates = divisions.namesakes(name)
    if len(candidates) > 1:
        raise CountyUnclear(name, candidates)
    unlisted = County.objects.filter(name=name, code__isnull=True).first()
    if unlisted is not None:
        return unlisted
    return County.objects.create(
        name=name, province=parsed.get("province") or "", prefecture=parsed.get("prefecture") or ""
    )


def county_for_division(name: str, division) -> County:
    """The County of a listed division, created from the list where it is not saved yet. A
    county saved earlier by this name alone (null code) becomes it when the name is unique."""
    county = County.objects.filter(code=division.code).first()
    if county is not None:
        return county
    place = {
        "province": division.province or "",
        "prefecture": division.prefecture or "",
        "edition": divisions.edition(),
    }
    if len(divisions.namesakes(name)) == 1:
        unlisted = County.objects.filter(name=name, code__isnull=True).first()
        if unlisted is not None:
            for key, value in place.items():
                setattr(unlisted, key, value)
            unlisted.code = division.code
            unlisted.save()
            return unlisted
    return County.objects.create(code=division.code, name=name, **place)


def _department(parsed: dict) -> Department:
    county = _county(parsed)
    department, created = Department.objects.get_or_create(county=county, name=parsed["department"])
    seen = set(department.aliases) | set(parsed.get("aliases") or [])
    seen.discard(department.name)
    changed = sorted(seen) != sorted(department.aliases)
    if changed:
        department.aliases = sorted(seen)
    if parsed.get("department_code") and not department.code:
        department.code = parsed["department_code"]
        changed = True
    if created and not department.kind:
        department.kind = kind_of(department.name)
        changed = changed or bool(department.kind)
    if parsed.get("level") == BudgetYear.Level.UNIT and department.parent_id is None:
        department.parent = _parent_of(department, parsed)
        changed = changed or department.parent is not None
    if changed:
        department.save()
    return department


def _parent_of(unit: Department, parsed: dict) -> Department | None:
    """The department a unit's disclosure names, by simple rules: the supervising department
    the document prints (`parent_department`, where the parser gives it), a name it was printed
    under that is another department of the county, or the department of the county whose name
    (after the county) begins the unit's. None where nothing says."""
    others = Department.objects.filter(county=unit.county).exclude(pk=unit.pk)
    named = [parsed.get("parent_department"), *(parsed.get("aliases") or [])]
    for name in filter(None, named):
        if parent := others.filter(name=name).first():
            return parent
    county = unit.county.name
    rest = unit.name.split(county, 1)[-1]
    best = None
    for other in others.filter(parent__isnull=True).only("pk", "name"):
        stem = other.name.split(county, 1)[-1]
        if (
            len(stem) >= 3
            and rest.startswith(stem)
            and rest != stem
            and (best is None or len(stem) > len(best[0]))
        ):
            best = (stem, other)
    return best[1] if best else None


def _amount(value) -> Decimal | None:
    """Amounts arrive as decimal strings (the JSON contract) or Figure dicts from prose."""
    if isinstance(value, dict):
        value = value.get("value")
    return None if value in (None, "") else Decimal(str(value))


def _count(value) -> int | None:
    amount = _amount(value)
    return None if amount is None else int(amount)


def _budget_year(document, department, year, kind, level, parsed) -> BudgetYear:
    totals = parsed.get("totals") or {}
    assets = parsed.get("assets") or {}
    staffing = parsed.get("staffing") or {}
    procurement = parsed.get("procurement") or {}
    return BudgetYear.objects.create(
        department=department,
        year=year,
        kind=kind,
        level=level,
        source_document=document,
        **{name: _amount(totals.get(name)) for name in TOTAL_FIELDS},
        procurement_total=_amount(procurement.get("total")),
        fixed_assets_total=_amount(assets.get("fixed_assets_total")),
        vehicles_count=_count(assets.get("vehicles_count")),
        vehicles_value=_amount(assets.get("vehicles_value")),
        staff_authorized=_count(staffing.get("authorized")),
        staff_in_service=_count(staffing.get("in_service")),
        staff_retired=_count(staffing.get("retired")),
        sources=parsed.get("sources") or {},
        needs_checking=parsed.get("needs_checking") or [],
        **coverage.fields(parsed),  # what it printed of the standard tables and sections
    )


def _three_costs(budget_year, costs: dict, budgeted: dict) -> None:
    """The three costs as stated (spent, in final accounts) and, in final accounts, as budgeted."""
    values = {name: _amount(costs.get(name)) for name in THREE_COST_FIELDS}
    values |= {f"budgeted_{name}": _amount(budgeted.get(name)) for name in BUDGETED_KEYS}
    if any(v is not None for v in values.values()):
        ThreeCosts.objects.create(budget_year=budget_year, **values)


def _source(item: dict) -> dict:
    """The model fields of where an item was printed: table or section, line, page (PDFs)."""
    source = item.get("source") or {}
    return {
        "source_table": source.get("table") or source.get("section") or "",
        "source_line": source.get("line"),
        "source_page": source.get("page"),
    }


def _line_items(budget_year, items: list[dict], tables: list[dict]) -> None:
    rows = []
    for position, item in enumerate(items):
        code = item.get("code") or ""
        rows.append(
            LineItem(
                budget_year=budget_year,
                kind=item["kind"],
                code=code,
                name=item.get("name") or "",
                amount=_amount(item.get("amount")),
                basic=_amount(item.get("basic")),
                project=_amount(item.get("project")),
                uncertain=sorted(item.get("uncertain") or []),
                parent_code=LineItem.parent_of(code),
                **_source(item),
                position=position,
            )
        )
    levels.classify(rows, tables)  # level and leaf: what adds up without counting twice
    LineItem.objects.bulk_create(rows)


def _indicators(budget_year, indicators: list[dict]) -> None:
    rows = []
    for position, item in enumerate(indicators):
        grades = item.get("grades") or {}
        target = item.get("target") or ""
        comparator, number, unit = parse_target(target)
        rows.append(
            PerformanceIndicator(
                budget_year=budget_year,
                kind=item.get("kind") or PerformanceIndicator.Kind.PROJECT,
                group=item.get("group") or "",
                level1=item.get("level1") or "",
                level2=item.get("level2") or "",
                name=item.get("name") or "",
                target=target,
                comparator=comparator,
                number=number,
                unit=unit,
                description=item.get("description") or "",
                basis=item.get("basis") or "",
                grade_excellent=grades.get("excellent") or "",
                grade_good=grades.get("good") or "",
                grade_fair=grades.get("fair") or "",
                grade_poor=grades.get("poor") or "",
                **_source(item),
                position=position,
            )
        )
    PerformanceIndicator.objects.bulk_create(rows)
