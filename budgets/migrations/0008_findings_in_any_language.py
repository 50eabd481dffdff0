import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("budgets", "0007_lists_levels_sources")]

    operations = [
        # A finding saved before this has no params: the pages show its stored message.
        migrations.AddField(
            model_name="finding",
            name="params",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text=(
                    "The figures and labels the message quotes, as printed: the pages write the message "
                    "from them in the reader's language (empty: the stored message is shown)"
                ),
                verbose_name="figures quoted",
            ),
        ),
        # Names the admin shows in both languages (the defaults were the untranslated field names).
        migrations.AlterField(
            model_name="budgetyear",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="saved on"),
        ),
        migrations.AlterField(
            model_name="budgetyear",
            name="department",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="budget_years",
                to="budgets.department",
                verbose_name="department",
            ),
        ),
        migrations.AlterField(
            model_name="budgetyear",
            name="source_document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="budget_years",
                to="ingest.sourcedocument",
                verbose_name="source document",
            ),
        ),
        migrations.AlterField(
            model_name="department",
            name="county",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments",
                to="budgets.county",
                verbose_name="county",
            ),
        ),
        migrations.AlterField(
            model_name="finding",
            name="budget_year",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="findings",
                to="budgets.budgetyear",
                verbose_name="budget year",
            ),
        ),
        migrations.AlterField(
            model_name="lineitem",
            name="budget_year",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="line_items",
                to="budgets.budgetyear",
                verbose_name="budget year",
            ),
        ),
        migrations.AlterField(
            model_name="lineitem",
            name="position",
            field=models.PositiveIntegerField(default=0, verbose_name="position in the document"),
        ),
        migrations.AlterField(
            model_name="performanceindicator",
            name="budget_year",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="indicators",
                to="budgets.budgetyear",
                verbose_name="budget year",
            ),
        ),
        migrations.AlterField(
            model_name="performanceindicator",
            name="position",
            field=models.PositiveIntegerField(default=0, verbose_name="position in the document"),
        ),
        migrations.AlterField(
            model_name="threecosts",
            name="budget_year",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="three_costs",
                to="budgets.budgetyear",
                verbose_name="budget year",
            ),
        ),
    ]
