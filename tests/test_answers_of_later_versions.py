"""A request is served the answer kept at its own data version or, when that answer was computed from committed
data, at a later one; an answer computed in a transaction that wrote serves its own version alone, unless made
ahead by a submission (``answers.ahead``), and then only once it commits.

Committed data in real transactions: each thread reads on its own connection what the others committed.
Every answer served is compared with the engine's own, computed afresh without any cache.
"""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction

from tests import factories as f
from tests import signing
from tracker import answers, compliance
from tracker.compliance import cached, engine
from tracker.roles import Role

D = datetime.date
DAY = D(2026, 6, 1)
VIOLATIONS = "/api/violations/?as_of=2026-06-01"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database(transactional_db):
    f.ensure_categories()
    answers.forget()
    yield
    answers.forget()


@pytest.fixture
def depot():
    """UKR holds 5 tanks in Z1, which limits it to 10."""
    ukr = f.party("UKR")
    f.ceiling(f.zone("Z1"), 10)
    site = f.site(ukr, code="DEPOT")
    f.notification(ukr, D(2026, 1, 1), [(site, "tanks", 5)])
    return ukr, site


def excess(breaches) -> list[int]:
    return [breach.excess for breach in breaches]


def on_own_connection(task):
    """``task()`` run in a thread of its own, as another request would be, its connection closed after."""
    found = []

    def run():
        try:
            found.append(task())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return found[0]


def test_a_reader_of_the_version_before_a_write_takes_the_zones_counted_after_it(depot, recounted):
    ukr, site = depot
    before = answers.versions()  # the request began here
    f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)])
    assert excess(compliance.cached_evaluate(DAY)) == [40]
    assert len(recounted) == 1

    zones = sorted(recounted[0])
    older = answers.reused_each("zone {}", before, cached._zones_ceilings, DAY, zones)

    assert len(recounted) == 1  # nothing counted again for the older version
    assert [count.counted for counts, _ in older.values() for count in counts] == [50]
    assert excess(breach for _, breaches in older.values() for breach in breaches) == [40]
    assert excess(engine.evaluate(DAY)) == [40]


def test_a_request_that_read_its_version_before_a_write_is_sent_the_later_answer_with_its_etag_and_version(
    depot, recounted, monkeypatch
):
    """Its version read, the request waits while a submission commits and another request makes the answer
    of the new version; it is then sent that answer, its ETag and its (higher) version, computing nothing."""
    ukr, site = depot
    monitor = f.person("monitor", Role.MONITOR)
    client, another = f.api(monitor), f.api(monitor)
    first = client.get(VIOLATIONS)
    assert first.json()["results"] == []
    read, armed, later = answers.data_version, [True], []

    def reading_then_writing():
        version = read()
        if armed and threading.current_thread() is threading.main_thread():
            armed.clear()
            f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)])
            later.append(on_own_connection(lambda: another.get(VIOLATIONS)))
        return version

    monkeypatch.setattr(answers, "data_version", reading_then_writing)
    counted = len(recounted)
    older = client.get(VIOLATIONS)

    assert len(recounted) == counted + 1  # by the later request alone
    assert older.status_code == later[0].status_code == 200
    assert [b["excess"] for b in older.json()["results"]] == [40]
    assert older.content == later[0].content
    assert older["ETag"] == later[0]["ETag"] != first["ETag"]
    assert int(older["X-Data-Version"]) == int(later[0]["X-Data-Version"]) > int(first["X-Data-Version"])
    answers.forget()
    afresh = client.get(VIOLATIONS)
    assert afresh.content == older.content
    assert afresh["X-Data-Version"] == older["X-Data-Version"]


@pytest.mark.parametrize("kept_before", [True, False], ids=["kept before", "none kept before"])
def test_an_answer_computed_inside_a_rolled_back_write_is_never_served_after_it(depot, kept_before):
    ukr, site = depot
    if kept_before:
        assert compliance.cached_evaluate(DAY) == []
    with pytest.raises(RuntimeError), transaction.atomic():
        f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)])
        assert excess(compliance.cached_evaluate(DAY)) == [40]
        raise RuntimeError("the officer cancels")

    assert compliance.cached_evaluate(DAY) == [] == engine.evaluate(DAY)


def test_an_answer_computed_inside_a_writing_transaction_is_never_served_to_a_request_of_an_older_version(depot):
    """While the write is open, another request reads the version before it: it gets the answer of the committed
    data, not the one the writing transaction made; once the write commits, the next request gets the new one."""
    ukr, site = depot
    computed, release = threading.Event(), threading.Event()

    def write_and_hold():
        with transaction.atomic():
            f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)])
            found = excess(compliance.cached_evaluate(DAY))
            computed.set()
            assert release.wait(30)
        return found

    writer = threading.Thread(target=lambda: on_own_connection(write_and_hold))
    writer.start()
    try:
        assert computed.wait(30)
        assert compliance.cached_evaluate(DAY) == [] == engine.evaluate(DAY)
    finally:
        release.set()
        writer.join()
    assert excess(compliance.cached_evaluate(DAY)) == [40] == excess(engine.evaluate(DAY))


def test_a_read_request_looks_its_answers_up_at_the_version_it_read_last(depot):
    ukr, site = depot
    assert excess(compliance.cached_evaluate(DAY)) == []
    with answers.read_once():
        started = answers.data_version()
        on_own_connection(lambda: f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)]))

        # Read once: the answer kept at the version the request began with still serves it, with no read.
        assert answers.data_version() == started
        assert excess(compliance.cached_evaluate(DAY)) == []

        # Read again, as before computing an answer: every look-up after it is at the later version.
        answers.read_again()
        assert answers.data_version() != started
        assert excess(compliance.cached_evaluate(DAY)) == [40]
    assert excess(compliance.cached_evaluate(DAY)) == [40]


# A submission makes the answers it changes before it commits (``answers.ahead``): its readers find them made, at
# its own version, and a write rolled back keeps none of them.


@pytest.fixture
def officer(depot):
    return f.api(f.person("officer-ukr", Role.OFFICER, depot[0]))


def test_a_submission_makes_the_evaluations_kept_before_it_commits(depot, officer, recounted):
    ukr, site = depot
    assert excess(compliance.cached_evaluate(DAY)) == []
    assert compliance.cached_zone_states(DAY) == {"Z1": "within"}
    draft = f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)], submit=False)
    recounted.clear()

    assert signing.submit(officer, draft.reference).status_code == 200
    assert len(recounted) == 1  # made by the submission

    assert excess(compliance.cached_evaluate(DAY)) == [40]
    assert compliance.cached_zone_states(DAY) == {"Z1": "breached"}
    assert len(recounted) == 1  # and found made by its readers
    assert compliance.cached_evaluate(DAY) == engine.evaluate(DAY)


def test_only_the_days_kept_are_made_ahead(depot, officer, recounted):
    ukr, site = depot
    compliance.cached_evaluate(DAY)
    draft = f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)], submit=False)
    recounted.clear()

    signing.submit(officer, draft.reference)

    assert answers.asked(cached._evaluate_from_pieces) == [(DAY,)]
    assert excess(compliance.cached_evaluate(D(2026, 7, 1))) == [40]
    assert len(recounted) == 2  # the kept day by the submission, the other by its reader


def test_a_write_rolled_back_keeps_nothing_it_made_ahead(depot, recounted):
    ukr, site = depot
    assert excess(compliance.cached_evaluate(DAY)) == []
    recounted.clear()

    with pytest.raises(RuntimeError), transaction.atomic():
        f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)])
        compliance.made_ahead()
        raise RuntimeError("the officer cancels")

    assert len(recounted) == 1
    assert excess(compliance.cached_evaluate(DAY)) == []
    assert len(recounted) == 1  # the answer kept before the write serves again
    assert compliance.cached_evaluate(DAY) == engine.evaluate(DAY)


def test_answers_made_ahead_are_kept_only_once_the_write_commits(depot, recounted):
    ukr, site = depot
    assert excess(compliance.cached_evaluate(DAY)) == []
    recounted.clear()

    with transaction.atomic():
        f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)])
        compliance.made_ahead()
        # Another request meanwhile reads what is committed, and is served the answer kept before the write.
        assert excess(on_own_connection(lambda: compliance.cached_evaluate(DAY))) == []

    assert excess(on_own_connection(lambda: compliance.cached_evaluate(DAY))) == [40]
    assert len(recounted) == 1  # made ahead, within the write, and only then


def test_a_submission_makes_ahead_the_days_asked_last_only(depot, officer, recounted):
    ukr, site = depot
    days = [D(2026, 6, n) for n in range(1, 6)]
    for day in days:
        compliance.cached_evaluate(day)
    draft = f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)], submit=False)
    recounted.clear()

    assert signing.submit(officer, draft.reference).status_code == 200
    assert len(recounted) == cached.MADE_AHEAD_DAYS == 3

    for day in days:
        assert excess(compliance.cached_evaluate(day)) == [40]
    assert len(recounted) == len(days)  # the two asked first, by their readers


def test_a_submission_stands_when_its_answers_cannot_be_made_ahead(depot, officer, monkeypatch):
    ukr, site = depot
    compliance.cached_evaluate(DAY)
    draft = f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)], submit=False)

    def failing(day):
        compliance.cached_evaluate(day)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")  # as a statement cut off by its time limit

    monkeypatch.setattr(cached, "cached_zone_states", failing)

    assert signing.submit(officer, draft.reference).status_code == 200
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert excess(compliance.cached_evaluate(DAY)) == [40]
    assert compliance.cached_evaluate(DAY) == engine.evaluate(DAY)
