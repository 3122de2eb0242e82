"""Which zones a site lies in is kept current on every write, however the write is made."""

import datetime

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tracker import compliance, membership
from tracker.database_roles import as_owner
from tracker.models import SiteZones

D = datetime.date
DAY = D(2026, 6, 1)


def codes_in(zone, day=DAY):
    return sorted(membership.sites_in(zone, day).values_list("code", flat=True))


def test_a_new_site_is_placed_in_every_zone_around_it_boundary_included():
    outer = f.zone("IV.1", f.square(0, 40, 50, 60))
    inner = f.zone("IV.4", f.square(10, 48, 20, 54))
    f.site(code="IN", lon=15, lat=50)
    f.site(code="EDGE", lon=20, lat=50)
    f.site(code="OUT", lon=30, lat=50)

    assert codes_in(outer) == ["EDGE", "IN", "OUT"]
    assert codes_in(inner) == ["EDGE", "IN"]


def test_moving_a_site_moves_it_between_zones():
    zone = f.zone("DMZ", f.square(30, 45, 31, 46))
    base = f.site(code="B", lon=30.5, lat=45.5)
    base.location = Point(35, 48, srid=4326)
    base.save()

    assert codes_in(zone) == []


def test_a_new_or_redrawn_zone_version_takes_in_the_sites_inside_it():
    base = f.site(code="B", lon=35, lat=48)
    zone = f.zone("DMZ", f.square(30, 45, 31, 46))
    assert codes_in(zone) == []

    version = zone.versions.get()
    version.geom = f.square(30, 45, 36, 49)
    version.save()
    assert codes_in(zone) == ["B"]

    version.delete()
    assert SiteZones.objects.get(site=base).zone_set.versions == []


def test_sites_inserted_by_bulk_sql_are_placed_too():
    zone = f.zone("DMZ", f.square(30, 45, 31, 46))
    owner = f.party("UKR")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO tracker_site (party_id, code, name, location, unit)
            SELECT %s, 'BULK-' || i, 'bulk', ST_SetSRID(ST_MakePoint(30 + i * 0.1, 45.5), 4326), ''
            FROM generate_series(1, 15) i
            """,
            [owner.id],
        )
    assert codes_in(zone) == [f"BULK-{i}" for i in sorted(map(str, range(1, 11)))]


def test_sites_inserted_among_many_already_placed_are_placed_in_every_zone_around_them_alone():
    outer = f.zone("OUTER", f.square(30, 45, 32, 47))
    inner = f.zone("INNER", f.square(30, 45, 31, 46))
    owner = f.party("UKR")
    insert = """
        INSERT INTO tracker_site (party_id, code, name, location, unit)
        SELECT %s, %s || i, 'bulk', ST_SetSRID(ST_MakePoint(30.05 + (i %% 20) * 0.1, 45.5), 4326), ''
        FROM generate_series(0, %s) i
    """
    with connection.cursor() as cursor:
        cursor.execute(insert, [owner.id, "OLD-", 999])
        cursor.execute(insert, [owner.id, "NEW-", 19])
    new_in_inner = sorted(f"NEW-{i}" for i in range(10))  # 30.05 to 30.95 inside, 31.05 on: outside

    assert [code for code in codes_in(inner) if code.startswith("NEW-")] == new_in_inner
    assert len([code for code in codes_in(outer) if code.startswith("NEW-")]) == 20
    assert len(codes_in(inner)) == 10 * 50 + 10 and len(codes_in(outer)) == 1020


@pytest.mark.django_db(transaction=True)
def test_refresh_repairs_sites_written_with_triggers_off():
    zone = f.zone("DMZ", f.square(30, 45, 31, 46))
    base = f.site(code="B", lon=35, lat=48)
    with as_owner(), connection.cursor() as cursor:  # only the tables' owner may switch a trigger off
        cursor.execute("ALTER TABLE tracker_site DISABLE TRIGGER site_zones_on_update")
        cursor.execute("UPDATE tracker_site SET location = ST_SetSRID(ST_MakePoint(30.5, 45.5), 4326)")
        cursor.execute("ALTER TABLE tracker_site ENABLE TRIGGER site_zones_on_update")
    assert codes_in(zone) == []

    membership.refresh([base.id])
    assert codes_in(zone) == ["B"]


def test_a_check_reads_the_zone_totals_not_the_holdings_nor_a_spatial_join():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.ceiling(zone, 10)
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 11)])
    with CaptureQueriesContext(connection) as queries:
        compliance.zone_counts(DAY, [zone.id])
    (sql,) = [q["sql"] for q in queries.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor).lower()

    assert "tracker_zonetotal" in plan
    assert "tracker_holding" not in plan and "tracker_site " not in plan
    assert "st_intersects" not in plan and "st_contains" not in plan


@pytest.mark.django_db(transaction=True)
def test_membership_is_found_with_st_intersects_one_zone_against_the_site_location_index():
    f.zone("Z1", f.square(30, 45, 31, 46))
    owner = f.party("UKR")
    with as_owner(), connection.cursor() as cursor:  # only the tables' owner may ANALYZE them
        cursor.execute(
            """
            INSERT INTO tracker_site (party_id, code, name, location, unit)
            SELECT %s, 'S' || i, 'site', ST_SetSRID(ST_MakePoint(20 + (i %% 100) * 0.2, 40 + (i / 100) * 0.2), 4326), ''
            FROM generate_series(1, 5000) i
            """,
            [owner.id],
        )
        cursor.execute("ANALYZE tracker_site")
        cursor.execute("ANALYZE zones_zoneversion")
        cursor.execute(
            "EXPLAIN SELECT s.id, v.id FROM zones_zoneversion v JOIN tracker_site s ON ST_Intersects(v.geom, s.location)"
        )
        plan = "\n".join(row[0] for row in cursor)

    # Zone outer, sites inner through their GiST index: PostGIS prepares each zone's geometry once.
    assert plan.index("zones_zoneversion") < plan.index("tracker_site_location")
    assert "Index Cond: (location && v.geom)" in plan
    assert "Filter: st_intersects(v.geom, location)" in plan
