"""Zone totals kept at write time always equal a spatial count made from the holdings themselves."""

import datetime

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import Count

from tests import factories as f
from tracker import compliance, services
from tracker.database_roles import as_owner
from tracker.models import Holding, ZoneTotal
from zones.models import Zone, ZoneVersion

D = datetime.date
DAYS = [D(2025, 12, 31), D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1), D(2026, 6, 1), D(2027, 1, 1)]
KEY = ["zone_version", "party", "category", "status", "notification", "day"]


def counted_from_holdings(day: datetime.date) -> dict:
    """What a monitor would write by hand: holdings in force joined to zone versions in force, storage
    outside a site designated for it that day counted as such (CFE Art. X.4)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT v.zone_id, s.party_id, h.category_id,
                   CASE WHEN h.status <> 'storage' OR s.storage_from <= %(day)s AND %(day)s <= coalesce(s.storage_to, %(day)s)
                        THEN h.status ELSE 'undesignated' END,
                   sum(h.quantity)
            FROM tracker_holding h
            JOIN tracker_site s ON s.id = h.site_id
            JOIN zones_zoneversion v ON ST_Intersects(v.geom, s.location)
            WHERE h.effective_from <= %(day)s AND (h.effective_to IS NULL OR h.effective_to > %(day)s)
              AND h.quantity > 0
              AND (v.valid_from IS NULL OR v.valid_from <= %(day)s) AND (v.valid_to IS NULL OR v.valid_to >= %(day)s)
            GROUP BY 1, 2, 3, 4
            """,
            {"day": day},
        )
        return {(zone, party, category, status): int(total) for zone, party, category, status, total in cursor}


def assert_totals_match_holdings():
    zone_ids = list(Zone.objects.values_list("pk", flat=True))
    for day in DAYS:
        assert compliance.zone_counts(day, zone_ids) == counted_from_holdings(day), day


def test_totals_follow_submissions_corrections_moves_and_redrawn_zones():
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.zone("IV.1", f.square(20, 40, 50, 60))
    inner = f.zone("IV.4", f.square(30, 45, 36, 50))
    f.zone("LIM", f.square(36, 45, 40, 50), valid_from=D(2026, 3, 1))
    depot = f.site(ukr, code="DEPOT", lon=33, lat=47)
    edge = f.site(ukr, code="EDGE", lon=36, lat=47)  # on the IV.4 / LIM boundary: in both
    base = f.site(rus, code="BASE", lon=38, lat=48)
    f.notification(
        ukr,
        D(2026, 1, 1),
        [(depot, "tanks", 40), (depot, "tanks", 5, "storage"), (edge, "artillery", 12)],
        kind="annual",
    )
    february = f.notification(ukr, D(2026, 2, 1), [(depot, "tanks", 55), (edge, "artillery", 0)])
    f.notification(rus, D(2026, 1, 1), [(base, "tanks", 30), (base, "acv", 70)])
    f.notification(rus, D(2026, 4, 1), [(base, "tanks", 20)], submit=False)  # a draft counts nowhere
    assert_totals_match_holdings()

    correction = services.correct(february, reference="UKR-FEB-C")
    correction.holdings.filter(category__code="tanks").update(quantity=50)
    services.submit(correction)
    assert_totals_match_holdings()

    base.location = Point(34, 48, srid=4326)
    base.save()
    assert_totals_match_holdings()

    ZoneVersion.objects.filter(zone=inner).update(geom=f.square(30, 45, 33.5, 50), valid_to=D(2026, 12, 31))
    ZoneVersion.objects.create(zone=inner, geom=f.square(30, 45, 40, 50), valid_from=D(2027, 1, 1))
    assert_totals_match_holdings()

    Holding.objects.filter(notification__status="draft").delete()
    ZoneVersion.objects.filter(zone__code="LIM").delete()
    assert_totals_match_holdings()


def test_bulk_sql_writes_are_totalled_like_any_other():
    ukr = f.party("UKR")
    f.zone("Z1", f.square(30, 45, 31, 46))
    notice = f.notification(ukr, D(2026, 1, 1), [], submit=False)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO tracker_site (party_id, code, name, location, unit)
            SELECT %(party)s, 'BULK-' || i, 'bulk', ST_SetSRID(ST_MakePoint(29.5 + i * 0.1, 45.5), 4326), ''
            FROM generate_series(1, 20) i
            """,
            {"party": ukr.id},
        )
        cursor.execute(
            """
            INSERT INTO tracker_objectofverification (party_id, record_number, designation, site_id)
            SELECT party_id, code, name, id FROM tracker_site;
            INSERT INTO tracker_holding (notification_id, object_of_verification_id, site_id, category_id, quantity, status)
            SELECT %(notice)s, o.id, o.site_id, c.id, 3, 'active'
            FROM tracker_objectofverification o, tracker_equipmentcategory c
            WHERE c.code IN ('tanks', 'acv')
            """,
            {"notice": notice.id},
        )
    services.submit(notice)

    assert_totals_match_holdings()
    tallies = compliance.zone_tallies(D(2026, 1, 1), [Zone.objects.get().pk])
    assert sorted((tally.quantity, tally.lines) for tally in tallies.values()) == [
        (33, 11),  # 11 sites inside, boundary included, for each of tanks and ACV
        (33, 11),
    ]
    assert set(map(frozenset, compliance.zone_notifications(D(2026, 1, 1), [Zone.objects.get().pk]).values())) == {
        frozenset([notice.reference])
    }


def test_a_writer_folds_earlier_rows_so_each_key_keeps_one():
    ukr = f.party("UKR")
    f.zone("Z1")
    depot = f.site(ukr)
    notice = f.notification(ukr, D(2026, 1, 1), [(depot, "tanks", 10)])
    for quantity in (11, 12, 13, 14):
        notice = services.correct(notice, reference=f"UKR-C{quantity}")
        notice.holdings.update(quantity=quantity)
        services.submit(notice)

    assert not ZoneTotal.objects.values(*KEY).annotate(rows=Count("id")).filter(rows__gt=1).exists()
    assert ZoneTotal.objects.count() == 1  # every superseded line cancelled out: only the last is kept
    assert compliance.zone_counts(D(2026, 1, 1), [Zone.objects.get().pk]) == {
        (Zone.objects.get().pk, ukr.pk, f.category("tanks").pk, "active"): 14
    }


@pytest.mark.django_db(transaction=True)
def test_emptying_the_holdings_empties_the_totals():
    ukr = f.party("UKR")
    f.zone("Z1")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 10)])
    with as_owner(), connection.cursor() as cursor:  # only the tables' owner may truncate them
        cursor.execute("TRUNCATE tracker_holding")

    assert not ZoneTotal.objects.exists()
