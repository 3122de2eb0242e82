"""Storage counts as storage only in a designated permanent storage site, on the days it is one.

CFE Art. II.1(H): equipment in such a site is "counted within overall ceilings but ... not subject to
limitations ... in active units"; Art. X.4: equipment "in storage other than in designated permanent
storage sites shall be counted as ... in active units". Each site where a party stores outside a
designated site is named in a ``storage_outside_designated_site`` finding.
"""

import datetime

from django.db import connection, transaction

from tests import factories as f
from tracker import compliance
from tracker.compliance.storage import STORAGE_OUTSIDE
from tracker.models import Site

D = datetime.date
DAY = D(2026, 6, 1)
FIRST, LAST = D(2026, 3, 1), D(2026, 8, 31)


def active_counts(day):
    return [count.counted for count in compliance.ceiling_counts(day) if count.ceiling.counting == "active"]


def storage_findings(day=DAY):
    return [b for b in compliance.evaluate(day) if b.kind == "storage_outside_designated_site"]


def depot_designated_from_march_to_august():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.ceiling(zone, 10, counting="active")
    depot = f.site(ukr, code="DEPOT", storage_from=FIRST)
    Site.objects.filter(pk=depot.pk).update(storage_to=LAST)
    f.notification(ukr, D(2026, 1, 1), [(depot, "tanks", 50, "storage")])
    return depot


def test_storage_counts_as_active_until_the_day_before_a_site_is_designated():
    depot_designated_from_march_to_august()

    assert active_counts(FIRST - datetime.timedelta(days=1)) == [50]
    assert [b.zone for b in storage_findings(FIRST - datetime.timedelta(days=1))] == ["Z1"]
    assert active_counts(FIRST) == [0]
    assert storage_findings(FIRST) == []


def test_storage_counts_as_active_again_the_day_after_the_designations_last_day():
    depot_designated_from_march_to_august()

    assert active_counts(LAST) == [0]
    assert storage_findings(LAST) == []
    assert active_counts(LAST + datetime.timedelta(days=1)) == [50]
    assert len(storage_findings(LAST + datetime.timedelta(days=1))) == 1
    assert {FIRST, LAST + datetime.timedelta(days=1)} <= set(compliance.change_dates())


def test_an_active_only_ceilings_evidence_lists_a_site_storing_outside_a_designated_site():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.ceiling(zone, 10, counting="active")
    shed, depot = f.site(ukr, code="SHED"), f.site(ukr, code="DEPOT", storage_from=D(2020, 1, 1))
    f.notification(ukr, D(2026, 1, 1), [(shed, "tanks", 11, "storage"), (depot, "tanks", 500, "storage")])

    (breach,) = [b for b in compliance.evaluate(DAY) if b.kind == "ceiling_exceeded"]
    assert (breach.limit, breach.counted, breach.evidence["sites"]) == (10, 11, ["SHED"])


def test_an_overall_ceiling_counts_storage_in_and_outside_designated_sites():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.ceiling(zone, 510, counting="all")
    shed, depot = f.site(ukr, code="SHED"), f.site(ukr, code="DEPOT", storage_from=D(2020, 1, 1))
    f.notification(ukr, D(2026, 1, 1), [(shed, "tanks", 11, "storage"), (depot, "tanks", 500, "storage")])

    (breach,) = [b for b in compliance.evaluate(DAY) if b.kind == "ceiling_exceeded"]
    assert (breach.counted, breach.evidence["sites"]) == (511, ["DEPOT", "SHED"])


def test_one_finding_per_party_site_and_category_with_its_objects_notifications_and_innermost_zone():
    ukr, pol = f.party("UKR"), f.party("POL")
    f.zone("OUTER", f.square(30, 45, 40, 52))
    f.zone("INNER", f.square(30, 45, 33, 47))
    shed = f.site(ukr, 31, 46, code="SHED")
    brigade, depot_unit = f.object_of_verification(shed, "OV-1"), f.object_of_verification(shed, "OV-2")
    first = f.notification(ukr, D(2026, 1, 1), [(brigade, "tanks", 7, "storage"), (brigade, "tanks", 90)])
    second = f.notification(
        ukr, D(2026, 2, 1), [(depot_unit, "tanks", 5, "storage"), (depot_unit, "acv", 3, "storage")]
    )
    f.notification(pol, D(2026, 1, 1), [(f.site(pol, 36, 50, code="BARN"), "artillery", 4, "storage")])

    found = sorted(
        (b.party, b.evidence["site"], b.category, b.counted, b.zone, b.limit, b.excess) for b in storage_findings()
    )
    assert found == [
        ("POL", "BARN", "artillery", 4, "OUTER", None, None),
        ("UKR", "SHED", "acv", 3, "INNER", None, None),
        ("UKR", "SHED", "tanks", 12, "INNER", None, None),
    ]
    (tanks,) = [b for b in storage_findings() if b.category == "tanks"]
    assert tanks.evidence == {
        "site": "SHED",
        "objects_of_verification": ["OV-1", "OV-2"],
        "notifications": sorted([first.reference, second.reference]),
    }
    assert (tanks.geometry.x, tanks.geometry.y) == (31, 46)


def test_no_finding_for_storage_in_a_designated_site_nor_for_active_units():
    ukr = f.party("UKR")
    f.zone("Z1")
    depot = f.site(ukr, code="DEPOT", storage_from=D(2020, 1, 1))
    f.notification(ukr, D(2026, 1, 1), [(depot, "tanks", 50, "storage"), (f.site(ukr), "tanks", 9)])

    assert storage_findings() == []


def test_storage_at_a_site_inside_no_zone_is_outside_what_the_agreements_limit():
    ukr = f.party("UKR")
    f.zone("Z1", f.square(30, 45, 40, 52))
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr, 10, 10, code="FAR"), "tanks", 5, "storage")])

    assert storage_findings() == []


def test_two_sites_storing_outside_designated_sites_in_one_zone_are_two_findings_a_monitor_tells_apart():
    ukr = f.party("UKR")
    f.zone("Z1")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr, code="A"), "tanks", 1, "storage")])
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr, code="B"), "tanks", 2, "storage")])

    found = storage_findings()
    assert sorted((b.evidence["site"], b.counted) for b in found) == [("A", 1), ("B", 2)]
    assert len({b.identity for b in found}) == 2


def test_the_finding_reads_only_storage_lines_through_their_partial_index():
    """At a million lines the finding must not read every holding: storage lines have an index of their own."""
    ukr = f.party("UKR")
    f.zone("Z1")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", n + 1, "storage") for n in range(3)])

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is small enough to read whole
        cursor.execute("EXPLAIN " + STORAGE_OUTSIDE, {"day": DAY, "party": None})
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "holding_in_storage on tracker_holding" in plan
    assert "Seq Scan on tracker_holding" not in plan
