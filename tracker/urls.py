from functools import partial

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.db import transaction
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tracker.admin.compliance import compliance_view
from tracker.admin.compliance_report import compliance_report_view
from tracker.admin.quota_ledger import quota_ledger_view
from tracker.feeds import feed_by_header, feed_by_token
from tracker.languages import switch_language

urlpatterns = [
    path(
        "admin/compliance/", admin.site.admin_view(partial(compliance_view, admin_site=admin.site)), name="compliance"
    ),
    path(
        "admin/inspection-quotas/",
        admin.site.admin_view(partial(quota_ledger_view, admin_site=admin.site)),
        name="quota-ledger",
    ),
    path(
        "admin/compliance-report/",
        admin.site.admin_view(partial(compliance_report_view, admin_site=admin.site)),
        name="compliance-report",
    ),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("api/schema/", transaction.non_atomic_requests(SpectacularAPIView.as_view()), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("tracker.api.urls")),
    path("ogc/", include("ogc.urls")),
    path("feeds/alerts/", feed_by_header, name="alert-feed"),
    path("feeds/alerts/<str:token>/", feed_by_token, name="alert-feed-token"),
    path("language/", switch_language, name="set-language"),
]
# The public pages: /uk/map/, /ru/zones/DEMO/; English without a prefix (tracker/languages.py).
urlpatterns += i18n_patterns(path("", include("maps.urls")), prefix_default_language=False)

handler500 = "tracker.middleware.server_error"
