"""Writes racing each other in real concurrent transactions, each thread on its own connection."""

import datetime
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from tests import factories
from tracker import compliance, services
from tracker.models import Holding, Inspection, Notification, Observation
from tracker.roles import Role

D = datetime.date
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database(transactional_db):
    """Committed data, visible to every thread's connection."""
    factories.ensure_categories()


@pytest.fixture
def pool():
    def closing(task):
        def run(*args):
            try:
                return task(*args)
            finally:
                connections.close_all()

        return run

    executor = ThreadPoolExecutor(max_workers=8)
    yield lambda task, *args: executor.submit(closing(task), *args)
    executor.shutdown(wait=True)


def blocked_or_done(future: Future, timeout: float = 10) -> bool:
    """Wait until ``future`` has finished or its transaction waits on a lock; True when it waits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if future.done():
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    raise AssertionError("the concurrent write neither finished nor waited on a lock")


def waiting_on_locks(count: int, timeout: float = 10) -> None:
    """Wait until ``count`` lock requests wait (pg_locks: pg_stat_activity would not change
    inside the caller's transaction)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.02)
    raise AssertionError(f"{count} transactions did not come to wait on a lock")


def submit_and_hold(notification: Notification, submitted: threading.Event, release: threading.Event):
    """Submit, then keep the transaction open until released, as a slow request would."""
    with transaction.atomic():
        services.submit(notification)
        submitted.set()
        assert release.wait(15)


def submit_at_once(pool, drafts: list[Notification]) -> None:
    """Every draft submitted by its own officer, all released at the same instant."""
    start = threading.Barrier(len(drafts))

    def submit(draft):
        start.wait(10)
        return services.submit(draft)

    for future in [pool(submit, draft) for draft in drafts]:
        future.result(30)


def in_force(site, day: datetime.date) -> list[tuple[str, int]]:
    lines = Holding.objects.as_of(day).filter(site=site).select_related("notification")
    return sorted((line.notification.reference, line.quantity) for line in lines)


def test_two_officers_submitting_for_the_same_site_at_once_leave_one_line_in_force(pool):
    ukr = factories.party("UKR")
    site = factories.site(ukr, code="DEPOT")
    january = factories.notification(ukr, D(2026, 1, 1), [(site, "tanks", 10)], submit=False)
    february = factories.notification(ukr, D(2026, 2, 1), [(site, "tanks", 7)], submit=False)
    submitted, release = threading.Event(), threading.Event()

    first = pool(submit_and_hold, january, submitted, release)
    assert submitted.wait(10)
    second = pool(services.submit, february)
    assert blocked_or_done(second), "the second submission did not wait for the first"
    release.set()
    first.result(15), second.result(15)

    assert in_force(site, D(2026, 1, 15)) == [(january.reference, 10)]
    assert in_force(site, D(2026, 3, 1)) == [(february.reference, 7)]
    assert Holding.objects.filter(site=site).count() == 2


def test_officers_submitting_for_the_same_site_in_a_crowd_lose_nothing(pool):
    ukr = factories.party("UKR")
    site = factories.site(ukr, code="DEPOT")
    drafts = [
        factories.notification(ukr, D(2026, month, 1), [(site, "tanks", month)], submit=False) for month in range(1, 9)
    ]
    submit_at_once(pool, drafts)

    assert Notification.objects.filter(status="submitted").count() == 8
    for month in range(1, 9):
        assert in_force(site, D(2026, month, 15)) == [(drafts[month - 1].reference, month)]


def test_two_officers_correcting_the_same_notification_get_one_correction_and_one_refusal(pool):
    ukr = factories.party("UKR")
    site = factories.site(ukr)
    original = factories.notification(ukr, D(2026, 1, 1), [(site, "tanks", 10)])
    start = threading.Barrier(2)

    def correct(reference):
        start.wait(10)
        return services.correct(original, reference=reference)

    outcomes = []
    for future in [pool(correct, "UKR-C-1"), pool(correct, "UKR-C-2")]:
        try:
            outcomes.append(future.result(15).reference)
        except ValidationError as refusal:
            outcomes.append(refusal.messages[0])
    corrections = [outcome for outcome in outcomes if outcome in ("UKR-C-1", "UKR-C-2")]
    refusals = [outcome for outcome in outcomes if outcome not in corrections]
    assert len(corrections) == 1
    assert refusals == [f"{original.reference} already has a correction"]
    assert Notification.objects.filter(supersedes=original).count() == 1


def test_an_inspector_saving_while_a_correction_supersedes_keeps_both(pool):
    ukr, rus = factories.party("UKR"), factories.party("RUS")
    site = factories.site(ukr, code="DEPOT")
    original = factories.notification(ukr, D(2026, 1, 1), [(site, "tanks", 10)])
    correction = services.correct(original, reference="UKR-CORR")
    correction.holdings.update(quantity=14)
    submitted, release = threading.Event(), threading.Event()

    superseding = pool(submit_and_hold, correction, submitted, release)
    assert submitted.wait(10)
    inspecting = pool(lambda: factories.inspection(rus, ukr, D(2026, 3, 2), {"tanks": 14}, site=site).reference)
    reference = inspecting.result(10)  # not blocked by the open correction
    release.set()
    superseding.result(15)

    assert Inspection.objects.get(reference=reference).findings.get().observed == 14
    original.refresh_from_db()
    assert original.status == "superseded"
    assert in_force(site, D(2026, 3, 2)) == [("UKR-CORR", 14)]


def test_a_reader_never_sees_a_half_submitted_correction(pool):
    ukr = factories.party("UKR")
    sites = [factories.site(ukr, code=f"S{number}") for number in range(20)]
    original = factories.notification(ukr, D(2026, 1, 1), [(site, "tanks", 10) for site in sites])
    correction = services.correct(original, reference="UKR-CORR")
    correction.holdings.update(quantity=5)
    submitted, release = threading.Event(), threading.Event()

    superseding = pool(submit_and_hold, correction, submitted, release)
    assert submitted.wait(10)
    totals_during = pool(lambda: sum(Holding.objects.as_of(D(2026, 2, 1)).values_list("quantity", flat=True)))
    assert totals_during.result(10) == 200
    release.set()
    superseding.result(15)
    assert sum(Holding.objects.as_of(D(2026, 2, 1)).values_list("quantity", flat=True)) == 100


def test_officers_of_one_zone_submitting_at_once_are_all_counted_in_its_totals(pool):
    ukr = factories.party("UKR")
    zone = factories.zone("Z1")
    drafts = [
        factories.notification(ukr, D(2026, 1, 1), [(factories.site(ukr), "tanks", number)], submit=False)
        for number in range(1, 9)
    ]
    submit_at_once(pool, drafts)

    assert compliance.zone_counts(D(2026, 1, 1), [zone.id]) == {
        (zone.id, ukr.id, factories.category("tanks").id, "active"): sum(range(1, 9))
    }


def test_a_zone_redrawn_while_a_notification_is_submitted_counts_its_lines_where_they_now_lie(pool):
    ukr = factories.party("UKR")
    zone = factories.zone("Z1", factories.square(30, 45, 31, 46))
    site = factories.site(ukr, code="DEPOT", lon=32, lat=45.5)
    notice = factories.notification(ukr, D(2026, 1, 1), [(site, "tanks", 10)], submit=False)
    submitted, release = threading.Event(), threading.Event()

    submitting = pool(submit_and_hold, notice, submitted, release)
    assert submitted.wait(10)
    redrawing = pool(lambda: zone.versions.update(geom=factories.square(30, 45, 33, 46)))
    assert blocked_or_done(redrawing), "the redrawn zone did not wait for the submission's lines"
    release.set()
    submitting.result(15), redrawing.result(15)

    assert compliance.zone_counts(D(2026, 1, 1), [zone.id]) == {
        (zone.id, ukr.id, factories.category("tanks").id, "active"): 10
    }


OBSERVATION = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [36.0, 48.0]},
    "properties": {
        "reference": "OBS-1",
        "source": "satellite",
        "observed_on": "2026-05-01",
        "category": "tanks",
        "count": 3,
        "confidence": 0.5,
    },
}


def test_the_same_observation_posted_twice_at_once_is_stored_once_and_the_other_gets_a_409(pool):
    """Both requests pass the uniqueness check before either inserts (a table lock holds their
    INSERTs back until both have validated); the loser hits the unique constraint."""
    clients = [factories.api(factories.person(f"analyst-{n}", Role.ANALYST)) for n in range(2)]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE tracker_observation IN SHARE ROW EXCLUSIVE MODE")
        futures = [pool(client.post, "/api/observations/", OBSERVATION, "json") for client in clients]
        waiting_on_locks(2)
    responses = sorted((future.result(15) for future in futures), key=lambda response: response.status_code)
    assert [response.status_code for response in responses] == [201, 409]
    assert responses[1].json() == {
        "reference": ["already exists: another request stored the same value first; nothing was stored"]
    }
    assert Observation.objects.count() == 1
