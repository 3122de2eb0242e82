import datetime

from django.contrib.auth.models import User
from django.core.management import call_command

from tests import factories as f
from tracker.models import Holding, Notification, NotificationStatus, Site, StateParty
from zones.models import ZoneVersion


def test_the_demo_scenario_loads_once_and_the_admin_lists_it(client):
    call_command("load_demo")
    call_command("load_demo")

    assert StateParty.objects.filter(code__in=["RUS", "UKR"]).count() == 2
    assert Notification.objects.count() == 30
    assert Notification.objects.filter(status=NotificationStatus.SUPERSEDED).count() == 1
    assert Site.objects.count() == 134

    f.sign_in(client, User.objects.create_superuser("chief", password="x"))
    page = client.get("/admin/tracker/notification/", {"q": "RUS-2026-CH-002"})
    assert page.status_code == 200
    assert "RUS-2026-CH-002" in page.content.decode()


def test_the_demo_zones_nest_as_the_treaty_says():
    call_command("load_demo")
    day = datetime.date(2026, 11, 23)

    def area(code):
        return ZoneVersion.objects.in_force(day).get(zone__code=code).geom

    assert area("IV.1").covers(area("IV.2"))
    assert area("IV.2").covers(area("IV.3"))
    assert area("IV.3").covers(area("IV.4"))
    assert area("LIM").covers(area("DMZ"))
    assert not area("FLANK").intersection(area("IV.2")).area > 1e-6


def test_the_demo_declares_artillery_at_tokmak_from_mid_september():
    call_command("load_demo")
    tokmak = Holding.objects.filter(site__party__code="RUS", category__code="artillery", site__name__icontains="Tokmak")
    assert not tokmak.as_of(datetime.date(2026, 9, 13)).exists()
    assert sum(tokmak.as_of(datetime.date(2026, 9, 14)).values_list("quantity", flat=True)) == 36
