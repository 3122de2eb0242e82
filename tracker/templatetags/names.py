"""``{{ record|name_in }}``: a zone's, party's, site's or treaty's name in the page's language (zones.names)."""

from django import template

from zones import names

register = template.Library()


@register.filter
def name_in(record) -> str:
    return names.name_in(record)
