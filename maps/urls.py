from django.urls import path

from maps import views

urlpatterns = [
    path("map/", views.zone_map, name="map"),
    path("zones/<str:code>/", views.zone_page, name="zone-page"),
    path("evidence/<str:kind>/<path:name>", views.evidence, name="evidence"),
]
