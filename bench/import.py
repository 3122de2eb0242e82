"""Load a bundle of 1,000,000 declaration rows with import_bundle and print how long it took.

    .venv/bin/python bench/import.py [--rows N] [--keep]

The bundle is generated in a temporary folder (30 parties, 700 sites each, two categories, one
annual notification per party and year). It is loaded into a database of its own, created
afresh next to the one DATABASE_URL names (suffix ``_bench_import``) and dropped afterwards
unless --keep is given.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy
import pandas
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARTIES = [f"P{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(30)]
SITES_PER_PARTY = 700
CATEGORIES = ["tanks", "acv"]


def write_bundle(folder: Path, rows: int) -> None:
    (folder / "parties.csv").write_text(
        "code,name,group\n"
        + "".join(f"{code},Party {code},{'East' if i % 2 else 'West'}\n" for i, code in enumerate(PARTIES))
    )
    (folder / "zones.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "ATTU", '
        '"name": "Atlantic to the Urals", "kind": "area_of_application"}, "geometry": {"type": "Polygon", '
        '"coordinates": [[[-10, 35], [60, 35], [60, 70], [-10, 70], [-10, 35]]]}}]}\n'
    )
    (folder / "treaties.csv").write_text(
        "name,in_force_from,in_force_to,notification_deadline_days\nCFE,1992-07-17,,5\n"
    )
    (folder / "ceilings.csv").write_text(
        "treaty,zone,category,applies_to,limit,counting,valid_from,valid_to\nCFE,ATTU,tanks,each,20000,all,,\n"
    )
    (folder / "inspections.csv").write_text(
        "inspection,inspecting_party,inspected_party,kind,date,site,area_wkt,category,observed\n"
    )
    per_notification = SITES_PER_PARTY * len(CATEGORIES)
    notifications = -(-rows // per_notification)
    number = numpy.arange(rows)
    notice = number // per_notification
    party = notice % len(PARTIES)
    year = 1993 + notice // len(PARTIES)
    site = (number % per_notification) // len(CATEGORIES)
    rng = numpy.random.default_rng(1990)
    party_codes = numpy.array(PARTIES)[party]
    site_codes = pandas.Series(site).map("S{:04d}".format)
    frame = pandas.DataFrame(
        {
            "notification": pandas.Series(party_codes) + "-" + pandas.Series(year).astype(str),
            "party": party_codes,
            "kind": "annual",
            "effective_date": pandas.Series(year).astype(str) + "-01-01",
            "submitted_at": pandas.Series(year - 1).astype(str) + "-12-15T09:00:00+00:00",
            "site": site_codes,
            "site_name": "Site " + site_codes,
            "lon": (20 + party + site / SITES_PER_PARTY).round(4),
            "lat": (45 + (site % 100) / 10).round(4),
            "category": numpy.array(CATEGORIES)[number % len(CATEGORIES)],
            "quantity": rng.integers(0, 200, rows),
            "status": "active",
        }
    )
    frame.to_csv(folder / "declarations.csv", index=False)
    print(
        f"bundle: {rows:,} declaration rows, {notifications:,} notifications, {len(PARTIES) * SITES_PER_PARTY:,} sites"
    )


def fresh_database(url: str) -> str:
    """Create an empty database beside the one ``url`` names; its URL."""
    base, _, name = url.rpartition("/")
    bench = f"{name}_bench_import"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{bench}"')
        connection.execute(f'CREATE DATABASE "{bench}"')
    with psycopg.connect(f"{base}/{bench}", autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        connection.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    return f"{base}/{bench}"


def drop_database(url: str) -> None:
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    options = parser.parse_args()

    port = os.environ.get("TRACKER_DB_PORT", "54329")
    url = fresh_database(os.environ.get("DATABASE_URL", f"postgres://tracker@127.0.0.1:{port}/tracker"))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    try:
        with tempfile.TemporaryDirectory(prefix="bundle-") as folder:
            write_bundle(Path(folder), options.rows)
            started = time.perf_counter()
            call_command("import_bundle", folder)
            seconds = time.perf_counter() - started
        print(f"import_bundle: {options.rows:,} rows in {seconds:.1f} s, {options.rows / seconds:,.0f} rows/s")
    finally:
        connections.close_all()
        if not options.keep:
            drop_database(url)


if __name__ == "__main__":
    main()
