"""Time a full compliance check against what an analyst would otherwise write.

    .venv/bin/python bench/compliance.py --holdings 100000 --zones 100

Builds a synthetic dataset in its own database (``<DATABASE_URL's name>_bench``, created and
migrated when missing, emptied at every run; your data is never touched): 30 parties, 5
categories, ``--zones`` zones drawn as noisy star polygons of ``--vertices`` vertices in nested
rings around a few centres that overlap each other, sites spread over them, and ``--holdings``
lines in an annual exchange and a later change notification per party. A fifth of the sites hold
two or three objects of verification; about a third of the lines name an equipment type; one
site in twenty is a designated permanent storage site holding storage (a tenth of those no longer
one on the day checked), a few other sites hold storage outside one, and a few lines are
temporary deployments. Ceilings include one per zone on a subtype and one on a list of types.
Sites and lines are copied in with the periods ``refresh_periods`` would give them (without their
audit trail); zone membership and zone totals are worked out by the same triggers the application
uses. Then it times, side by side:

- project: ``compliance.evaluate(as_of)``, every breach with its evidence (and again warm,
  through ``cached_evaluate``);
- geopandas: the holdings in force as points, ``sjoin`` to the zones, ``groupby`` — in memory;
- naive PostGIS: holdings joined to the whole zone polygons with ``ST_Contains``, ``GROUP BY``.

It checks that all three give the same counts per zone, party, category and counted status
(storage outside a designated permanent storage site counted as 'undesignated', CFE Art. X.4),
prints a table, and last one JSON line. The target: the project's full evaluation stays far below
the geopandas sjoin (at 1,000,000 lines: a few tenths of a second against seconds).
"""

import argparse
import contextlib
import datetime
import json
import math
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

AS_OF = datetime.date(2026, 3, 1)
EXCHANGED, CHANGED = datetime.date(2025, 1, 1), datetime.date(2025, 9, 1)  # the two notifications' effective dates
CATEGORIES = ["tanks", "acv", "artillery", "aircraft", "helicopters"]
PARTIES = 30
SITE_CHUNK = 5_000  # sites a statement: the site zones trigger tests each zone against each site of a chunk
# Lines a statement, at least: the zone totals trigger sums each chunk at once and folds the sums into the
# rows already kept for the keys it touches. Lines spread over every zone touch nearly every key, so each
# statement rewrites nearly all the zone totals: a load is made of LINE_STATEMENTS statements at most.
LINE_CHUNK, LINE_STATEMENTS = 20_000, 20
LINES_PER_SITE = 10  # 8 (category, slot) lines in the annual exchange, 2 of them changed later
STORAGE_SITE_SHARE = 0.05  # designated permanent storage sites, from 2020 ...
DESIGNATION_ENDED_SHARE = 0.02  # ... of which these were one only until the end of 2025
STORED_ELSEWHERE_SHARE = 0.002  # other sites holding storage
TEMPORARY_SHARE = 0.002  # sites with temporary deployments
SEVERAL_OBJECTS_SHARE = 0.2  # sites with 2 or 3 objects of verification
TYPED_SHARE = 0.25  # lines of a site's first slot that name a type (the second slot always does)
# (name, category, subtype): a few of the Protocol on Existing Types' types
TYPES = [
    ("T-72B3", "tanks", ""),
    ("Leopard 2A4", "tanks", ""),
    ("BMP-2", "acv", "aifv"),
    ("BTR-80", "acv", "apc"),
    ("2S25", "acv", "hacv"),
    ("2S19", "artillery", "howitzer"),
    ("BM-21", "artillery", "mlrs"),
    ("Su-25", "aircraft", ""),
    ("F-16C", "aircraft", ""),
    ("Mi-24", "helicopters", ""),
    ("AH-64", "helicopters", ""),
]


def bench_database() -> str:
    """Point Django at ``<name>_bench`` on the same server, creating the database when missing."""
    import dj_database_url
    import psycopg

    url = os.environ.get("DATABASE_URL", "postgres://tracker@127.0.0.1:54329/tracker")
    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_bench"
    conninfo = dict(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], dbname="postgres")
    if config.get("PASSWORD"):
        conninfo["password"] = config["PASSWORD"]
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(**{**conninfo, "dbname": name}, autocommit=True) as db:
        db.execute("CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS btree_gist")
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    return name


def star(lon: float, lat: float, radius: float, vertices: int, rng: np.random.Generator) -> list[tuple]:
    """A noisy star-shaped ring: a radius varying smoothly with the angle keeps it simple and valid."""
    angles = np.linspace(0, 2 * math.pi, vertices, endpoint=False)
    wobble = sum(rng.uniform(0.02, 0.08) * np.sin(k * angles + rng.uniform(0, 2 * math.pi)) for k in (3, 7, 17, 41, 97))
    radii = radius * (1 + wobble + rng.uniform(-0.005, 0.005, vertices))
    ring = [(lon + r * math.cos(a) / math.cos(math.radians(lat)), lat + r * math.sin(a)) for a, r in zip(angles, radii)]
    return ring + ring[:1]


# The audit trail's row triggers and the guard of submitted lines run a subtransaction per row, over
# which every queued foreign-key check of the statement is rescanned: a bulk COPY is quadratic in its
# rows with them. Generated records need neither (lines go in while their notification is a draft,
# nothing the bench times reads the audit trail), so the owner sets them aside in the bench database.
@contextlib.contextmanager
def row_triggers_aside(cursor):
    tables = ["tracker_site", "tracker_objectofverification", "tracker_notification", "tracker_holding"]
    aside = cursor.execute(
        "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname LIKE 'pgtrigger\\_%%'"
        " AND tgtype & 1 = 1 AND tgrelid::regclass::text = ANY(%s)",
        [tables],
    ).fetchall()
    for table, trigger in aside:
        cursor.execute(f'ALTER TABLE {table} DISABLE TRIGGER "{trigger}"')
    try:
        yield
    finally:
        for table, trigger in aside:
            cursor.execute(f'ALTER TABLE {table} ENABLE TRIGGER "{trigger}"')


def build(holdings: int, zones: int, vertices: int, seed: int) -> None:
    from django.contrib.gis.geos import MultiPolygon, Polygon
    from django.db import connection

    from tracker.models import Ceiling, EquipmentCategory, EquipmentType, PartyGroup, StateParty, Treaty
    from zones.models import Zone, ZoneVersion

    rng = np.random.default_rng(seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE tracker_holding, tracker_notification, tracker_site, tracker_sitezones, tracker_ceiling, "
            "tracker_treaty, tracker_partygroup_members, tracker_partygroup, tracker_inspectionfinding, "
            "tracker_inspection, tracker_observation, tracker_stateparty, zones_zoneversion, zones_zone, "
            "tracker_compliancerun, tracker_recordedbreach, tracker_equipmenttype CASCADE"
        )
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    parties = StateParty.objects.bulk_create(
        StateParty(code=f"P{letters[i // 26]}{letters[i % 26]}", name=f"Party {i}") for i in range(PARTIES)
    )
    west, east = PartyGroup.objects.create(name="West"), PartyGroup.objects.create(name="East")
    west.members.add(*parties[:15])
    east.members.add(*parties[15:])
    treaty = Treaty.objects.create(name="Synthetic", in_force_from=datetime.date(2020, 1, 1))
    categories = {c.code: c for c in EquipmentCategory.objects.filter(code__in=CATEGORIES)}
    types = EquipmentType.objects.bulk_create(
        EquipmentType(name=name, category=categories[code], subtype=subtype) for name, code, subtype in TYPES
    )
    types_of = {code: [t.id for t in types if t.category_id == categories[code].id] for code in CATEGORIES}
    mlrs = [t for t in types if t.subtype == "mlrs"]

    # Rings of four nested zones around centres close enough for rings of neighbours to overlap.
    centres = [(rng.uniform(15, 45), rng.uniform(43, 60)) for _ in range(math.ceil(zones / 4))]
    shapes = []
    for i in range(zones):
        lon, lat = centres[i // 4]
        ring = star(lon, lat, radius=2.0 - 0.4 * (i % 4), vertices=vertices, rng=rng)
        shapes.append(MultiPolygon(Polygon(ring), srid=4326))
    for i, geom in enumerate(shapes):
        zone = Zone.objects.create(code=f"Z{i:03d}", name=f"Zone {i}", kind="limitation")
        ZoneVersion.objects.create(zone=zone, geom=geom)
        for category, applies_to, limit, extra in (
            ("tanks", "each", 0, {}),
            ("acv", "all", 0, {}),
            ("artillery", "group", 0, {"group": west}),
            ("aircraft", "each", 0, {"counting": "active"}),
            ("acv", "each", 0, {"subtype": "aifv", "counting": "active"}),
            ("artillery", "all", 0, {"temporary_allowance": 140}),
        ):
            ceiling = Ceiling.objects.create(
                treaty=treaty,
                zone=zone,
                category=categories[category],
                applies_to=applies_to,
                limit=limit,
                **extra,
            )
            if extra.get("temporary_allowance"):
                ceiling.types.set(mlrs)

    sites = max(1, holdings // LINES_PER_SITE)
    centre_of = rng.integers(0, len(centres), sites)
    lons = np.array([centres[c][0] for c in centre_of]) + rng.normal(0, 2.0, sites)
    lats = np.array([centres[c][1] for c in centre_of]) + rng.normal(0, 1.5, sites)
    owner = rng.integers(0, PARTIES, sites)
    storage_site = rng.random(sites) < STORAGE_SITE_SHARE
    designation_ended = storage_site & (rng.random(sites) < DESIGNATION_ENDED_SHARE)
    raw = connection.connection
    started = time.perf_counter()
    with raw.cursor() as cursor, row_triggers_aside(cursor):
        for start in range(0, sites, SITE_CHUNK):
            with cursor.copy(
                "COPY tracker_site (party_id, code, name, location, unit, storage_from, storage_to) FROM STDIN"
            ) as copy:
                for i in range(start, min(sites, start + SITE_CHUNK)):
                    point = f"SRID=4326;POINT({lons[i]} {lats[i]})"
                    storage_from = datetime.date(2020, 1, 1) if storage_site[i] else None
                    storage_to = datetime.date(2025, 12, 31) if designation_ended[i] else None
                    copy.write_row(
                        (parties[owner[i]].id, f"S{i:07d}", f"Site {i}", point, "", storage_from, storage_to)
                    )
        print(f"  sites: {time.perf_counter() - started:.1f} s", flush=True)
        site_ids = [row[0] for row in cursor.execute("SELECT id FROM tracker_site ORDER BY code")]
        objects_at = np.where(rng.random(sites) < SEVERAL_OBJECTS_SHARE, rng.integers(2, 4, sites), 1)
        cursor.execute(
            "INSERT INTO tracker_objectofverification (party_id, record_number, designation, site_id)"
            " SELECT s.party_id, s.code || '-' || n, s.name || ' unit ' || n, s.id"
            " FROM tracker_site s JOIN unnest(%s::bigint[], %s::int[]) AS o(site_id, objects) ON o.site_id = s.id"
            " CROSS JOIN generate_series(1, o.objects) AS n",
            [site_ids, objects_at.tolist()],
        )
        held_by = {site_id: [] for site_id in site_ids}
        for site_id, object_id in cursor.execute(
            "SELECT site_id, id FROM tracker_objectofverification ORDER BY record_number"
        ):
            held_by[site_id].append(object_id)

        annual, change = {}, {}
        for party in parties:
            for date, kind, store in (
                (EXCHANGED, "annual", annual),
                (CHANGED, "change", change),
            ):
                due = datetime.datetime.combine(date, datetime.time(9), tzinfo=datetime.UTC)
                store[party.id] = cursor.execute(
                    "INSERT INTO tracker_notification (party_id, reference, kind, effective_date, status, submitted_at, remarks) "
                    "VALUES (%s, %s, %s, %s, 'draft', %s, '') RETURNING id",
                    [
                        party.id,
                        f"{party.code}-{kind}-{date}",
                        kind,
                        date,
                        due - datetime.timedelta(days=20 if kind == "annual" else 0),
                    ],
                ).fetchone()[0]

        # Two slots per category: the first untyped or of one of its later types, the second of its first
        # type, so a site's lines never repeat an (object, category, type, status). A designated
        # storage site holds only storage; elsewhere the second slot may be storage or temporary.
        keys = [(code, slot) for code in CATEGORIES for slot in (0, 1)]
        elsewhere = rng.random(sites)
        lines = []
        for i, site_id in enumerate(site_ids):
            party_id = parties[owner[i]].id
            chosen = rng.choice(len(keys), 8, replace=False)
            quantities = rng.integers(0, 60, 10)
            declared = []
            for k in chosen:
                code, slot = keys[k]
                if slot == 0:
                    typed = rng.random() < TYPED_SHARE
                    equipment_type = rng.choice(types_of[code][1:]) if typed else None
                    status = "active"
                else:
                    equipment_type = types_of[code][0]
                    status = "active"
                    if elsewhere[i] < STORED_ELSEWHERE_SHARE:
                        status = "storage"
                    elif elsewhere[i] > 1 - TEMPORARY_SHARE:
                        status = "temporary"
                if storage_site[i]:
                    status = "storage"
                objects = held_by[site_id]
                declared.append((objects[rng.integers(len(objects))], categories[code].id, equipment_type, status))
            # In force as refresh_periods() places them: a changed line until the change, the change from then on.
            for notice, quantity, (object_id, category_id, equipment_type, status), until in [
                *(
                    (annual[party_id], quantities[n], key, CHANGED if n < 2 else r"\N")
                    for n, key in enumerate(declared)
                ),
                *((change[party_id], quantities[8 + n], key, r"\N") for n, key in enumerate(declared[:2])),
            ]:
                of_type = r"\N" if equipment_type is None else equipment_type
                lines.append(
                    f"{notice}\t{object_id}\t{site_id}\t{category_id}\t{of_type}\t{quantity}\t{status}"
                    f"\t{EXCHANGED if notice == annual[party_id] else CHANGED}\t{until}\n"
                )
        chunk = max(LINE_CHUNK, -(-len(lines) // LINE_STATEMENTS))
        for start in range(0, len(lines), chunk):
            with cursor.copy(
                "COPY tracker_holding (notification_id, object_of_verification_id, site_id, category_id,"
                " equipment_type_id, quantity, status, effective_from, effective_to) FROM STDIN"
            ) as copy:
                copy.write("".join(lines[start : start + chunk]))
        # A submitted notification's lines are frozen by the database: lines go in while it is a draft.
        cursor.execute(
            "UPDATE tracker_notification SET status = 'submitted' WHERE id = ANY(%s)",
            [[*annual.values(), *change.values()]],
        )
        print(f"  holdings: {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        # The zone totals' trigger rewrote each chunk's totals of the notifications before it: compacted, as a
        # bundle load (one statement) leaves them, rather than several times their size, which every query
        # that reads them would then pay for.
        cursor.execute("VACUUM (FULL, ANALYZE) tracker_zonetotal")
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would leave the tables after a bulk load
    set_limits()


def set_limits() -> None:
    """Limits just under the largest holder's count in every tenth zone, comfortably above it elsewhere."""
    from collections import defaultdict

    from tracker import compliance
    from tracker.models import Ceiling

    largest = defaultdict(int)
    for count in compliance.ceiling_counts(AS_OF):
        largest[count.ceiling.id] = max(largest[count.ceiling.id], count.counted)
    for ceiling in Ceiling.objects.select_related("zone"):
        tight = int(ceiling.zone.code[1:]) % 10 == 0
        ceiling.limit = max(0, largest[ceiling.id] - 1) if tight else int(largest[ceiling.id] * 1.2) + 10
        ceiling.save(update_fields=["limit"])


# What a line counts as on %(day)s, as an analyst would write it: storage outside a designated
# permanent storage site counts as active (CFE Art. X.4), kept apart as 'undesignated'.
COUNTED_STATUS = """
    CASE WHEN h.status = 'storage' AND NOT (s.storage_from IS NOT NULL AND s.storage_from <= %(day)s
                                            AND (s.storage_to IS NULL OR %(day)s <= s.storage_to))
         THEN 'undesignated' ELSE h.status END
"""


def project_counts(as_of: datetime.date) -> dict:
    from tracker import compliance
    from tracker.models import EquipmentCategory, StateParty
    from zones.models import Zone

    zone_codes = dict(Zone.objects.values_list("id", "code"))
    party_codes = dict(StateParty.objects.values_list("id", "code"))
    category_codes = dict(EquipmentCategory.objects.values_list("id", "code"))
    counts = compliance.zone_counts(as_of, list(zone_codes))
    return {(zone_codes[z], party_codes[p], category_codes[c], s): q for (z, p, c, s), q in counts.items() if q}


def geopandas_frames(as_of: datetime.date):
    """What the analyst has in memory before the question: holdings in force as points, and the zones."""
    import geopandas as gpd
    import pandas as pd
    import shapely
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT p.code, c.code, {COUNTED_STATUS}, h.quantity, ST_X(s.location), ST_Y(s.location)
            FROM tracker_holding h JOIN tracker_site s ON s.id = h.site_id
            JOIN tracker_stateparty p ON p.id = s.party_id JOIN tracker_equipmentcategory c ON c.id = h.category_id
            WHERE h.effective_from <= %(day)s AND (h.effective_to IS NULL OR h.effective_to > %(day)s) AND h.quantity > 0
            """,
            {"day": as_of},
        )
        rows = cursor.fetchall()
        cursor.execute(
            """
            SELECT z.code, ST_AsBinary(v.geom) FROM zones_zoneversion v JOIN zones_zone z ON z.id = v.zone_id
            WHERE (v.valid_from IS NULL OR v.valid_from <= %(day)s) AND (v.valid_to IS NULL OR v.valid_to >= %(day)s)
            """,
            {"day": as_of},
        )
        zone_rows = cursor.fetchall()
    frame = pd.DataFrame(rows, columns=["party", "category", "status", "quantity", "x", "y"])
    holdings = gpd.GeoDataFrame(
        frame.drop(columns=["x", "y"]), geometry=gpd.points_from_xy(frame.x, frame.y), crs="EPSG:4326"
    )
    zones = gpd.GeoDataFrame(
        {"zone": [code for code, _ in zone_rows]},
        geometry=shapely.from_wkb([bytes(wkb) for _, wkb in zone_rows]),
        crs="EPSG:4326",
    )
    return holdings, zones


def geopandas_counts(holdings, zones) -> dict:
    import geopandas as gpd

    # Zones on the left: geopandas then indexes the points and prepares each zone once, about ten
    # times faster than holdings on the left, which tests every point against raw polygons.
    joined = gpd.sjoin(zones, holdings, predicate="intersects", how="inner")
    sums = joined.groupby(["zone", "party", "category", "status"])["quantity"].sum()
    return {key: int(q) for key, q in sums.items() if q}


def naive_postgis_counts(as_of: datetime.date) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT z.code, p.code, c.code, {COUNTED_STATUS}, sum(h.quantity)
            FROM tracker_holding h
            JOIN tracker_site s ON s.id = h.site_id
            JOIN zones_zoneversion v ON ST_Contains(v.geom, s.location)
            JOIN zones_zone z ON z.id = v.zone_id
            JOIN tracker_stateparty p ON p.id = s.party_id
            JOIN tracker_equipmentcategory c ON c.id = h.category_id
            WHERE h.effective_from <= %(day)s AND (h.effective_to IS NULL OR h.effective_to > %(day)s) AND h.quantity > 0
              AND (v.valid_from IS NULL OR v.valid_from <= %(day)s) AND (v.valid_to IS NULL OR v.valid_to >= %(day)s)
            GROUP BY 1, 2, 3, 4
            """,
            {"day": as_of},
        )
        return {(z, p, c, s): int(q) for z, p, c, s, q in cursor if q}


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def check_seconds(as_of: datetime.date) -> dict[str, float]:
    """Each of evaluate's checks timed on its own (warm): where the time goes."""
    from tracker.compliance import engine

    checks = {
        "ceilings": engine.ceiling_breaches,
        "distances": engine.distance_breaches,
        "storage": engine.storage_outside_designated_sites,
        "inspections": lambda day: engine.inspection_findings(day, ambiguity=False),
        "observations": engine.observation_breaches,
        "late notifications": engine.late_notifications,
        "unnotified changes": engine.unnotified_changes,
        "short notice": engine.short_notices,
    }
    return {label: timed(check, as_of)[1] for label, check in checks.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--holdings", type=int, default=100_000, help="holding lines to generate")
    parser.add_argument("--zones", type=int, default=100, help="zones to generate")
    parser.add_argument("--vertices", type=int, default=1200, help="vertices per zone boundary (at least 1,000)")
    parser.add_argument("--seed", type=int, default=1990)
    parser.add_argument("--reuse", action="store_true", help="time the data already in the bench database")
    args = parser.parse_args()

    name = bench_database()
    import django

    django.setup()
    from django.core.management import call_command

    from tracker import compliance

    call_command("migrate", verbosity=0)
    if not args.reuse:
        _, load_s = timed(build, args.holdings, args.zones, args.vertices, args.seed)
        print(f"built {args.holdings:,} holding lines and {args.zones} zones in {name} in {load_s:.1f} s", flush=True)

    # Cold: the first call in this process, no kept answer (the database's caches are as the build or
    # the last run left them); then warm, with the connection and catalogue caches a running server has.
    _, cold_s = timed(compliance.evaluate, AS_OF)
    breaches, project_s = timed(compliance.evaluate, AS_OF)
    per_check = check_seconds(AS_OF)
    compliance.cached_evaluate(AS_OF)
    _, cached_s = timed(compliance.cached_evaluate, AS_OF)
    ours = project_counts(AS_OF)
    holdings, zones = geopandas_frames(AS_OF)
    theirs, geopandas_s = timed(geopandas_counts, holdings, zones)
    naive, naive_s = timed(naive_postgis_counts, AS_OF)

    for label, other in (("geopandas", theirs), ("naive PostGIS", naive)):
        if other != ours:
            differing = sorted(set(ours.items()) ^ set(other.items()))[:5]
            sys.exit(f"counts differ between the project and {label}: {differing}")

    kinds = Counter(breach.kind for breach in breaches)
    print(
        f"as of {AS_OF}: {len(holdings):,} holdings in force, {len(ours):,} zone/party/category/status counts, "
        f"{len(breaches)} breaches ({', '.join(f'{n} {kind}' for kind, n in sorted(kinds.items()))})"
    )
    print(f"{'method':<36}{'seconds':>10}")
    for label, seconds in (
        ("project evaluate, cold", cold_s),
        ("project evaluate (all breaches)", project_s),
        ("project cached_evaluate (warm)", cached_s),
        ("geopandas sjoin + groupby", geopandas_s),
        ("naive PostGIS ST_Contains join", naive_s),
    ):
        print(f"{label:<36}{seconds:>10.3f}")
    for label, seconds in per_check.items():
        print(f"  {label:<34}{seconds:>10.3f}")
    print("counts: identical in all three")
    print(
        json.dumps(
            {
                "holdings": args.holdings,
                "zones": args.zones,
                "project_cold_s": round(cold_s, 3),
                "project_s": round(project_s, 3),
                "checks_s": {label: round(seconds, 3) for label, seconds in per_check.items()},
                "geopandas_s": round(geopandas_s, 3),
                "naive_postgis_s": round(naive_s, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
