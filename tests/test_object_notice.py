"""Objects of verification created or relocated with at least 42 days' notice (Final Document 1996,
Annex B §11: "Any creation of, or relocation of, an object of verification at least 42 days in advance")."""

import datetime

from django.utils import timezone

from tests import factories as f
from tracker import compliance
from tracker.models import StateParty

D = datetime.date
BASELINE = D(2026, 1, 1)
EFFECTIVE = D(2026, 6, 1)
CHECKED = D(2026, 12, 1)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def days_before(day, n):
    return day - datetime.timedelta(days=n)


def short(day=CHECKED):
    return [b for b in compliance.evaluate(day) if b.kind == "short_notice"]


def first_exchange(party, *holders):
    return f.notification(
        party, BASELINE, [(h, "tanks", 10) for h in holders], kind="annual", submitted_at=at(D(2025, 12, 1))
    )


def test_objects_declared_in_the_first_information_exchange_are_the_baseline():
    f.treaty()
    ukr = f.party("UKR")
    first_exchange(ukr, f.site(ukr), f.site(ukr))

    assert short() == []


def test_an_object_created_with_exactly_42_days_notice_is_on_time():
    f.treaty()
    ukr = f.party("UKR")
    first_exchange(ukr, f.site(ukr))
    f.notification(ukr, EFFECTIVE, [(f.site(ukr), "tanks", 30)], submitted_at=at(days_before(EFFECTIVE, 42)))

    assert short() == []


def test_an_object_created_with_41_days_notice_is_short_notice():
    f.treaty()
    ukr = f.party("UKR")
    first_exchange(ukr, f.site(ukr))
    new = f.site(ukr, code="BDE-155")
    notice = f.notification(ukr, EFFECTIVE, [(new, "tanks", 30)], submitted_at=at(days_before(EFFECTIVE, 41)))

    (breach,) = short()
    assert (breach.party, breach.treaty, breach.limit, breach.counted, breach.excess) == (
        "UKR",
        "Settlement",
        42,
        41,
        1,
    )
    assert breach.evidence == {
        "object": "BDE-155",
        "change": "created",
        "sites": ["BDE-155"],
        "notification": notice.reference,
        "submitted": "2026-04-21",
        "effective_date": "2026-06-01",
        "days_given": 41,
        "days_required": 42,
        "rule": "creation or relocation of an object of verification notified at least 42 days in advance "
        "(Final Document 1996, Annex B §11)",
    }


def test_an_object_first_declared_in_a_later_annual_exchange_was_created_without_notice():
    f.treaty()
    ukr = f.party("UKR")
    first_exchange(ukr, f.site(ukr))
    f.notification(ukr, D(2027, 1, 1), [(f.site(ukr), "tanks", 5)], kind="annual", submitted_at=at(D(2026, 12, 15)))

    (breach,) = short(D(2027, 1, 1))
    assert (breach.evidence["change"], breach.counted) == ("created", 17)


def test_an_object_relocated_with_41_days_notice_is_short_notice_and_with_42_on_time():
    f.treaty()
    ukr = f.party("UKR")
    old, new, newer = f.site(ukr, code="OLD"), f.site(ukr, code="NEW"), f.site(ukr, code="NEWER")
    brigade = f.object_of_verification(old, "BDE-92")
    first_exchange(ukr, brigade)
    brigade.site = new
    brigade.save()
    notice = f.notification(ukr, EFFECTIVE, [(brigade, "tanks", 10)], submitted_at=at(days_before(EFFECTIVE, 41)))
    brigade.site = newer
    brigade.save()
    f.notification(ukr, D(2026, 9, 1), [(brigade, "tanks", 10)], submitted_at=at(days_before(D(2026, 9, 1), 42)))

    (breach,) = short()
    assert breach.evidence["notification"] == notice.reference
    assert (breach.evidence["change"], breach.evidence["sites"]) == ("relocated", ["OLD", "NEW"])


def test_a_line_at_the_same_site_is_no_relocation():
    f.treaty()
    ukr = f.party("UKR")
    base = f.site(ukr)
    first_exchange(ukr, base)
    f.notification(ukr, EFFECTIVE, [(base, "tanks", 20), (base, "acv", 5)])

    assert short() == []


def test_short_notice_shows_once_the_notification_is_submitted():
    f.treaty()
    ukr = f.party("UKR")
    first_exchange(ukr, f.site(ukr))
    f.notification(ukr, EFFECTIVE, [(f.site(ukr), "tanks", 30)], submitted_at=at(days_before(EFFECTIVE, 10)))

    assert short(days_before(EFFECTIVE, 11)) == []
    assert len(short(days_before(EFFECTIVE, 10))) == 1


def test_a_treaty_asking_no_notice_finds_none():
    f.treaty(object_notice_days=0)
    ukr = f.party("UKR")
    first_exchange(ukr, f.site(ukr))
    f.notification(ukr, EFFECTIVE, [(f.site(ukr), "tanks", 30)])

    assert short() == []


def test_the_longest_notice_of_the_treaties_in_force_applies():
    f.treaty("Short", object_notice_days=10)
    f.treaty("Long", object_notice_days=60)
    ukr = f.party("UKR")
    first_exchange(ukr, f.site(ukr))
    f.notification(ukr, EFFECTIVE, [(f.site(ukr), "tanks", 30)], submitted_at=at(days_before(EFFECTIVE, 59)))

    (breach,) = short()
    assert (breach.treaty, breach.limit, breach.counted) == ("Long", 60, 59)


def test_a_temporary_deployment_is_no_creation_or_relocation_its_start_is_its_notice():
    # CFE Art. V.2: a temporary deployment is notified by its start, not 42 days ahead.
    f.treaty()
    pol = f.party("POL")
    home = f.site(pol, code="HOME")
    first_exchange(pol, home)
    deployed = f.object_of_verification(f.site(pol, code="FLANK"), record_number="TD-1")
    f.notification(
        pol,
        EFFECTIVE,
        [(deployed, "tanks", 40, "temporary"), (home, "tanks", 0)],
        kind="temporary_deployment",
        submitted_at=at(EFFECTIVE),
    )

    assert short() == []


def test_one_partys_short_notices_are_its_share_of_everyones():
    f.treaty()
    for code in ("UKR", "RUS", "BLR"):
        party = f.party(code)
        old, new = f.site(party, code=f"{code}-OLD"), f.site(party, code=f"{code}-NEW")
        brigade = f.object_of_verification(old, f"{code}-BDE")
        first_exchange(party, brigade)
        if code != "BLR":
            brigade.site = new
            brigade.save()
            f.notification(party, EFFECTIVE, [(brigade, "tanks", 10)], submitted_at=at(days_before(EFFECTIVE, 41)))
        f.notification(party, EFFECTIVE, [(f.site(party), "acv", 3)], submitted_at=at(days_before(EFFECTIVE, 5)))

    everyone = compliance.short_notices(CHECKED)
    assert sorted(b.party for b in everyone) == ["BLR", "RUS", "RUS", "UKR", "UKR"]
    for party in StateParty.objects.all():
        assert compliance.short_notices(CHECKED, party.id) == [b for b in everyone if b.party == party.code]
