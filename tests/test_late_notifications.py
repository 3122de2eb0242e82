"""Notifications against their deadlines, and annual exchanges that never came."""

import datetime

from django.utils import timezone

from tests import factories as f
from tracker import compliance, services

D = datetime.date


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def late(day):
    return [b for b in compliance.evaluate(day) if b.kind == "late_notification"]


def test_a_change_notified_after_the_treatys_deadline_is_late():
    f.treaty(deadline=5)
    ukr = f.party("UKR")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 1)], kind="annual", submitted_at=at(D(2025, 12, 1)))
    on_time = f.notification(ukr, D(2026, 3, 1), [(f.site(ukr), "tanks", 1)], submitted_at=at(D(2026, 3, 6)))
    overdue = f.notification(ukr, D(2026, 3, 1), [(f.site(ukr), "tanks", 1)], submitted_at=at(D(2026, 3, 9)))

    (breach,) = late(D(2026, 4, 1))
    assert (breach.party, breach.limit, breach.counted, breach.excess) == ("UKR", 5, 8, 3)
    assert breach.treaty == "Settlement"
    assert breach.evidence["notification"] == overdue.reference
    assert breach.zone is None and breach.geometry is None
    assert on_time.reference not in str([b.evidence for b in late(D(2026, 4, 1))])


def test_a_late_notification_shows_only_once_it_is_submitted():
    f.treaty(deadline=5)
    ukr = f.party("UKR")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 1)], kind="annual", submitted_at=at(D(2025, 12, 1)))
    f.notification(ukr, D(2026, 3, 1), [(f.site(ukr), "tanks", 1)], submitted_at=at(D(2026, 3, 20)))

    assert late(D(2026, 3, 19)) == []
    assert len(late(D(2026, 3, 20))) == 1


def test_the_strictest_deadline_of_the_treaties_in_force_applies():
    f.treaty("Lenient", deadline=30)
    f.treaty("Strict", deadline=2)
    ukr = f.party("UKR")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 1)], kind="annual", submitted_at=at(D(2025, 12, 1)))
    f.notification(ukr, D(2026, 3, 1), [(f.site(ukr), "tanks", 1)], submitted_at=at(D(2026, 3, 4)))

    (breach,) = late(D(2026, 4, 1))
    assert (breach.treaty, breach.limit, breach.counted) == ("Strict", 2, 3)


def test_an_annual_exchange_is_due_on_15_december_before_its_year():
    f.treaty()
    ukr = f.party("UKR")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 1)], kind="annual", submitted_at=at(D(2025, 12, 15)))
    f.notification(ukr, D(2027, 1, 1), [(f.site(ukr), "tanks", 1)], kind="annual", submitted_at=at(D(2026, 12, 16)))

    (breach,) = late(D(2027, 2, 1))
    assert breach.evidence["due"] == "2026-12-15"
    assert (breach.limit, breach.counted, breach.excess) == (-17, -16, 1)


def test_a_year_without_an_annual_exchange_is_a_missing_notification():
    f.treaty(in_force_from=D(2020, 1, 1))
    ukr = f.party("UKR")
    f.notification(ukr, D(2025, 1, 1), [(f.site(ukr), "tanks", 1)], kind="annual", submitted_at=at(D(2024, 12, 1)))
    f.notification(ukr, D(2027, 1, 1), [(f.site(ukr), "tanks", 1)], kind="annual", submitted_at=at(D(2026, 12, 1)))

    assert late(D(2025, 12, 31)) == []
    (missing,) = late(D(2026, 1, 1))
    assert missing.party == "UKR"
    assert missing.evidence == {"missing": "annual", "year": 2026, "due": "2025-12-15"}
    assert [b.evidence.get("year") for b in late(D(2027, 6, 1))] == [2026]


def test_no_deadline_applies_where_no_treaty_is_in_force():
    f.treaty(in_force_from=D(2030, 1, 1))
    ukr = f.party("UKR")
    f.notification(ukr, D(2026, 3, 1), [(f.site(ukr), "tanks", 1)], submitted_at=at(D(2026, 6, 1)))

    assert late(D(2027, 6, 1)) == []


def test_a_late_notification_since_corrected_stays_late_from_the_day_it_came():
    f.treaty(deadline=5)
    ukr = f.party("UKR")
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 1)], kind="annual", submitted_at=at(D(2025, 12, 1)))
    overdue = f.notification(ukr, D(2026, 3, 1), [(base, "tanks", 2)], submitted_at=at(D(2026, 3, 20)))
    services.submit(services.correct(overdue), submitted_at=at(D(2026, 4, 2)))

    assert D(2026, 3, 20) in compliance.change_dates()
    assert [b.evidence["notification"] for b in late(D(2026, 3, 20))] == [overdue.reference]
