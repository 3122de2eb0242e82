"""Answers reused while nothing they depend on has changed, and never after a write that changes them."""

import datetime

from django.contrib.gis.geos import LineString, MultiLineString
from django.db import transaction

from tests import factories as f
from tracker import answers, compliance
from tracker.models import DistanceRule, EquipmentType
from zones.models import ContactLine, ContactLineVersion

D = datetime.date
DAY = D(2026, 6, 1)


def kinds(breaches):
    return [(b.kind, b.zone, b.party, b.excess) for b in breaches]


def test_an_answer_is_reused_while_the_data_is_unchanged():
    ukr = f.party("UKR")
    f.ceiling(f.zone("Z1"), 10)
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 12)])

    first = compliance.cached_evaluate(DAY)
    version = answers.data_version()
    assert compliance.cached_evaluate(DAY) == first == compliance.evaluate(DAY)
    assert answers.data_version() == version


def test_a_write_to_any_table_read_makes_the_next_answer_fresh():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    limit = f.ceiling(zone, 10)
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 12)])
    assert kinds(compliance.cached_evaluate(DAY)) == [("ceiling_exceeded", "Z1", "UKR", 2)]

    f.notification(ukr, D(2026, 5, 1), [(base, "tanks", 15)])
    assert kinds(compliance.cached_evaluate(DAY)) == [("ceiling_exceeded", "Z1", "UKR", 5)]

    limit.limit = 20
    limit.save()
    assert compliance.cached_evaluate(DAY) == []

    version = zone.versions.get()
    version.geom = f.square(0, 0, 1, 1)
    version.save()
    limit.limit = 0
    limit.save()
    assert compliance.cached_evaluate(DAY) == []


def test_the_treaty_records_a_check_reads_make_the_next_answer_fresh_too():
    """A ceiling's list of types, an equipment type's subtype, a distance rule and its line are read by
    the check: a change to any of them alone is no stale answer."""
    ukr = f.party("UKR")
    grad = f.equipment_type("BM-21 Grad", "artillery", "mlrs", 122)
    d30 = f.equipment_type("D-30", "artillery", "howitzer", 122)
    limit = f.ceiling(f.zone("Z1"), 5, category_code="artillery")
    limit.types.set([d30])
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr, 37.1, 47.5), grad, 8)])
    assert compliance.cached_evaluate(DAY) == []

    limit.types.add(grad)
    assert kinds(compliance.cached_evaluate(DAY)) == [("ceiling_exceeded", "Z1", "UKR", 3)]

    limit.types.set([])
    limit.subtype = "howitzer"
    limit.save()
    assert compliance.cached_evaluate(DAY) == []
    EquipmentType.objects.filter(pk=grad.pk).update(subtype="howitzer")
    assert kinds(compliance.cached_evaluate(DAY)) == [("ceiling_exceeded", "Z1", "UKR", 3)]

    line = ContactLine.objects.create(code="LOC", name="Line of contact")
    DistanceRule.objects.create(treaty=f.treaty(), line=line, distance_km=25, category=f.category("artillery"))
    assert len(compliance.cached_evaluate(DAY)) == 1  # a rule without a course in force finds nothing
    ContactLineVersion.objects.create(line=line, geom=MultiLineString(LineString((37, 47), (37, 48)), srid=4326))
    assert [b.kind for b in compliance.cached_evaluate(DAY)] == ["ceiling_exceeded", "within_withdrawal_distance"]


def test_an_answer_computed_inside_a_rolled_back_write_is_never_served_after_it():
    ukr = f.party("UKR")
    f.ceiling(f.zone("Z1"), 10)
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 5)])
    assert compliance.cached_evaluate(DAY) == []

    try:
        with transaction.atomic():
            f.notification(ukr, D(2026, 5, 1), [(base, "tanks", 50)])
            assert kinds(compliance.cached_evaluate(DAY)) == [("ceiling_exceeded", "Z1", "UKR", 40)]
            raise RuntimeError("the officer cancels")
    except RuntimeError:
        pass

    assert compliance.cached_evaluate(DAY) == []


def test_a_zone_status_is_reused_and_fresh_after_a_notification():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.zone("Z2", f.square(0, 0, 1, 1))
    f.ceiling(zone, 10)
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 4)])
    first = compliance.cached_zone_status(zone, DAY)
    assert first == compliance.zone_status(zone, DAY)
    assert [(s.party, s.counted, s.headroom) for s in first] == [("UKR", 4, 6)]

    f.notification(ukr, D(2026, 5, 1), [(base, "tanks", 9)])
    assert [(s.party, s.counted, s.headroom) for s in compliance.cached_zone_status(zone, DAY)] == [("UKR", 9, 1)]


def test_holdings_totals_are_reused_until_a_write():
    from tracker import holdings

    ukr = f.party("UKR")
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 4)])
    assert answers.reused(holdings.totals, DAY, ("party",)) == [{"party": "UKR", "quantity": 4}]

    f.notification(ukr, D(2026, 5, 1), [(base, "tanks", 7)])
    assert answers.reused(holdings.totals, DAY, ("party",)) == [{"party": "UKR", "quantity": 7}]
