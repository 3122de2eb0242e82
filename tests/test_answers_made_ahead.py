"""A submission makes the answers it changes before it commits (``answers.ahead``): its readers find them made, at
its own version, and a write rolled back keeps none of them.

Committed data in real transactions, as the answers made ahead are kept when the submission commits; every
answer is compared with the engine's own, computed afresh without any cache.
"""

import datetime
import threading

import pytest
from django.db import connections, transaction

from tests import factories as f
from tests import signing
from tracker import answers, compliance
from tracker.compliance import engine
from tracker.roles import Role

D = datetime.date
DAY = D(2026, 6, 1)
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database(transactional_db):
    f.ensure_categories()
    answers.forget()
    yield
    answers.forget()


@pytest.fixture
def depot():
    """UKR holds 5 tanks in Z1, which limits it to 10; its officer's client."""
    ukr = f.party("UKR")
    f.ceiling(f.zone("Z1"), 10)
    site = f.site(ukr, code="DEPOT")
    f.notification(ukr, D(2026, 1, 1), [(site, "tanks", 5)])
    return ukr, site, f.api(f.person("officer-ukr", Role.OFFICER, ukr))


def excess(breaches) -> list[int]:
    return [breach.excess for breach in breaches]


def test_a_submission_makes_the_evaluations_kept_before_it_commits(depot, recounted):
    ukr, site, officer = depot
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


def test_only_the_days_kept_are_made_ahead(depot, recounted):
    ukr, site, officer = depot
    compliance.cached_evaluate(DAY)
    draft = f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)], submit=False)
    recounted.clear()

    signing.submit(officer, draft.reference)

    assert answers.asked(compliance.cached._evaluate_from_pieces) == [(DAY,)]
    assert excess(compliance.cached_evaluate(D(2026, 7, 1))) == [40]
    assert len(recounted) == 2  # the kept day by the submission, the other by its reader


def test_a_write_rolled_back_keeps_nothing_it_made_ahead(depot, recounted):
    ukr, site, _ = depot
    assert excess(compliance.cached_evaluate(DAY)) == []
    recounted.clear()

    with pytest.raises(RuntimeError), transaction.atomic():
        f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)])
        with answers.ahead():
            compliance.made_ahead()
            assert excess(compliance.cached_evaluate(DAY)) == [40]  # within the write, its own answer
        raise RuntimeError("the officer cancels")

    assert len(recounted) == 1
    assert excess(compliance.cached_evaluate(DAY)) == []
    assert len(recounted) == 1  # the answer kept before the write serves again
    assert compliance.cached_evaluate(DAY) == engine.evaluate(DAY)


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


def test_answers_made_ahead_are_kept_only_once_the_write_commits(depot, recounted):
    ukr, site, _ = depot
    assert excess(compliance.cached_evaluate(DAY)) == []
    recounted.clear()

    with transaction.atomic():
        f.notification(ukr, D(2026, 5, 1), [(site, "tanks", 50)])
        with answers.ahead():
            compliance.made_ahead()
        # Another request meanwhile reads what is committed, and is served the answer kept before the write.
        assert excess(on_own_connection(lambda: compliance.cached_evaluate(DAY))) == []

    assert excess(on_own_connection(lambda: compliance.cached_evaluate(DAY))) == [40]
    assert len(recounted) == 1  # made ahead, within the write, and only then
