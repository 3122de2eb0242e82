from django.urls import include, path
from rest_framework.routers import SimpleRouter

from tracker.api import views

router = SimpleRouter()
router.register("parties", views.PartyViewSet)
router.register("categories", views.CategoryViewSet)
router.register("treaties", views.TreatyViewSet)
router.register("ceilings", views.CeilingViewSet)
router.register("sites", views.SiteViewSet)
router.register("holdings", views.HoldingViewSet, basename="holding")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("inspections", views.InspectionViewSet)
router.register("observations", views.ObservationViewSet)

urlpatterns = [
    *router.urls,
    path("", include("zones.api.urls")),
    path("violations/", views.ViolationList.as_view(), name="violations"),
    path("dates/", views.DateList.as_view(), name="dates"),
]
