from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from budgets.admin_corrections import CorrectedAdmin, CorrectionForm, InlineCorrectionForm
from budgets.models import BudgetYear, County, Department, Finding, LineItem, PerformanceIndicator, ThreeCosts
from budgets.templatetags import budget_format
from ingest import finding_messages


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "prefecture", "province", "edition"]
    list_filter = ["province"]
    search_fields = ["code", "name", "prefecture", "province"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    # The kind lines a department up with the same office of other counties; set at ingest
    # from ingest/vocabulary/department_kinds.py, corrected here (empty: unknown).
    list_display = ["name", "county", "kind", "code", "parent"]
    list_editable = ["kind"]
    list_filter = ["kind", "county__province"]
    list_select_related = ["county", "parent"]
    search_fields = ["name", "code", "aliases", "kind"]
    raw_id_fields = ["county", "parent"]


class ThreeCostsInline(admin.StackedInline):
    model = ThreeCosts
    form = InlineCorrectionForm  # a changed figure needs the page's reason (budgets.corrections)
    extra = 0
    can_delete = False  # its figures would leave the public page without a trace


class FindingText:
    """A finding as a person reads it: the check's name, the message in the admin's language,
    the figures it doubts by their labels; never the identifiers the JSON carries. Findings
    come from the checks of a parse, so they are read here, not written."""

    fields = ["severity", "check_name", "text", "line", "page", "figures_named"]
    readonly_fields = ["severity", "check_name", "text", "line", "page", "figures_named"]

    @admin.display(description=_("check"), ordering="rule")
    def check_name(self, finding):
        return finding_messages.check_name(finding.rule)

    @admin.display(description=_("finding"))
    def text(self, finding):
        return finding.text

    @admin.display(description=_("figures concerned"))
    def figures_named(self, finding):
        return ", ".join(finding_messages.figure_name(path) for path in finding.figures) or "—"

    def has_add_permission(self, request, obj=None):
        return False


class FindingInline(FindingText, admin.TabularInline):
    model = Finding
    extra = 0


class BudgetYearForm(CorrectionForm):
    """Figures that need checking as ticks beside their names, not as JSON paths; a changed
    figure needs a reason (budgets.corrections)."""

    needs_checking = forms.MultipleChoiceField(
        label=_("figures that need checking"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An error finding casts doubt on these: the pages show them as “needs checking”."),
    )

    class Meta:
        model = BudgetYear
        # Every field: a list here would be the admin's whole form (it builds its fields from
        # the form's), leaving the figures out. The admin's `exclude` still applies.
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        paths = [*finding_messages.FIGURE_NAMES, *(self.initial.get("needs_checking") or ())]
        self.fields["needs_checking"].choices = [
            (path, finding_messages.figure_name(path)) for path in dict.fromkeys(paths)
        ]


@admin.register(BudgetYear)
class BudgetYearAdmin(CorrectedAdmin, admin.ModelAdmin):
    form = BudgetYearForm
    list_display = [
        "department",
        "year",
        "kind",
        "level",
        "expenditure",
        "basic",
        "project",
        "operating",
        "source_document",
    ]
    list_filter = ["year", "kind", "level", "department__kind", "department__county__province"]
    search_fields = ["department__name", "department__county__name"]
    list_select_related = ["department__county", "source_document"]
    raw_id_fields = ["source_document"]
    inlines = [ThreeCostsInline, FindingInline]
    exclude = ["sources"]
    readonly_fields = ["printed_at"]

    @admin.display(description=_("where each figure was printed"))
    def printed_at(self, budget_year):
        """The `sources` JSON in words: each figure by its name, with its table or section, page
        and line."""
        rows = [
            (finding_messages.figure_name(f"{block}.{key}"), budget_format.printed_at(source))
            for block, figures in (budget_year.sources or {}).items()
            if block != "identity" and isinstance(figures, dict)
            for key, source in figures.items()
            if isinstance(source, dict)
        ]
        return format_html_join(mark_safe("<br>"), "{}: {}", rows) if rows else "—"


class FigureRowAdmin(CorrectedAdmin, admin.ModelAdmin):
    """A row of figures (line item, three public costs, indicator): a changed figure needs a
    reason and is recorded; a row is not deleted one by one, or its figures would leave the
    public page without a trace (emptying a figure, with a reason, is recorded)."""

    form = CorrectionForm

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LineItem)
class LineItemAdmin(FigureRowAdmin):
    list_display = [
        "budget_year",
        "kind",
        "code",
        "name",
        "amount",
        "basic",
        "project",
        "source_table",
        "source_line",
    ]
    list_filter = ["kind", "level", "budget_year__year", "budget_year__department__county"]
    search_fields = ["code", "name"]
    list_select_related = ["budget_year__department"]


@admin.register(ThreeCosts)
class ThreeCostsAdmin(FigureRowAdmin):
    list_display = ["budget_year", "total", "overseas", "vehicle", "reception", "total_change"]
    list_filter = ["budget_year__year", "budget_year__department__county"]
    list_select_related = ["budget_year__department"]


@admin.register(PerformanceIndicator)
class PerformanceIndicatorAdmin(FigureRowAdmin):
    list_display = ["budget_year", "group", "level1", "level2", "name", "target", "grade_excellent"]
    list_filter = ["kind", "level1", "budget_year__year", "budget_year__department__county"]
    search_fields = ["group", "name", "target"]
    list_select_related = ["budget_year__department"]


class CheckFilter(admin.SimpleListFilter):
    """Findings by check, each named in the admin's language."""

    title = _("check")
    parameter_name = "rule"

    def lookups(self, request, model_admin):
        rules = Finding.objects.order_by("rule").values_list("rule", flat=True).distinct()
        return [(rule, finding_messages.check_name(rule)) for rule in rules]

    def queryset(self, request, queryset):
        return queryset.filter(rule=self.value()) if self.value() else queryset


@admin.register(Finding)
class FindingAdmin(FindingText, admin.ModelAdmin):
    list_display = ["budget_year", "severity", "check_name", "text", "line"]
    list_filter = ["severity", CheckFilter]
    search_fields = ["message"]
    list_select_related = ["budget_year__department"]
    fields = ["budget_year", *FindingText.fields]
    readonly_fields = ["budget_year", *FindingText.readonly_fields]
