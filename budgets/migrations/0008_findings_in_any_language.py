from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("budgets", "0007_lists_levels_sources")]

    operations = []
