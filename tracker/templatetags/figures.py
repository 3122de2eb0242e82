"""Figures and days as the page's language writes them: 1,200 in English, 1 200 in Ukrainian and Russian."""

import datetime

from django import template
from django.utils import translation
from django.utils.formats import date_format, number_format

register = template.Library()
ISO_DATE_LANGUAGES = ("en-gb", "en")


@register.filter
def grouped(value):
    """A count with its thousands grouped; an empty value as it is."""
    if value is None or value == "":
        return value
    return number_format(value, force_grouping=True)


@register.filter
def signed(value):
    """A difference with its sign, grouped: +1 200, -20."""
    if value is None:
        return value
    return ("+" if value > 0 else "") + number_format(value, force_grouping=True)


def shown_date(day: datetime.date | None) -> str:
    """A day as the page's language writes it in a table: 2025-05-01 in English (as the tracker always has,
    and as the files and the API carry it), 01.05.2025 in Ukrainian and Russian."""
    if day is None:
        return ""
    if translation.get_language() in ISO_DATE_LANGUAGES:
        return day.isoformat()
    return date_format(day, "SHORT_DATE_FORMAT")


@register.filter
def day(value: datetime.date | None) -> str:
    return shown_date(value)
