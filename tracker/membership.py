"""Which zone versions each declared site lies in, worked out when data is written, not when it is read.

``SiteZones`` holds, per site, its ``ZoneSet``: the ids of every zone version whose area holds
the site's location, boundary included (``ST_Intersects``: a site on a boundary counts as inside). A
check as of any date then needs no spatial join at all: it keeps the versions in force on
that date. Nested zones need no rule of their own: a site in IV.4 lies in the versions of
IV.1 to IV.4 alike.

Database triggers keep it current, whoever writes and however (``tracker/sql/site_zones.sql``):

- inserting sites, or moving them (an UPDATE that changes ``location``), recomputes those
  sites — statement-level triggers over transition tables, so ``COPY`` and bulk ``INSERT …
  SELECT`` of a million sites cost one set-based join, not a million lookups;
- inserting, redrawing or deleting zone versions recomputes the sites they covered before
  and cover now.

``refresh(site_ids)`` runs the same recomputation on demand: for a loader that disabled
triggers (``session_replication_role = replica``) while copying, or to repair by hand.
"""

import datetime

from django.db import connection
from django.db.models import QuerySet

from tracker.models import Site
from zones.models import Zone, ZoneVersion


def refresh(site_ids: list[int] | None = None) -> None:
    """Recompute the zone versions of the given sites (every site when None)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tracker_refresh_site_zones(%s::bigint[])", [site_ids])


def sites_in(zone: Zone | int, day: datetime.date) -> QuerySet[Site]:
    """Sites inside the zone's version in force on ``day``, boundary included."""
    version = ZoneVersion.objects.in_force(day).filter(zone=zone).values_list("id", flat=True).first()
    if version is None:
        return Site.objects.none()
    return Site.objects.filter(zones__zone_set__versions__contains=[version])
