from django.urls import path
from rest_framework.routers import DefaultRouter

from tracker.api import views
from tracker.api.alerts import SubscriptionViewSet, WebhookViewSet
from tracker.api.concerns import ConcernViewSet
from tracker.api.heads import LatestTreeHead, TreeHeadList
from tracker.api.inspection_requests import InspectionRequestViewSet
from tracker.api.keys import SigningKeyViewSet
from tracker.api.ledger import ConsistencyProof, InclusionProof, LedgerEntryViewSet
from tracker.api.lines import ContactLineViewSet, DistanceRuleViewSet
from tracker.api.planning import PassiveQuotaViewSet, PlannedInspectionViewSet, QuotaLedgerList
from tracker.api.receipts import ReceiptList
from tracker.api.zones import ZoneViewSet


class Router(DefaultRouter):
    """The viewsets, and at ``/api/`` a root listing them with the API's other lists."""

    include_format_suffixes = False  # codes carry dots (IV.1): a suffix would read as a format
    listed_besides = {
        "violations": "violations",
        "findings": "findings",
        "dates": "dates",
        "inspection-quotas": "inspection-quotas",
        "ogc": "ogc-landing",
    }

    def get_api_root_view(self, api_urls=None):
        lists = {prefix: self.routes[0].name.format(basename=basename) for prefix, _, basename in self.registry}
        return self.APIRootView.as_view(api_root_dict={**lists, **self.listed_besides})


router = Router()
router.register("parties", views.PartyViewSet)
router.register("categories", views.CategoryViewSet)
router.register("equipment-types", views.EquipmentTypeViewSet)
router.register("treaties", views.TreatyViewSet)
router.register("ceilings", views.CeilingViewSet)
router.register("holidays", views.HolidayViewSet)
router.register("change-thresholds", views.ChangeThresholdViewSet)
router.register("sites", views.SiteViewSet)
router.register("objects-of-verification", views.ObjectOfVerificationViewSet)
router.register("holdings", views.HoldingViewSet, basename="holding")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("inspections", views.InspectionViewSet)
router.register("inspection-requests", InspectionRequestViewSet)
router.register("observations", views.ObservationViewSet)
router.register("zones", ZoneViewSet, basename="zone")
router.register("contact-lines", ContactLineViewSet, basename="contact-line")
router.register("distance-rules", DistanceRuleViewSet, basename="distance-rule")
router.register("passive-quotas", PassiveQuotaViewSet, basename="passive-quota")
router.register("inspection-plans", PlannedInspectionViewSet, basename="inspection-plan")
router.register("concerns", ConcernViewSet)
router.register("subscriptions", SubscriptionViewSet, basename="subscription")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("keys", SigningKeyViewSet, basename="signing-key")
# The ledger's lists under /api/ledger/: entries and proofs here, tree heads and receipts beside them.
router.register("ledger/entries", LedgerEntryViewSet, basename="ledger-entry")

urlpatterns = [
    *router.urls,
    path("violations/", views.ViolationList.as_view(), name="violations"),
    path("violations/periods/", views.BreachPeriodList.as_view(), name="violation-periods"),
    path("findings/", views.FindingList.as_view(), name="findings"),
    path("dates/", views.DateList.as_view(), name="dates"),
    path("inspection-quotas/", QuotaLedgerList.as_view(), name="inspection-quotas"),
    path("ledger/heads/", TreeHeadList.as_view(), name="tree-heads"),
    path("ledger/heads/latest/", LatestTreeHead.as_view(), name="tree-head-latest"),
    path("ledger/receipts/", ReceiptList.as_view(), name="receipts"),
    path("ledger/proofs/inclusion/", InclusionProof.as_view(), name="ledger-inclusion-proof"),
    path("ledger/proofs/consistency/", ConsistencyProof.as_view(), name="ledger-consistency-proof"),
]
