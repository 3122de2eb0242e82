"""``short_notice``: an object of verification created or relocated with less notice than the treaty asks.

Final Document 1996, Annex B §11: the States Parties notify "any creation of, or relocation of, an object
of verification at least 42 days in advance" (``Treaty.object_notice_days``; 0: no such rule; of several
treaties in force on the effective date, the longest notice).

- Created: the object's first line, unless it is effective on the party's first day of declarations or on
  the effective date of its first annual exchange: what the first information exchange declares is the
  baseline, not a creation.
- Relocated: a line of the object at another site than its line before (of any category or status).

Lines of temporary deployments take no part: CFE Art. V.2 has a deployment notified by its start,
and a unit deployed for a while is not relocated.

The notice given is the days from the notification's submission to its effective date; exactly the days
asked is enough. Declarations are read as they stand (a correction in place of what it corrects), each
known from its submission.

Two queries, however many lines: the creations and relocations, the treaties.
"""

import datetime

from django.db import connection
from django.utils import timezone

from tracker.compliance.breach import SHORT_NOTICE, Breach
from tracker.models import Treaty
from tracker.models.treaties import TREATY_IN_FORCE

# Each object's lines in the order they take effect (as the periods order them), the site of the one
# before; a party's baseline days: its first effective date and its first annual exchange's.
CREATED_OR_RELOCATED = """
    WITH baseline AS (
        SELECT party_id, min(effective_date) AS day FROM tracker_notification
        WHERE status = 'submitted' GROUP BY party_id
        UNION
        SELECT party_id, min(effective_date) FROM tracker_notification
        WHERE status IN ('submitted', 'superseded') AND kind = 'annual' GROUP BY party_id
    ),
    -- The notifications in force, a few hundred: hashed once, each line is matched to its own in the
    -- one pass over the lines below, rather than looked up line by line.
    submitted AS MATERIALIZED (
        SELECT id, party_id, effective_date FROM tracker_notification
        WHERE status = 'submitted' AND (%(party)s::bigint IS NULL OR party_id = %(party)s)
    ),
    -- Only an object at more than one site, or first declared after its party's baseline, can have
    -- been relocated or created: the lines of the others are never put in order. One party's lines are
    -- found through its objects' index: the planner, which cannot tell how many lines its notifications
    -- hold, would otherwise read every line.
    candidate AS (
        SELECT h.object_of_verification_id AS object_id
        FROM tracker_holding h JOIN submitted n ON n.id = h.notification_id
        WHERE h.status <> 'temporary' AND (%(party)s::bigint IS NULL OR h.object_of_verification_id = ANY(ARRAY(
            SELECT id FROM tracker_objectofverification WHERE party_id = %(party)s
        )))
        GROUP BY h.object_of_verification_id, n.party_id
        HAVING min(h.site_id) <> max(h.site_id) OR NOT EXISTS (
            SELECT FROM baseline b WHERE b.party_id = n.party_id AND b.day = min(n.effective_date)
        )
    ),
    line AS (
        SELECT h.object_of_verification_id AS object_id, h.site_id, n.id AS notification_id, n.party_id,
               n.effective_date, n.submitted_at,
               lag(h.site_id) OVER w AS previous_site_id, row_number() OVER w AS position
        FROM tracker_holding h JOIN tracker_notification n ON n.id = h.notification_id
        WHERE n.status = 'submitted' AND h.status <> 'temporary'
          AND h.object_of_verification_id IN (SELECT object_id FROM candidate)
        WINDOW w AS (PARTITION BY h.object_of_verification_id ORDER BY n.effective_date, n.submitted_at, h.id)
    )
    SELECT DISTINCT ON (l.object_id, l.notification_id)
           p.code, o.record_number, previous.code, site.code, n.reference, l.effective_date, l.submitted_at
    FROM line l
    JOIN tracker_notification n ON n.id = l.notification_id
    JOIN tracker_stateparty p ON p.id = l.party_id
    JOIN tracker_objectofverification o ON o.id = l.object_id
    JOIN tracker_site site ON site.id = l.site_id
    LEFT JOIN tracker_site previous ON previous.id = l.previous_site_id
    WHERE l.previous_site_id <> l.site_id
       OR (l.position = 1 AND NOT EXISTS (
           SELECT FROM baseline b WHERE b.party_id = l.party_id AND b.day = l.effective_date
       ))
    ORDER BY l.object_id, l.notification_id
"""


def notice_required(treaties: list[Treaty], day: datetime.date) -> tuple[int, Treaty] | None:
    """The longest notice any treaty in force on ``day`` asks, and that treaty; None when none asks any."""
    asked = [(t.object_notice_days, t) for t in treaties if TREATY_IN_FORCE.holds(t, day) and t.object_notice_days]
    return max(asked, key=lambda a: (a[0], a[1].name), default=None)


def short_notices(as_of: datetime.date, party: int | None = None) -> list[Breach]:
    """Creations and relocations of objects of verification notified by ``as_of`` with too short notice; of
    ``party`` only, if given."""
    with connection.cursor() as cursor:
        cursor.execute(CREATED_OR_RELOCATED, {"party": party})
        rows = cursor.fetchall()
    if not rows:
        return []
    treaties = list(Treaty.objects.all())
    breaches = []
    for party, record, previous_site, site, reference, effective, submitted_at in rows:
        submitted = timezone.localdate(submitted_at)
        required = notice_required(treaties, effective)
        if submitted > as_of or required is None:
            continue
        days, treaty = required
        given = (effective - submitted).days
        if given >= days:
            continue
        breaches.append(
            Breach(
                kind=SHORT_NOTICE,
                as_of=as_of,
                zone=None,
                party=party,
                category=None,
                limit=days,
                counted=given,
                excess=days - given,
                treaty=treaty.name,
                evidence={
                    "object": record,
                    "change": "created" if previous_site is None else "relocated",
                    "sites": [site] if previous_site is None else [previous_site, site],
                    "notification": reference,
                    "submitted": submitted.isoformat(),
                    "effective_date": effective.isoformat(),
                    "days_given": given,
                    "days_required": days,
                    "rule": "creation or relocation of an object of verification notified at least "
                    f"{days} days in advance (Final Document 1996, Annex B §11)",
                },
            )
        )
    return sorted(breaches, key=Breach.sort_key)
