"""The one write path from a parsed disclosure to the database.

`ingest_bytes` is what the `ingest` command (and later the admin upload) calls: it keeps
the original file as a SourceDocument, and saves the parsed figures in one transaction,
so a document is saved whole or not at all. The same bytes twice are one document.
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from budgets.models import (
    BudgetYear,
    County,
    Department,
    Finding,
    LineItem,
    PerformanceIndicator,
    ThreeCosts,
)
from ingest.models import SourceDocument
from ingest.parser import parse_bytes
from ingest.targets import parse_target

TOTAL_FIELDS = (
    "income",
    "expenditure",
    "general_budget_income",
    "basic",
    "personnel",
    "public",
    "project",
    "operating",
)
THREE_COST_FIELDS = (
    "total",
    "overseas",
    "vehicle",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
    "total_change",
)


class IngestError(Exception):
    """A document that cannot be saved as it is; the message tells the user what to do."""


@dataclass
class IngestResult:
    document: SourceDocument
    budget_year: BudgetYear | None
    created: bool
    counts: dict = field(default_factory=dict)


def format_of(name: str) -> str:
    suffix = PurePath(name).suffix.lower().lstrip(".")
    return suffix if suffix in SourceDocument.Format.values else SourceDocument.Format.TEXT


def ingest_bytes(data: bytes, name: str, *, replace: bool = False, user=None) -> IngestResult:
    """Parse and save one disclosure. Raises UnreadableDocument for input that is not a
    disclosure and IngestError when the department's year is already saved from another
    document and `replace` is not set."""
    sha256 = hashlib.sha256(data).hexdigest()
    existing = SourceDocument.objects.filter(sha256=sha256).first()
    if existing and existing.status == SourceDocument.Status.SAVED:
        return IngestResult(existing, existing.budget_years.first(), created=False)
    parsed = parse_bytes(data, name)
    with transaction.atomic():
        document = existing or SourceDocument(
            sha256=sha256, original_name=PurePath(name).name, size=len(data)
        )
        document.format = format_of(name)
        document.parsed = parsed
        document.parser_version = str(parsed.get("parser_version", ""))
        document.status = SourceDocument.Status.SAVED
        document.error = ""
        document.uploaded_by = document.uploaded_by or user
        if not document.file:
            document.file.save(PurePath(name).name, ContentFile(data), save=False)
        document.save()
        budget_year = save_parsed(document, parsed, replace=replace)
    return IngestResult(document, budget_year, created=existing is None, counts=count_parts(parsed))


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
    """Write one parsed disclosure; the caller holds the transaction."""
    for key in ("county", "department", "year"):
        if not parsed.get(key):
            raise IngestError(
                _("The document does not say its %(what)s; it cannot be filed.") % {"what": key}
            )
    department = _department(parsed)
    year = int(parsed["year"])
    earlier = (
        BudgetYear.objects.filter(department=department, year=year).select_related("source_document").first()
    )
    if earlier:
        if not replace:
            raise IngestError(
                _(
                    "%(dept)s %(year)s is already saved from “%(doc)s”; "
                    "ingest again with --replace to replace it."
                )
                % {"dept": department.name, "year": year, "doc": earlier.source_document.original_name}
            )
        old_document = earlier.source_document
        earlier.delete()
        if old_document.pk != document.pk:
            old_document.status = SourceDocument.Status.SUPERSEDED
            old_document.save(update_fields=["status"])
    budget_year = _budget_year(document, department, year, parsed)
    _three_costs(budget_year, parsed.get("three_costs") or {})
    _line_items(budget_year, parsed.get("line_items") or [])
    _indicators(budget_year, parsed.get("indicators") or [])
    Finding.objects.bulk_create(
        Finding(
            budget_year=budget_year,
            severity=f["severity"],
            rule=f.get("check", ""),
            message=f.get("message", ""),
            line=f.get("line"),
        )
        for f in parsed.get("findings") or []
    )
    return budget_year


def _department(parsed: dict) -> Department:
    county, _created = County.objects.get_or_create(name=parsed["county"])
    department, _created = Department.objects.get_or_create(county=county, name=parsed["department"])
    seen = set(department.aliases) | set(parsed.get("aliases") or [])
    seen.discard(department.name)
    changed = sorted(seen) != sorted(department.aliases)
    if changed:
        department.aliases = sorted(seen)
    if parsed.get("department_code") and not department.code:
        department.code = parsed["department_code"]
        changed = True
    if changed:
        department.save()
    return department


def _amount(value) -> Decimal | None:
    """Amounts arrive as decimal strings (the JSON contract) or Figure dicts from prose."""
    if isinstance(value, dict):
        value = value.get("value")
    return None if value in (None, "") else Decimal(str(value))


def _count(value) -> int | None:
    amount = _amount(value)
    return None if amount is None else int(amount)


def _budget_year(document, department, year, parsed) -> BudgetYear:
    totals = parsed.get("totals") or {}
    assets = parsed.get("assets") or {}
    staffing = parsed.get("staffing") or {}
    procurement = parsed.get("procurement") or {}
    return BudgetYear.objects.create(
        department=department,
        year=year,
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
    )


def _three_costs(budget_year, costs: dict) -> None:
    values = {name: _amount(costs.get(name)) for name in THREE_COST_FIELDS}
    if any(v is not None for v in values.values()):
        ThreeCosts.objects.create(budget_year=budget_year, **values)


def _source(item: dict) -> tuple[str, int | None]:
    source = item.get("source") or {}
    return (source.get("table") or source.get("section") or "")[:120], source.get("line")


def _line_items(budget_year, items: list[dict]) -> None:
    rows = []
    for position, item in enumerate(items):
        code = item.get("code") or ""
        table, line = _source(item)
        rows.append(
            LineItem(
                budget_year=budget_year,
                kind=item["kind"],
                code=code,
                name=item.get("name") or "",
                amount=_amount(item.get("amount")),
                basic=_amount(item.get("basic")),
                project=_amount(item.get("project")),
                level=LineItem.level_of(code),
                parent_code=LineItem.parent_of(code),
                source_table=table,
                source_line=line,
                position=position,
            )
        )
    LineItem.objects.bulk_create(rows)


def _indicators(budget_year, indicators: list[dict]) -> None:
    rows = []
    for position, item in enumerate(indicators):
        grades = item.get("grades") or {}
        target = item.get("target") or ""
        comparator, number, unit = parse_target(target)
        table, line = _source(item)
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
                source_table=table,
                source_line=line,
                position=position,
            )
        )
    PerformanceIndicator.objects.bulk_create(rows)
