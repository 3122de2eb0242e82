"""Deliveries survive a restart: the worker (``manage.py deliver_alerts``, a real process) fails while the receiver
is down and is killed; the receiver comes back, two workers start again, and the entry arrives exactly once."""

import datetime
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories
from tests.alert_records import entry, finding, subscription
from tests.webhook_receiver import Receiver
from tracker.alerts import enqueue
from tracker.models import Delivery, Webhook
from tracker.models.parties import Role

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker() -> subprocess.Popen:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "ALERT_WEBHOOK_ALLOW_PRIVATE": "true",
        "ALERT_WORKER_IDLE_SECONDS": "1",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "deliver_alerts"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def database_now() -> datetime.datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.fetchone()[0]


def connected_since(moment: datetime.datetime) -> int:
    """Connections to the test database opened after ``moment``: the workers' once they have started."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_start > %s",
            [moment],
        )
        return cursor.fetchone()[0]


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_an_undelivered_webhook_is_delivered_exactly_once_after_the_worker_and_receiver_come_back():
    port = free_port()
    monitor = factories.person("monitor-pol", Role.MONITOR, factories.party("POL"))
    hook = Webhook.objects.create(
        subscription=subscription(monitor)[0], url=f"http://127.0.0.1:{port}/hooks/tracker", secret="s"
    )
    [delivery] = enqueue([entry(finding())])

    first = worker()
    try:
        wait_for(lambda: Delivery.objects.get(pk=delivery.pk).attempts >= 1)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    failed = Delivery.objects.get(pk=delivery.pk)
    assert failed.delivered_at is None and failed.last_status is None and failed.last_error

    receiver = Receiver(port=port)
    # The backoff's wait has passed.
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    started = database_now()
    workers = [worker(), worker()]
    try:
        wait_for(lambda: Delivery.objects.get(pk=delivery.pk).delivered_at is not None)
        # Each worker connects once it can be stopped gently; one still starting up would die of the signal.
        wait_for(lambda: connected_since(started) >= len(workers))
        time.sleep(2.5)  # both workers have passed over the queue again
    finally:
        for running in workers:
            running.send_signal(signal.SIGTERM)
        outputs = [running.communicate(timeout=20)[0] for running in workers]
        receiver.close()

    assert len(receiver.received) == 1, outputs
    assert receiver.received[0][0]["Tracker-Delivery"] == str(delivery.pk)
    assert [running.returncode for running in workers] == [0, 0], outputs
    assert hook.deliveries.get().attempts == failed.attempts + 1
