"""A record's name in the admin's lists: in the reader's language (``zones.names``), sorted by the English one."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zones.names import name_in

NAMES = ["name", "name_uk", "name_ru"]


@admin.display(description=_("name"), ordering="name")
def name(record) -> str:
    return name_in(record)
