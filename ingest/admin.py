from django.contrib import admin

from ingest.models import SourceDocument


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "format", "status", "parser_version", "uploaded_at", "uploaded_by"]
    list_filter = ["status", "format"]
    search_fields = ["original_name", "sha256"]
    readonly_fields = ["sha256", "size", "uploaded_at", "parsed"]
