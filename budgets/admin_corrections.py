"""The admin's side of corrections (budgets.corrections): a form that refuses to change a
figure without a reason, the save that records each change, and the history, read only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from budgets import corrections
from budgets.models import Correction

MISSING_REASON = _(
    "A figure changes: say why in “Why the figures change” (what the document or the county says, "
    "and where). The public page shows it beside the figure."
)


class CorrectionForm(forms.ModelForm):
    """A model form of an admin page where figures can change: a reason is asked for, and
    required as soon as one figure differs from what was saved."""

    correction_reason = forms.CharField(
        label=_("Why the figures change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_(
            "Required when a figure changes. Shown on the public page beside the figure, with the "
            "old and the new value and the date; your name stays in the admin."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if corrections.changes(self) and not (cleaned.get(corrections.REASON) or "").strip():
            self.add_error(corrections.REASON, MISSING_REASON)
        return cleaned


class InlineCorrectionForm(forms.ModelForm):
    """A figure form inline on its budget year's page (the three public costs): the reason is the
    page's one field, which this form reads from the same submission."""

    def clean(self):
        cleaned = super().clean()
        if corrections.changes(self) and not (self.data.get(corrections.REASON) or "").strip():
            raise forms.ValidationError(MISSING_REASON)
        return cleaned


class CorrectedAdmin:
    """For a ModelAdmin whose form is a CorrectionForm (and its inlines' InlineCorrectionForm):
    each save records the figures it changed, with the reason, the user and the time."""

    def save_model(self, request, obj, form, change):
        changed = corrections.changes(form)
        corrections.settle(obj, changed)
        super().save_model(request, obj, form, change)
        corrections.record(obj, changed, request.user, form.cleaned_data.get(corrections.REASON) or "")

    def save_formset(self, request, form, formset, change):
        deleted = set(getattr(formset, "deleted_forms", ()))
        pending = [(inline, corrections.changes(inline)) for inline in formset.forms if inline not in deleted]
        for inline, changed in pending:
            corrections.settle(inline.instance, changed)
        super().save_formset(request, form, formset, change)
        reason = form.cleaned_data.get(corrections.REASON) or ""
        for inline, changed in pending:
            corrections.record(inline.instance, changed, request.user, reason)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """The history of hand-made changes, as recorded: nobody edits or removes it here."""

    list_display = ["at", "budget_year", "figure", "old_value", "new_value", "user", "reason"]
    list_filter = ["subject", "at"]
    list_select_related = ["budget_year__department", "user"]
    search_fields = ["reason", "row", "budget_year__department__name"]
    date_hierarchy = "at"
    # The figure by its name, never the field's key (amount, budgeted_total).
    fields = ["at", "budget_year", "subject", "figure", "old_value", "new_value", "reason", "user"]
    readonly_fields = ["figure"]

    @admin.display(description=_("figure"))
    def figure(self, correction):
        return corrections.label(correction)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
