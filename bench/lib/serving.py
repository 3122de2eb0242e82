"""gunicorn started for a benchmark, on 127.0.0.1 only, and waited for until it accepts connections."""

import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def gunicorn(env: dict, port: int, options: list[str], wait_seconds: float) -> subprocess.Popen:
    """The tracker served with ``options``; exits the benchmark if it does not listen within ``wait_seconds``."""
    server = subprocess.Popen(
        [GUNICORN, "tracker.wsgi", "--bind", f"127.0.0.1:{port}", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")
