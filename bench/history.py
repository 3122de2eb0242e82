"""Time a zone's history: every ceiling's count on every change date over three years of daily changes.

    .venv/bin/python bench/history.py [--holdings 1000000] [--zones 100] [--reuse] [--days 1095]

Uses bench/compliance.py's dataset in its own database (``--reuse`` keeps the one built) and adds,
once, ``--days`` daily change notifications from the day after the annual exchange: each day one
party notifies a new quantity for ``--lines`` of its lines, on time, submitted and placed in time by
``refresh_periods`` as the application does. Then, in this fresh process (no kept answer; the
database's caches are as the build or the last run left them), it times ``history.zone_history``
for one zone over all its change dates (what the zone-history API and the zone page's chart read),
and the zone-history API itself (``/api/zones/<code>/history/``, rendered). Target: under 1 s cold.
Prints the figures, then one JSON line.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

from bench.compliance import EXCHANGED, bench_database, build, row_triggers_aside, timed  # noqa: E402

TARGET_S = 1.0
DAILY = "daily"  # the references of the daily change notifications contain it


def add_daily_changes(days: int, lines: int, seed: int) -> int:
    """``days`` daily change notifications after the annual exchange, each of ``lines`` of one party's
    lines with a new quantity; none added when they are there already. Returns how many there are."""
    from django.db import connection

    from tracker.models import Notification
    from tracker.models.declarations import refresh_periods

    present = Notification.objects.filter(reference__contains=DAILY).count()
    if present:
        return present
    rng = np.random.default_rng(seed)
    with connection.cursor() as cursor:
        parties = [row[0] for row in cursor.execute("SELECT id FROM tracker_stateparty ORDER BY code").fetchall()]
        touched: set[int] = set()
        raw = connection.connection
        with raw.cursor() as copying, row_triggers_aside(copying):
            for n in range(days):
                day = EXCHANGED + datetime.timedelta(days=n + 1)
                party = parties[n % len(parties)]
                submitted = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
                (notification,) = copying.execute(
                    "INSERT INTO tracker_notification (party_id, reference, kind, effective_date, status, submitted_at,"
                    " remarks) VALUES (%s, %s, 'change', %s, 'draft', %s, '') RETURNING id",
                    [party, f"P{party}-{DAILY}-{day}", day, submitted],
                ).fetchone()
                # A few of the party's lines from its annual exchange, each with a new quantity.
                changed = copying.execute(
                    """
                    INSERT INTO tracker_holding (notification_id, object_of_verification_id, site_id, category_id,
                                                 equipment_type_id, quantity, status)
                    SELECT %s, h.object_of_verification_id, h.site_id, h.category_id, h.equipment_type_id,
                           (random() * 60)::int, h.status
                    FROM tracker_holding h JOIN tracker_notification n ON n.id = h.notification_id
                    WHERE n.party_id = %s AND n.kind = 'annual'
                    ORDER BY hashint8(h.id + %s) LIMIT %s
                    RETURNING object_of_verification_id
                    """,
                    [notification, party, int(rng.integers(1 << 30)), lines],
                ).fetchall()
                touched.update(object_id for (object_id,) in changed)
            copying.execute(
                "UPDATE tracker_notification SET status = 'submitted' WHERE reference LIKE %s", [f"%-{DAILY}-%"]
            )
            refresh_periods(sorted(touched))
        cursor.execute("VACUUM ANALYZE")
    return days


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--holdings", type=int, default=1_000_000)
    parser.add_argument("--zones", type=int, default=100)
    parser.add_argument("--vertices", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=1990)
    parser.add_argument("--days", type=int, default=3 * 365, help="daily change notifications")
    parser.add_argument("--lines", type=int, default=20, help="lines each daily notification changes")
    parser.add_argument("--zone", default="Z000")
    parser.add_argument("--reuse", action="store_true", help="use the data already in the bench database")
    args = parser.parse_args()

    name = bench_database()
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from tracker import compliance, history
    from tracker.models import Holding
    from tracker.roles import Role, create_groups
    from zones.models import Zone

    call_command("migrate", verbosity=0)
    if not args.reuse:
        build(args.holdings, args.zones, args.vertices, args.seed)
    _, added_s = timed(add_daily_changes, args.days, args.lines, args.seed)
    end = EXCHANGED + datetime.timedelta(days=args.days)
    zone = Zone.objects.get(code=args.zone)
    dates = [day for day in compliance.change_dates() if day <= end]

    series, function_s = timed(history.zone_history, zone, None, end)
    client = APIClient(SERVER_NAME="127.0.0.1")
    monitor, _ = User.objects.get_or_create(username="history-bench")
    monitor.groups.add(next(group for group in create_groups() if group.name == Role.MONITOR))
    client.force_authenticate(monitor)
    # A server has its URLs, views and renderers imported before its first request: so has this one.
    assert client.get("/api/parties/").status_code == 200
    started = time.perf_counter()
    response = client.get(f"/api/zones/{zone.code}/history/", {"to": end.isoformat()})
    api_s = time.perf_counter() - started
    assert response.status_code == 200, response.content[:500]
    points = sum(len(line["points"]) for line in series)

    print(
        f"{Holding.objects.count():,} holding lines in {name}; {len(dates):,} change dates up to {end} "
        f"(daily notifications ready in {added_s:.1f} s); zone {zone.code}: {len(series)} series, {points:,} points"
    )
    print("cold: first call in this process, no kept answer; database caches as the build or the last run left them")
    print(f"{'zone history':<36}{'seconds':>10}")
    print(f"{'history.zone_history':<36}{function_s:>10.3f}")
    print(f"{'GET /api/zones/<code>/history/':<36}{api_s:>10.3f}")
    print(f"target {TARGET_S} s: {'met' if api_s < TARGET_S else 'MISSED'}")
    print(
        json.dumps(
            {
                "holdings": Holding.objects.count(),
                "change_dates": len(dates),
                "series": len(series),
                "points": points,
                "zone_history_s": round(function_s, 3),
                "api_s": round(api_s, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
