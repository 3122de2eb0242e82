"""Answers kept per process while the data they were computed from is unchanged.

Every table the compliance engine and the holdings totals read bumps its row in
``tracker_dataversion``, in the writing transaction, to a sequence value never handed out twice
(migrations 0005 and 0006): a version read before computing is never newer than the data
computed from, and any committed write makes every older answer unreachable. So an answer is
never served after a write that changes it.
"""

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")

_answers: dict[tuple, tuple[tuple[int, ...], object]] = {}
_answers_lock = threading.Lock()
KEPT_ANSWERS = 256


def data_version() -> tuple[int, ...]:
    """The current version of everything an evaluation reads; it changes with every committed write."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(version ORDER BY table_name) FROM tracker_dataversion")
        return tuple(cursor.fetchone()[0])


def reused(question: Callable[..., T], *args, **kwargs) -> T:
    """``question(*args, **kwargs)``, reused from an earlier call while none of the data has changed.

    Arguments must be hashable; callers copy a mutable answer before changing it.
    """
    version = data_version()
    key = (question.__module__, question.__qualname__, args, tuple(sorted(kwargs.items())))
    kept = _answers.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    answer = question(*args, **kwargs)
    with _answers_lock:
        if len(_answers) >= KEPT_ANSWERS:
            _answers.clear()
        _answers[key] = (version, answer)
    return answer
