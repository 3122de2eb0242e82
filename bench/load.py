"""The monitors' read mix through gunicorn at 50 concurrent clients: requests/s, p50, p99, errors.

    .venv/bin/python bench/load.py [--reuse] [--holdings 1000000] [--clients 50] [--requests 3000] [--seconds 120]

Uses the synthetic dataset of bench/compliance.py in its own database (``--reuse`` keeps the one
already built), serves it with gunicorn (DEBUG off, production settings, 127.0.0.1 only), and has
``--clients`` threads, each with its own token and keep-alive connection, send the mix a treaty
monitor's dashboard sends: violations as of a date, a zone's status, the holdings summary, and
the zones as GeoJSON. A warm-up of ``--warmup`` requests from the same crowd, timed apart,
brings a fresh server to its steady state; then the run stops after ``--requests`` requests or
``--seconds``, whichever comes first. Target: no errors, p99 under 1 s. Prints a table, then one JSON line.
"""

import argparse
import collections
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.compliance import AS_OF, bench_database, build  # noqa: E402
from bench.lib.serving import gunicorn  # noqa: E402

TARGET_P99_MS = 1000


def mix(zones: list[str]) -> list[tuple[str, str]]:
    """(kind, url) pairs in the proportions a monitors' dashboard asks for them."""
    day = AS_OF.isoformat()
    return [
        ("violations", f"/api/violations/?as_of={day}"),
        ("violations", f"/api/violations/?as_of={day}&page_size=20"),
        ("zone status", "/api/zones/{zone}/status/?as_of=" + day),
        ("zone status", "/api/zones/{zone}/status/?as_of=" + day),
        ("holdings summary", f"/api/holdings/summary/?as_of={day}&group_by=party,category"),
        ("holdings summary", f"/api/holdings/summary/?as_of={day}&group_by=zone"),
        ("zones geojson", f"/api/zones/?as_of={day}&simplify=0.01&precision=4"),
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def countdown(requests: int):
    """A budget shared by the clients: True while requests remain to be sent."""
    issued, lock = iter(range(requests)), threading.Lock()

    def budget() -> bool:
        with lock:
            return next(issued, None) is not None

    return budget


def serve(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    """gunicorn as ``make serve`` runs it: worker processes of several threads each."""
    options = ["--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads), "--timeout", "120"]
    return gunicorn(env, port, options, wait_seconds=60)


def client(port: int, token: str, urls: list[tuple[str, str]], zones: list[str], budget, results, stop, seed):
    rng = random.Random(seed)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while not stop.is_set() and budget():
        kind, url = rng.choice(urls)
        url = url.format(zone=rng.choice(zones))
        start = time.perf_counter()
        try:
            connection.request("GET", url, headers=headers)
            response = connection.getresponse()
            response.read()
            outcome = response.status
        except (OSError, http.client.HTTPException) as error:
            outcome = type(error).__name__
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        results.append((kind, (time.perf_counter() - start) * 1000, outcome))
    connection.close()


def crowd(port: int, tokens: list[str], urls, zones: list[str], requests: int, seconds: float, results) -> float:
    """One client per token sending the mix at once, until ``requests`` are sent or ``seconds`` pass;
    returns the seconds taken."""
    budget, stop = countdown(requests), threading.Event()
    threads = [
        threading.Thread(target=client, args=(port, token, urls, zones, budget, results, stop, n))
        for n, token in enumerate(tokens)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = started + seconds
    while any(thread.is_alive() for thread in threads) and time.perf_counter() < deadline:
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--holdings", type=int, default=1_000_000)
    parser.add_argument("--zones", type=int, default=100)
    parser.add_argument("--vertices", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=1990)
    parser.add_argument("--reuse", action="store_true", help="load the data already in the bench database")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000, help="stop after this many requests")
    parser.add_argument("--seconds", type=float, default=120, help="or after this long")
    parser.add_argument("--warmup", type=int, default=500, help="requests sent, and timed apart, before the run")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=8, help="threads per worker")
    args = parser.parse_args()

    name = bench_database()
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from accounts import tokens as api_tokens
    from tracker.models import Holding
    from zones.models import Zone

    call_command("migrate", verbosity=0)
    if not args.reuse:
        build(args.holdings, args.zones, args.vertices, args.seed)
    zones = list(Zone.objects.values_list("code", flat=True))
    holdings = Holding.objects.count()
    tokens = [api_tokens.issue(User.objects.get_or_create(username=f"monitor-{n}")[0])[1] for n in range(args.clients)]
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "false",  # plain HTTP on the loopback, no TLS proxy in front
        "LOG_LEVEL": "ERROR",
    }
    port = 18000 + secrets.randbelow(1000)
    server = serve(env, port, args.workers, args.threads)
    results: list[tuple[str, float, object]] = []
    urls = mix(zones)
    try:
        # The first requests of a fresh server find every cache cold; they are timed apart, then
        # the measured run starts from a server in its steady state.
        warmup: list[tuple[str, float, object]] = []
        crowd(port, tokens, urls, zones, args.warmup, args.seconds, warmup)
        elapsed = crowd(port, tokens, urls, zones, args.requests, args.seconds, results)
    finally:
        server.terminate()
        server.wait(30)

    latencies = [ms for _, ms, _ in results]
    cold = [ms for _, ms, _ in warmup]
    errors = collections.Counter(outcome for _, _, outcome in results if outcome != 200)
    figures = {
        "database": name,
        "holdings": holdings,
        "clients": args.clients,
        "workers": args.workers,
        "threads": args.threads,
        "requests": len(results),
        "seconds": round(elapsed, 1),
        "requests_per_second": round(len(results) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "errors": sum(errors.values()),
        "error_kinds": {str(kind): count for kind, count in errors.items()},
        "warmup": {
            "requests": len(warmup),
            "errors": sum(outcome != 200 for _, _, outcome in warmup),
            "p50_ms": round(percentile(cold, 0.5), 1),
            "p99_ms": round(percentile(cold, 0.99), 1),
            "max_ms": round(max(cold), 1),
        },
        "by_kind": {
            kind: {
                "requests": len(values),
                "p50_ms": round(percentile(values, 0.5), 1),
                "p99_ms": round(percentile(values, 0.99), 1),
            }
            for kind in sorted({kind for kind, _, _ in results})
            for values in [[ms for k, ms, _ in results if k == kind]]
        },
    }
    print(
        f"{holdings:,} holding lines, {args.clients} clients, gunicorn with {args.workers} workers of {args.threads} threads"
    )
    print(f"{'':18} {'requests':>9} {'p50 ms':>9} {'p99 ms':>9}")
    for kind, row in figures["by_kind"].items():
        print(f"{kind:18} {row['requests']:9d} {row['p50_ms']:9.1f} {row['p99_ms']:9.1f}")
    print(f"{'all':18} {figures['requests']:9d} {figures['p50_ms']:9.1f} {figures['p99_ms']:9.1f}")
    warmup_row = figures["warmup"]
    print(f"{'(warm-up, cold)':18} {warmup_row['requests']:9d} {warmup_row['p50_ms']:9.1f} {warmup_row['p99_ms']:9.1f}")
    print(
        f"{figures['requests_per_second']} requests/s over {figures['seconds']} s; errors {figures['errors']} "
        f"{figures['error_kinds'] or ''}; p99 target {TARGET_P99_MS} ms "
        f"{'met' if figures['p99_ms'] < TARGET_P99_MS and not figures['errors'] else 'MISSED'}"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
