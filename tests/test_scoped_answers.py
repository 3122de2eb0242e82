"""Answers kept per zone and per party: a notification makes again the answers about its own party and the
zones its lines are in, and only those; every answer, reused or made again, equals the uncached engine's."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from tests import factories as f
from tracker import answers, compliance, services
from tracker.compliance import cached, ceilings, engine
from tracker.models import Holding

D = datetime.date
DAY = D(2026, 6, 1)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def asked(monkeypatch):
    """The party ids each kind of finding asked party by party is asked for, None when asked of everyone
    at once (the real check is made)."""
    calls = []

    def asking(check):
        def ask(as_of, party=None):
            calls.append(party)
            return check(as_of, party)

        ask.__qualname__ = check.__qualname__
        ask.__module__ = check.__module__
        return ask

    monkeypatch.setattr(cached, "PER_PARTY", tuple(asking(check) for check in engine.PER_PARTY))
    return calls


@pytest.fixture
def two_zones():
    """UKR and RUS each hold a site in Z1 (west) and one in Z2 (east); each zone limits each party to 10 tanks."""
    west, east = f.zone("Z1", f.square(30, 45, 31, 46)), f.zone("Z2", f.square(40, 45, 41, 46))
    f.ceiling(west, 10)
    f.ceiling(east, 10)
    ukr, rus = f.party("UKR"), f.party("RUS")
    sites = {
        (ukr, west): f.site(ukr, 30.5, 45.5),
        (ukr, east): f.site(ukr, 40.5, 45.5),
        (rus, west): f.site(rus, 30.6, 45.6),
        (rus, east): f.site(rus, 40.6, 45.6),
    }
    for party in (ukr, rus):
        f.notification(party, D(2026, 1, 1), [(sites[party, west], "tanks", 4), (sites[party, east], "tanks", 4)])
    return ukr, rus, west, east, sites


def counted(zone):
    return [(s.party, s.counted) for s in compliance.cached_zone_status(zone, DAY)]


def fresh():
    """The cached answers equal the engine's own, computed now without any cache."""
    assert compliance.cached_evaluate(DAY) == engine.evaluate(DAY)
    assert compliance.cached_ceiling_statuses(DAY) == [count.status() for count in ceilings.ceiling_counts(DAY)]
    assert compliance.cached_zone_states(DAY) == engine.zone_states(DAY)


def test_a_notification_in_one_zone_counts_that_zone_again_and_reuses_the_other(two_zones, recounted):
    ukr, _, west, east, sites = two_zones
    fresh()
    assert recounted == [sorted([west.id, east.id])]

    f.notification(ukr, D(2026, 5, 1), [(sites[ukr, west], "tanks", 12)])

    assert counted(west) == [("RUS", 4), ("UKR", 12)]
    assert counted(east) == [("RUS", 4), ("UKR", 4)]
    assert [(b.kind, b.zone, b.party) for b in compliance.cached_evaluate(DAY)] == [("ceiling_exceeded", "Z1", "UKR")]
    assert recounted[1:] == [[west.id]]
    fresh()


def test_a_notification_of_one_party_asks_that_partys_findings_again_and_reuses_the_others(two_zones, asked):
    ukr, rus, west, _, sites = two_zones
    compliance.cached_evaluate(DAY)
    assert set(asked) == {None}  # the first evaluation asks every kind of everyone at once
    asked.clear()

    # Submitted on 1 June for 1 May: after the deadline of 5 days (Protocol on Information Exchange, VIII.1(B)).
    late = f.notification(rus, D(2026, 5, 1), [(sites[rus, west], "tanks", 5)], submitted_at=at(DAY))

    found = compliance.cached_evaluate(DAY)
    assert [(b.kind, b.party, b.evidence.get("notification")) for b in found] == [
        ("late_notification", "RUS", late.reference)
    ]
    assert set(asked) == {rus.id}
    fresh()


def test_a_notification_reads_again_the_zone_totals_of_its_own_party_only(two_zones, monkeypatch):
    ukr, rus, west, east, sites = two_zones
    read = []

    def reading(days, counted, parties=None):
        read.append(parties)
        return ceilings.ceiling_changes(days, counted, parties)

    monkeypatch.setattr(cached, "ceiling_changes", reading)
    fresh()
    assert read == [None]  # every party's rows at once, the first time

    f.notification(rus, D(2026, 5, 1), [(sites[rus, west], "tanks", 30)])
    assert counted(west) == [("RUS", 30), ("UKR", 4)]
    assert counted(east) == [("RUS", 4), ("UKR", 4)]
    assert read == [None, [rus.id]]
    fresh()


def test_a_rolled_back_notification_leaves_every_answer_as_it_was(two_zones, recounted):
    ukr, _, west, east, sites = two_zones
    fresh()

    with pytest.raises(RuntimeError), transaction.atomic():
        f.notification(ukr, D(2026, 5, 1), [(sites[ukr, east], "tanks", 50)])
        assert counted(east) == [("RUS", 4), ("UKR", 50)]
        raise RuntimeError("the officer cancels")

    assert counted(east) == [("RUS", 4), ("UKR", 4)]
    assert counted(west) == [("RUS", 4), ("UKR", 4)]
    assert compliance.cached_evaluate(DAY) == []
    # The east zone inside the cancelled write, then again after it; the west zone never.
    assert recounted[1:] == [[east.id], [east.id]]
    fresh()


def test_another_partys_draft_leaves_every_answer_kept_and_is_counted_once_submitted(two_zones, recounted, asked):
    """A draft is its party's own, and its lines count nowhere: no kept answer reads it."""
    ukr, rus, west, _, sites = two_zones
    fresh()
    recounted.clear()
    asked.clear()
    version = answers.published(answers.data_version())

    draft = f.notification(rus, D(2026, 5, 1), [(sites[rus, west], "tanks", 30)], submit=False)
    Holding.objects.filter(notification=draft).update(quantity=31)

    assert answers.published(answers.data_version()) > version  # the write is told, as every write is
    assert counted(west) == [("RUS", 4), ("UKR", 4)]
    assert compliance.cached_evaluate(DAY) == []
    assert recounted == asked == []
    fresh()

    services.submit(draft, submitted_at=at(D(2026, 4, 30)))
    assert counted(west) == [("RUS", 31), ("UKR", 4)]
    assert recounted == [[west.id]]
    fresh()


def test_a_correction_supersedes_its_notification_in_the_zones_at_once(two_zones, recounted):
    ukr, _, west, east, sites = two_zones
    change = f.notification(ukr, D(2026, 5, 1), [(sites[ukr, west], "tanks", 12)])
    assert counted(west) == [("RUS", 4), ("UKR", 12)]
    assert counted(east) == [("RUS", 4), ("UKR", 4)]
    recounted.clear()

    correction = services.correct(change)
    Holding.objects.filter(notification=correction).update(quantity=7)
    services.submit(correction, submitted_at=at(D(2026, 4, 30)))

    assert counted(west) == [("RUS", 4), ("UKR", 7)]
    assert counted(east) == [("RUS", 4), ("UKR", 4)]
    assert compliance.cached_evaluate(DAY) == []
    assert recounted == [[west.id]]
    fresh()


def test_a_site_in_two_zones_counts_both_again(recounted):
    outer, inner = f.zone("OUTER", f.square(30, 45, 32, 47)), f.zone("INNER", f.square(30.5, 45.5, 31, 46))
    f.zone("ELSEWHERE", f.square(40, 45, 41, 46))
    f.ceiling(outer, 10)
    f.ceiling(inner, 5)
    ukr = f.party("UKR")
    base = f.site(ukr, 30.7, 45.7)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 4)])
    fresh()
    recounted.clear()

    f.notification(ukr, D(2026, 5, 1), [(base, "tanks", 6)])

    assert [(b.kind, b.zone, b.excess) for b in compliance.cached_evaluate(DAY)] == [("ceiling_exceeded", "INNER", 1)]
    assert recounted == [sorted([outer.id, inner.id])]
    fresh()
