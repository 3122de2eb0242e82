"""Names in the settlement's languages: English in ``name``, Ukrainian and Russian beside it.

A zone, a party, a site or a treaty is named once per language; a name not given in a language
falls back to the English one, so a record is never shown nameless.
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("uk", "ru")


def names_in_languages(max_length: int = 200) -> tuple[models.CharField, models.CharField]:
    """The ``name_uk`` and ``name_ru`` fields of a model whose ``name`` is English.

    Empty by default in the database too, so loaders that copy rows in without them still work.
    """
    return (
        models.CharField(_("name in Ukrainian"), max_length=max_length, blank=True, default="", db_default=""),
        models.CharField(_("name in Russian"), max_length=max_length, blank=True, default="", db_default=""),
    )


def name_field(language: str | None = None) -> str | None:
    """The field holding names in ``language`` (the active one when not given); None for English."""
    language = (language or translation.get_language() or "").split("-")[0]
    return f"name_{language}" if language in LANGUAGES else None


def name_in(record, language: str | None = None) -> str:
    """``record``'s name in ``language`` (the active one when not given), or its English name."""
    field = name_field(language)
    return (getattr(record, field, "") if field else "") or record.name
