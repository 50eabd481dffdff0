from django.db import migrations, models


def classify_saved_items(apps, schema_editor):
    """Level and leaf of every line item saved before they were computed at ingest: from the
    codes, and for rows printed without one from the outline of the tables its document's parse
    kept. Projects get level 0 (they had their functional code's level)."""
    from budgets import levels

    BudgetYear = apps.get_model("budgets", "BudgetYear")
    LineItem = apps.get_model("budgets", "LineItem")
    for budget_year in BudgetYear.objects.select_related("source_document").iterator(chunk_size=200):
        items = list(LineItem.objects.filter(budget_year=budget_year))
        if not items:
            continue
        tables = (budget_year.source_document.parsed or {}).get("tables") or []
        levels.classify(items, tables)
        LineItem.objects.bulk_update(items, ["level", "leaf"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("budgets", "0006_search")]

    operations = [
        migrations.AddField(
            model_name="lineitem",
            name="leaf",
            field=models.BooleanField(
                db_default=True,
                default=True,
                help_text=(
                    "No row of the same budget year and kind is printed under it: the leaves add up "
                    "without counting any amount twice"
                ),
                verbose_name="leaf",
            ),
        ),
        migrations.AlterField(
            model_name="lineitem",
            name="level",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text=(
                    "1 for 类 (201), 2 for 款 (20103), 3 for 项 (2010301); without a code, the row's depth "
                    "in the outline its table prints (一、 over 1、 over （1）); 0 for a project or where "
                    "not known"
                ),
                verbose_name="level",
            ),
        ),
        migrations.RunPython(classify_saved_items, migrations.RunPython.noop),
    ]
