"""A record's name in the admin's lists: in the reader's language (``zones.names``), sorted by the English one."""

from django.contrib import admin
from django.utils.translation import pgettext_lazy

from zones.names import name_in

NAMES = ["name", "name_uk", "name_ru"]


@admin.display(description=pgettext_lazy("of a record", "name"), ordering="name")
def name(record) -> str:
    return name_in(record)
