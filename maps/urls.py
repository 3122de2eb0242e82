from django.urls import path
from django.views.i18n import JavaScriptCatalog

from maps import views

urlpatterns = [
    path("map/", views.zone_map, name="map"),
    path("zones/<str:code>/", views.zone_page, name="zone-page"),
    path("evidence/<str:kind>/<path:name>", views.evidence, name="evidence"),
    # The pages' scripts' strings, in the language of the page that asks (its URL's prefix).
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["maps", "tracker"]), name="javascript-catalog"),
]
