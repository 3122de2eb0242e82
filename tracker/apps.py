from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Treaty compliance"

    def ready(self):
        from tracker.database_roles import grant_runtime_role

        post_migrate.connect(grant_runtime_role, sender=self)
