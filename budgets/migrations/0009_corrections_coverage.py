from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("budgets", "0008_findings_in_any_language")]

    operations = []
