import django.db.models.deletion
from django.db import migrations, models

# The budget-years list's sortable figures and their indexes (budgets.models.SORTED_FIGURES).
BUDGET_YEAR_SORTS = {
    "income": "budget_year_income_idx",
    "expenditure": "budget_year_expenditure_idx",
    "basic": "budget_year_basic_idx",
    "project": "budget_year_project_idx",
    "personnel": "budget_year_personnel_idx",
    "public": "budget_year_public_idx",
    "operating": "budget_year_operating_idx",
    "staff_in_service": "budget_year_staff_idx",
}


EXECUTION_RATES = (
    ("expenditure_rate", "expenditure execution rate"),
    ("basic_rate", "basic expenditure execution rate"),
    ("project_rate", "project expenditure execution rate"),
    ("three_costs_rate", "three public costs execution rate"),
    ("overseas_rate", "overseas trips execution rate"),
    ("vehicle_rate", "official cars execution rate"),
    ("reception_rate", "receptions execution rate"),
)


def summarize(apps, schema_editor):
    """Count, find the headlines, mark the latest budgets and pair the final accounts of what
    was saved before these tables existed. A database without budget years has nothing to keep;
    pairing reads the current models (budgets.summaries.refresh_executions), so it runs only
    where there is data."""
    from budgets import summaries

    if apps.get_model("budgets", "BudgetYear").objects.exists():
        summaries.refresh_all(apps)


class Migration(migrations.Migration):
    dependencies = [("budgets", "0004_national_divisions_kinds_levels")]

    operations = [
        migrations.CreateModel(
            name="CountySummary",
            fields=[
                (
                    "county",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="summary",
                        serialize=False,
                        to="budgets.county",
                        verbose_name="county",
                    ),
                ),
                ("budget_years", models.JSONField(default=list, verbose_name="years of budgets")),
                ("final_years", models.JSONField(default=list, verbose_name="years of final accounts")),
                (
                    "departments",
                    models.PositiveIntegerField(default=0, verbose_name="departments that published"),
                ),
                ("disclosures", models.PositiveIntegerField(default=0, verbose_name="disclosures")),
            ],
            options={"verbose_name": "county summary", "verbose_name_plural": "county summaries"},
        ),
        migrations.CreateModel(
            name="Headline",
            fields=[
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("three_costs", "largest three public costs"),
                            ("change", "biggest change in expenditure"),
                            ("errors", "most errors found"),
                        ],
                        max_length=12,
                        primary_key=True,
                        serialize=False,
                        verbose_name="kind",
                    ),
                ),
                (
                    "budget_year",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="budgets.budgetyear",
                        verbose_name="budget year",
                    ),
                ),
                (
                    "previous_year",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="previous year"),
                ),
                (
                    "previous_expenditure",
                    models.DecimalField(
                        blank=True,
                        decimal_places=6,
                        max_digits=16,
                        null=True,
                        verbose_name="previous year's expenditure",
                    ),
                ),
                ("count", models.PositiveIntegerField(blank=True, null=True, verbose_name="errors")),
                (
                    "finding",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="budgets.finding",
                        verbose_name="first error",
                    ),
                ),
            ],
            options={"verbose_name": "headline", "verbose_name_plural": "headlines"},
        ),
        migrations.AddField(
            model_name="budgetyear",
            name="latest_budget",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="The department's department-level budget of the latest year it published one: "
                "what rankings compare (kept by budgets.summaries)",
                verbose_name="latest budget",
            ),
        ),
        migrations.CreateModel(
            name="Execution",
            fields=[
                (
                    "final_accounts",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="execution",
                        serialize=False,
                        to="budgets.budgetyear",
                        verbose_name="final accounts",
                    ),
                ),
                *(
                    (
                        rate,
                        models.DecimalField(
                            blank=True, decimal_places=10, max_digits=30, null=True, verbose_name=label
                        ),
                    )
                    for rate, label in EXECUTION_RATES
                ),
                (
                    "budget",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="budgets.budgetyear",
                        verbose_name="budget",
                    ),
                ),
            ],
            options={
                "verbose_name": "execution rate",
                "verbose_name_plural": "execution rates",
                "indexes": [
                    models.Index(fields=[rate, "final_accounts"], name=f"execution_{rate}_idx")
                    for rate, _label in EXECUTION_RATES
                ],
            },
        ),
        migrations.RunPython(summarize, migrations.RunPython.noop),
        # Indexes named for the query they serve (docs/decisions.md, "National scale").
        migrations.AddIndex(
            "budgetyear", models.Index(fields=["created_at"], name="budget_year_created_idx")
        ),
        *(
            migrations.AddIndex("budgetyear", models.Index(fields=[figure, "id"], name=name))
            for figure, name in BUDGET_YEAR_SORTS.items()
        ),
        *(
            migrations.AddIndex(
                "lineitem", models.Index(fields=[figure, "id"], name=f"line_item_{figure}_idx")
            )
            for figure in ("amount", "basic", "project")
        ),
        migrations.RemoveIndex("lineitem", "line_item_kind_code_idx"),
        migrations.AddIndex(
            "lineitem",
            models.Index(fields=["kind", "code", "amount", "id"], name="line_item_code_amount_idx"),
        ),
        migrations.AddIndex(
            "lineitem", models.Index(fields=["budget_year", "code"], name="line_item_year_code_idx")
        ),
        migrations.AddIndex(
            "lineitem",
            models.Index(fields=["-budget_year", "kind", "position", "id"], name="line_item_listed_idx"),
        ),
        migrations.AddIndex(
            "performanceindicator",
            models.Index(fields=["-budget_year", "position", "id"], name="indicator_listed_idx"),
        ),
        *(
            migrations.AddIndex(
                "threecosts", models.Index(fields=[figure, "id"], name=f"three_costs_{figure}_idx")
            )
            for figure in ("total", "overseas", "vehicle", "reception", "total_change")
        ),
    ]
