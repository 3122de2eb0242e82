"""Zone sets and zone totals worked out again from scratch: verified, rebuilt, compacted.

The triggers of ``tracker/sql/`` keep each site's zone set (``SiteZones``) and the zone totals
(``ZoneTotal``) as data is written. Here both are recomputed from the sites, zone versions and
holdings alone, by SQL that shares nothing with those triggers, so a fault in either shows up
as a difference. Zone totals are compared by their net sums per key: writers that could not fold
append rows, so how many rows make a sum is no difference (``compact_zone_totals`` folds them).

Whatever rewrites zone totals takes the advisory lock the folding writer holds, so only one
transaction at a time ever deletes zone-total rows.
"""

from dataclasses import dataclass

from django.db import connection, transaction

from tracker import membership

KEY_COLUMNS = ["zone_version_id", "party_id", "category_id", "equipment_type_id", "status", "notification_id", "day"]
KEY = ", ".join(KEY_COLUMNS)
NULLABLE_KEYS = {"equipment_type_id"}
FOLDING_LOCK = "SELECT pg_advisory_xact_lock(hashtext('tracker_zonetotal'))"

# Every site, the sorted ids of the zone versions whose area holds it (boundary included).
RECOMPUTED_SITE_ZONES = """
    SELECT s.id AS site_id, s.party_id, coalesce(hits.versions, '{}') AS versions
    FROM tracker_site s
    LEFT JOIN (
        SELECT s.id, array_agg(v.id ORDER BY v.id) AS versions
        FROM zones_zoneversion v JOIN tracker_site s ON ST_Intersects(v.geom, s.location)
        GROUP BY s.id
    ) hits ON hits.id = s.id
"""
STORED_SITE_ZONES = """
    SELECT m.site_id, m.party_id, z.versions FROM tracker_sitezones m JOIN tracker_zoneset z ON z.id = m.zone_set_id
"""
# Each line with a period adds its quantity and one line on the day it takes effect and takes
# them away on the day it ends, in every zone version its site lies in; a line in storage does so
# as storage for the part of its period its site is a designated permanent storage site, and as
# storage outside one ('undesignated') for the rest. Sums that cancel out are no row.
RECOMPUTED_ZONE_TOTALS = f"""
    SELECT version AS zone_version_id, m.party_id, h.category_id, h.equipment_type_id, piece.status,
           h.notification_id, edge.day, sum(edge.sign * h.quantity) AS quantity, sum(edge.sign) AS lines
    FROM tracker_holding h
    JOIN tracker_site s ON s.id = h.site_id
    JOIN ({RECOMPUTED_SITE_ZONES}) m ON m.site_id = h.site_id
    CROSS JOIN LATERAL unnest(m.versions) AS version
    CROSS JOIN LATERAL (
        SELECT daterange(h.effective_from, h.effective_to) AS span,
               CASE WHEN s.storage_from IS NULL THEN 'empty'::daterange
                    ELSE daterange(s.storage_from, s.storage_to, '[]') END AS designated
    ) period
    CROSS JOIN LATERAL (
        SELECT h.status::text AS status, period.span WHERE h.status <> 'storage'
        UNION ALL
        SELECT 'storage', period.span * period.designated WHERE h.status = 'storage'
        UNION ALL
        SELECT 'undesignated', unnest(datemultirange(period.span) - datemultirange(period.designated))
        WHERE h.status = 'storage'
    ) piece
    CROSS JOIN LATERAL (VALUES (lower(piece.span), 1), (upper(piece.span), -1)) AS edge(day, sign)
    WHERE h.effective_from IS NOT NULL AND h.quantity > 0 AND NOT isempty(piece.span) AND edge.day IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(edge.sign * h.quantity) <> 0 OR sum(edge.sign) <> 0
"""
STORED_ZONE_TOTALS = f"""
    SELECT {KEY}, sum(quantity) AS quantity, sum(lines) AS lines FROM tracker_zonetotal
    GROUP BY {KEY}
    HAVING sum(quantity) <> 0 OR sum(lines) <> 0
"""


def _differences(recomputed: str, stored: str, key: list[str], values: list[str]) -> str:
    """The rows of ``recomputed`` and ``stored`` whose ``values`` differ for the same ``key``, first ones first."""
    # A line of no named type has a NULL type: matched as equal, which USING would not do.
    return f"""
        SELECT {", ".join(f"coalesce(r.{k}, s.{k})" for k in key)}, {", ".join(f"r.{v}" for v in values)},
               {", ".join(f"s.{v}" for v in values)}, count(*) OVER ()
        FROM ({recomputed}) r FULL JOIN ({stored}) s
             ON {" AND ".join(f"coalesce(r.{k}, 0) = coalesce(s.{k}, 0)" if k in NULLABLE_KEYS else f"r.{k} = s.{k}" for k in key)}
        WHERE ({", ".join(f"r.{v}" for v in values)}) IS DISTINCT FROM ({", ".join(f"s.{v}" for v in values)})
        ORDER BY {", ".join(str(n + 1) for n in range(len(key)))}
        LIMIT %s
    """


@dataclass(frozen=True)
class Difference:
    """One key whose recomputed values differ from the stored ones; None where there is no row."""

    key: dict[str, object]
    recomputed: dict[str, object] | None
    stored: dict[str, object] | None


@dataclass(frozen=True)
class Differences:
    """How many keys of one kind of derived data differ, and the first of them."""

    what: str
    count: int
    first: list[Difference]


def _named(names: list[str], values: tuple) -> dict[str, object] | None:
    return None if all(value is None for value in values) else dict(zip(names, values))


CHECKS = [
    ("site zones", RECOMPUTED_SITE_ZONES, STORED_SITE_ZONES, ["site_id"], ["party_id", "versions"]),
    ("zone totals", RECOMPUTED_ZONE_TOTALS, STORED_ZONE_TOTALS, KEY_COLUMNS, ["quantity", "lines"]),
]


def verify(first: int = 20) -> list[Differences]:
    """Recompute every site's zone set and every zone total and compare them with the stored ones.

    Each comparison is one statement, so it reads one consistent state even while others write."""
    found = []
    with connection.cursor() as cursor:
        for what, recomputed, stored, key, values in CHECKS:
            cursor.execute(_differences(recomputed, stored, key, values), [first])
            rows = cursor.fetchall()
            listed = [
                Difference(
                    dict(zip(key, row)),
                    _named(values, row[len(key) : len(key) + len(values)]),
                    _named(values, row[len(key) + len(values) : -1]),
                )
                for row in rows
            ]
            found.append(Differences(what, rows[0][-1] if rows else 0, listed))
    return found


def rebuild() -> None:
    """Recompute every site's zone set and replace the zone totals with recomputed ones, in one transaction.

    Zone sets are recomputed by the triggers' own function (``membership.refresh``): ``verify``
    after it still compares them with this module's recomputation.

    Writers of sites, zone versions and holdings wait until it commits, and it waits for those
    already writing: nothing is written between the recomputation and its replacing the rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FOLDING_LOCK)
        cursor.execute("LOCK TABLE tracker_site, zones_zoneversion, tracker_holding IN SHARE MODE")
        cursor.execute("LOCK TABLE tracker_sitezones, tracker_zonetotal IN EXCLUSIVE MODE")
        membership.refresh()
        cursor.execute("DELETE FROM tracker_zonetotal")
        cursor.execute(f"INSERT INTO tracker_zonetotal ({KEY}, quantity, lines) {RECOMPUTED_ZONE_TOTALS}")
        # Rewritten without their holdings or site zones changing: answers kept against the data
        # version must not outlive the old totals.
        cursor.execute(
            """
            INSERT INTO tracker_dataversion VALUES ('tracker_zonetotal', nextval('tracker_data_version_seq'))
            ON CONFLICT (table_name) DO UPDATE SET version = EXCLUDED.version
            """
        )


def compact_zone_totals() -> tuple[int, int]:
    """Fold every key's zone-total rows into one and drop those that sum to nothing.

    Returns (rows folded, rows they became). No sum changes, so no answer does either; rows
    others append meanwhile are left for the next compaction."""
    matched = " AND ".join(
        f"t.{column} IS NOT DISTINCT FROM c.{column}" if column in NULLABLE_KEYS else f"t.{column} = c.{column}"
        for column in KEY_COLUMNS
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FOLDING_LOCK)
        cursor.execute(
            f"""
            WITH crowded AS (
                SELECT {KEY} FROM tracker_zonetotal GROUP BY {KEY}
                HAVING count(*) > 1 OR (sum(quantity) = 0 AND sum(lines) = 0)
            ), folded AS (
                DELETE FROM tracker_zonetotal t USING crowded c WHERE {matched}
                RETURNING t.*
            ), kept AS (
                INSERT INTO tracker_zonetotal ({KEY}, quantity, lines)
                SELECT {KEY}, sum(quantity), sum(lines) FROM folded GROUP BY {KEY}
                HAVING sum(quantity) <> 0 OR sum(lines) <> 0
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM folded), (SELECT count(*) FROM kept)
            """
        )
        return cursor.fetchone()
