from django.contrib import admin

from budgets.models import BudgetYear, County, Department, Finding, LineItem, PerformanceIndicator, ThreeCosts


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
    extra = 0


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0


@admin.register(BudgetYear)
class BudgetYearAdmin(admin.ModelAdmin):
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


@admin.register(LineItem)
class LineItemAdmin(admin.ModelAdmin):
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
class ThreeCostsAdmin(admin.ModelAdmin):
    list_display = ["budget_year", "total", "overseas", "vehicle", "reception", "total_change"]
    list_filter = ["budget_year__year", "budget_year__department__county"]
    list_select_related = ["budget_year__department"]


@admin.register(PerformanceIndicator)
class PerformanceIndicatorAdmin(admin.ModelAdmin):
    list_display = ["budget_year", "group", "level1", "level2", "name", "target", "grade_excellent"]
    list_filter = ["kind", "level1", "budget_year__year", "budget_year__department__county"]
    search_fields = ["group", "name", "target"]
    list_select_related = ["budget_year__department"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["budget_year", "severity", "rule", "message", "line"]
    list_filter = ["severity", "rule"]
    search_fields = ["message"]
    list_select_related = ["budget_year__department"]
