"""The first readers after a write: one computes the new answer, the others wait for it; none is given an older one,
and readers of the version before it take the new one too."""

import threading
import time

from tracker.answers import Kept

KEY = ("violations", "/api/violations/?as_of=2026-06-01")


def crowd(kept: Kept, version: tuple[int, ...], compute, readers: int = 8) -> list:
    start, answers = threading.Barrier(readers), []

    def read():
        start.wait()
        answers.append(kept.get(KEY, compute, version))

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def counting(seconds: float = 0.2):
    computed = []

    def compute():
        computed.append(None)
        time.sleep(seconds)
        return f"answer {len(computed)}"

    return compute, computed


def test_readers_arriving_together_after_a_write_compute_the_answer_once():
    kept = Kept(10, weigh=lambda answer: 1)
    compute, computed = counting()

    assert crowd(kept, (1,), compute) == ["answer 1"] * 8
    assert crowd(kept, (2,), compute) == ["answer 2"] * 8
    assert len(computed) == 2


def test_a_reader_of_a_newer_version_waits_for_its_own_answer_not_the_older_one_being_computed():
    kept = Kept(10, weigh=lambda answer: 1)
    compute, computed = counting(0.3)
    older = threading.Thread(target=kept.get, args=(KEY, compute, (1,)))
    older.start()
    time.sleep(0.1)

    assert kept.get(KEY, compute, (2,)) == "answer 2"
    older.join()
    assert len(computed) == 2


def test_a_reader_of_the_version_before_a_write_waits_for_the_later_answer_being_computed_and_takes_it():
    """Whether it arrives while the later answer is computed (and waits for it) or after it is kept, the reader
    of the older version computes nothing: the later answer, computed from committed data, serves it."""
    kept = Kept(10, weigh=lambda answer: 1)
    computing, release, computed = threading.Event(), threading.Event(), []

    def compute_later():
        computing.set()
        assert release.wait(10)
        computed.append("later")
        return "answer of version 2"

    later = threading.Thread(target=kept.get, args=(KEY, compute_later, (2,)))
    later.start()
    assert computing.wait(10)
    found = []
    older = threading.Thread(target=lambda: found.append(kept.find(KEY, lambda: computed.append("older"), (1,))))
    older.start()
    release.set()
    later.join()
    older.join()

    assert found == [("answer of version 2", (2,))]
    assert computed == ["later"]


def test_an_answer_of_an_older_version_computed_last_leaves_the_later_one_kept():
    kept = Kept(10, weigh=lambda answer: 1)
    kept.keep(KEY, (("zone 1", 2), ("zones_zone", 5)), "later")
    kept.keep(KEY, (("zone 1", 1), ("zones_zone", 5)), "older")

    assert kept.find(KEY, list, (("zone 1", None), ("zones_zone", 4))) == ("later", (("zone 1", 2), ("zones_zone", 5)))


def test_an_answer_from_a_transaction_that_wrote_serves_its_own_version_alone_and_displaces_no_committed_one():
    kept = Kept(10, weigh=lambda answer: 1)
    kept.keep(KEY, (1,), "committed")
    kept.keep(KEY, (3,), "written, not committed", from_committed=False)
    assert kept.find(KEY, list, (1,)) == ("committed", (1,))

    kept.clear()
    kept.keep(KEY, (3,), "written, not committed", from_committed=False)
    assert kept.find(KEY, lambda: "made again", (1,)) == ("made again", (1,))
    assert kept.find(KEY, list, (1,)) == ("made again", (1,))


def test_an_answer_is_served_to_no_request_of_a_later_version_in_any_row():
    kept = Kept(10, weigh=lambda answer: 1)
    kept.keep(KEY, (("party 1", 5), ("tracker_ceiling", 9)), "kept")

    assert kept.find(KEY, lambda: "made again", (("party 1", 6), ("tracker_ceiling", 2))) == (
        "made again",
        (("party 1", 6), ("tracker_ceiling", 2)),
    )


def test_an_answer_is_kept_at_the_version_read_just_before_computing_and_serves_readers_that_began_after_writes():
    """A reader waited for the lock while two writes committed: its answer holds them, so the readers that
    began after them take it too, where one kept at its first version would serve none of them."""
    kept = Kept(10, weigh=lambda answer: 1)

    assert kept.find(KEY, lambda: "answer", (1,), reread=lambda: (3,)) == ("answer", (3,))
    assert kept.find(KEY, list, (2,)) == kept.find(KEY, list, (3,)) == ("answer", (3,))
