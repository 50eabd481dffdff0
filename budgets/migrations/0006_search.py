from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("budgets", "0005_scale")]

    operations = []
