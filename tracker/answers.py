"""Answers kept per process while the data they were computed from is unchanged.

Every table the compliance engine and the holdings totals read bumps its row in
``tracker_dataversion``, in the writing transaction, to a sequence value never handed out twice
(``tracker/sql/data_version.sql``): a version read before computing is never newer than the data
computed from, and a committed write raises the version every later request reads above that of
any answer computed before it. So an answer is never served to a request that began after a write
that changes it.

The freshness rule: a request is served an answer kept at its own version, or at a later one in every
row when that answer was computed from committed data alone (``Kept``). Such an answer holds at least
everything committed before the request began; the version it names (``Kept.find``) is its own, never
lower than the request's. An answer computed in a transaction that had written is kept for its own
version only: a rolled-back write's rows are higher than anything committed, and would otherwise pass
for the future. Readers of the version before a write are thus served the answer the first reader
after it made, rather than each making again the one of their own, older version.

Finer rows say what a write changed (``tracker/sql/scope_versions.sql``): 'party <id>' for a party's
notifications, lines and objects of verification, 'zone <id>' for what is held in a zone. An answer about
one party or one zone alone (``reused_each``) is kept against its own row and the rows of every table but
those (``SCOPED_TABLES``): a submission by one party leaves the answers about the other parties, and about
the zones its lines are not in, as they were. The same argument keeps it fresh: whatever changes the data
such an answer is computed from bumps one of the rows it is kept against. An answer that reads a few
tables alone (``reused_apart``: a zone version's outline) is kept against their rows only.

The API shows the version as one number (``published``) on every read and write it answers.
"""

import contextlib
import threading
from collections.abc import Callable, Hashable
from typing import NamedTuple, TypeVar

from django.db import connection, transaction

T = TypeVar("T")

# Answers of one party or zone on a day, and the whole evaluations made of them: room for the days a
# crowd of monitors asks about in a thousand zones, before all are thrown away at once.
KEPT_ANSWERS = 8192
# Writes to these tables bump the rows of the parties and zones they change, which scoped answers are
# kept against instead of theirs.
SCOPED_TABLES = frozenset({"tracker_holding", "tracker_notification", "tracker_objectofverification"})
# The findings register and the ledger: read by the whole evaluation (receipts owed) and the API's answers
# (a finding's state), by no answer about one zone or party. Every signed submission writes a ledger entry.
RECORD_TABLES = frozenset(
    {
        "tracker_finding",
        "tracker_concern",
        "tracker_concernstep",
        "tracker_ledgerentry",
        "tracker_treehead",
        "tracker_receipt",
        "tracker_signingkey",
    }
)
UNSCOPED_UNREAD = SCOPED_TABLES | RECORD_TABLES
KEPT_RESPONSE_BYTES = 64 * 2**20


_request = threading.local()


@contextlib.contextmanager
def read_once():
    """Within a request that only reads: the data version read first serves every look-up of a kept answer, and
    each reading of it again (``read_again``, just before an answer is computed) serves those after it. A
    version read earlier is never newer than what is computed later, so every answer is still kept at a
    version no newer than its data; and a request that finds its answers kept reads the version once, not at
    every look-up, each a round trip that waits for the interpreter's lock again under a crowd of requests."""
    outer = getattr(_request, "reading", False), getattr(_request, "versions", None)
    _request.reading, _request.versions = True, None
    try:
        yield
    finally:
        _request.reading, _request.versions = outer


_ahead = threading.local()


@contextlib.contextmanager
def ahead():
    """Within a write's transaction, once it has written: every answer computed here is set aside, and kept
    when the transaction commits, as computed from committed data, at the version it was computed at: this
    transaction reads its own rows of the data version, and every other row as committed. Once it commits, that
    version is committed too, so readers after the commit find the answers the write changed made already,
    instead of waiting for the first of them to make them; a writer that committed meanwhile moved a row past
    it, and its readers are served only what is made at their own version. A write rolled back keeps none."""
    staged: dict[tuple, Entry] = {}
    _ahead.staged = staged
    try:
        # What is made here only reads: the version read once serves its look-ups, as in a read request.
        with read_once():
            yield
    finally:
        _ahead.staged = None

    def keep():
        for (kept, key), entry in staged.items():
            kept.keep(key, entry.version, entry.answer)

    transaction.on_commit(keep)


def asked(question: Callable) -> list[tuple]:
    """The arguments ``question`` is kept for (``reused``), the one kept last, last."""
    with _answers.lock:
        keys = list(_answers.answers)
    return [key[2] for key in keys if key[:2] == (question.__module__, question.__qualname__)]


def data_version() -> tuple[tuple[str, int], ...]:
    """The current version of everything an evaluation reads, row by row; it changes with every committed write."""
    return tuple(sorted(versions().items()))


def versions() -> dict[str, int]:
    """Every row of the data version, the finer ones of parties and zones included, read at once; within
    ``read_once``, the one last read."""
    return getattr(_request, "versions", None) or read_again()


def read_again() -> dict[str, int]:
    """``versions()`` read from the database now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, version FROM tracker_dataversion")
        found = dict(cursor.fetchall())
    if getattr(_request, "reading", False):
        _request.versions = found
    return found


def scoped_versions(read: dict[str, int], scope: str, ids: list) -> dict:
    """The version, in ``read`` (``versions()``), an answer about ``scope.format(id)`` alone ('party <id>',
    'zone <id>') is kept against, for each of ``ids``: its own row, absent until first written, and those of
    every table but ``SCOPED_TABLES`` and ``RECORD_TABLES``, the same for all: (name, value) rows, as every
    version is."""
    tables = tuple(sorted((name, v) for name, v in read.items() if " " not in name and name not in UNSCOPED_UNREAD))
    return {id: (*tables, (scope.format(id), read.get(scope.format(id)))) for id in ids}


def published(version: tuple[tuple[str, int], ...]) -> int:
    """``version`` as one number that grows with every committed write, whichever tables it wrote.

    A table's row only grows, in the order its writers commit: each bumps it holding the row's lock
    until it commits, and one that waited for the lock draws its value after taking it. So the sum
    grows with every commit, where the largest value would not: a value drawn first may commit last.
    """
    return sum(value for _, value in version)


def data_version_again() -> tuple[tuple[str, int], ...]:
    """``data_version()`` read from the database now (``read_again``)."""
    return tuple(sorted(read_again().items()))


def current_version() -> tuple[tuple[str, int], ...]:
    """``kept_version`` of the data version now, read again."""
    return kept_version(data_version_again())


def kept_version(version: tuple[tuple[str, int], ...]) -> tuple[tuple[str, int], ...]:
    """What answers are kept against in ``version`` (``data_version()``): every row but those of
    ``SCOPED_TABLES``, which move with drafts too, where the rows of the parties and zones do not."""
    return tuple((name, value) for name, value in version if name not in SCOPED_TABLES)


class Entry(NamedTuple):
    version: tuple
    answer: object
    weight: int
    # Computed from committed data only (``committed()``): it may serve requests of its version or older.
    committed: bool


def at_least(kept: tuple, asked: tuple) -> bool:
    """Whether version ``kept`` is ``asked`` or later in every row: the same rows, each value at least
    the asked one (a row absent, None, is earlier than any value)."""
    return len(kept) == len(asked) and all(_row_at_least(row, other) for row, other in zip(kept, asked))


def _row_at_least(kept, asked) -> bool:
    if isinstance(kept, tuple):  # (name, value)
        return kept[0] == asked[0] and _row_at_least(kept[1], asked[1])
    return asked is None or (kept is not None and kept >= asked)


def committed() -> bool:
    """Whether the connection reads committed data only: outside a transaction, or in one that has written
    nothing yet. Asked after computing an answer, in the transaction that computed it, whose version was read
    in it or before it."""
    if not connection.in_atomic_block or getattr(_ahead, "staged", None) is not None:
        # Within ``ahead`` nothing is kept before the write commits, and then as computed from committed data.
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id_if_assigned() IS NULL")
        return cursor.fetchone()[0]


class Kept:
    """Answers by key, each with the data version it was computed at; emptied when over ``capacity``.

    An answer serves a request of its own version, and, when computed from committed data, of any older
    one (``at_least`` in every row): it holds everything committed before that request began. One computed
    in a transaction that had written serves its own version only, as that version may never commit (a
    rolled-back write), and never takes the place of one computed from committed data. Per key the newest
    is kept. Threads asking for the same missing answer compute it once: the first computes, the others
    wait for it and look again, so readers of the version before a write take the answer the first reader
    after it made rather than each make their own, one after another.
    """

    def __init__(self, capacity: int, weigh: Callable[[object], int]):
        self.capacity, self.weigh = capacity, weigh
        self.answers: dict[Hashable, Entry] = {}
        self.computing: dict[Hashable, threading.Lock] = {}
        self.weight = 0
        self.lock = threading.Lock()

    def serving(self, key: Hashable, version: tuple) -> Entry | None:
        """The answer kept for ``key`` that may serve a request of ``version``, if any; within ``ahead``, one
        made ahead serves first."""
        staged = getattr(_ahead, "staged", None) or {}
        for kept in (staged.get((self, key)), self.answers.get(key)):
            if kept is not None and (kept.version == version or kept.committed and at_least(kept.version, version)):
                return kept
        return None

    def get(self, key: Hashable, compute: Callable[[], T], version: tuple | None = None) -> T:
        """The answer kept for ``key`` that serves ``version`` (``kept_version``; read now when not given),
        computed when missing."""
        return self.find(key, compute, version)[0]

    def find(
        self,
        key: Hashable,
        compute: Callable[[], T],
        version: tuple | None = None,
        reread: Callable[[], tuple] | None = None,
    ) -> tuple[T, tuple]:
        """``get``, with the version of the answer given: ``version`` itself or a later one.

        The answer computed is kept at the version read again just before computing (``reread()``; when
        ``version`` is not given, ``kept_version`` read again): it holds everything committed before then, so
        it serves every request that waited for it, however many writes committed meanwhile. Kept at the
        version its request began with, it would serve none of those that began after the next write, and
        under writes more frequent than it takes to compute, each would wait for the one before it, without end.
        """
        if version is None:
            version, reread = kept_version(data_version()), reread or current_version
        kept = self.serving(key, version)
        if kept is not None:
            return kept.answer, kept.version
        with self.lock:
            computing = self.computing.setdefault(key, threading.Lock())
        with computing:
            kept = self.serving(key, version)
            if kept is not None:
                return kept.answer, kept.version
            if reread is not None:
                version = reread()
            answer = compute()
            self.keep(key, version, answer, committed())
        return answer, version

    def get_each(
        self, batch: Hashable, versions: dict[Hashable, tuple], compute: Callable[[list[Hashable]], dict]
    ) -> dict[Hashable, object]:
        """The answer kept for each key of ``versions`` that serves its version; those missing computed
        together by ``compute(keys)``, one batch at a time for ``batch``."""
        found = {key: self.serving(key, version) for key, version in versions.items()}
        if None not in found.values():
            return {key: kept.answer for key, kept in found.items()}
        with self.lock:
            computing = self.computing.setdefault(batch, threading.Lock())
        with computing:
            found = {key: self.serving(key, version) for key, version in versions.items()}
            missing = [key for key, kept in found.items() if kept is None]
            computed = compute(missing) if missing else {}
            if missing:
                read_committed = committed()
            for key in missing:
                self.keep(key, versions[key], computed[key], read_committed)
        return {key: computed[key] if kept is None else kept.answer for key, kept in found.items()}

    def keep(self, key: Hashable, version: tuple, answer: object, from_committed: bool = True) -> None:
        """Keep ``answer`` for ``key`` at ``version`` unless the one kept is newer, or is from committed
        data where this one is not."""
        staged = getattr(_ahead, "staged", None)
        if staged is not None:
            staged[self, key] = Entry(version, answer, 0, True)
            return
        weight = self.weigh(answer)
        with self.lock:
            kept = self.answers.get(key)
            if kept is not None and kept.committed:
                if not from_committed or kept.version != version and at_least(kept.version, version):
                    return
            if kept is not None:
                self.weight -= self.answers.pop(key).weight
            if self.weight + weight > self.capacity:
                self._empty()
            self.answers[key] = Entry(version, answer, weight, from_committed)
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


def reused_each(scope: str, read: dict[str, int], question: Callable[..., dict], day, ids: list, *args) -> dict:
    """``question(day, ids, *args)`` (an answer per id, each about the scope ``scope.format(id)`` alone), reused
    per id while none of the data it reads has changed by the versions in ``read`` (``versions()``); the ids
    whose answer changed are asked together. ``args`` must be hashable."""
    name = (question.__module__, question.__qualname__, *args, day)
    return _per_id(name, scoped_versions(read, scope, ids), lambda missing: question(day, missing, *args))


def reused_apart(
    tables: tuple[str, ...], read: dict[str, int], question: Callable[..., dict], ids: list, *args
) -> dict:
    """``question(ids, *args)`` (an answer per id), reused per id while the rows of ``tables`` in ``read``
    (``versions()``) stand: for answers that read nothing but those tables, such as a zone version's outline,
    which no declaration changes. ``args`` must be hashable."""
    version = tuple((table, read.get(table)) for table in tables)
    name = (question.__module__, question.__qualname__, *args)
    return _per_id(name, dict.fromkeys(ids, version), lambda missing: question(missing, *args))


def _per_id(name: tuple, versions: dict, ask: Callable[[list], dict]) -> dict:
    """The answer kept under ``(*name, id)`` for each id of ``versions`` at its version; those missing asked
    together, ``ask(ids)``."""
    found = _answers.get_each(
        name,
        {(*name, id): version for id, version in versions.items()},
        lambda keys: {(*name, id): answer for id, answer in ask([key[-1] for key in keys]).items()},
    )
    return {key[-1]: answer for key, answer in found.items()}
