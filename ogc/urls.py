from django.urls import path

from ogc import views

urlpatterns = [
    path("", views.LandingPage.as_view(), name="ogc-landing"),
    path("api", views.ApiDocument.as_view(), name="ogc-api"),
    path("openapi", views.ApiDefinition.as_view(), name="ogc-openapi"),
    path("conformance", views.Conformance.as_view(), name="ogc-conformance"),
    path("collections", views.Collections.as_view(), name="ogc-collections"),
    path("collections/<str:collection_id>", views.CollectionView.as_view(), name="ogc-collection"),
    path("collections/<str:collection_id>/items", views.Items.as_view(), name="ogc-items"),
    path("collections/<str:collection_id>/items/<str:feature_id>", views.Item.as_view(), name="ogc-item"),
]
