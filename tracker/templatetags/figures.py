"""Figures as the page's language writes them: 1,200 in English, 1 200 in Ukrainian and Russian."""

from django import template
from django.utils.formats import number_format

register = template.Library()


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
