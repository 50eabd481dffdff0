from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ingest", "0004_parse_deadline_content_addressed")]

    operations = []
