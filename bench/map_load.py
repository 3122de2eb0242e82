"""Time the zone map's first load in headless Chromium with 50,000 declared sites.

    DATABASE_URL=postgres://tracker@127.0.0.1:54329/tracker .venv/bin/python bench/map_load.py

Works in its own database (the DATABASE_URL database's name + ``_map_bench``). Builds, unless
``--reuse``, ``--sites`` declared sites of two parties spread over eastern Europe, each with tanks
and artillery from one annual notification, inside four zones with ceilings (one of them
breached); serves the project on 127.0.0.1 in a thread; then opens /map/ in Chromium ``--runs``
times and prints the time from navigation until every layer is drawn: zones coloured, site cells,
breaches (target: under 3 s), the slowest API answers of the load, and one JSON line.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

AS_OF = datetime.date(2025, 6, 1)
TARGET_S = 3.0


def bench_database() -> str:
    """Point DATABASE_URL at the bench database, creating it with its extensions if missing."""
    import psycopg

    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://tracker@127.0.0.1:54329/tracker"))
    name = url.path.lstrip("/") + "_map_bench"
    with psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(urlunsplit(url._replace(path=f"/{name}")), autocommit=True) as bench:
        bench.execute("CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS btree_gist")
    os.environ["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))
    return name


def build(sites: int, seed: int) -> None:
    from django.contrib.gis.geos import MultiPolygon, Point, Polygon
    from django.db import connection, transaction
    from django.utils import timezone

    from tracker.models import Ceiling, EquipmentCategory, Holding, Notification, Site, StateParty, Treaty
    from tracker.models.declarations import refresh_periods
    from zones.models import Zone, ZoneVersion

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE tracker_holding, tracker_notification, tracker_site, tracker_ceiling, tracker_treaty, "
            "zones_zoneversion, zones_zone CASCADE"
        )
    rng = random.Random(seed)
    tanks, artillery = EquipmentCategory.objects.get(code="tanks"), EquipmentCategory.objects.get(code="artillery")
    with transaction.atomic():
        parties = [StateParty.objects.get_or_create(code=code, defaults={"name": code})[0] for code in ("UKR", "POL")]
        treaty = Treaty.objects.create(name="Settlement", in_force_from=datetime.date(2020, 1, 1))
        zones = {}
        for code, kind, box in (
            ("ATTU", "area_of_application", (20, 40, 50, 60)),
            ("CENTRAL", "nested", (26, 44, 42, 56)),
            ("FLANK", "flank", (42, 41, 49, 48)),
            ("DMZ", "demilitarized", (35, 47, 36, 48)),
        ):
            zones[code] = Zone.objects.create(code=code, name=code, kind=kind)
            ZoneVersion.objects.create(zone=zones[code], geom=MultiPolygon(Polygon.from_bbox(box), srid=4326))
        for code, limit, applies_to in (
            ("ATTU", 10_000_000, "all"),
            ("CENTRAL", 2_000_000, "each"),
            ("DMZ", 10, "each"),
        ):
            Ceiling.objects.create(treaty=treaty, zone=zones[code], category=tanks, applies_to=applies_to, limit=limit)
        placed = Site.objects.bulk_create(
            Site(
                party=parties[n % 2],
                code=f"S{n:06d}",
                name=f"Site {n}",
                location=Point(rng.uniform(22, 48), rng.uniform(42, 58), srid=4326),
            )
            for n in range(sites)
        )
        moment = timezone.make_aware(datetime.datetime(2025, 1, 1, 9))
        annual = {
            party.pk: Notification.objects.create(
                party=party,
                reference=f"{party.code}-2025",
                kind="annual",
                effective_date=datetime.date(2025, 1, 1),
                submitted_at=moment,
            )
            for party in parties
        }
        Holding.objects.bulk_create(
            (
                Holding(notification=annual[site.party_id], site=site, category=category, quantity=rng.randint(1, 60))
                for site in placed
                for category in (tanks, artillery)
            ),
            batch_size=10_000,
        )
        # Submitted once their lines are in: the database refuses lines added to a submitted notification.
        Notification.objects.filter(pk__in=[n.pk for n in annual.values()]).update(status="submitted")
        refresh_periods()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1990)
    parser.add_argument("--reuse", action="store_true", help="time the data already in the bench database")
    args = parser.parse_args()

    name = bench_database()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API keeps an event loop in this thread
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.test import Client
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    from tracker.models import Site

    call_command("migrate", verbosity=0)
    if not args.reuse:
        start = time.perf_counter()
        build(args.sites, args.seed)
        print(f"built {args.sites:,} sites in {name} in {time.perf_counter() - start:.1f} s")
    monitor = User.objects.filter(username="bench-monitor").first() or User.objects.create_superuser("bench-monitor")
    client = Client()
    client.force_login(monitor)
    session = client.cookies["sessionid"].value

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"

    loads, slowest = [], {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for _ in range(args.runs):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
            page = context.new_page()
            start = time.perf_counter()
            page.goto(f"{base}/map/?as_of={AS_OF}")
            page.wait_for_selector(f'#map[data-as-of="{AS_OF}"][data-sites-drawn]', timeout=60_000)
            loads.append(time.perf_counter() - start)
            for name_, duration in page.evaluate(
                "performance.getEntriesByType('resource').filter(e => e.name.includes('/api/'))"
                ".map(e => [new URL(e.name).pathname, e.duration])"
            ):
                slowest[name_] = max(slowest.get(name_, 0), duration)
            cells = int(page.locator("#map").get_attribute("data-sites-drawn"))
            context.close()
        browser.close()
    server.terminate()

    median = statistics.median(loads)
    print(f"{Site.objects.count():,} sites drawn as {cells} markers")
    print(f"map load: median {median:.2f} s, min {min(loads):.2f} s, max {max(loads):.2f} s over {len(loads)} loads")
    for path, duration in sorted(slowest.items(), key=lambda item: -item[1]):
        print(f"  {path:32} slowest {duration:6.0f} ms")
    print(f"target: under {TARGET_S:.0f} s — {'met' if median < TARGET_S else 'NOT met'}")
    figures = {
        "sites": Site.objects.count(),
        "markers": cells,
        "median_s": round(median, 2),
        "max_s": round(max(loads), 2),
    }
    print(json.dumps({"bench": "map_load", **figures}))


if __name__ == "__main__":
    main()
