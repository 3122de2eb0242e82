"""Changes of the threshold share or more in a unit's holdings of a category that no change notification
declared (Protocol on Information Exchange, Section VIII.1(B)), each declaration compared with the latest
update before it (Final Document 1996, Annex B §10), per object of verification and category."""

import datetime

from django.utils import timezone

from tests import factories as f
from tracker import compliance, services
from tracker.models import ChangeThreshold

D = datetime.date
FIRST, NEXT = D(2026, 1, 1), D(2027, 1, 1)
LATER = D(2027, 2, 1)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def unnotified(day=LATER):
    return [b for b in compliance.evaluate(day) if b.kind == "unnotified_change"]


def annual(party, effective, lines):
    return f.notification(party, effective, lines, kind="annual", submitted_at=at(D(effective.year - 1, 12, 1)))


def test_a_change_of_exactly_ten_percent_stated_only_by_the_next_annual_exchange_is_unnotified():
    f.treaty()
    ukr = f.party("UKR")
    brigade = f.site(ukr, code="BDE-92")
    before = annual(ukr, FIRST, [(brigade, "tanks", 100)])
    after = annual(ukr, NEXT, [(brigade, "tanks", 110)])

    (breach,) = unnotified()
    assert (breach.party, breach.category, breach.treaty) == ("UKR", "tanks", "Settlement")
    assert (breach.limit, breach.counted, breach.excess) == (100, 110, 10)
    assert breach.evidence["object"] == "BDE-92"
    assert breach.evidence["notifications_before"] == [before.reference]
    assert breach.evidence["notifications_after"] == [after.reference]
    assert (breach.evidence["share_percent"], breach.evidence["threshold_percent"]) == (10.0, 10.0)


def test_a_change_just_under_ten_percent_needs_no_notification():
    f.treaty()
    ukr = f.party("UKR")
    brigade = f.site(ukr)
    annual(ukr, FIRST, [(brigade, "tanks", 100)])
    annual(ukr, NEXT, [(brigade, "tanks", 109)])

    assert unnotified() == []


def test_a_decrease_of_ten_percent_is_a_change_too():
    f.treaty()
    ukr = f.party("UKR")
    brigade = f.site(ukr)
    annual(ukr, FIRST, [(brigade, "artillery", 50)])
    annual(ukr, NEXT, [(brigade, "artillery", 45)])

    (breach,) = unnotified()
    assert (breach.category, breach.excess) == ("artillery", -5)


def test_a_change_notification_in_between_declares_the_change():
    f.treaty()
    ukr = f.party("UKR")
    brigade = f.site(ukr)
    annual(ukr, FIRST, [(brigade, "tanks", 100)])
    f.notification(ukr, D(2026, 6, 1), [(brigade, "tanks", 130)])
    annual(ukr, NEXT, [(brigade, "tanks", 130)])

    assert unnotified() == []


def test_the_latest_update_is_the_basis_for_the_next_change():
    f.treaty()
    ukr = f.party("UKR")
    brigade = f.site(ukr)
    annual(ukr, FIRST, [(brigade, "tanks", 100)])
    f.notification(ukr, D(2026, 6, 1), [(brigade, "tanks", 120)])
    # 130 is 30 % above the annual exchange's 100, but under 10 % above the update's 120.
    annual(ukr, NEXT, [(brigade, "tanks", 130)])

    assert unnotified() == []


def test_from_none_declared_any_increase_is_a_change():
    f.treaty()
    ukr = f.party("UKR")
    brigade = f.site(ukr)
    annual(ukr, FIRST, [(brigade, "tanks", 0)])
    annual(ukr, NEXT, [(brigade, "tanks", 1)])

    (breach,) = unnotified()
    assert (breach.limit, breach.counted, breach.evidence["share_percent"]) == (0, 1, None)


def test_a_units_category_is_counted_over_its_statuses_and_types():
    f.treaty()
    ukr = f.party("UKR")
    brigade = f.site(ukr)
    t64, t72 = f.equipment_type("T-64BV", "tanks"), f.equipment_type("T-72AMT", "tanks")
    annual(ukr, FIRST, [(brigade, t64, 60), (brigade, t72, 30, "storage"), (brigade, "acv", 10)])
    # Storage of T-72s up by a third, T-64s down: the unit's tanks 90 -> 95 (5.6 %), no change to notify.
    annual(ukr, NEXT, [(brigade, t64, 55), (brigade, t72, 40, "storage"), (brigade, "acv", 10)])

    assert unnotified() == []


def test_each_object_of_verification_is_compared_with_its_own_declarations():
    f.treaty()
    ukr = f.party("UKR")
    first, second = f.site(ukr, code="A"), f.site(ukr, code="B")
    annual(ukr, FIRST, [(first, "tanks", 100), (second, "tanks", 100)])
    annual(ukr, NEXT, [(first, "tanks", 80), (second, "tanks", 120)])

    assert sorted((b.evidence["object"], b.excess) for b in unnotified()) == [("A", -20), ("B", 20)]


def test_a_correction_of_an_annual_exchange_is_compared_as_the_annual_exchange():
    f.treaty()
    ukr = f.party("UKR")
    brigade = f.site(ukr)
    annual(ukr, FIRST, [(brigade, "tanks", 100)])
    original = annual(ukr, NEXT, [(brigade, "tanks", 100)])
    correction = services.correct(original)
    correction.holdings.update(quantity=125)
    services.submit(correction, submitted_at=at(D(2027, 1, 10)))

    (breach,) = unnotified()
    assert breach.evidence["notifications_after"] == [correction.reference]
    assert unnotified(D(2027, 1, 9)) == []


def test_a_correction_of_a_change_notification_declares_the_change():
    f.treaty()
    ukr = f.party("UKR")
    brigade = f.site(ukr)
    annual(ukr, FIRST, [(brigade, "tanks", 100)])
    original = f.notification(ukr, D(2026, 6, 1), [(brigade, "tanks", 100)])
    correction = services.correct(original)
    correction.holdings.update(quantity=140)
    services.submit(correction, submitted_at=at(D(2026, 6, 3)))
    annual(ukr, NEXT, [(brigade, "tanks", 140)])

    assert unnotified() == []


def test_a_change_shows_once_the_declaration_stating_it_is_submitted_and_in_effect():
    f.treaty()
    ukr = f.party("UKR")
    brigade = f.site(ukr)
    annual(ukr, FIRST, [(brigade, "tanks", 100)])
    annual(ukr, NEXT, [(brigade, "tanks", 150)])

    assert unnotified(D(2026, 12, 31)) == []
    assert len(unnotified(NEXT)) == 1


def test_a_stricter_share_for_the_party_in_a_zone_applies_to_its_sites_there():
    treaty = f.treaty()
    ukr = f.party("UKR")
    odesa = f.zone("ODESA", f.square(29, 45, 31, 47))
    ChangeThreshold.objects.create(treaty=treaty, party=ukr, zone=odesa, percent=5, source="Flank Document, V.2")
    inside, outside = f.site(ukr, 30.7, 46.5, code="ODS"), f.site(ukr, 35.0, 48.0, code="DNP")
    annual(ukr, FIRST, [(inside, "tanks", 100), (outside, "tanks", 100)])
    annual(ukr, NEXT, [(inside, "tanks", 105), (outside, "tanks", 105)])

    (breach,) = unnotified()
    assert (breach.evidence["object"], breach.evidence["threshold_percent"]) == ("ODS", 5.0)


def test_a_stricter_share_is_the_partys_own():
    treaty = f.treaty()
    ukr, mda = f.party("UKR"), f.party("MDA")
    odesa = f.zone("ODESA", f.square(29, 45, 31, 47))
    ChangeThreshold.objects.create(treaty=treaty, party=ukr, zone=odesa, percent=5)
    depot = f.site(mda, 30.2, 46.4)
    annual(mda, FIRST, [(depot, "tanks", 100)])
    annual(mda, NEXT, [(depot, "tanks", 105)])

    assert unnotified() == []


def test_no_change_rule_applies_where_no_treaty_is_in_force():
    f.treaty(in_force_from=D(2030, 1, 1))
    ukr = f.party("UKR")
    brigade = f.site(ukr)
    annual(ukr, FIRST, [(brigade, "tanks", 100)])
    annual(ukr, NEXT, [(brigade, "tanks", 200)])

    assert unnotified() == []
