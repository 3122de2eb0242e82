"""``unnotified_change``: a change of the threshold share or more in a unit's holdings of a category that no
change notification declared, found when a later declaration of another kind (an annual exchange, or a
correction of one) states it.

Protocol on Information Exchange, Section VIII.1(B): each State Party notifies "any change of 10 percent
or more in any one of the categories of conventional armaments and equipment limited by the Treaty
assigned to any of its ... formations and units", within five days. Final Document 1996, Annex B §10:
"the most recent update of information on holdings will always constitute the basis for any subsequent
change to be notified".

What is compared: per object of verification and category, the quantity declared, summed over its
statuses (active, storage, temporary) and its equipment types, as each declaration leaves it: VIII.1(B)
speaks of the holdings "in any one of the categories" of a unit, not of a type or a status. Each
declaration is compared with the one before it (the latest update, Annex B §10); when the later is not a
change notification (nor a correction of one) and the quantity moved by the threshold share of the earlier
or more (exactly the share included; from 0, any increase), no change notification declared it in between.

The share is the treaty's (``Treaty.change_threshold_percent``) or, for the party in a zone its site lies
in, a stricter ``ChangeThreshold`` (the Flank Document, Section V.2: Ukraine's notifications for the Odessa
oblast "on the basis of changes of five, rather than ten, per cent"); of several treaties in force on the
later declaration's effective date, the lowest share. Declarations are read as they stand (a correction
in place of what it corrects) and count once submitted by the date and in effect on it.

Two queries, however many declarations: the changes, the treaties' thresholds.
"""

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from tracker.compliance.breach import UNNOTIFIED_CHANGE, Breach
from tracker.models import ChangeThreshold, NotificationKind, Treaty
from tracker.models.treaties import TREATY_IN_FORCE
from zones.in_force import VALID

CHANGE_KINDS = [NotificationKind.CHANGE, NotificationKind.TEMPORARY_DEPLOYMENT]

# Per object of verification and category, each effective date with a declaration (the lines effective
# that day), the quantity the object then holds (running sum of each line's change from the line before
# it of the same type and status), and the declaration before; only declarations by no change notification
# that move the quantity. A correction counts as the kind it corrects, followed down its chain.
CHANGES = f"""
    WITH RECURSIVE origin(id, kind, supersedes_id) AS (
        SELECT id, kind, supersedes_id FROM tracker_notification WHERE status = 'submitted'
        UNION ALL
        SELECT o.id, n.kind, n.supersedes_id FROM origin o JOIN tracker_notification n ON n.id = o.supersedes_id
        WHERE o.kind = 'correction'
    ),
    notified AS (
        SELECT id, bool_or(kind = ANY(%(change_kinds)s)) AS is_change FROM origin GROUP BY id
    ),
    -- Only an object's category declared by no change notification after an earlier declaration of it can
    -- show an unnotified change: such declarations are found from their notifications (those with an
    -- earlier one of their party), and the lines of the other objects are never read.
    -- Materialized, and its lines read by notification: none restating (a party's changes alone) reads no line.
    restating AS MATERIALIZED (
        SELECT n.id, n.effective_date FROM tracker_notification n JOIN notified x ON x.id = n.id
        WHERE NOT x.is_change AND n.effective_date <= %(day)s
          AND (%(party)s::bigint IS NULL OR n.party_id = %(party)s) AND EXISTS (
            SELECT FROM tracker_notification e
            WHERE e.party_id = n.party_id AND e.status = 'submitted' AND e.effective_date < n.effective_date
        )
    ),
    candidate AS (
        SELECT DISTINCT h.object_of_verification_id AS object_id, h.category_id
        FROM restating r
        CROSS JOIN LATERAL (
            SELECT h.object_of_verification_id, h.category_id FROM tracker_holding h WHERE h.notification_id = r.id OFFSET 0
        ) h
        WHERE EXISTS (
            SELECT FROM tracker_holding e JOIN tracker_notification en ON en.id = e.notification_id
            WHERE e.object_of_verification_id = h.object_of_verification_id AND e.category_id = h.category_id
              AND en.status = 'submitted' AND en.effective_date < r.effective_date
        )
    ),
    line AS (
        SELECT h.object_of_verification_id AS object_id, h.category_id, h.site_id, n.id AS notification_id,
               n.effective_date AS day,
               h.quantity - coalesce(lag(h.quantity) OVER (
                   PARTITION BY h.object_of_verification_id, h.category_id, h.equipment_type_id, h.status
                   ORDER BY n.effective_date, n.submitted_at, h.id
               ), 0) AS change
        FROM tracker_holding h JOIN tracker_notification n ON n.id = h.notification_id
        WHERE n.status = 'submitted'
          AND (h.object_of_verification_id, h.category_id) IN (SELECT object_id, category_id FROM candidate)
    ),
    declared AS (
        SELECT l.object_id, l.category_id, l.day, max(l.site_id) AS site_id, sum(l.change) AS change,
               array_agg(DISTINCT l.notification_id) AS notifications, bool_or(x.is_change) AS notified
        FROM line l JOIN notified x ON x.id = l.notification_id
        GROUP BY l.object_id, l.category_id, l.day
    ),
    state AS (
        SELECT d.*, sum(d.change) OVER (PARTITION BY d.object_id, d.category_id ORDER BY d.day) AS quantity
        FROM declared d
    ),
    successive AS (
        SELECT s.*, lag(s.quantity) OVER w AS previous, lag(s.day) OVER w AS previous_day,
               lag(s.notifications) OVER w AS previous_notifications
        FROM state s
        WINDOW w AS (PARTITION BY s.object_id, s.category_id ORDER BY s.day)
    )
    SELECT o.party_id, p.code, o.record_number, c.code, site.code, s.previous_day, s.day,
           s.previous::bigint, s.quantity::bigint,
           ARRAY(SELECT reference FROM tracker_notification WHERE id = ANY(s.previous_notifications) ORDER BY 1),
           ARRAY(SELECT reference FROM tracker_notification WHERE id = ANY(s.notifications) ORDER BY 1),
           (SELECT max(submitted_at) FROM tracker_notification WHERE id = ANY(s.notifications)),
           ARRAY(
               SELECT v.zone_id FROM tracker_sitezones m
               JOIN tracker_zoneset z ON z.id = m.zone_set_id
               JOIN zones_zoneversion v ON v.id = ANY(z.versions)
               WHERE m.site_id = s.site_id AND {VALID.sql("v", "s.day")}
           )
    FROM successive s
    JOIN tracker_objectofverification o ON o.id = s.object_id
    JOIN tracker_stateparty p ON p.id = o.party_id
    JOIN tracker_equipmentcategory c ON c.id = s.category_id
    JOIN tracker_site site ON site.id = s.site_id
    WHERE NOT s.notified AND s.previous IS NOT NULL AND s.quantity <> s.previous AND s.day <= %(day)s
    ORDER BY p.code, o.record_number, c.id, s.day
"""


class Declared(NamedTuple):
    """A declaration that moved an object's quantity of a category, beside the one before it (``CHANGES``)."""

    party_id: int
    party: str
    record_number: str
    category: str
    site: str
    day_before: datetime.date
    day: datetime.date
    before: int
    after: int
    references_before: list[str]
    references: list[str]
    submitted_at: datetime.datetime
    zone_ids: list[int]


def threshold(
    treaties: list[Treaty], overrides: list[ChangeThreshold], party: int, zones: list[int], day: datetime.date
) -> tuple[Decimal, Treaty] | None:
    """The lowest share, in percent, any treaty in force on ``day`` asks ``party`` to notify at a site in ``zones``."""
    shares = []
    for treaty in treaties:
        if TREATY_IN_FORCE.holds(treaty, day):
            stricter = [
                o.percent for o in overrides if o.treaty_id == treaty.id and o.party_id == party and o.zone_id in zones
            ]
            shares.append((min([treaty.change_threshold_percent, *stricter]), treaty.name, treaty))
    if not shares:
        return None
    share, _, treaty = min(shares, key=lambda s: s[:2])
    return share, treaty


def unnotified_changes(as_of: datetime.date, party: int | None = None) -> list[Breach]:
    """Declarations in effect and known by ``as_of`` that state a change no change notification declared;
    of ``party`` only, if given."""
    with connection.cursor() as cursor:
        cursor.execute(CHANGES, {"day": as_of, "party": party, "change_kinds": [str(kind) for kind in CHANGE_KINDS]})
        rows = [Declared(*row) for row in cursor]
    if not rows:
        return []
    treaties = list(Treaty.objects.all())
    overrides = list(ChangeThreshold.objects.all())
    breaches = []
    for row in rows:
        if timezone.localdate(row.submitted_at) > as_of:
            continue
        applies = threshold(treaties, overrides, row.party_id, row.zone_ids, row.day)
        if applies is None:
            continue
        share, treaty = applies
        # Exactly the share is a change to notify; from 0, any increase is.
        before, after = row.before, row.after
        if abs(after - before) * 100 < share * before:
            continue
        breaches.append(
            Breach(
                kind=UNNOTIFIED_CHANGE,
                as_of=as_of,
                zone=None,
                party=row.party,
                category=row.category,
                limit=before,
                counted=after,
                excess=after - before,
                treaty=treaty.name,
                evidence={
                    "object": row.record_number,
                    "site": row.site,
                    "counted": "the category, all statuses and equipment types of the object of verification",
                    "before": before,
                    "after": after,
                    "declared_before": row.day_before.isoformat(),
                    "declared_after": row.day.isoformat(),
                    "notifications_before": row.references_before,
                    "notifications_after": row.references,
                    "notification": row.references[0],
                    "share_percent": None if before == 0 else round(abs(after - before) * 100 / before, 2),
                    "threshold_percent": float(share),
                    "rule": "a change of the threshold share or more is notified (Protocol on Information "
                    "Exchange, Section VIII.1(B); the latest update is the basis: Final Document 1996, Annex B §10)",
                },
            )
        )
    return breaches
