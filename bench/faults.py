"""PostgreSQL restarted under a stream of API writes: every write is either stored or answered 503.

    .venv/bin/python bench/faults.py [--seconds 20] [--restart-after 6] [--writers 4] [--mode immediate]

Starts a throwaway PostgreSQL cluster (initdb into a temporary folder, 127.0.0.1 only, another
port), migrates it, serves the tracker with gunicorn against it (DEBUG off), and has writer
threads POST notifications with their lines through the API with a token. Mid-stream PostgreSQL
is restarted (``pg_ctl restart``, ``--mode fast`` or ``immediate`` for a crash); gunicorn keeps
running. Prints writes attempted / succeeded (201) / 503 / other, how many are stored, and the
time from the restart to the first stored write; exits non-zero unless stored == succeeded,
no stored notification lacks its line, and writes succeed again after the restart.
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


class Stream:
    """Writer threads posting notifications until told to stop; every outcome is kept."""

    def __init__(self, port: int, token: str, writers: int):
        self.port, self.token, self.writers = port, token, writers
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.outcomes: list[tuple[float, str, str]] = []  # (time, reference, outcome)
        self.threads = [threading.Thread(target=self.write, args=(number,)) for number in range(writers)]

    def write(self, writer: int) -> None:
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
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
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                connection.request("POST", "/api/notifications/", json.dumps(body), headers)
                response = connection.getresponse()
                payload = response.read()
                outcome = str(response.status)
                if response.status == 503 and json.loads(payload).get("detail", "").startswith("the database"):
                    outcome = "503"
                connection.close()
            except (OSError, http.client.HTTPException) as error:
                outcome = f"no answer ({type(error).__name__})"
            with self.lock:
                self.outcomes.append((time.monotonic(), reference, outcome))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def stored_references(url: str) -> tuple[set[str], int]:
    query = (
        "SELECT n.reference, count(h.id) FROM tracker_notification n "
        "LEFT JOIN tracker_holding h ON h.notification_id = n.id GROUP BY n.reference"
    )
    result = subprocess.run([PG_BIN / "psql", url, "-tAF,", "-c", query], check=True, capture_output=True, text=True)
    rows = [line.split(",") for line in result.stdout.split()]
    return {reference for reference, _ in rows}, sum(1 for _, lines in rows if lines == "0")


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
        stored, without_lines = stored_references(url)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        cluster.remove()

    outcomes = collections.Counter(outcome for _, _, outcome in stream.outcomes)
    succeeded = {reference for _, reference, outcome in stream.outcomes if outcome == "201"}
    after = [moment for moment, _, outcome in stream.outcomes if outcome == "201" and moment > back]
    figures = {
        "attempted": len(stream.outcomes),
        "succeeded": len(succeeded),
        "503": outcomes["503"],
        "other": {outcome: count for outcome, count in outcomes.items() if outcome not in ("201", "503")},
        "stored": len(stored),
        "stored_but_not_acknowledged": len(stored - succeeded),
        "acknowledged_but_lost": len(succeeded - stored),
        "stored_without_lines": without_lines,
        "restart_seconds": round(back - restarted, 2),
        "first_write_after_restart_seconds": round(min(after) - back, 2) if after else None,
    }
    print(
        f"writes attempted {figures['attempted']}, succeeded {figures['succeeded']}, 503 {figures['503']}, "
        f"other {figures['other'] or 0}; stored {figures['stored']} "
        f"(stored == succeeded: {stored == succeeded}); PostgreSQL restart took {figures['restart_seconds']} s, "
        f"first stored write {figures['first_write_after_restart_seconds']} s after it"
    )
    print(json.dumps(figures))
    healthy = stored == succeeded and not without_lines and after and not figures["other"]
    sys.exit(0 if healthy else 1)


if __name__ == "__main__":
    main()
