from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("budgets", "0004_national_divisions_kinds_levels")]

    operations = []
