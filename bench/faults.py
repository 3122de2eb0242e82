"""PostgreSQL restarted under a stream of API writes: every intended write is stored exactly once.

    .venv/bin/python bench/faults.py [--seconds 20] [--restart-after 6] [--writers 4] [--mode immediate]

Starts a throwaway PostgreSQL cluster (initdb into a temporary folder, 127.0.0.1 only, another
port), migrates it, serves the tracker with gunicorn against it (DEBUG off), and has writer
threads POST notifications with their lines through the API with a token. Mid-stream PostgreSQL
is restarted (``pg_ctl restart``, ``--mode fast`` or ``immediate`` for a crash); gunicorn keeps
running. Each write carries an Idempotency-Key and is sent again with the same key, as
docs/api.md tells clients to, until it is answered (no answer, a 503 or a 409 is retried): a
write committed whose answer was lost is then answered by its stored answer, not stored twice.
Prints the writes intended and acknowledged, the attempts and what they met, how many are stored,
and the time from the restart to the first stored write; exits non-zero unless every intended
write was acknowledged with a 201 and stored exactly once with its line, and writes succeed
again after the restart.
"""

import argparse
import collections
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PYTHON = ROOT / ".venv" / "bin" / "python"
sys.path.insert(0, str(ROOT))

from bench.lib.serving import gunicorn  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of its own in a temporary folder, owned by postgres when run as root."""

    def __init__(self, port: int):
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="tracker-faults-"))
        self.data = self.folder / "data"
        self.owner = "postgres" if os.getuid() == 0 else None
        if self.owner:
            shutil.chown(self.folder, self.owner)

    def run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.owner, "--"] if self.owner else []
        subprocess.run([*prefix, *command], check=True, stdout=subprocess.DEVNULL)

    def pg_ctl(self, action: str, *options: str) -> None:
        log = self.folder / "server.log"
        settings = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder}"
        self.run(str(PG_BIN / "pg_ctl"), action, "-D", str(self.data), "-l", str(log), "-w", "-o", settings, *options)

    def start(self) -> str:
        self.run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "tracker", "--auth=trust", "-E", "UTF8")
        self.pg_ctl("start")
        url = f"postgres://tracker@127.0.0.1:{self.port}/tracker"
        for sql in ("CREATE DATABASE tracker",):
            subprocess.run([PG_BIN / "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "tracker", "postgres",
                            "-qc", sql], check=True)  # fmt: skip
        subprocess.run([PG_BIN / "psql", url, "-qc", "CREATE EXTENSION postgis; CREATE EXTENSION btree_gist"],
                       check=True)  # fmt: skip
        return url

    def restart(self, mode: str) -> None:
        self.pg_ctl("restart", "-m", mode)

    def remove(self) -> None:
        try:
            self.pg_ctl("stop", "-m", "immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def prepare(env: dict) -> str:
    """Migrate, and make a party, a site and an officer; return the officer's token."""
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    script = (
        "from django.contrib.auth.models import User;"
        "from django.contrib.gis.geos import Point;"
        "from accounts.tokens import issue;"
        "from tracker.models import Accreditation, Site, StateParty;"
        "from tracker.roles import Role, create_groups;"
        "groups = {g.name: g for g in create_groups()};"
        "ukr = StateParty.objects.create(code='UKR', name='Ukraine');"
        "Site.objects.create(party=ukr, code='KHA', name='Kharkiv', location=Point(36.2, 50.0, srid=4326));"
        "user = User.objects.create_user('officer');"
        "user.groups.add(groups[Role.OFFICER]);"
        "Accreditation.objects.create(user=user, party=ukr);"
        "print(issue(user)[1])"
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-v0", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def serve(env: dict, port: int, workers: int) -> subprocess.Popen:
    return gunicorn(env, port, ["--workers", str(workers), "--timeout", "60"], wait_seconds=30)


# Answers after which the same request is sent again: its outcome is unknown, or still being decided.
RETRIED = ("no answer", "503", "409")
RETRY_PAUSE_SECONDS = 0.2  # sooner than Retry-After, to press on the restart
GIVE_UP_SECONDS = 60  # after the stream's end, a write still unanswered counts as lost


class Stream:
    """Writer threads posting notifications until told to stop, each write retried with its key until answered."""

    def __init__(self, port: int, token: str, writers: int):
        self.port, self.token, self.writers = port, token, writers
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.attempts: list[tuple[float, str, str]] = []  # (time, reference, outcome)
        self.answers: dict[str, tuple[str, bool]] = {}  # reference: (last outcome, replayed)
        self.threads = [threading.Thread(target=self.write, args=(number,)) for number in range(writers)]

    def attempt(self, body: str, key: str) -> tuple[str, bool]:
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json", "Idempotency-Key": key}
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            connection.request("POST", "/api/notifications/", body, headers)
            response = connection.getresponse()
            response.read()
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            return f"no answer ({type(error).__name__})", False
        return str(response.status), response.getheader("Idempotent-Replayed") == "true"

    def write(self, writer: int) -> None:
        number = 0
        while not self.stop.is_set():
            number += 1
            reference = f"UKR-F-{writer}-{number}"
            body = {
                "reference": reference,
                "party": "UKR",
                "kind": "change",
                "effective_date": "2026-03-01",
                "lines": [{"site": "KHA", "category": "tanks", "quantity": number}],
            }
            key = str(uuid.uuid4())
            while True:
                outcome, replayed = self.attempt(json.dumps(body), key)
                with self.lock:
                    self.attempts.append((time.monotonic(), reference, outcome))
                if not outcome.startswith(RETRIED) or self.given_up():
                    break
                time.sleep(RETRY_PAUSE_SECONDS)
            with self.lock:
                self.answers[reference] = (outcome, replayed)

    def given_up(self) -> bool:
        return self.stop.is_set() and time.monotonic() > self.stopped + GIVE_UP_SECONDS

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped = time.monotonic()
        self.stop.set()
        for thread in self.threads:
            thread.join()


def stored_lines(url: str) -> dict[str, int]:
    """Each stored notification's reference with its number of lines."""
    query = (
        "SELECT n.reference, count(h.id) FROM tracker_notification n "
        "LEFT JOIN tracker_holding h ON h.notification_id = n.id GROUP BY n.reference"
    )
    result = subprocess.run([PG_BIN / "psql", url, "-tAF,", "-c", query], check=True, capture_output=True, text=True)
    return {reference: int(lines) for reference, lines in (line.split(",") for line in result.stdout.split())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of the write stream")
    parser.add_argument("--restart-after", type=float, default=6, help="seconds into the stream")
    parser.add_argument("--writers", type=int, default=4, help="concurrent writer threads")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--mode", choices=["fast", "immediate"], default="immediate", help="pg_ctl stop mode (immediate: a crash)"
    )
    args = parser.parse_args()

    cluster = Cluster(free_port())
    server = None
    try:
        url = cluster.start()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "HTTPS": "false",  # plain HTTP on the loopback, no TLS proxy in front
            "API_TOKEN_RATE": "1000000/hour",
            "LOG_LEVEL": "ERROR",
        }
        token = prepare(env)
        web_port = free_port()
        server = serve(env, web_port, args.workers)
        with Stream(web_port, token, args.writers) as stream:
            time.sleep(args.restart_after)
            restarted = time.monotonic()
            cluster.restart(args.mode)
            back = time.monotonic()
            time.sleep(max(0.0, args.seconds - args.restart_after))
        lines = stored_lines(url)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        cluster.remove()

    met = collections.Counter(outcome.split(" (")[0] for _, _, outcome in stream.attempts)
    intended = set(stream.answers)
    acknowledged = {reference for reference, (outcome, _) in stream.answers.items() if outcome == "201"}
    stored = set(lines)
    after = [moment for moment, _, outcome in stream.attempts if outcome == "201" and moment > back]
    figures = {
        "intended": len(intended),
        "acknowledged": len(acknowledged),
        "replayed": sum(1 for outcome, replayed in stream.answers.values() if outcome == "201" and replayed),
        "attempts": len(stream.attempts),
        "met": {outcome: count for outcome, count in met.items() if outcome != "201"},
        "not_acknowledged": dict(collections.Counter(o for o, _ in stream.answers.values() if o != "201")),
        "stored": len(stored),
        "stored_but_not_intended": len(stored - intended),
        "intended_but_lost": len(intended - stored),
        "stored_without_one_line": sum(1 for count in lines.values() if count != 1),
        "restart_seconds": round(back - restarted, 2),
        "first_write_after_restart_seconds": round(min(after) - back, 2) if after else None,
    }
    exact = stored == intended == acknowledged and not figures["stored_without_one_line"]
    print(
        f"writes intended {figures['intended']}, acknowledged {figures['acknowledged']} "
        f"({figures['replayed']} by a stored answer after a lost one); attempts {figures['attempts']}, "
        f"answered otherwise {figures['met'] or 0}; stored {figures['stored']} "
        f"(stored == intended, each once with its line: {exact}); PostgreSQL restart took "
        f"{figures['restart_seconds']} s, first stored write {figures['first_write_after_restart_seconds']} s after it"
    )
    print(json.dumps(figures))
    sys.exit(0 if exact and after else 1)


if __name__ == "__main__":
    main()
