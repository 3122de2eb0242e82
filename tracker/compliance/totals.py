"""What is in force per zone, party, category and status on given days, read from the zone totals
(``ZoneTotal``) that writes keep: no holding, site or geometry is touched, however many there are."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

from zones.in_force import VALID


@dataclass(frozen=True)
class Tally:
    """Holdings in force: their total quantity and the number of lines it is made of."""

    quantity: int = 0
    lines: int = 0


# (zone id, party id, category id, status) -> what is in force there
Tallies = dict[tuple[int, int, int, str], Tally]


def zone_totals_sql(*by: str) -> str:
    """Zone totals summed per day of %(days)s, zone (of those in %(zones)s), party, category and
    status, and per each of ``by``: more columns, expressions on the zone totals ``t``
    (``"t.notification_id"``, ``"CASE ... END AS equipment_type_id"``)."""
    columns = "".join(f", {column}" for column in by)
    keys = ", ".join(str(n) for n in range(1, 6 + len(by)))
    return f"""
        SELECT d.day, v.zone_id, t.party_id, t.category_id, t.status{columns},
               sum(t.quantity) AS quantity, sum(t.lines) AS lines
        FROM unnest(%(days)s::date[]) AS d(day)
        JOIN tracker_zonetotal t ON t.day <= d.day
        JOIN zones_zoneversion v ON v.id = t.zone_version_id AND {VALID.sql("v", "d.day")}
        WHERE v.zone_id = ANY(%(zones)s)
        GROUP BY {keys}
        HAVING sum(t.lines) > 0
    """


def zone_tallies(as_of: datetime.date, zone_ids: list[int]) -> Tallies:
    """Holdings in force on ``as_of`` at sites inside each zone, per party, category and status."""
    with connection.cursor() as cursor:
        cursor.execute(zone_totals_sql(), {"days": [as_of], "zones": zone_ids})
        return {
            (zone, party, category, status): Tally(int(quantity), int(lines))
            for _, zone, party, category, status, quantity, lines in cursor
        }


def zone_counts(as_of: datetime.date, zone_ids: list[int]) -> dict[tuple[int, int, int, str], int]:
    """The quantities of ``zone_tallies``."""
    return {key: tally.quantity for key, tally in zone_tallies(as_of, zone_ids).items()}


def zone_notifications(
    as_of: datetime.date, zone_ids: list[int]
) -> dict[tuple[int, int, int, str, int | None], set[str]]:
    """The references of the notifications whose lines make up each tally of ``zone_tallies``, per
    equipment type (None: lines naming only the category) as the last part of the key."""
    notifications: dict[tuple[int, int, int, str, int | None], set[str]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH tallied AS ({zone_totals_sql("t.equipment_type_id", "t.notification_id")})
            SELECT tallied.zone_id, tallied.party_id, tallied.category_id, tallied.status, tallied.equipment_type_id,
                   n.reference
            FROM tallied JOIN tracker_notification n ON n.id = tallied.notification_id
            """,
            {"days": [as_of], "zones": zone_ids},
        )
        for zone, party, category, status, equipment_type, reference in cursor:
            notifications[zone, party, category, status, equipment_type].add(reference)
    return notifications
