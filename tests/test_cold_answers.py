"""The first readers after a write: one computes the new answer, the others wait for it; none is given an older one."""

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
