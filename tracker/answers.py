"""Answers kept per process while the data they were computed from is unchanged.

Every table the compliance engine and the holdings totals read bumps its row in
``tracker_dataversion``, in the writing transaction, to a sequence value never handed out twice
(``tracker/sql/data_version.sql``): a version read before computing is never newer than the data
computed from, and any committed write makes every older answer unreachable. So an answer is
never served after a write that changes it.

The API shows the version as one number (``published``) on every read and write it answers.
"""

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")

KEPT_ANSWERS = 256
KEPT_RESPONSE_BYTES = 64 * 2**20


def data_version() -> tuple[int, ...]:
    """The current version of everything an evaluation reads; it changes with every committed write."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(version ORDER BY table_name) FROM tracker_dataversion")
        return tuple(cursor.fetchone()[0])


def published(version: tuple[int, ...]) -> int:
    """``version`` as one number that grows with every committed write, whichever tables it wrote.

    A table's row only grows, in the order its writers commit: each bumps it holding the row's lock
    until it commits, and one that waited for the lock draws its value after taking it. So the sum
    grows with every commit, where the largest value would not: a value drawn first may commit last.
    """
    return sum(version)


class Kept:
    """Answers by key, each with the data version it was computed at; emptied when over ``capacity``.

    Threads asking for the same missing answer compute it once: the first computes, the others
    wait for it rather than spend the same seconds again.
    """

    def __init__(self, capacity: int, weigh: Callable[[object], int]):
        self.capacity, self.weigh = capacity, weigh
        self.answers: dict[Hashable, tuple[tuple[int, ...], object, int]] = {}
        self.computing: dict[Hashable, threading.Lock] = {}
        self.weight = 0
        self.lock = threading.Lock()

    def current(self, key: Hashable, version: tuple[int, ...]) -> tuple[bool, object]:
        kept = self.answers.get(key)
        return (True, kept[1]) if kept is not None and kept[0] == version else (False, None)

    def get(self, key: Hashable, compute: Callable[[], T], version: tuple[int, ...] | None = None) -> T:
        """The answer kept for ``key`` at ``version`` (read now when not given), computed when missing."""
        version = version or data_version()
        found, answer = self.current(key, version)
        if found:
            return answer
        with self.lock:
            computing = self.computing.setdefault(key, threading.Lock())
        with computing:
            found, answer = self.current(key, version)
            if found:
                return answer
            answer = compute()
            self.keep(key, version, answer)
        return answer

    def keep(self, key: Hashable, version: tuple[int, ...], answer: object) -> None:
        weight = self.weigh(answer)
        with self.lock:
            if key in self.answers:
                self.weight -= self.answers.pop(key)[2]
            if self.weight + weight > self.capacity:
                self._empty()
            self.answers[key] = (version, answer, weight)
            self.weight += weight

    def clear(self) -> None:
        with self.lock:
            self._empty()

    def _empty(self) -> None:
        self.answers.clear()
        self.computing.clear()
        self.weight = 0


_answers = Kept(KEPT_ANSWERS, weigh=lambda answer: 1)
responses = Kept(KEPT_RESPONSE_BYTES, weigh=lambda response: len(response[1]))


def forget() -> None:
    """Forget every kept answer."""
    _answers.clear()
    responses.clear()


def reused(question: Callable[..., T], *args, **kwargs) -> T:
    """``question(*args, **kwargs)``, reused from an earlier call while none of the data has changed.

    Arguments must be hashable; callers copy a mutable answer before changing it.
    """
    key = (question.__module__, question.__qualname__, args, tuple(sorted(kwargs.items())))
    return _answers.get(key, lambda: question(*args, **kwargs))
