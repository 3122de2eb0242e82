from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Treaty compliance")

    def ready(self):
        from tracker.database_roles import grant_runtime_role

        post_migrate.connect(grant_runtime_role, sender=self)
