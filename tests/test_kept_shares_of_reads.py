"""The holdings summary kept as each party's share, the zone layer's outlines kept apart from the zones'
compliance states: a submission sums again its own party's share alone and reads no outline, and every
answer, reused or made again, equals one computed afresh."""

import datetime

import pytest
from django.db import transaction

from tests import factories as f
from tests.test_scoped_answers import DAY, at, two_zones  # noqa: F401 (a fixture)
from tracker import answers, holdings, services
from tracker.api import zones as zones_api
from tracker.models import Holding
from tracker.roles import Role
from zones.models import ZoneVersion

D = datetime.date
GROUPINGS = (["party", "category"], ["zone"], ["category"], ["party", "zone", "type"])


@pytest.fixture
def summed(monkeypatch):
    """The party ids whose shares of the kept holdings summary are summed, call by call (the real sums are
    made); the totals summed afresh, of every party at once, are not listed."""
    calls = []
    question = holdings.totals_by_party

    def summing(day, parties, *args):
        if parties is not None:
            calls.append(sorted(parties))
        return question(day, parties, *args)

    summing.__qualname__, summing.__module__ = question.__qualname__, question.__module__
    monkeypatch.setattr(holdings, "totals_by_party", summing)
    return calls


@pytest.fixture
def outlined(monkeypatch):
    """The zone version ids whose outlines are read, call by call."""
    calls = []
    question = zones_api.outlines

    def reading(versions, *args):
        calls.append(sorted(versions))
        return question(versions, *args)

    reading.__qualname__, reading.__module__ = question.__qualname__, question.__module__
    monkeypatch.setattr(zones_api, "outlines", reading)
    return calls


def kept(group_by: list[str]) -> list[dict]:
    return holdings.kept_totals(DAY, group_by, answers.versions())


def fresh() -> None:
    """Every grouping of the kept summary equals the totals summed now from the holdings."""
    for group_by in GROUPINGS:
        assert kept(group_by) == holdings.totals(DAY, group_by)


def test_a_submission_sums_again_its_own_partys_share_alone(two_zones, summed):  # noqa: F811
    ukr, rus, west, _, sites = two_zones
    fresh()
    summed.clear()

    f.notification(ukr, D(2026, 5, 1), [(sites[ukr, west], "tanks", 12)])

    assert kept(["zone"]) == [{"zone": "Z1", "quantity": 16}, {"zone": "Z2", "quantity": 8}]
    assert kept(["party", "category"]) == [
        {"party": "RUS", "category": "tanks", "quantity": 8},
        {"party": "UKR", "category": "tanks", "quantity": 16},
    ]
    assert summed == [[ukr.id], [ukr.id]]
    fresh()


def test_a_rolled_back_submission_leaves_the_summary_as_it_was(two_zones, summed):  # noqa: F811
    ukr, _, _, east, sites = two_zones
    fresh()
    summed.clear()

    with pytest.raises(RuntimeError), transaction.atomic():
        f.notification(ukr, D(2026, 5, 1), [(sites[ukr, east], "tanks", 50)])
        raise RuntimeError

    assert kept(["zone"]) == [{"zone": "Z1", "quantity": 8}, {"zone": "Z2", "quantity": 8}]
    assert summed == []
    fresh()


def test_another_partys_draft_is_summed_nowhere_until_submitted(two_zones, summed):  # noqa: F811
    ukr, rus, west, _, sites = two_zones
    fresh()
    summed.clear()

    draft = f.notification(rus, D(2026, 5, 1), [(sites[rus, west], "tanks", 30)], submit=False)

    assert kept(["party", "category"])[0] == {"party": "RUS", "category": "tanks", "quantity": 8}
    assert summed == []
    fresh()

    services.submit(draft, submitted_at=at(D(2026, 4, 30)))
    assert kept(["party", "category"])[0] == {"party": "RUS", "category": "tanks", "quantity": 34}
    assert summed == [[rus.id]]
    fresh()


def test_a_correction_replaces_what_its_notification_declared_in_the_summary_at_once(two_zones, summed):  # noqa: F811
    ukr, _, west, _, sites = two_zones
    change = f.notification(ukr, D(2026, 5, 1), [(sites[ukr, west], "tanks", 12)])
    assert kept(["zone"])[0] == {"zone": "Z1", "quantity": 16}
    summed.clear()

    correction = services.correct(change)
    Holding.objects.filter(notification=correction).update(quantity=7)
    services.submit(correction, submitted_at=at(D(2026, 4, 30)))

    assert kept(["zone"])[0] == {"zone": "Z1", "quantity": 11}
    assert summed == [[ukr.id]]
    fresh()


def test_the_summary_through_the_api_names_the_submission_at_once(two_zones):  # noqa: F811
    ukr, _, west, _, sites = two_zones
    client = f.api(f.person("monitor", Role.MONITOR))
    url = f"/api/holdings/summary/?as_of={DAY}&group_by=zone"
    assert client.get(url).json()[0] == {"zone": "Z1", "quantity": 8}

    f.notification(ukr, D(2026, 5, 1), [(sites[ukr, west], "tanks", 12)])

    assert client.get(url).json()[0] == {"zone": "Z1", "quantity": 16}


def layer(client) -> dict[str, tuple[str, dict]]:
    features = client.get(f"/api/zones/?as_of={DAY}&simplify=0.01&precision=4").json()["features"]
    return {
        feature["properties"]["code"]: (feature["properties"]["compliance"], feature["geometry"])
        for feature in features
    }


def test_a_submission_changes_the_zone_layers_states_at_once_and_reads_no_outline(two_zones, outlined):  # noqa: F811
    ukr, _, west, _, sites = two_zones
    client = f.api(f.person("monitor", Role.MONITOR))
    before = layer(client)
    assert outlined == [sorted(ZoneVersion.objects.values_list("id", flat=True))]

    f.notification(ukr, D(2026, 5, 1), [(sites[ukr, west], "tanks", 12)])

    after = layer(client)
    assert after["Z1"] == ("breached", before["Z1"][1])
    assert after["Z2"] == before["Z2"]
    assert len(outlined) == 1
    answers.forget()
    assert layer(client) == after  # as made afresh


def test_a_new_zone_version_is_outlined_at_once(two_zones, outlined):  # noqa: F811
    _, _, west, _, _ = two_zones
    client = f.api(f.person("monitor", Role.MONITOR))
    before = layer(client)

    ZoneVersion.objects.filter(zone=west).update(geom=f.square(30, 45, 32, 46))

    after = layer(client)
    assert after["Z1"][1]["coordinates"] != before["Z1"][1]["coordinates"]
    assert after["Z2"] == before["Z2"]
    assert len(outlined) == 2
    answers.forget()
    assert layer(client) == after
