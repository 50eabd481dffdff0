"""A national dataset on demand (`manage.py synthesize`): every county's departments with years
of budgets and final accounts, made from the real parsed disclosures, for measuring the site at
the size of the country.

The material is real: the samples (and the Shanghai corpus where it is there, never copied) are
parsed with the project's own parser, and their indicators, project names, table names, which
figures a template prints and where, become the pool the rows are drawn from; classification
codes and names come from budgets/data/classification.csv, department names from the kinds in
ingest/vocabulary/department_kinds.py. Amounts are drawn, not copied: a skewed size per county
(a few very large ones), per kind of department and per year, split into parts that add up
exactly (basic = personnel + public, each class the sum of its lines, the three costs the sum
of theirs) except where a finding says a class misses by 0.01, as real documents do.

Amounts are drawn as floats and kept as integers in fen (0.01 元 = 0.000001 万元) from then
on, so every sum is exact and every digit written is the one meant. Rows are tuples in the
column order of `COLUMNS`; budgets.bulk writes them with the database's bulk path (COPY on
PostgreSQL, bulk_create on SQLite), and `manage.py synthesize` drives it all.
"""

import hashlib
import json
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from django.conf import settings

from budgets.classification import CSV_PATH
from budgets.models import LineItem
from ingest.department_kinds import kind_of
from ingest.targets import parse_target

FEN_PER_WAN = 1_000_000  # 1 万元 = 10,000 元 = 1,000,000 fen
WAN = FEN_PER_WAN // 100  # 0.01 万元, the quantum of a document printed in 万元

# The fields each table is written with, in order; a column other code adds later is written
# with its default by the loaders.
COLUMNS = {
    "document": (
        "id", "file", "original_name", "sha256", "format", "size", "uploaded_at", "published_on",
        "status", "error", "parser_version", "parse_attempts",
    ),
    "department": ("id", "county_id", "name", "code", "aliases", "kind", "parent_id"),
    "budget_year": (
        "id", "department_id", "year", "kind", "level", "source_document_id",
        "income", "expenditure", "general_budget_income", "basic", "personnel", "public", "project",
        "operating", "procurement_total", "fixed_assets_total", "vehicles_count", "vehicles_value",
        "staff_authorized", "staff_in_service", "staff_retired", "sources", "needs_checking", "created_at",
    ),
    "three_costs": (
        "id", "budget_year_id", "total", "overseas", "vehicle", "vehicle_purchase", "vehicle_operation",
        "reception", "total_change", "budgeted_total", "budgeted_overseas", "budgeted_vehicle",
        "budgeted_vehicle_purchase", "budgeted_vehicle_operation", "budgeted_reception",
    ),
    "line_item": (
        "id", "budget_year_id", "kind", "code", "name", "amount", "basic", "project", "level", "leaf",
        "parent_code", "uncertain", "source_table", "source_line", "position",
    ),
    "indicator": (
        "id", "budget_year_id", "kind", "group", "level1", "level2", "name", "target", "description",
        "basis", "comparator", "number", "unit", "grade_excellent", "grade_good", "grade_fair",
        "grade_poor", "source_table", "source_line", "position",
    ),
    "finding": ("id", "budget_year_id", "severity", "rule", "message", "line", "figures"),
}  # fmt: skip
TABLES = tuple(COLUMNS)  # also the order they are written in: what a row refers to comes first

# The class a department's own work is booked under (its 款), by kind of department; others book
# under 20199. Every department also books the classes of its payroll (PAYROLL).
KIND_CLASSES = {
    "人民政府办公室": "20103",
    "人大常委会办公室": "20101",
    "政协办公室": "20102",
    "党委办公室": "20131",
    "纪律检查委员会": "20111",
    "组织部": "20132",
    "宣传部": "20133",
    "统战部": "20134",
    "财政局": "20106",
    "教育局": "20501",
    "卫生健康委员会": "21001",
    "发展和改革局": "20104",
    "公安局": "20402",
    "民政局": "20802",
    "司法局": "20406",
    "人力资源和社会保障局": "20801",
    "自然资源和规划局": "22001",
    "生态环境局": "21101",
    "住房和城乡建设局": "21201",
    "交通运输局": "21401",
    "水利局": "21303",
    "农业农村局": "21301",
    "商务局": "20113",
    "文化和旅游局": "20701",
    "审计局": "20108",
    "统计局": "20105",
    "市场监督管理局": "20138",
    "应急管理局": "22401",
    "医疗保障局": "21001",
    "退役军人事务局": "20809",
    "林业局": "21302",
    "城市管理局": "21201",
    "残疾人联合会": "20129",
    "妇女联合会": "20129",
    "总工会": "20129",
    "街道办事处": "20103",
    "乡镇人民政府": "20103",
}
PAYROLL = ("20805", "21011", "22102")
# The economic classes (款) a basic-expenditure table prints; the first two always.
ECONOMIC = ("30101", "30201", "30102", "30103", "30108", "30113", "30211", "30213", "30215", "30216", "30217")
ECONOMIC += ("30228", "30231", "30299", "30302", "30305")
# Relative size of a kind of department: schools, hospitals and the police spend the most.
KIND_WEIGHTS = {
    "教育局": 8.0,
    "卫生健康委员会": 4.0,
    "公安局": 3.5,
    "农业农村局": 2.5,
    "住房和城乡建设局": 2.5,
    "交通运输局": 2.5,
    "水利局": 2.0,
    "民政局": 2.0,
    "人力资源和社会保障局": 1.8,
    "财政局": 1.5,
    "城市管理局": 1.5,
    "乡镇人民政府": 1.5,
    "街道办事处": 1.2,
}
# Units (单位) publish their own disclosures under a department: (name after the county, kind of
# the department above them, class, weight). Their names end in no kind, as in life.
UNITS = (
    ("第一中学", "教育局", "20501", 3.0),
    ("人民医院", "卫生健康委员会", "21001", 5.0),
    ("实验小学", "教育局", "20501", 1.5),
    ("中医医院", "卫生健康委员会", "21001", 2.5),
    ("第二中学", "教育局", "20501", 2.5),
)
TOWNS = (
    "城关",
    "北关",
    "南关",
    "东城",
    "西城",
    "新华",
    "解放",
    "胜利",
    "和平",
    "建设",
    "长安",
    "永安",
    "太平",
)
# What a project of some kinds of department is for, besides the names the samples print.
PROJECT_WORDS = {
    "教育局": ("学生资助", "校舍维修改造", "教师培训", "营养改善计划"),
    "卫生健康委员会": ("基本公共卫生服务", "疫情防控", "家庭医生签约服务"),
    "公安局": ("执法执勤车辆购置", "交通安全设施维护", "看守所运行"),
    "交通运输局": ("农村公路养护", "客运车辆补贴", "治超站运行"),
    "民政局": ("城乡低保", "特困人员供养", "殡葬改革"),
    "财政局": ("预算绩效评价", "财政信息化建设"),
    "人民政府办公室": ("公务接待保障", "政务服务中心运行", "应急值守"),
}
GENERIC_PROJECTS = ("公务用车运行维护", "办公设备购置", "专项业务工作经费", "信息化系统运维", "接待工作经费")
GENERIC_PROJECTS += ("档案整理", "聘请法律顾问", "宣传费用", "车辆保险及维修")
SUFFIXES = ("", "", "", "（上年结转）", "专项", "经费")
TOTALS = (
    "income",
    "expenditure",
    "general_budget_income",
    "basic",
    "personnel",
    "public",
    "project",
    "operating",
)
COSTS = ("total", "overseas", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")
COUNTS = {"vehicles_count"}  # printed as a number of things, not an amount


def fen_text(value: int | None) -> str | None:
    """An amount in fen as the exact decimal 万元 the database stores: 39430000 → 39.430000."""
    if value is None:
        return None
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), FEN_PER_WAN)
    return f"{sign}{whole}.{part:06d}"


def wan_printed(value: int) -> str:
    """How a document prints an amount in 万元: two places, or every digit of a 元 figure."""
    whole, part = divmod(abs(value), FEN_PER_WAN)
    places = f"{part:06d}".rstrip("0")
    return f"{'-' if value < 0 else ''}{whole}.{places.ljust(2, '0')}"


def quantize(value: float, quantum: int) -> int:
    """A drawn amount in fen as a document prints it: a whole multiple of its quantum."""
    return int(value) // quantum * quantum


def split(total: int, weights: list[float], quantum: int) -> list[int]:
    """`total` in parts proportional to `weights`, each a multiple of `quantum`, summing exactly."""
    whole = sum(weights) or 1.0
    parts = [quantize(total * w / whole, quantum) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def _clean_indicator(item: dict) -> bool:
    """An indicator whose labels read like a table's (the pool leaves out text the parser could
    not place, so the synthetic rows look like the good ones)."""
    labels = (item.get("level1") or "", item.get("level2") or "")
    name = item.get("name") or ""
    return len(name) >= 3 and name[0] not in '"“' and len(labels[0]) <= 6 and len(labels[1]) <= 10


@dataclass
class Template:
    """What one real disclosure prints: which figures (and where), how many of which rows."""

    kind: str
    totals: dict  # key → source dict, for the totals it prints
    three_costs: dict
    assets: dict
    staffing: bool
    tables: dict  # line-item kind → table name
    indicators: int
    quantum: int  # WAN for a document printed in 万元, 1 for one printed in 元 with fen


@dataclass
class Material:
    """The pool the rows are drawn from, read from the parsed real disclosures."""

    templates: list
    indicators: list  # the columns of an indicator row from level1 to grade_poor
    activities: list
    projects: list
    classes: dict = field(default_factory=dict)  # (kind, code) → name
    children: dict = field(default_factory=dict)  # (kind, parent code) → [codes]


def source_paths() -> list[Path]:
    """The real disclosures the material is read from: the samples, and the corpus's text
    renditions where ../shared/corpus is there (read in place, never copied)."""
    root = Path(settings.BASE_DIR)
    corpus = root.parent / "shared" / "corpus"
    return sorted((root / "samples").glob("*.txt")) + sorted(corpus.glob("*/*.txt"))


@cache
def read_material(paths: tuple[Path, ...] | None = None) -> Material:
    """The pool, parsed from the real disclosures once per process (a few seconds)."""
    from ingest.parser import parse_bytes

    templates, indicators, activities, projects = [], {}, set(), set()
    for path in paths or source_paths():
        parsed = parse_bytes(path.read_bytes(), path.name)
        sources = parsed.get("sources") or {}
        totals = {k: v for k, v in (parsed.get("totals") or {}).items() if v is not None}
        costs = {k: v for k, v in (parsed.get("three_costs") or {}).items() if v is not None}
        items = parsed.get("line_items") or []
        fine = any(len(fen_digits) > 2 for fen_digits in _decimals(items))
        templates.append(
            Template(
                kind=parsed.get("kind") or "budget",
                totals={k: _generic((sources.get("totals") or {}).get(k) or {}, parsed) for k in totals},
                three_costs={
                    k: _generic((sources.get("three_costs") or {}).get(k) or {}, parsed) for k in costs
                },
                assets={
                    k: _generic((sources.get("assets") or {}).get(k) or {}, parsed)
                    for k, v in (parsed.get("assets") or {}).items()
                    if v is not None
                },
                staffing=bool((parsed.get("staffing") or {}).get("in_service")),
                tables={
                    item["kind"]: _generic(item.get("source") or {}, parsed).get("table") or ""
                    for item in reversed(items)
                },
                indicators=len(parsed.get("indicators") or []),
                quantum=1 if fine else WAN,
            )
        )
        for item in parsed.get("indicators") or []:
            if item.get("kind") == "activity":
                activities.add(item["group"])
            elif item.get("group"):
                projects.add(item["group"])
            if _clean_indicator(item):
                target = item.get("target") or ""
                comparator, number, unit = parse_target(target)
                grades = item.get("grades") or {}
                # The columns from `level1` to `grade_poor`, as the rows are written.
                row = (
                    item.get("level1") or "",
                    item.get("level2") or "",
                    item["name"],
                    target,
                    item.get("description") or "",
                    item.get("basis") or "",
                    comparator,
                    None if number is None else str(number),
                    unit,
                    *(grades.get(grade) or "" for grade in ("excellent", "good", "fair", "poor")),
                )
                indicators.setdefault((item["name"], target), row)
        projects.update(i["name"] for i in items if i.get("kind") == "project" and i.get("name"))
    material = Material(
        templates, list(indicators.values()), sorted(activities), sorted(projects | set(GENERIC_PROJECTS))
    )
    _read_classes(material)
    return material


def _decimals(items):
    for item in items:
        text = str(item.get("amount") or "")
        if "." in text:
            yield text.split(".", 1)[1].rstrip("0")


def _read_classes(material: Material) -> None:
    import csv

    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            material.classes[(row["kind"], row["code"])] = row["name_zh"]
            if row["parent_code"]:
                material.children.setdefault((row["kind"], row["parent_code"]), []).append(row["code"])


def _generic(source: dict, parsed: dict) -> dict:
    """A template's source without the names and year of the document it came from (its table
    titles print them: 高邑县…固定资产占用情况表, 2025年部门支出预算总表)."""
    own = [parsed.get("department"), parsed.get("county"), f"{parsed.get('year')}年", str(parsed.get("year"))]
    found = dict(source)
    for key in ("table", "section"):
        for name in filter(None, own):
            if isinstance(found.get(key), str):
                found[key] = found[key].replace(name, "")
    return found


@dataclass
class Plan:
    departments: int = 30
    years: int = 8
    last_year: int = 2024
    seed: int = 1


@dataclass
class Unit:
    """A synthetic department or unit, as its years are drawn."""

    id: int
    name: str
    kind: str
    level: str  # department or unit
    klass: str  # the 款 of its own work
    size: float  # its expenditure's scale


class Ids:
    """The next primary key of each table: rows are written with their keys, so a line item
    knows its budget year's without asking the database."""

    def __init__(self, start: dict):
        self.next = dict(start)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def row(table: str, **values) -> tuple:
    """A row of `table` in the order of COLUMNS."""
    return tuple(values[column] for column in COLUMNS[table])


class Generator:
    """Rows of every table, one county at a time (`county_rows`)."""

    def __init__(self, material: Material, plan: Plan, ids: Ids):
        self.m = material
        self.plan = plan
        self.ids = ids
        self.rng = random.Random(plan.seed)
        templates = material.templates
        self.budget_templates = [t for t in templates if t.kind == "budget"] or templates
        self.final_templates = [t for t in templates if t.kind == "final_accounts"] or self.budget_templates
        self.now = datetime(plan.last_year + 1, 6, 30, tzinfo=UTC)

    def county_rows(self, county_id: int, county_name: str) -> dict:
        """{table: [rows]} of one county: its departments and every disclosure they publish."""
        rng = self.rng
        rows = {table: [] for table in TABLES}
        size = rng.lognormvariate(0, 0.7)
        if rng.random() < 0.01:  # a few very large districts
            size *= rng.uniform(8, 20)
        # A county's finance bureau sets one template for all its departments.
        templates = {
            "budget": rng.choice(self.budget_templates),
            "final_accounts": rng.choice(self.final_templates),
        }
        first = self.plan.last_year - self.plan.years + 1
        start = first if rng.random() < 0.6 else rng.randint(first, self.plan.last_year - 1)
        for unit in self._units(county_id, county_name, size, rows["department"]):
            self._years(rows, unit, start, templates)
        return rows

    def _units(self, county_id, county, size, out) -> list[Unit]:
        """The county's departments (by kind, then towns) and, a tenth of them, units under one."""
        wanted = self.plan.departments
        units = UNITS[: min(len(UNITS), wanted // 10)]
        names = [
            (_department_name(county, kind, endings[0]), KIND_CLASSES.get(kind, "20199"))
            for kind, endings in _kinds()
        ]
        names += [
            (f"{county}{town}{suffix}", "20103") for town in TOWNS for suffix in ("街道办事处", "镇人民政府")
        ]
        found, by_kind = [], {}
        for index, (name, klass) in enumerate(names[: wanted - len(units)]):
            unit = Unit(self.ids.take("department"), name, kind_of(name), "department", klass, 0.0)
            unit.size = size * KIND_WEIGHTS.get(unit.kind, 1.0) * self.rng.lognormvariate(0, 0.4)
            by_kind.setdefault(unit.kind, unit.id)
            short = [name.replace("人民政府办公室", "政府办")] if name.endswith("人民政府办公室") else []
            out.append(
                row("department", id=unit.id, county_id=county_id, name=name, code=str(101 + index),
                    aliases=json.dumps(short, ensure_ascii=False), kind=unit.kind, parent_id=None)
            )  # fmt: skip
            found.append(unit)
        for index, (stem, parent_kind, klass, weight) in enumerate(units):
            name = f"{county}{stem}"
            unit = Unit(self.ids.take("department"), name, kind_of(name), "unit", klass, size * weight)
            out.append(
                row("department", id=unit.id, county_id=county_id, name=name, code=str(901 + index),
                    aliases="[]", kind=unit.kind, parent_id=by_kind.get(parent_kind))
            )  # fmt: skip
            found.append(unit)
        return found

    def _years(self, rows, unit: Unit, start: int, templates: dict) -> None:
        """A department's budgets and final accounts from `start`: some years missing, as a
        department publishes when it does, the amounts walking from year to year."""
        rng = self.rng
        reliability = rng.uniform(0.35, 1.0)
        expenditure = int(300 * FEN_PER_WAN * unit.size * rng.lognormvariate(0, 0.5))
        previous = {"budget": None, "final_accounts": None}
        for year in range(start, self.plan.last_year + 1):
            expenditure = max(5 * FEN_PER_WAN, int(expenditure * rng.lognormvariate(0.04, 0.12)))
            if rng.random() < 0.03:  # a year with a large project, or one without
                expenditure = int(expenditure * rng.choice((0.4, 2.5, 3.5)))
            budget = None
            if rng.random() < reliability:
                budget = self._disclosure(rows, unit, year, "budget", expenditure, templates, previous, None)
                previous["budget"] = budget
            if year < self.plan.last_year and rng.random() < reliability * 0.8:
                execution = rng.uniform(0.85, 1.05) if rng.random() < 0.9 else rng.uniform(0.4, 1.6)
                spent = int(expenditure * execution)
                previous["final_accounts"] = self._disclosure(
                    rows, unit, year, "final_accounts", spent, templates, previous, budget
                )

    def _disclosure(self, rows, unit, year, kind, expenditure, templates, previous, budget) -> dict:
        """The rows of one budget year: its document, figures, three costs, line items,
        indicators and findings. Returns its figures: the next year's printed change and the
        final accounts' budgeted three costs read them."""
        rng = self.rng
        template = templates[kind]
        q = template.quantum
        final = kind == "final_accounts"
        budget_year_id = self.ids.take("budget_year")
        document_id, published = self._document(rows, unit, year, final)

        expenditure = max(q * 100, quantize(expenditure, q))
        basic = quantize(expenditure * rng.uniform(0.45, 0.95), q)
        personnel = quantize(basic * rng.uniform(0.7, 0.92), q)
        public = basic - personnel
        drawn = {
            "income": expenditure,
            "expenditure": expenditure,
            "general_budget_income": expenditure
            - quantize(expenditure * rng.choice((0, 0, 0, 0.05, 0.2)), q),
            "basic": basic,
            "personnel": personnel,
            "public": public,
            "project": expenditure - basic,
            "operating": public if rng.random() < 0.8 else quantize(public * rng.uniform(0.6, 1.0), q),
        }
        totals = {key: value if key in template.totals else None for key, value in drawn.items()}
        costs = self._three_costs(expenditure, q, template, previous[kind], budget, final)
        vehicles = rng.choice((0, 1, 2, 3, 5, 8, 9, 12))
        assets = {
            "fixed_assets_total": quantize(expenditure * rng.uniform(0.5, 3.0), q),
            "vehicles_count": vehicles,
            "vehicles_value": vehicles * rng.randint(8, 25) * FEN_PER_WAN,
        }
        assets = {key: value if key in template.assets else None for key, value in assets.items()}
        staff = (
            max(3, int(personnel / (12 * FEN_PER_WAN) * rng.uniform(0.8, 1.2))) if template.staffing else None
        )

        line = rng.randint(20, 60)
        line, off = self._line_items(rows, budget_year_id, unit, basic, drawn["project"], template, line)
        line = self._indicators(rows, budget_year_id, unit, expenditure, template, line, final)
        needs_checking = self._findings(rows, budget_year_id, costs["spent"], off, line)
        sources = {
            "totals": _sources(totals, template.totals),
            "three_costs": _sources(costs["spent"], template.three_costs),
            "assets": _sources(assets, template.assets),
        }
        rows["budget_year"].append(
            row(
                "budget_year",
                id=budget_year_id,
                department_id=unit.id,
                year=year,
                kind=kind,
                level=unit.level,
                source_document_id=document_id,
                **{key: fen_text(totals[key]) for key in TOTALS},
                procurement_total=fen_text(quantize(drawn["project"] / 3, q)) if rng.random() < 0.6 else None,
                fixed_assets_total=fen_text(assets["fixed_assets_total"]),
                vehicles_count=assets["vehicles_count"],
                vehicles_value=fen_text(assets["vehicles_value"]),
                staff_authorized=staff and int(staff * 1.1),
                staff_in_service=staff,
                staff_retired=staff and staff // 4,
                sources=json.dumps(sources, ensure_ascii=False),
                needs_checking=json.dumps(needs_checking),
                created_at=published,
            )
        )
        spent, budgeted = costs["spent"], costs["budgeted"]
        if any(value is not None for value in spent.values()):
            rows["three_costs"].append(
                row(
                    "three_costs",
                    id=self.ids.take("three_costs"),
                    budget_year_id=budget_year_id,
                    **{key: fen_text(spent.get(key)) for key in (*COSTS, "total_change")},
                    **{f"budgeted_{key}": fen_text(budgeted.get(key)) for key in COSTS},
                )
            )
        return {"expenditure": expenditure, "three_costs": spent}

    def _document(self, rows, unit, year, final) -> tuple[int, datetime]:
        """The disclosure's source document: a name that says it is synthetic, no file. A budget
        is published early in its year, final accounts in the autumn of the next."""
        rng = self.rng
        document_id = self.ids.take("document")
        published = datetime(year + 1, 9, 1, tzinfo=UTC) if final else datetime(year, 2, 1, tzinfo=UTC)
        published += timedelta(days=rng.randint(0, 120), seconds=rng.randint(0, 86399))
        if published > self.now:
            published = self.now - timedelta(days=rng.randint(1, 60))
        kind = "部门决算" if final else "部门预算"
        title = f"{unit.name}{year}年{kind}{'（单位）' if unit.level == 'unit' else ''}"
        digest = hashlib.sha256(f"synthetic {self.plan.seed} {document_id} {title}".encode()).hexdigest()
        rows["document"].append(
            row("document", id=document_id, file=f"sources/{digest[:2]}/{digest}.txt",
                original_name=f"{title}（合成）.txt", sha256=digest, format="text",
                size=rng.randint(40_000, 900_000), uploaded_at=published, published_on=published.date(),
                status="saved", error="", parser_version="synthetic", parse_attempts=0)
        )  # fmt: skip
        return document_id, published

    def _three_costs(self, expenditure, q, template, previous, budget, final) -> dict:
        """{"spent": …, "budgeted": …}: overseas + cars (purchase + operation) + receptions =
        total, exactly; the change printed against last year's of the same kind; final accounts
        spend their budget's figures give or take, and print them beside (budgeted)."""
        rng = self.rng
        budgeted = {}
        if budget is not None and budget["three_costs"].get("total") is not None:
            budgeted = {key: budget["three_costs"].get(key) for key in COSTS}
            base = {
                key: quantize(value * rng.uniform(0.6, 1.1), q) if value else value
                for key, value in budgeted.items()
            }
        else:
            total = quantize(expenditure * rng.lognormvariate(math.log(0.012), 0.8), q)
            overseas = quantize(total * 0.15, q) if rng.random() < 0.05 else 0
            purchase = quantize((total - overseas) * rng.uniform(0.3, 0.6), q) if rng.random() < 0.08 else 0
            operation = quantize((total - overseas - purchase) * rng.uniform(0.4, 0.8), q)
            base = {"overseas": overseas, "vehicle_purchase": purchase, "vehicle_operation": operation}
            base["reception"] = total - overseas - purchase - operation
        if base.get("overseas") is not None and base.get("reception") is not None:
            base["vehicle"] = (base.get("vehicle_purchase") or 0) + (base.get("vehicle_operation") or 0)
            base["total"] = base["overseas"] + base["vehicle"] + base["reception"]
        spent = {key: base.get(key) if key in template.three_costs else None for key in COSTS}
        before = (previous or {}).get("three_costs") or {}
        printed = "total_change" in template.three_costs
        changed = spent["total"] is not None and before.get("total") is not None
        spent["total_change"] = spent["total"] - before["total"] if printed and changed else None
        return {"spent": spent, "budgeted": budgeted if final else {}}

    def _line_items(
        self, rows, budget_year_id, unit, basic, project, template, line
    ) -> tuple[int, str | None]:
        """Functional classes (类, 款, 项), economic classes and projects, each level the exact sum
        of the one below; now and then a 款 printed 0.01 off its lines, which a finding reports.
        Returns the next line and that 款 (None)."""
        rng = self.rng
        q = template.quantum
        tables = template.tables
        items = []  # (kind, code, name, amount, basic, project, leaf, table)
        off = None
        if "functional" in tables and rng.random() < 0.9:
            classes = [unit.klass] + [code for code in PAYROLL if ("functional", code) in self.m.classes]
            weights = [rng.uniform(5, 10)] + [rng.uniform(0.5, 1.2) for _ in classes[1:]]
            leaves = {}
            for klass, amount in zip(classes, split(basic + project, weights, q), strict=True):
                codes = self._leaf_codes(klass)
                for code, part in zip(codes, split(amount, [3, 1][: len(codes)], q), strict=True):
                    leaves[code] = leaves.get(code, 0) + part
            coded = _with_parents(leaves)
            split_kuan = [
                c for c in coded if len(c) == 5 and sum(1 for x in leaves if x[:5] == c and x != c) > 1
            ]
            if split_kuan and rng.random() < 0.04:
                off = rng.choice(split_kuan)
            for code in sorted(coded):
                # The 款 printed off, and its 类 (the sum of the 款 as printed).
                amount = coded[code] + (WAN if off and code in (off, off[:3]) else 0)
                name = self.m.classes.get(("functional", code), "其他支出")
                items.append(
                    ("functional", code, name, amount, None, None, code in leaves, tables["functional"])
                )
        if "economic" in tables and rng.random() < 0.85:
            chosen = [code for index, code in enumerate(ECONOMIC) if index < 2 or rng.random() < 0.7]
            weights = [
                rng.uniform(5, 20) if code.startswith("301") else rng.uniform(0.5, 3) for code in chosen
            ]
            leaves = dict(zip(chosen, split(basic, weights, q), strict=True))
            for code, amount in sorted(_with_parents(leaves).items()):
                name = self.m.classes.get(("economic", code), "其他支出")
                items.append(
                    ("economic", code, name, amount, amount, None, code in leaves, tables["economic"])
                )
        if project and ("project" in tables or rng.random() < 0.3):
            names = self._project_names(unit.kind, min(12, 1 + int(rng.expovariate(1 / 3))))
            amounts = split(project, [rng.paretovariate(1.2) for _ in names], q)
            table = tables.get("project") or "项目支出表"
            for name, amount in zip(names, amounts, strict=True):
                items.append(
                    ("project", self._leaf_codes(unit.klass)[0], name, amount, None, amount, True, table)
                )
        out = rows["line_item"]
        for position, (kind, code, name, amount, basic_part, project_part, leaf, table) in enumerate(items):
            line += 1
            out.append(
                (self.ids.take("line_item"), budget_year_id, kind, code, name, fen_text(amount),
                 fen_text(basic_part), fen_text(project_part), 0 if kind == "project" else level_of(code),
                 leaf, parent_of(code), "[]", table, line, position)
            )  # fmt: skip
        return line, off

    def _leaf_codes(self, klass) -> list[str]:
        """The 项 a department books a 款 under: its 行政运行 (…01), and often one more."""
        children = self.m.children.get(("functional", klass))
        if not children:
            return [klass]
        first = [code for code in children if code.endswith("01")] or children[:1]
        others = [code for code in children if code not in first]
        return first + (others[:1] if others and self.rng.random() < 0.6 else [])

    def _project_names(self, kind, count) -> list[str]:
        rng = self.rng
        words = PROJECT_WORDS.get(kind, ()) + tuple(rng.sample(self.m.projects, min(6, len(self.m.projects))))
        names = []
        while len(names) < count:
            name = f"{rng.choice(words)}{rng.choice(SUFFIXES)}"
            if name not in names:
                names.append(name)
            elif len(names) >= len(words):
                names.append(f"{name}（{len(names) + 1}）")
        return names

    def _indicators(self, rows, budget_year_id, unit, expenditure, template, line, final) -> int:
        """Performance indicators by project or duty activity, more for a larger department:
        budgets print them mostly, final accounts now and then. Returns the next line."""
        rng = self.rng
        if (final and rng.random() > 0.35) or (not template.indicators and rng.random() > 0.5):
            return line
        size = max(1.0, math.log10(max(expenditure, FEN_PER_WAN) / FEN_PER_WAN))
        groups = self._project_names(unit.kind, max(1, int(rng.gauss(4.0 * size, 2))))
        out = rows["indicator"]
        first_id, position = self.ids.next["indicator"], 0
        # Tuples built in place (indicators are most of the rows): the columns of COLUMNS.
        for index, group in enumerate(groups):
            activity = index % 3 == 2 and bool(self.m.activities)
            group = rng.choice(self.m.activities) if activity else group
            head = (budget_year_id, "activity" if activity else "project", group)
            table = f"{index + 1}.{group}绩效目标表"
            for printed in rng.choices(self.m.indicators, k=rng.randint(5, 11)):
                line += 1
                out.append((first_id + position, *head, *printed, table, line, position))
                position += 1
        self.ids.next["indicator"] = first_id + position
        return line

    def _findings(self, rows, budget_year_id, costs, off, line) -> list[str]:
        """Findings about figures these rows really hold: a 款 0.01 off its lines (info), and now
        and then a three-costs total the text prints in the wrong unit (an error: the figure
        needs checking). Returns the paths that need checking."""
        rng = self.rng
        out = rows["finding"]
        if off is not None:
            message = f"支出总表：{off} 的合计与其下各科目之和相差 0.01"
            out.append(
                row("finding", id=self.ids.take("finding"), budget_year_id=budget_year_id, severity="info",
                    rule="class_equals_sum_of_codes", message=message, line=line, figures="[]")
            )  # fmt: skip
        total = costs.get("total")
        if not total or rng.random() >= 0.01:
            return []
        message = (
            f"三公经费：说明文字写 {wan_printed(total * 10000)}万元，表格为 {wan_printed(total)}万元，"
            "相差 10000 倍：单位有误"
        )
        out.append(
            row("finding", id=self.ids.take("finding"), budget_year_id=budget_year_id, severity="error",
                rule="unit_mismatch", message=message, line=line + rng.randint(5, 40),
                figures=json.dumps(["three_costs.total"]))
        )  # fmt: skip
        return ["three_costs.total"]


level_of, parent_of = LineItem.level_of, LineItem.parent_of


def _kinds():
    """Kinds of department in order of size (those of towns and streets come with TOWNS)."""
    from ingest.vocabulary.department_kinds import DEPARTMENT_KINDS

    order = sorted(DEPARTMENT_KINDS.items(), key=lambda pair: -KIND_WEIGHTS.get(pair[0], 1.0))
    return [(kind, endings) for kind, endings in order if kind not in ("街道办事处", "乡镇人民政府")]


def _department_name(county: str, kind: str, ending: str) -> str:
    """How a county names its department of a kind: 高邑县财政局, 中共高邑县委组织部."""
    if kind == "党委办公室":
        return f"中共{county}委办公室"
    if kind in ("组织部", "宣传部", "统战部"):
        return f"中共{county}委{ending}"
    if kind == "纪律检查委员会":
        return f"中共{county}{ending}"
    return f"{county}{ending}"


def _with_parents(leaves: dict) -> dict:
    """Leaf amounts by code, with every parent (类 of 3 digits, 款 of 5) the sum of its children."""
    coded = dict(leaves)
    for code, amount in leaves.items():
        for parent in {code[:3], code[:5]}:
            if len(parent) < len(code):
                coded[parent] = coded.get(parent, 0) + amount
    return coded


def _sources(values: dict, where: dict) -> dict:
    """Where each printed figure was printed: the template's table or section and line, with
    the figure as this document prints it."""
    return {
        key: {**where[key], "printed": str(value) if key in COUNTS else wan_printed(value)}
        for key, value in values.items()
        if value is not None and key in where
    }
