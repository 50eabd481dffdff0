from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ingest", "0004_parse_deadline_content_addressed")]

    operations = [
        migrations.AddField(
            model_name="sourcedocument",
            name="published_on",
            field=models.DateField(
                blank=True,
                help_text="The date the county published it",
                null=True,
                verbose_name="published on",
            ),
        ),
        migrations.AddField(
            model_name="sourcedocument",
            name="published_url",
            field=models.URLField(
                blank=True,
                help_text=(
                    "The address where the county published the document, e.g. its government's website"
                ),
                max_length=1000,
                verbose_name="published at",
            ),
        ),
    ]
