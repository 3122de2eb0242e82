"""Answers reused while nothing they depend on has changed, and never after a write that changes them."""

import datetime

from django.db import transaction

from tests import factories as f
from tracker import answers, compliance

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
