from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Budgets")

    def ready(self):
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_delete, post_save

        from budgets import lookups  # noqa: F401  (registers `__any_of`)
        from budgets.dataset import admin_changed, disclosure_deleted
        from budgets.models import BudgetYear

        # A correction in the admin changes the data as a save does, and so does a disclosure
        # deleted (several at once are logged in bulk, without a signal): the downloads follow.
        post_save.connect(admin_changed, sender=LogEntry, dispatch_uid="budgets-dataset-admin-change")
        post_delete.connect(disclosure_deleted, sender=BudgetYear, dispatch_uid="budgets-dataset-deleted")

        from budgets import summaries

        # The home and place pages' counts and headlines follow every save and delete.
        summaries.connect()

        from django.db.models.signals import post_migrate

        from budgets.search import index

        # The search index follows places, departments and names saved one at a time, and is
        # filled after the migration that made it, where data was already there.
        index.connect()
        post_migrate.connect(index.fill_if_empty, sender=self, dispatch_uid="search-fill")
