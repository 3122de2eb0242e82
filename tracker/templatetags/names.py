from django import template

from zones.names import name_in

register = template.Library()


@register.filter
def name_in_language(record) -> str:
    """``record``'s name in the page's language (``zones.names.name_in``)."""
    return name_in(record)
