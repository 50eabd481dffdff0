"""A small named world for tests, and the sample disclosures shipped with the project."""

import hashlib
from decimal import Decimal
from pathlib import Path

from budgets.models import BudgetYear, County, Department, LineItem, ThreeCosts
from ingest.department_kinds import kind_of
from ingest.models import SourceDocument

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_NAMES = sorted(p.name for p in SAMPLES.glob("*.txt"))


# The sample counties' URL segments: code and name.
SAMPLE_SLUGS = {
    "高邑县": "130127-高邑县",
    "涞源县": "130630-涞源县",
    "平乡县": "130532-平乡县",
    "无极县": "130130-无极县",
}


def slug(county_name: str) -> str:
    """The URL segment of a county saved under this name (one query, outside counted blocks)."""
    if county_name in SAMPLE_SLUGS:
        return SAMPLE_SLUGS[county_name]
    county = County.objects.filter(name=county_name).first()
    return county.slug if county else county_name  # an unknown name: the old name-only link


def sample_bytes(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def make_county(name="甲县", **fields):
    return County.objects.get_or_create(name=name, defaults=fields)[0]


def make_department(county=None, name="甲县人民政府办公室", code="101"):
    """A department with the kind the loader would give it (人民政府办公室, 财政局 …)."""
    return Department.objects.get_or_create(
        county=county or make_county(), name=name, defaults={"code": code, "kind": kind_of(name)}
    )[0]


def make_source_document(name="甲县-2022.txt"):
    return SourceDocument.objects.create(
        original_name=name,
        sha256=hashlib.sha256(name.encode()).hexdigest(),
        format="text",
        size=1,
        status=SourceDocument.Status.SAVED,
        file=f"sources/{name}",
    )


def make_budget_year(department=None, year=2022, **totals):
    department = department or make_department()
    budget_year = BudgetYear.objects.create(
        department=department,
        year=year,
        source_document=make_source_document(f"{department.name}-{year}.txt"),
        **{"expenditure": Decimal("100.00"), "income": Decimal("100.00"), **totals},
    )
    ThreeCosts.objects.create(
        budget_year=budget_year,
        total=Decimal("1.50"),
        reception=Decimal("0.50"),
        vehicle=Decimal("1.00"),
        overseas=Decimal("0"),
    )
    LineItem.objects.create(
        budget_year=budget_year,
        kind="functional",
        code="201",
        name="一般公共服务支出",
        amount=Decimal("100.00"),
        level=1,
    )
    return budget_year


def make_world():
    """One county, two departments, two years."""
    county = make_county()
    office = make_department(county)
    finance = make_department(county, name="甲县财政局", code="102")
    return {
        "county": county,
        "office_2021": make_budget_year(office, 2021),
        "office_2022": make_budget_year(office, 2022),
        "finance_2022": make_budget_year(finance, 2022, expenditure=Decimal("250.50")),
    }


def make_unclear_line_item(budget_year):
    """A 款 whose basic and project amounts the document printed in columns that cannot be told
    apart: both unknown, listed as uncertain."""
    return LineItem.objects.create(
        budget_year=budget_year,
        kind="functional",
        code="20103",
        name="政府办公厅（室）及相关机构事务",
        amount=Decimal("80.00"),
        uncertain=["basic", "project"],
        level=2,
        position=1,
    )
