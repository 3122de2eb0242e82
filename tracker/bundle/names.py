"""Names in Ukrainian and Russian beside the English one (zones.names), as a bundle carries them.

A party, zone, line, site or treaty new to the database takes them from its own row, as it takes its
English name. Groups and the treaty's categories take them from ``groups.csv`` and ``categories.csv``:
a name left empty in the database is filled in, one stored otherwise is refused, so loading the same
bundle twice, or an export of the database, changes nothing.
"""

from django.utils.translation import gettext_lazy

from tracker.bundle.format import NAMES
from tracker.bundle.rows import Rows, model_errors
from tracker.models import EquipmentCategory, PartyGroup

GROUP_STORED = gettext_lazy("group %(record)r is stored with %(field)s %(value)r")
CATEGORY_STORED = gettext_lazy("category %(record)r is stored with %(field)s %(value)r")


def given_names(row: dict) -> dict[str, str]:
    """The row's ``name_uk`` and ``name_ru``, empty when left out."""
    return {field: (row.get(field) or "").strip() for field in NAMES}


def fill_in(rows: Rows, number: int, row: dict, record, stored_otherwise: str, key: str) -> bool:
    """Give ``record`` the names the row gives where it has none; False (reported) when it has others."""
    named = {field: value for field, value in given_names(row).items() if value}
    english = (row.get("name") or "").strip()
    if english and english != record.name:
        named["name"] = english
    clashes = {field: value for field, value in named.items() if getattr(record, field) not in ("", value)}
    for field in clashes:
        rows.fail(
            number,
            field,
            stored_otherwise % {"record": key, "field": field, "value": getattr(record, field)},
        )
    if clashes:
        return False
    missing = [field for field, value in named.items() if getattr(record, field) != value]
    for field in missing:
        setattr(record, field, named[field])
    if not missing:
        return True
    if not model_errors(rows, number, record):
        return False
    record.save(update_fields=missing)
    return True


def load_groups(rows: Rows | None, groups: dict[str, PartyGroup]) -> int:
    """The groups' names in Ukrainian and Russian; a group not yet stored is created."""
    named = 0
    for number, row in rows or []:
        name = rows.text(number, row, "name")
        if name is None:
            continue
        if name not in groups:
            groups[name] = PartyGroup.objects.create(name=name)
        named += fill_in(rows, number, row, groups[name], GROUP_STORED, name)
    return named


def load_categories(rows: Rows | None, categories: dict[str, EquipmentCategory]) -> int:
    """The treaty's categories' names in Ukrainian and Russian; their codes and English names are the treaty's."""
    named = 0
    for number, row in rows or []:
        category = rows.lookup(number, row, "code", categories, "category")
        if category is not None:
            named += fill_in(rows, number, row, category, CATEGORY_STORED, category.code)
    return named
