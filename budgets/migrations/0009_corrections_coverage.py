import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def cover_saved_years(apps, schema_editor):
    """What each disclosure saved before printed of the standard tables and sections, from the
    parse its document kept (budgets.coverage, as the loader now stores it on saving). A year
    whose document kept no parse stays "not known"."""
    from budgets import coverage

    BudgetYear = apps.get_model("budgets", "BudgetYear")
    years = BudgetYear.objects.select_related("source_document").only("pk", "source_document__parsed")
    batch = []
    for budget_year in years.iterator(chunk_size=200):
        parsed = budget_year.source_document.parsed
        if not parsed:
            continue
        for name, value in coverage.fields(parsed).items():
            setattr(budget_year, name, value)
        batch.append(budget_year)
        if len(batch) >= 500:
            BudgetYear.objects.bulk_update(batch, ["coverage", "tables_missing"])
            batch = []
    BudgetYear.objects.bulk_update(batch, ["coverage", "tables_missing"])


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0008_findings_in_any_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="budgetyear",
            name="coverage",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                help_text=(
                    "Each standard table and explanation section: printed and read, printed empty, not read, "
                    "not found"
                ),
                verbose_name="standard parts printed",
            ),
        ),
        migrations.AddField(
            model_name="budgetyear",
            name="tables_missing",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text=(
                    "“none”, or the tables as the exports name them, e.g. three_costs; functional; empty: not known"
                ),
                verbose_name="standard tables not found or not read",
            ),
        ),
        migrations.CreateModel(
            name="Correction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "subject",
                    models.CharField(
                        choices=[
                            ("budget_year", "budget year"),
                            ("three_costs", "three public costs"),
                            ("line_item", "line item"),
                            ("indicator", "performance indicator"),
                        ],
                        max_length=12,
                        verbose_name="what was corrected",
                    ),
                ),
                ("object_id", models.PositiveIntegerField(verbose_name="row id")),
                ("field", models.CharField(max_length=40, verbose_name="field")),
                (
                    "row",
                    models.TextField(
                        blank=True,
                        help_text="A line item's code and name, an indicator's name, when changed",
                        verbose_name="row",
                    ),
                ),
                ("old_value", models.TextField(blank=True, help_text="Empty: none", verbose_name="old value")),
                ("new_value", models.TextField(blank=True, help_text="Empty: none", verbose_name="new value")),
                ("reason", models.TextField(verbose_name="reason")),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="changed on")),
                (
                    "budget_year",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="corrections",
                        to="budgets.budgetyear",
                        verbose_name="budget year",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="changed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "correction",
                "verbose_name_plural": "corrections",
                "ordering": ["at", "pk"],
                "indexes": [
                    models.Index(fields=["subject", "object_id"], name="correction_subject_idx"),
                    models.Index(fields=["budget_year", "at"], name="correction_year_idx"),
                ],
            },
        ),
        migrations.RunPython(cover_saved_years, migrations.RunPython.noop),
    ]
