"""A settlement's rules checked by hand, one finding of every kind the treaties' own texts call for.

Every number below is worked out in the comments, so anyone can follow it without the engine.
"""

import datetime

from django.contrib.gis.geos import LineString, MultiLineString
from django.utils import timezone
from pyproj import Geod

from tests import factories as f
from tracker import compliance
from tracker.models import DistanceRule, Holiday
from zones.models import ContactLine, ContactLineVersion

D = datetime.date
GEOD = Geod(ellps="WGS84")


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def found(day: datetime.date) -> list[tuple]:
    return [(b.kind, b.zone, b.party, b.category, b.limit, b.counted, b.excess) for b in compliance.evaluate(day)]


def test_a_settlement_checked_by_hand_finds_each_rule_broken_once():
    # One treaty, its deadlines in working days (Final Document 1996, Annex B §10), its other
    # settings the treaties' own: 10 % changes, 42 days' notice, Annex B §7 for challenge inspections.
    treaty = f.treaty(notification_deadline_unit="working")
    ukr, pol, rus = f.party("UKR"), f.party("POL"), f.party("RUS")
    east = f.group("EAST", ukr, pol)
    flank = f.zone("FLANK", f.square(30, 45, 40, 52))
    grad = f.equipment_type("BM-21 Grad", "artillery", "mlrs", 122)
    # Tanks of the group in active units: 100, and notified temporary deployments may go 20 above (Art. V.1(B)).
    f.ceiling(flank, 100, applies_to="group", group=east, counting="active", temporary_allowance=20, treaty=treaty)
    # Multiple launch rocket systems, each party on its own: 5.
    f.ceiling(flank, 5, category_code="artillery", subtype="mlrs", counting="active", treaty=treaty)
    # No MLRS within 35 km of the line of contact, which runs along 36° E (Minsk II, Annex I §2).
    line = ContactLine.objects.create(code="LOC", name="Line of contact")
    ContactLineVersion.objects.create(line=line, geom=MultiLineString(LineString((36, 46), (36, 50)), srid=4326))
    rule = DistanceRule.objects.create(
        treaty=treaty, line=line, distance_km=35, category=f.category("artillery"), subtype="mlrs"
    )
    Holiday.objects.create(party=ukr, date=D(2026, 4, 27), name="holiday (scenario)")

    base = f.site(ukr, 31, 46, code="U1")
    depot = f.site(ukr, 34, 48, code="U-DEPOT")  # storage, never designated
    dpss = f.site(ukr, 35, 49, code="U-DPSS", storage_from=D(2020, 1, 1))
    battery = f.site(ukr, *GEOD.fwd(36, 48, 270, 20_000)[:2], code="U-GRAD")  # 20 km west of the line
    home = f.site(pol, 20, 50, code="P-HOME")  # outside the flank
    r1 = f.site(rus, 38, 50, code="R1")
    ukrainian = [
        (base, "tanks", 80),
        (base, "artillery", 30),
        (depot, "tanks", 10, "storage"),
        (dpss, "tanks", 500, "storage"),
        (battery, grad, 8),
    ]
    for year, russian_tanks in ((2025, 40), (2026, 44)):
        exchange = {"kind": "annual", "submitted_at": at(D(year - 1, 12, 10))}
        f.notification(ukr, D(year, 1, 1), ukrainian, **exchange)
        f.notification(pol, D(year, 1, 1), [(home, "tanks", 50)], **exchange)
        f.notification(rus, D(year, 1, 1), [(r1, "tanks", russian_tanks)], **exchange)

    # Poland deploys 35 tanks temporarily into the flank, notified on the day it starts (Art. V.2).
    deployed = f.object_of_verification(f.site(pol, 33, 47, code="P-FLANK"), record_number="TD-1")
    f.notification(
        pol,
        D(2026, 3, 1),
        [(deployed, "tanks", 35, "temporary")],
        kind="temporary_deployment",
        submitted_at=at(D(2026, 3, 1)),
    )

    # As of 1 April 2026, EAST's tanks in the flank counted as active:
    #   80 (U1) + 10 (in storage at U-DEPOT, no designated storage site: Art. X.4) + 35 (temporary) = 125;
    #   permitted 100 + min(35, 20) = 120, and 125 - 35 = 90 is within the 100 itself: the allowance is exceeded by 5.
    april = [row for row in found(D(2026, 4, 1)) if row[0] == "temporary_allowance_exceeded"]
    assert april == [("temporary_allowance_exceeded", "FLANK", "EAST", "tanks", 120, 125, 5)]

    # Ukraine notifies a change effective Friday 24 April on Tuesday 5 May: five working days after
    # the 24th, Monday 27 April a holiday, are 28, 29, 30 April, 1 and 4 May: due 4 May, one day late.
    f.notification(ukr, D(2026, 4, 24), [(base, "tanks", 78)], submitted_at=at(D(2026, 5, 5)))
    # Poland withdraws on 1 May and notifies it 35 days later, 5 days after the 30 Art. V.2 allows.
    f.notification(
        pol,
        D(2026, 5, 1),
        [(deployed, "tanks", 0, "temporary")],
        kind="temporary_deployment",
        submitted_at=at(D(2026, 6, 5)),
    )
    # Ukraine creates a new object of verification with 20 days' notice of the 42 Annex B §11 asks.
    f.notification(
        ukr, D(2026, 5, 1), [(f.site(ukr, 32, 47, code="U-NEW"), "tanks", 5)], submitted_at=at(D(2026, 4, 11))
    )
    # Russia's team finds 500 tanks in a specified area around U-DPSS: a declared site, which Annex B §7
    # excludes from the area's inspection, so they are compared with nothing declared.
    f.inspection(rus, ukr, D(2026, 6, 1), {"tanks": 500}, area=f.square(34.98, 48.98, 35.02, 49.02)[0])

    # As of 10 June 2026:
    #   ceiling_exceeded: UKR's MLRS in the flank, 8 Grad against 5 (the 30 untyped artillery are no MLRS);
    #   within_withdrawal_distance: the same 8 Grad 20 km from the line, 35 km asked;
    #   storage_outside_designated_site: 10 tanks at U-DEPOT;
    #   inspection_discrepancy: 500 observed, 0 declared outside declared sites;
    #   late_notification: UKR's change, 10 days allowed (24 April to 4 May), 11 taken; POL's withdrawal,
    #     30 days allowed, 35 taken;
    #   unnotified_change: R1's tanks went from 40 to 44 (exactly 10 %) with no change notification;
    #   short_notice: U-NEW created with 20 days' notice, 42 asked.
    #   EAST's tanks are back within: 78 + 10 + 5 = 93 ≤ 100, the deployment withdrawn.
    assert found(D(2026, 6, 10)) == [
        ("ceiling_exceeded", "FLANK", "UKR", "artillery", 5, 8, 3),
        ("within_withdrawal_distance", "FLANK", "UKR", "artillery", 0, 8, 8),
        ("storage_outside_designated_site", "FLANK", "UKR", "tanks", None, 10, None),
        ("inspection_discrepancy", "FLANK", "UKR", "tanks", 0, 500, 500),
        ("late_notification", None, "POL", None, 30, 35, 5),
        ("late_notification", None, "UKR", None, 10, 11, 1),
        ("unnotified_change", None, "RUS", "tanks", 40, 44, 4),
        ("short_notice", None, "UKR", None, 42, 20, 22),
    ]
    evidence = {b.kind: b.evidence for b in compliance.evaluate(D(2026, 6, 10))}
    assert evidence["within_withdrawal_distance"]["rule"] == rule.id
    assert [s["site"] for s in evidence["within_withdrawal_distance"]["sites"]] == ["U-GRAD"]
    assert evidence["storage_outside_designated_site"]["site"] == "U-DEPOT"
    assert evidence["inspection_discrepancy"]["rule"] == "Final Document 1996, Annex B §7"
    assert evidence["unnotified_change"]["object"] == "R1"
    assert evidence["short_notice"]["object"] == "U-NEW"
