"""Load a bundle of declaration rows with import_bundle, beside the floor: COPY of the same file.

    .venv/bin/python bench/import.py [--rows 1000000] [--zones 100] [--vertices 1000] [--keep]

The bundle is generated in a temporary folder, written in chunks so that no step holds all the
rows: 30 parties with 700 sites each spread over ``--zones`` zones (noisy star polygons of
``--vertices`` vertices in nested rings, drawn as bench/compliance.py draws them), two lines per
site and notification (tanks, some of a named type; armoured combat vehicles, every other site's
in storage outside a designated storage site, every fifth site's held by a second object of
verification), one notification per party every 30 days. It is loaded into a database of its
own, created afresh next to the one DATABASE_URL names (suffix ``_bench_import``, made by
DATABASE_OWNER when given) and dropped afterwards unless --keep is given.

Measured in the same run, on the same database:

- floor: COPY of declarations.csv into an UNLOGGED table of text columns without indexes;
- import: ``import_bundle`` end to end (every file checked, sites placed in their zones, zone
  totals and the audit trail written), in a process of its own whose peak resident memory is
  reported too (the import must stream: flat as rows grow).

The last line printed is JSON.
"""

import argparse
import datetime
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy
import pandas
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compliance import star  # noqa: E402  (bench/compliance.py, beside this file)

PARTIES = [f"P{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(30)]
SITES_PER_PARTY = 700
LINES_PER_SITE = 2
NOTIFICATION_STEP_DAYS = 30
FIRST_NOTIFICATION = datetime.date(1993, 1, 1)
CHUNK_ROWS = 500_000


def write_zones(folder: Path, zones: int, vertices: int, rng: numpy.random.Generator) -> list[tuple[float, float]]:
    """Nested rings of four zones around centres close enough for rings of neighbours to overlap; the centres."""
    centres = [(rng.uniform(15, 45), rng.uniform(43, 60)) for _ in range(math.ceil(zones / 4))]
    features = []
    for i in range(zones):
        lon, lat = centres[i // 4]
        ring = star(lon, lat, radius=2.0 - 0.4 * (i % 4), vertices=vertices, rng=rng)
        features.append(
            {
                "type": "Feature",
                "properties": {"code": f"Z{i:03d}", "name": f"Zone {i}", "kind": "limitation"},
                "geometry": {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]},
            }
        )
    (folder / "zones.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return centres


def write_bundle(folder: Path, rows: int, zones: int, vertices: int, seed: int) -> None:
    rng = numpy.random.default_rng(seed)
    (folder / "parties.csv").write_text(
        "code,name,group\n"
        + "".join(f"{code},Party {code},{'East' if i % 2 else 'West'}\n" for i, code in enumerate(PARTIES))
    )
    centres = write_zones(folder, zones, vertices, rng)
    (folder / "treaties.csv").write_text(
        "name,in_force_from,in_force_to,notification_deadline_days\nCFE,1992-07-17,,5\n"
    )
    (folder / "types.csv").write_text("name,category,subtype,calibre_mm,range_km,source\nT-72B3,tanks,,,,\n")
    (folder / "ceilings.csv").write_text(
        "treaty,zone,category,applies_to,limit,counting,valid_from,valid_to\n"
        + "".join(f"CFE,Z{i:03d},tanks,each,20000,all,,\n" for i in range(zones))
    )
    (folder / "inspections.csv").write_text(
        "inspection,inspecting_party,inspected_party,kind,date,site,area_wkt,category,observed\n"
    )
    # Each site keeps its place across notifications: near one of the zones' centres.
    sites = len(PARTIES) * SITES_PER_PARTY
    centre = rng.integers(0, len(centres), sites)
    lons = (numpy.array([centres[c][0] for c in centre]) + rng.normal(0, 1.5, sites)).round(4)
    lats = (numpy.array([centres[c][1] for c in centre]) + rng.normal(0, 1.2, sites)).round(4)
    per_notification = SITES_PER_PARTY * LINES_PER_SITE
    path = folder / "declarations.csv"
    for start in range(0, rows, CHUNK_ROWS):
        number = numpy.arange(start, min(rows, start + CHUNK_ROWS))
        notice = number // per_notification
        party = notice % len(PARTIES)
        day = pandas.to_datetime(FIRST_NOTIFICATION) + pandas.to_timedelta(
            (notice // len(PARTIES)) * NOTIFICATION_STEP_DAYS, unit="D"
        )
        site = (number % per_notification) // LINES_PER_SITE
        acv = (number % LINES_PER_SITE) == 1
        party_codes = pandas.Series(numpy.array(PARTIES)[party])
        site_codes = pandas.Series(site).map("S{:04d}".format)
        second_object = acv & (site % 5 == 0)
        frame = pandas.DataFrame(
            {
                "notification": party_codes + "-" + pandas.Series(notice // len(PARTIES)).map("{:05d}".format),
                "party": party_codes,
                "kind": "annual",
                "effective_date": day.strftime("%Y-%m-%d"),
                "submitted_at": (day - pandas.Timedelta(days=17)).strftime("%Y-%m-%dT09:00:00+00:00"),
                "site": site_codes,
                "site_name": "Site " + site_codes,
                "lon": lons[party * SITES_PER_PARTY + site],
                "lat": lats[party * SITES_PER_PARTY + site],
                "category": numpy.where(acv, "acv", "tanks"),
                "type": numpy.where(~acv & (site % 4 == 0), "T-72B3", ""),
                "object": numpy.where(second_object, site_codes + "-B", ""),
                "object_designation": numpy.where(second_object, "Battalion " + site_codes + "-B", ""),
                "quantity": rng.integers(0, 200, len(number)),
                "status": numpy.where(acv & (site % 2 == 1), "storage", "active"),
            }
        )
        frame.to_csv(path, mode="a" if start else "w", header=start == 0, index=False)
    notifications = -(-rows // per_notification)
    print(f"bundle: {rows:,} declaration rows, {notifications:,} notifications, {sites:,} sites, {zones} zones")


def server_url(url: str, database: str, user: str | None = None) -> str:
    """``url`` naming another database (and user, when given)."""
    base, _, _ = url.rpartition("/")
    if user:
        scheme, _, rest = base.partition("://")
        base = f"{scheme}://{user}@{rest.rpartition('@')[2]}"
    return f"{base}/{database}"


def fresh_database(url: str, owner: str | None) -> str:
    """Create an empty database beside the one ``url`` names, owned by ``owner`` when given; its URL."""
    bench = f"{url.rpartition('/')[2]}_bench_import"
    with psycopg.connect(server_url(url, "postgres", owner), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{bench}"')
        connection.execute(f'CREATE DATABASE "{bench}"')
    with psycopg.connect(server_url(url, bench, owner), autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        connection.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    return server_url(url, bench)


def drop_database(url: str, owner: str | None) -> None:
    with psycopg.connect(server_url(url, "postgres", owner), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url.rpartition("/")[2]}"')


def copy_floor(url: str, path: Path) -> float:
    """Seconds to COPY the file into an UNLOGGED table of text columns without indexes."""
    header = path.open().readline().strip().split(",")
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE UNLOGGED TABLE bench_floor ({', '.join(f'{c} text' for c in header)})")
        connection.commit()
        started = time.perf_counter()
        with cursor.copy("COPY bench_floor FROM STDIN (FORMAT csv, HEADER true)") as copy, path.open("rb") as handle:
            while block := handle.read(1 << 20):
                copy.write(block)
        connection.commit()
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_floor")
    return seconds


def import_in_child(folder: Path) -> dict:
    """Run import_bundle in a process of its own: its seconds and peak resident memory (MiB)."""
    result = subprocess.run(
        [sys.executable, __file__, "--load", str(folder)], check=True, stdout=subprocess.PIPE, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def load(folder: str) -> None:
    """The child: set Django up, then time import_bundle alone."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("import_bundle", folder, "--no-progress", stdout=sys.stderr)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_rss_mib": peak_rss_mib()}))


def peak_rss_mib() -> float:
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries that across exec, so
    a child would report the peak of the parent it was forked from (here, the one that wrote the bundle)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--zones", type=int, default=100)
    parser.add_argument("--vertices", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1990)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--load", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.load:
        return load(options.load)

    port = os.environ.get("TRACKER_DB_PORT", "54329")
    owner = os.environ.get("DATABASE_OWNER") or None
    url = fresh_database(os.environ.get("DATABASE_URL", f"postgres://tracker@127.0.0.1:{port}/tracker"), owner)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    try:
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"], check=True)
        with tempfile.TemporaryDirectory(prefix="bundle-") as folder:
            write_bundle(Path(folder), options.rows, options.zones, options.vertices, options.seed)
            floor = copy_floor(server_url(url, url.rpartition("/")[2], owner), Path(folder) / "declarations.csv")
            loaded = import_in_child(Path(folder))
        seconds = loaded["seconds"]
        print(f"{'':<34}{'seconds':>9}{'rows/s':>12}")
        print(f"{'floor: COPY into UNLOGGED table':<34}{floor:>9.1f}{options.rows / floor:>12,.0f}")
        print(f"{'import_bundle':<34}{seconds:>9.1f}{options.rows / seconds:>12,.0f}")
        print(
            f"import / floor: {seconds / floor:.1f}x; peak RSS of the importing process: {loaded['peak_rss_mib']:,.0f} MiB"
        )
        print(
            json.dumps(
                {
                    "rows": options.rows,
                    "zones": options.zones,
                    "vertices": options.vertices,
                    "floor_s": round(floor, 2),
                    "import_s": round(seconds, 2),
                    "ratio": round(seconds / floor, 2),
                    "rows_per_s": round(options.rows / seconds),
                    "peak_rss_mib": round(loaded["peak_rss_mib"]),
                }
            )
        )
    finally:
        if not options.keep:
            drop_database(url, owner)


if __name__ == "__main__":
    main()
