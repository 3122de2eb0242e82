import datetime

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.db.models.functions import Distance
from django.core.management import call_command

from tests import factories as f
from tracker import compliance
from tracker.inspection_quotas import ledger
from tracker.models import (
    Holding,
    InspectionRequest,
    Notification,
    NotificationStatus,
    PlannedInspection,
    Site,
    StateParty,
    Treaty,
)
from tracker.models.treaties import DistanceRule
from zones.models import ContactLineVersion, ZoneVersion

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def demo():
    call_command("load_demo")


def test_the_demo_scenario_loads_once_and_the_admin_lists_it(client):
    call_command("load_demo")
    call_command("load_demo")

    assert StateParty.objects.filter(code__in=["RUS", "UKR"]).count() == 2
    assert Notification.objects.count() == 36
    assert Notification.objects.filter(status=NotificationStatus.SUPERSEDED).count() == 1
    assert Site.objects.count() == 138

    f.sign_in(client, User.objects.create_superuser("chief", password="x"))
    page = client.get("/admin/tracker/notification/", {"q": "RUS-2026-CH-002"})
    assert page.status_code == 200
    assert "RUS-2026-CH-002" in page.content.decode()


def test_the_demo_zones_nest_as_the_treaty_and_the_settlement_say(demo):
    def area(code):
        return ZoneVersion.objects.in_force(TODAY).get(zone__code=code).geom

    assert area("IV.1").covers(area("IV.2"))
    assert area("IV.2").covers(area("IV.3"))
    assert area("IV.3").covers(area("IV.4"))
    assert area("LIM").covers(area("DMZ"))
    assert area("UKR").covers(area("BORDER-UKR"))
    assert area("RUS").covers(area("RUS-APPROACH"))
    assert area("RUS-APPROACH").covers(area("BORDER-RUS"))
    assert area("FLANK").covers(area("ROU"))
    assert not area("FLANK").intersection(area("IV.2")).area > 1e-6


def test_the_demo_limitation_zone_is_minsk_ii_s_25_km_each_side_not_50(demo):
    """Minsk II (UNSC res. 2202 (2015), Package of Measures §2): a zone 50 km wide in all for artillery."""
    line = ContactLineVersion.objects.in_force(TODAY).get(line__code="LOC-2025").geom
    in_lim = Site.objects.filter(location__intersects=ZoneVersion.objects.in_force(TODAY).get(zone__code="LIM").geom)
    farthest = in_lim.annotate(km=Distance("location", line)).order_by("-km").first()
    assert farthest.code == "UKR-0034"  # Sloviansk, 20.9 km; Kramatorsk (25.3 km) is outside
    assert not in_lim.filter(code="UKR-0018").exists()


def test_the_demo_declares_uragan_launchers_at_donetsk_38_9_km_from_the_line_from_mid_september(demo):
    donetsk = Holding.objects.filter(site__code="RUS-0047", equipment_type__name="BM-27 Uragan")
    assert not donetsk.as_of(datetime.date(2026, 9, 13)).exists()
    assert sum(donetsk.as_of(datetime.date(2026, 9, 14)).values_list("quantity", flat=True)) == 36

    uragan_rule = DistanceRule.objects.get(types__name="BM-27 Uragan")
    assert uragan_rule.distance_km == 70
    line = ContactLineVersion.objects.in_force(TODAY).get(line__code="LOC-2025").geom
    km = Site.objects.annotate(km=Distance("location", line)).get(code="RUS-0047").km.km
    assert 35 < km < 70


def test_the_demo_keeps_grad_launchers_31_6_km_from_the_line_inside_the_35_km_for_mlrs(demo):
    grads = Holding.objects.filter(object_of_verification__record_number="UKR-0022-R").as_of(TODAY)
    assert [(h.equipment_type.name, h.quantity) for h in grads if h.category.code == "artillery"] == [
        ("BM-21 Grad", 12)
    ]
    assert DistanceRule.objects.get(subtype="mlrs", types=None).distance_km == 35


def finding(breaches, kind, **fields):
    found = [b for b in breaches if b.kind == kind and all(getattr(b, k) == v for k, v in fields.items())]
    assert found, f"no {kind} with {fields} in {[(b.kind, b.zone, b.party, b.category) for b in breaches]}"
    return found[0]


def test_check_compliance_shows_each_finding_the_demo_stages_with_its_evidence(demo):
    breaches = compliance.evaluate(TODAY)

    border = finding(breaches, "ceiling_exceeded", zone="BORDER-RUS", party="RUS", category="tanks")
    assert (border.limit, border.counted) == (150, 160)
    assert "RUS-0059" in border.evidence["sites"]  # storage outside a designated site counts as active

    stored = finding(breaches, "storage_outside_designated_site", party="RUS", category="tanks")
    assert (stored.evidence["site"], stored.counted) == ("RUS-0059", 60)

    deployed = finding(breaches, "temporary_allowance_exceeded", zone="ROU", party="POL", category="tanks")
    assert (deployed.limit, deployed.counted, deployed.excess) == (153, 160, 7)

    changed = finding(breaches, "unnotified_change", party="RUS", category="tanks")
    assert (changed.evidence["object"], changed.evidence["before"], changed.evidence["after"]) == ("RUS-0005", 40, 60)

    relocated = finding(breaches, "short_notice", party="UKR")
    assert (relocated.evidence["object"], relocated.evidence["days_given"]) == ("UKR-0015-H", 20)

    withdrawal = finding(breaches, "late_notification", party="POL")
    assert withdrawal.evidence["notification"] == "POL-2026-TD-002"
    assert finding(breaches, "late_notification", party="UKR").evidence["notification"] == "UKR-2026-CH-002"

    # Annex B §7: the Kryvyi Rih garrison inside the specified area is excluded; what was found is compared with 0.
    challenge = finding(breaches, "inspection_discrepancy", party="UKR", category="tanks")
    assert (challenge.evidence["inspection"], challenge.limit, challenge.counted) == ("INSP-2026-005", 0, 6)

    assert finding(breaches, "observation_discrepancy", zone="DMZ", party="RUS", category="tanks").counted == 9


def test_russia_s_change_is_on_time_only_because_russia_day_is_one_of_its_holidays(demo):
    late = {b.evidence["notification"] for b in compliance.evaluate(TODAY) if b.kind == "late_notification"}
    assert "RUS-2026-CH-004" not in late  # effective 10 June, submitted 18 June: 12 June is a holiday


def test_the_demo_s_inspection_year_shows_each_time_limit_and_quota_it_stages(demo):
    """fixtures/demo/README.md, "The inspection year": the Protocol on Inspection's limits, and Russia's quota
    used to the last inspection, so its refusal of a tenth is no breach while a refused challenge costs none."""
    breaches = compliance.evaluate(TODAY)

    notice = finding(breaches, "short_inspection_notice", party="POL")
    assert (notice.evidence["request"], notice.limit, notice.counted) == ("POL-INT-2026-007", 36, 30)
    assert finding(breaches, "inspection_overstay", party="RUS").evidence["inspection"] == "INSP-2026-002"
    assert finding(breaches, "in_country_overstay", party="RUS").evidence["request"] == "RUS-INT-2026-002"
    assert finding(breaches, "late_countersignature", party="UKR").evidence["inspection"] == "INSP-2026-004"
    assert not [b for b in breaches if b.kind == "inspection_refused"]

    settlement = Treaty.objects.get(name="Settlement Agreement (scenario)")
    quotas = {row.quota.party.code: row for row in ledger(settlement, 2026)}
    assert (quotas["RUS"].quota.in_force, quotas["RUS"].used, quotas["RUS"].remaining) == (9, 9, 0)
    assert quotas["RUS"].challenge_used == 1  # Valuyki refused with its assurance (Section VIII.9(B))
    assert (quotas["UKR"].quota.computed, quotas["UKR"].quota.announced.announced) == (8, 7)
    assert quotas["UKR"].quota.announced_below_computed
    plans = PlannedInspection.objects.conflicts(InspectionRequest.objects.all())
    assert [(a.planning_party.code, b.planning_party.code) for a, b in plans] == [("POL", "GBR")]
