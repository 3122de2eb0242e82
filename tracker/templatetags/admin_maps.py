import json

from django import template
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("admin/list_map.html", takes_context=True)
def list_map(context: template.Context, changelist: ChangeList) -> dict:
    """A small map of the objects on this page of the list, each linking to its change form."""
    field = changelist.model_admin.list_map_field
    url_name = admin_urlname(changelist.opts, "change")
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(geometry.geojson),
            "properties": {"label": str(obj), "url": reverse(url_name, args=[obj.pk])},
        }
        for obj in changelist.result_list
        if (geometry := getattr(obj, field)) is not None
    ]
    return {"features": {"type": "FeatureCollection", "features": features}, "request": context["request"]}
