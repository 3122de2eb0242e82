"""The monitors' read mix through gunicorn at 50 concurrent clients: requests/s, p50, p99, errors.

    .venv/bin/python bench/load.py [--reuse] [--holdings 1000000] [--clients 50] [--requests 3000] [--seconds 120]
                                   [--writers N] [--conditional]

Uses the synthetic dataset of bench/compliance.py in its own database (``--reuse`` keeps the one
already built), serves it with gunicorn (DEBUG off, production settings, 127.0.0.1 only), and has
``--clients`` threads, each with its own token and keep-alive connection, send the mix a treaty
monitor's dashboard sends: violations as of a date, a zone's status, the holdings summary, and
the zones as GeoJSON. A warm-up of ``--warmup`` requests from the same crowd, timed apart,
brings a fresh server to its steady state; then the run stops after ``--requests`` requests or
``--seconds``, whichever comes first. Target: no errors, p99 under 1 s. Prints a table, then one JSON line.

With ``--writers N``, N officers meanwhile submit a notification of 10 lines each second, each
through the API as a client does (bench/lib/writers.py), for ``--seconds``, and the reads are
checked for freshness: each answer's ``X-Data-Version`` must be at least the version the last
acknowledged submission named before the read was sent; an older one counts as stale. Target:
no errors, none stale, reads p99 under 500 ms. With ``--conditional`` each client polls as a
monitor does, sending back the ETag of its last answer to a URL; a 304 is an answer too.
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
from bench.lib.writers import Published, enrol, write  # noqa: E402

TARGET_P99_MS = 1000
TARGET_P99_WRITING_MS = 500


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


def client(port: int, token: str, urls, zones, budget, results, stop, seed, published: Published, conditional: bool):
    """Send the mix until the budget or ``stop`` ends; (kind, ms, outcome, stale) per request into ``results``."""
    rng = random.Random(seed)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    etags: dict[str, str] = {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while not stop.is_set() and budget():
        kind, url = rng.choice(urls)
        url = url.format(zone=rng.choice(zones))
        asked = {**headers, "If-None-Match": etags[url]} if conditional and url in etags else headers
        committed = published.version
        start = time.perf_counter()
        stale = False
        try:
            connection.request("GET", url, headers=asked)
            response = connection.getresponse()
            response.read()
            outcome = response.status
            if outcome == 200 and response.getheader("ETag"):
                etags[url] = response.getheader("ETag")
            stale = outcome in (200, 304) and int(response.getheader("X-Data-Version") or -1) < committed
        except (OSError, http.client.HTTPException) as error:
            outcome = type(error).__name__
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        results.append((kind, (time.perf_counter() - start) * 1000, outcome, stale))
    connection.close()


def crowd(port, tokens, urls, zones, requests, seconds, results, published, conditional) -> float:
    """One client per token sending the mix at once, until ``requests`` are sent or ``seconds`` pass;
    returns the seconds taken."""
    budget, stop = countdown(requests), threading.Event()
    threads = [
        threading.Thread(
            target=client, args=(port, token, urls, zones, budget, results, stop, n, published, conditional)
        )
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


def writing(port: int, officers, published: Published, results: list) -> tuple[threading.Event, list[threading.Thread]]:
    """The writers started, each on its own thread; set the event and join the threads to stop them."""
    stop = threading.Event()
    threads = [
        threading.Thread(target=write, args=(port, officer, AS_OF.isoformat(), published, results, stop, n))
        for n, officer in enumerate(officers)
    ]
    for thread in threads:
        thread.start()
    return stop, threads


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
    # gunicorn.conf.py's defaults
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gunicorn.conf.py's)")
    parser.add_argument("--writers", type=int, default=0, help="officers submitting a notification each second")
    parser.add_argument("--conditional", action="store_true", help="clients send back their last ETag per URL")
    args = parser.parse_args()

    name = bench_database()
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from accounts import tokens as api_tokens
    from tracker.models import Holding
    from tracker.roles import Role, create_groups
    from zones.models import Zone

    call_command("migrate", verbosity=0)
    if not args.reuse:
        build(args.holdings, args.zones, args.vertices, args.seed)
    zones = list(Zone.objects.values_list("code", flat=True))
    holdings = Holding.objects.count()
    monitors = next(group for group in create_groups() if group.name == Role.MONITOR)
    tokens = []
    for n in range(args.clients):
        user = User.objects.get_or_create(username=f"monitor-{n}")[0]
        user.groups.add(monitors)  # no role, no data
        tokens.append(api_tokens.issue(user)[1])
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "false",  # plain HTTP on the loopback, no TLS proxy in front
        "LOG_LEVEL": "ERROR",
    }
    port = 18000 + secrets.randbelow(1000)
    officers = enrol(args.writers)
    server = serve(env, port, args.workers, args.threads)
    results: list[tuple[str, float, object, bool]] = []
    writes: list[tuple[float, object]] = []
    urls = mix(zones)
    published = Published()
    try:
        # The first requests of a fresh server find every cache cold; they are timed apart, then
        # the measured run starts from a server in its steady state.
        warmup: list[tuple[str, float, object, bool]] = []
        crowd(port, tokens, urls, zones, args.warmup, args.seconds, warmup, published, args.conditional)
        stop, writers = writing(port, officers, published, writes)
        # While writers write, the run lasts its seconds whatever the request budget.
        budget = sys.maxsize if args.writers else args.requests
        elapsed = crowd(port, tokens, urls, zones, budget, args.seconds, results, published, args.conditional)
        stop.set()
        for thread in writers:
            thread.join()
    finally:
        server.terminate()
        server.wait(30)

    latencies = [ms for _, ms, _, _ in results]
    cold = [ms for _, ms, _, _ in warmup]
    answered = (200, 304)
    errors = collections.Counter(outcome for _, _, outcome, _ in results if outcome not in answered)
    write_errors = collections.Counter(outcome for _, outcome in writes if outcome != 200)
    target = TARGET_P99_WRITING_MS if args.writers else TARGET_P99_MS
    figures = {
        "database": name,
        "holdings": holdings,
        "clients": args.clients,
        "workers": args.workers,
        "threads": args.threads,
        "conditional": args.conditional,
        "requests": len(results),
        "seconds": round(elapsed, 1),
        "requests_per_second": round(len(results) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "errors": sum(errors.values()),
        "error_kinds": {str(kind): count for kind, count in errors.items()},
        "stale": sum(stale for _, _, _, stale in results),
        "not_modified_share": round(sum(outcome == 304 for _, _, outcome, _ in results) / len(results), 3),
        "writers": args.writers,
        "writes": len(writes),
        "writes_per_second": round(len(writes) / elapsed, 2),
        "write_errors": sum(write_errors.values()),
        "write_error_kinds": {str(kind): count for kind, count in write_errors.items()},
        "write_p50_ms": round(percentile([ms for ms, _ in writes], 0.5), 1) if writes else None,
        "write_p99_ms": round(percentile([ms for ms, _ in writes], 0.99), 1) if writes else None,
        "warmup": {
            "requests": len(warmup),
            "errors": sum(outcome not in answered for _, _, outcome, _ in warmup),
            "p50_ms": round(percentile(cold, 0.5), 1),
            "p99_ms": round(percentile(cold, 0.99), 1),
            "max_ms": round(max(cold), 1),
        },
        "by_kind": {
            kind: {
                "requests": len(values),
                "p50_ms": round(percentile(values, 0.5), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
                "p99_ms": round(percentile(values, 0.99), 1),
            }
            for kind in sorted({kind for kind, _, _, _ in results})
            for values in [[ms for k, ms, _, _ in results if k == kind]]
        },
    }
    print(
        f"{holdings:,} holding lines, {args.clients} clients{' polling' if args.conditional else ''}, "
        f"{args.writers} writers, gunicorn with {args.workers} workers of {args.threads} threads"
    )
    print(f"{'':18} {'requests':>9} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}")
    for kind, row in figures["by_kind"].items():
        print(f"{kind:18} {row['requests']:9d} {row['p50_ms']:9.1f} {row['p95_ms']:9.1f} {row['p99_ms']:9.1f}")
    print(
        f"{'all':18} {figures['requests']:9d} {figures['p50_ms']:9.1f} {figures['p95_ms']:9.1f} {figures['p99_ms']:9.1f}"
    )
    warmup_row = figures["warmup"]
    print(
        f"{'(warm-up, cold)':18} {warmup_row['requests']:9d} {warmup_row['p50_ms']:9.1f} {'':9} {warmup_row['p99_ms']:9.1f}"
    )
    if args.writers:
        print(
            f"writes: {figures['writes']} ({figures['writes_per_second']}/s), p50 {figures['write_p50_ms']} ms, "
            f"p99 {figures['write_p99_ms']} ms, errors {figures['write_errors']} {figures['write_error_kinds'] or ''}"
        )
    met = figures["p99_ms"] < target and not figures["errors"] and not figures["stale"] and not figures["write_errors"]
    print(
        f"{figures['requests_per_second']} requests/s over {figures['seconds']} s; errors {figures['errors']} "
        f"{figures['error_kinds'] or ''}; stale {figures['stale']}; 304 share {figures['not_modified_share']:.1%}; "
        f"p99 target {target} ms {'met' if met else 'MISSED'}"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
