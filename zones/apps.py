from django.apps import AppConfig


class ZonesConfig(AppConfig):
    name = "zones"
    verbose_name = "Zones"
