"""Change deadlines in working days: Monday to Friday less the notifying party's holidays
(Protocol on Information Exchange, Section VIII.1(B); Final Document 1996, Annex B §10: "five working
days"; Annex B §5: each party gives its holidays with the annual exchange)."""

import datetime

from django.utils import timezone

from tests import factories as f
from tracker import compliance
from tracker.dates import working_days_after
from tracker.models import Holiday

D = datetime.date
# Wednesday: its fifth working day is Wednesday 11 March, across the weekend of 7-8 March.
EFFECTIVE = D(2026, 3, 4)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def late(day=D(2026, 4, 1)):
    return [b for b in compliance.evaluate(day) if b.kind == "late_notification"]


def change(party, submitted):
    return f.notification(party, EFFECTIVE, [(f.site(party), "tanks", 1)], submitted_at=at(submitted))


def test_the_fifth_working_day_after_a_wednesday_is_the_next_wednesday():
    assert working_days_after(EFFECTIVE, 5) == D(2026, 3, 11)


def test_a_working_day_count_skips_the_weekend_and_holidays():
    friday = D(2026, 3, 6)
    assert working_days_after(friday, 1) == D(2026, 3, 9)
    assert working_days_after(friday, 1, {D(2026, 3, 9)}) == D(2026, 3, 10)
    assert working_days_after(friday, 0) == friday


def test_a_holiday_on_a_weekend_changes_nothing():
    assert working_days_after(EFFECTIVE, 5, {D(2026, 3, 7), D(2026, 3, 8)}) == D(2026, 3, 11)


def test_a_working_day_count_stops_at_the_calendars_last_day():
    assert working_days_after(datetime.date.max - datetime.timedelta(days=2), 5) == datetime.date.max


def test_a_change_notified_on_the_fifth_working_day_across_a_weekend_is_on_time():
    f.treaty(notification_deadline_unit="working")
    ukr = f.party("UKR")
    change(ukr, D(2026, 3, 11))

    assert late() == []


def test_a_change_notified_the_working_day_after_the_fifth_is_late():
    f.treaty(notification_deadline_unit="working")
    ukr = f.party("UKR")
    notice = change(ukr, D(2026, 3, 12))

    (breach,) = late()
    assert breach.evidence["notification"] == notice.reference
    assert breach.evidence["due"] == "2026-03-11"
    assert (breach.limit, breach.counted, breach.excess) == (7, 8, 1)
    assert "5 working days" in breach.evidence["rule"] and "Annex B §5, §10" in breach.evidence["rule"]


def test_the_notifying_partys_holiday_moves_the_fifth_working_day_on():
    f.treaty(notification_deadline_unit="working")
    ukr = f.party("UKR")
    Holiday.objects.create(party=ukr, date=D(2026, 3, 9), name="Women's Day (observed)")
    on_time = change(ukr, D(2026, 3, 12))
    overdue = change(ukr, D(2026, 3, 13))

    (breach,) = late()
    assert breach.evidence["notification"] == overdue.reference
    assert breach.evidence["due"] == "2026-03-12"
    assert on_time.reference not in str([b.evidence for b in late()])


def test_another_partys_holiday_does_not_move_the_deadline():
    f.treaty(notification_deadline_unit="working")
    ukr, pol = f.party("UKR"), f.party("POL")
    Holiday.objects.create(party=pol, date=D(2026, 3, 9))
    change(ukr, D(2026, 3, 12))

    (breach,) = late()
    assert (breach.party, breach.evidence["due"]) == ("UKR", "2026-03-11")


def test_calendar_days_keep_counting_through_the_weekend():
    f.treaty()
    ukr = f.party("UKR")
    on_time = change(ukr, D(2026, 3, 9))
    overdue = change(ukr, D(2026, 3, 10))

    (breach,) = late()
    assert breach.evidence["notification"] == overdue.reference
    assert breach.evidence["due"] == "2026-03-09"
    assert "5 calendar days" in breach.evidence["rule"]
    assert on_time.reference not in str([b.evidence for b in late()])


def test_of_two_treaties_in_force_the_deadline_that_falls_first_applies():
    f.treaty("Working", notification_deadline_unit="working")
    f.treaty("Calendar")
    ukr = f.party("UKR")
    change(ukr, D(2026, 3, 10))

    (breach,) = late()
    assert (breach.treaty, breach.evidence["due"]) == ("Calendar", "2026-03-09")
