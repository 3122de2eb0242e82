"""Time GET /api/violations/ through the whole stack: middleware, token auth, DRF, the engine.

    .venv/bin/python bench/api.py --holdings 1000000

Builds (or with ``--reuse`` keeps) the synthetic dataset of ``bench/compliance.py`` in its own
database, then sends authenticated requests with Django's test client, as a script holding a
token would, and prints the median and spread of 20 warm requests (target: median < 300 ms),
then one JSON line.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.compliance import AS_OF, bench_database, build  # noqa: E402

TARGET_MS = 300


def timed_requests(client, url: str, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:500]
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--holdings", type=int, default=100_000, help="holding lines to generate")
    parser.add_argument("--zones", type=int, default=100, help="zones to generate")
    parser.add_argument("--vertices", type=int, default=1200, help="vertices per zone boundary")
    parser.add_argument("--seed", type=int, default=1990)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="time the data already in the bench database")
    args = parser.parse_args()

    name = bench_database()
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from accounts import tokens
    from tracker.models import Holding

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    if not args.reuse:
        start = time.perf_counter()
        build(args.holdings, args.zones, args.vertices, args.seed)
        print(
            f"built {args.holdings:,} holding lines and {args.zones} zones in {name} in {time.perf_counter() - start:.1f} s"
        )
    user = User.objects.get_or_create(username="bench-monitor")[0]
    client = Client(HTTP_AUTHORIZATION=f"Token {tokens.issue(user)[1]}")

    url = f"/api/violations/?as_of={AS_OF}"
    cold = timed_requests(client, url, 1)[0]
    warm = timed_requests(client, url, args.runs)
    geojson = timed_requests(client, url + "&format=geojson", args.runs)
    body = client.get(url).json()
    figures = {
        "holdings": Holding.objects.count(),
        "breaches": body["count"],
        "cold_ms": round(cold, 1),
        "median_ms": round(statistics.median(warm), 1),
        "min_ms": round(min(warm), 1),
        "max_ms": round(max(warm), 1),
        "geojson_median_ms": round(statistics.median(geojson), 1),
        "target_ms": TARGET_MS,
    }
    print(f"GET {url}  ({figures['holdings']:,} holding lines, {figures['breaches']} breaches)")
    print(f"  first request            {figures['cold_ms']:8.1f} ms")
    print(
        f"  median of {args.runs} warm        {figures['median_ms']:8.1f} ms  (min {figures['min_ms']}, max {figures['max_ms']})"
    )
    print(f"  median, ?format=geojson  {figures['geojson_median_ms']:8.1f} ms")
    print(f"  target                   {TARGET_MS:8d} ms  {'met' if figures['median_ms'] < TARGET_MS else 'MISSED'}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
