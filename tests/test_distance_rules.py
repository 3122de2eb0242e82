"""Distance rules: no equipment of the kinds a rule names within its distance of a line of contact,
either side (the Minsk II Package of Measures, UN Security Council resolution 2202 (2015), Annex I
§2: heavy weapons withdrawn by equal distances, by type of system). Measured on the ellipsoid."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.gis.geos import LineString, MultiLineString
from django.db import connection
from pyproj import Geod

from tests import factories as f
from tracker import compliance
from tracker.compliance.distances import distance_breaches
from tracker.models import DistanceRule
from zones.models import ContactLine, ContactLineVersion

D = datetime.date
AS_OF = D(2026, 6, 1)
GEOD = Geod(ellps="WGS84")
# A line of contact running north along the 37th meridian from 47° to 48° N.
SOUTH, NORTH = (37.0, 47.0), (37.0, 48.0)


def contact_line(code="LOC", valid_from=None, valid_to=None, coordinates=(SOUTH, NORTH)) -> ContactLine:
    line, _ = ContactLine.objects.get_or_create(code=code, defaults={"name": f"Line {code}"})
    ContactLineVersion.objects.create(
        line=line,
        geom=MultiLineString(LineString(*coordinates), srid=4326),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return line


def rule(line, km, category="artillery", types=(), **fields) -> DistanceRule:
    made = DistanceRule.objects.create(
        treaty=f.treaty(), line=line, distance_km=Decimal(str(km)), category=f.category(category), **fields
    )
    made.types.set(types)
    return made


def beyond_north_end(metres: float) -> tuple[float, float]:
    """A point due north of the line's north end: its nearest point on the line is that end."""
    lon, lat, _ = GEOD.fwd(*NORTH, 0, metres)
    return lon, lat


def east_of_line(metres: float, lat: float = 47.5) -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(37.0, lat, 90, metres)
    return lon, lat


def found(as_of=AS_OF) -> list[tuple]:
    return [
        (b.party, b.category, b.counted, [site["site"] for site in b.evidence["sites"]])
        for b in distance_breaches(as_of)
    ]


def postgis_metres(site, line) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Distance(s.location::geography, v.geom::geography) FROM tracker_site s, "
            "zones_contactlineversion v WHERE s.id = %s AND v.line_id = %s",
            [site.id, line.id],
        )
        return cursor.fetchone()[0]


def test_a_site_at_the_rules_distance_is_within_it_and_one_metre_less_is_not():
    ukr = f.party("UKR")
    line = contact_line()
    battery = f.site(ukr, *beyond_north_end(25_000), code="B1")
    f.notification(ukr, D(2026, 1, 1), [(battery, f.equipment_type("2S19 Msta-S", "artillery", "howitzer", 152), 18)])
    # PostGIS and an independent geodesic (GeographicLib, through pyproj) agree to the millimetre.
    assert postgis_metres(battery, line) == pytest.approx(25_000, abs=0.001)

    rule(line, 25)
    assert found() == [("UKR", "artillery", 18, ["B1"])]
    DistanceRule.objects.all().delete()
    rule(line, 24.999)
    assert found() == []


def test_the_finding_lists_each_site_with_its_distance_on_either_side_of_the_line():
    ukr, rus = f.party("UKR"), f.party("RUS")
    line = contact_line()
    rule(line, 25, source="Minsk II, Annex I §2")
    west = f.site(ukr, *east_of_line(-20_000), code="W20")
    west_far = f.site(ukr, *east_of_line(-30_000), code="W30")
    east = f.site(rus, *east_of_line(10_000), code="E10")
    f.notification(ukr, D(2026, 1, 1), [(west, "artillery", 12), (west_far, "artillery", 40)])
    f.notification(rus, D(2026, 1, 1), [(east, "artillery", 6)])

    (russian, ukrainian) = sorted(distance_breaches(AS_OF), key=lambda b: b.party)
    assert (ukrainian.party, ukrainian.counted, ukrainian.limit, ukrainian.excess) == ("UKR", 12, 0, 12)
    assert ukrainian.evidence["line"] == "LOC" and ukrainian.evidence["distance_km"] == 25.0
    assert ukrainian.evidence["sites"] == [
        {"site": "W20", "km": pytest.approx(20.0, abs=0.001), "quantity": 12, "objects": ["W20"]}
    ]
    assert ukrainian.evidence["notifications"] == [n.reference for n in ukr.notifications.all()]
    assert (russian.party, russian.counted, [s["site"] for s in russian.evidence["sites"]]) == ("RUS", 6, ["E10"])


def test_a_rule_names_its_kinds_by_subtype_types_or_calibre_and_an_untyped_line_only_by_its_category():
    ukr = f.party("UKR")
    line = contact_line()
    grad = f.equipment_type("BM-21 Grad", "artillery", "mlrs", 122)
    uragan = f.equipment_type("BM-27 Uragan", "artillery", "mlrs", 220)
    mortar = f.equipment_type("2S12 Sani", "artillery", "mortar", 120)
    d30 = f.equipment_type("D-30", "artillery", "howitzer", 122)
    near = f.site(ukr, *east_of_line(-30_000), code="N30")
    f.notification(
        ukr,
        D(2026, 1, 1),
        [(near, grad, 10), (near, uragan, 4), (near, mortar, 8), (near, d30, 6), (near, "artillery", 3)],
    )

    mlrs = rule(line, 35, subtype="mlrs")
    heaviest = rule(line, 70, types=[uragan])
    calibre = rule(line, 35, min_calibre_mm=121)
    counted = {b.evidence["rule"]: b.counted for b in distance_breaches(AS_OF)}
    assert counted == {
        mlrs.id: 10 + 4,  # not the mortar, the howitzer or the untyped line
        heaviest.id: 4,
        calibre.id: 10 + 4 + 6,  # 122 and 220 mm; not the 120 mm mortar; the untyped line has no calibre
    }
    whole_category = rule(line, 35)
    assert {b.evidence["rule"]: b.counted for b in distance_breaches(AS_OF)}[whole_category.id] == 10 + 4 + 8 + 6 + 3


def test_other_categories_and_holdings_no_longer_in_force_are_not_counted():
    ukr = f.party("UKR")
    line = contact_line()
    rule(line, 15, category="tanks")
    near = f.site(ukr, *east_of_line(-5_000), code="T5")
    f.notification(ukr, D(2026, 1, 1), [(near, "tanks", 9), (near, "artillery", 30)])
    f.notification(ukr, D(2026, 3, 1), [(near, "tanks", 0)])  # pulled back

    assert found(D(2026, 2, 1)) == [("UKR", "tanks", 9, ["T5"])]
    assert found(D(2026, 3, 1)) == []


def test_the_rule_and_the_course_of_the_line_apply_on_their_own_dates():
    ukr = f.party("UKR")
    # The line moves 40 km west on 1 April; the rule itself holds from 1 February.
    line = contact_line(valid_to=D(2026, 3, 31))
    moved = [(lon, lat) for lon, lat in (GEOD.fwd(*SOUTH, 270, 40_000)[:2], GEOD.fwd(*NORTH, 270, 40_000)[:2])]
    contact_line(valid_from=D(2026, 4, 1), coordinates=moved)
    rule(line, 25, valid_from=D(2026, 2, 1))
    site = f.site(ukr, *east_of_line(20_000), code="S20")
    f.notification(ukr, D(2026, 1, 1), [(site, "artillery", 5)])

    assert found(D(2026, 1, 31)) == []  # the rule is not yet in force
    assert found(D(2026, 3, 31)) == [("UKR", "artillery", 5, ["S20"])]
    assert found(D(2026, 4, 1)) == []  # 60 km from the line's new course
    assert {D(2026, 2, 1), D(2026, 4, 1)} <= set(compliance.change_dates())


def test_the_check_is_part_of_the_whole_evaluation():
    ukr = f.party("UKR")
    rule(contact_line(), 25)
    site = f.site(ukr, *east_of_line(-1_000), code="S1")
    f.notification(ukr, D(2026, 1, 1), [(site, "artillery", 2)])

    assert [b.kind for b in compliance.evaluate(AS_OF)] == ["within_withdrawal_distance"]
