from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "ingest"
    verbose_name = _("Ingest")

    def ready(self):
        from ingest.models import SourceDocument
        from ingest.originals import remove_with_document

        post_delete.connect(remove_with_document, sender=SourceDocument, dispatch_uid="ingest-original-file")
