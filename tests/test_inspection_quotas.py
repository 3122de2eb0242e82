"""A party's passive declared-site inspection quota and what counts against it (Protocol on Inspection,
Section II.10(D), II.11(B), II.13, II.16, II.23, VIII.9(B); Final Document 1996, Annex B §13, Annex C item 14)."""

import datetime
from decimal import Decimal

import pytest

from tests import factories as f
from tracker.inspection_quotas import ledger, passive_quota, share
from tracker.models import PassiveQuota

D = datetime.date
NEW_YEAR = D(2024, 1, 1)


def declared(owner, objects: int, effective=NEW_YEAR, kind="annual"):
    """An annual exchange declaring ``objects`` objects of verification, one per site."""
    sites = [f.site(owner) for _ in range(objects)]
    return f.notification(owner, effective, [(site, "tanks", 1) for site in sites], kind=kind)


@pytest.mark.parametrize(
    "objects, rounding, quota",
    [
        (10, "down", 1),  # 15 % of 10 = 1.5
        (10, "nearest", 2),
        (10, "up", 2),
        (23, "down", 3),  # 3.45: just below a half
        (23, "nearest", 3),
        (23, "up", 4),
        (11, "down", 1),  # 1.65: just above a half
        (11, "nearest", 2),
        (11, "up", 2),
        (20, "down", 3),  # exactly 3
        (20, "nearest", 3),
        (20, "up", 3),
    ],
)
def test_the_quota_is_rounded_as_the_treaty_says_because_the_protocol_does_not(objects, rounding, quota):
    """No rounding rule in Section II.10; the 1996 Review Conference left it open (Annex C item 14)."""
    assert share(objects, Decimal("15"), rounding) == quota


def test_the_quota_counts_the_distinct_objects_of_verification_of_the_annual_exchange():
    treaty, ukr = f.treaty(quota_rounding="nearest"), f.party("UKR")
    exchange = declared(ukr, 10)
    f.notification(ukr, D(2024, 3, 1), [(f.site(ukr), "tanks", 5)])  # a change notification is no exchange

    quota = passive_quota(treaty, ukr, 2024)

    assert (quota.objects, quota.computed, quota.in_force) == (10, 2, 2)
    assert quota.notification == exchange


def test_the_latest_exchange_effective_on_the_first_of_january_counts_not_a_later_one():
    treaty, ukr = f.treaty(), f.party("UKR")
    on_new_year = declared(ukr, 20, D(2024, 1, 1))
    declared(ukr, 40, D(2024, 1, 2))

    quota = passive_quota(treaty, ukr, 2024)

    assert (quota.notification, quota.computed) == (on_new_year, 3)


def test_without_an_exchange_before_the_year_its_first_within_the_year_counts():
    treaty, ukr = f.treaty(), f.party("UKR")
    first = declared(ukr, 20, D(2024, 2, 1))
    declared(ukr, 40, D(2024, 6, 1))

    assert passive_quota(treaty, ukr, 2024).notification == first


def test_an_announced_quota_below_the_computed_one_is_flagged_and_does_not_lower_it():
    """Final Document 1996, Annex B §13: a party "should notify" its quota with its annual exchange; the
    quota itself is the treaty's share of its objects of verification (Section II.10)."""
    treaty, ukr = f.treaty(), f.party("UKR")
    declared(ukr, 20)
    PassiveQuota.objects.create(treaty=treaty, party=ukr, year=2024, announced=2, source="UKR annual exchange")

    quota = passive_quota(treaty, ukr, 2024)

    assert (quota.computed, quota.in_force, quota.announced_below_computed) == (3, 3, True)


def test_an_announced_quota_above_the_computed_one_is_the_quota_in_force():
    treaty, ukr = f.treaty(), f.party("UKR")
    declared(ukr, 20)
    PassiveQuota.objects.create(treaty=treaty, party=ukr, year=2024, announced=4)

    quota = passive_quota(treaty, ukr, 2024)

    assert (quota.computed, quota.in_force, quota.announced_below_computed) == (3, 4, False)


def test_the_challenge_quota_and_one_partys_share_are_rounded_as_the_quota_is():
    """23 % of 7 = 1.61 (Section II.11(B)); 50 % of an odd 7 = 3.5 (Section II.23)."""
    ukr = f.party("UKR")
    declared(ukr, 50)  # 15 % of 50 = 7.5
    down, up = f.treaty("Down", quota_rounding="down"), f.treaty("Up", quota_rounding="up")

    assert (passive_quota(down, ukr, 2024).in_force, passive_quota(up, ukr, 2024).in_force) == (7, 8)
    low = passive_quota(down, ukr, 2024)
    assert (low.challenge, low.per_inspecting_party) == (1, 3)
    PassiveQuota.objects.create(treaty=up, party=ukr, year=2024, announced=7)
    high = passive_quota(up, ukr, 2024)
    assert (high.challenge, high.per_inspecting_party) == (2, 4)


@pytest.fixture
def inspected():
    """UKR, with a quota of 3 (20 objects), and an object of verification to inspect."""
    ukr = f.party("UKR")
    declared(ukr, 20)
    return ukr, f.object_of_verification(f.site(ukr))


def row_of(party, year=2024):
    return next(row for row in ledger(f.treaty(), year) if row.quota.party == party)


def test_exactly_the_quota_used_leaves_nothing_and_one_more_is_over(inspected):
    ukr, brigade = inspected
    pol, deu = f.party("POL"), f.party("DEU")
    f.arrived_request(pol, ukr, D(2024, 3, 1), brigade, reports=2)  # two objects inspected (Section II.13)
    f.arrived_request(deu, ukr, D(2024, 4, 1), brigade)  # no report yet: one

    assert (row_of(ukr).used, row_of(ukr).remaining) == (3, 0)

    f.arrived_request(deu, ukr, D(2024, 5, 1), brigade)

    assert (row_of(ukr).used, row_of(ukr).remaining) == (4, -1)


def test_requests_count_in_the_calendar_year_of_arrival():
    ukr, pol = f.party("UKR"), f.party("POL")
    brigade = f.object_of_verification(f.site(ukr))
    f.arrived_request(pol, ukr, D(2023, 12, 31), brigade)
    f.arrived_request(pol, ukr, D(2024, 1, 1), brigade)
    f.arrived_request(pol, ukr, D(2024, 12, 31), brigade)

    assert (row_of(ukr, 2023).used, row_of(ukr, 2024).used) == (1, 2)


def test_a_refused_challenge_inspection_counts_against_no_quota(inspected):
    """Section VIII.9(B): "no inspection quota shall be counted"."""
    ukr, _ = inspected
    f.arrived_request(f.party("POL"), ukr, D(2024, 3, 1), f.area(), answer="refused")

    row = row_of(ukr)
    assert (row.used, row.challenge_used, row.remaining) == (0, 0, 3)


def test_an_accepted_challenge_counts_against_both_quotas(inspected):
    """Section II.16: one against the passive challenge quota and one against the declared-site quota."""
    ukr, _ = inspected
    f.arrived_request(f.party("POL"), ukr, D(2024, 3, 1), f.area(), answer="accepted")
    f.arrived_request(f.party("DEU"), ukr, D(2024, 4, 1), f.area())  # not answered yet

    row = row_of(ukr)
    assert (row.used, row.challenge_used, row.remaining, row.challenge_remaining) == (2, 2, 1, -2)


def test_each_inspecting_partys_use_is_set_beside_its_fifty_percent_share(inspected):
    """Section II.23: a quota of 3 leaves one party 1 when rounded down (1.5)."""
    ukr, brigade = inspected
    pol = f.party("POL")
    f.arrived_request(pol, ukr, D(2024, 3, 1), brigade)
    f.planned_inspection(pol, ukr, (D(2024, 6, 1), D(2024, 6, 5)), brigade)

    (line,) = row_of(ukr).inspecting
    assert (line.party, line.used, line.planned, line.limit, line.remaining) == (pol, 1, 1, 1, 0)
    assert row_of(ukr).planned == 1
