from django.urls import path
from rest_framework.routers import SimpleRouter

from tracker.api import views
from tracker.api.zones import ZoneViewSet

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
router.register("zones", ZoneViewSet, basename="zone")

urlpatterns = [
    *router.urls,
    path("violations/", views.ViolationList.as_view(), name="violations"),
    path("violations/periods/", views.BreachPeriodList.as_view(), name="violation-periods"),
    path("dates/", views.DateList.as_view(), name="dates"),
]
