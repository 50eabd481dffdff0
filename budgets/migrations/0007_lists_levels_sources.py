from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("budgets", "0006_search")]

    operations = []
