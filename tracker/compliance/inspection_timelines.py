"""The time limits of an inspection, from the notification of intent to the team's departure (Protocol on
Inspection), checked for every request as of a date. A moment counts once it has happened by the end of
that day; a duty not yet done counts once its time has run out by then.

- ``short_inspection_notice``: the notification of intent came less than 36 hours before the estimated
  arrival at the point of entry (Section IV.2, "no less than 36 hours in advance"); exactly 36 is enough.
  The inspecting party's.
- ``late_acknowledgement``: the receipt of the notification acknowledged more than 3 hours after it was
  sent, or not at all once 3 hours have passed (Section IV.4). The inspected party's.
- ``designation_out_of_time``: the first declared site or specified area designated less than 1 or more
  than 16 hours after arrival at the point of entry (Sections VII.7, VIII.2(B)). The inspecting party's.
- ``late_challenge_answer``: a challenge inspection granted or refused more than 2 hours after the
  designation of its specified area, or not answered once 2 hours have passed (Section VIII.5). The
  inspected party's.
- ``inspection_overstay``: a report of the request from arrival to departure at its declared site longer
  than 48 hours, in its specified area longer than 24 (Section II.18). The inspecting party's.
- ``in_country_overstay``: from arrival at the point of entry to departure longer than 48 hours for the
  first inspection plus 36 for each sequential one (one report each), at most 10 days (Section II.17;
  "unless otherwise agreed": an agreed extension is not recorded, so the finding stands for the parties
  to explain). The inspecting party's.
- ``inspection_refused``: a declared-site inspection refused ("shall not be refused", Section VII.1)
  while the inspected party was still obliged to receive it, within its passive quota (Section II.10)
  or the minimum of one a year (II.12), as ``tracker.inspection_quotas.owed`` counts. The inspected party's.

Limits are the request's treaty's settings. ``limit``, ``counted`` and ``excess`` are whole hours, the
measured time rounded away from the limit (35 h 59 min of notice counts 35; 48 h 1 min on site, 49); the
evidence gives the moments and the hours to the minute. A finding lies in the innermost zone of the
designated site or area on the day of designation.

One query for every request, however many.
"""

import datetime
import math
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.utils import timezone

from tracker.compliance.breach import (
    DESIGNATION_OUT_OF_TIME,
    IN_COUNTRY_OVERSTAY,
    INSPECTION_OVERSTAY,
    INSPECTION_REFUSED,
    LATE_ACKNOWLEDGEMENT,
    LATE_CHALLENGE_ANSWER,
    SHORT_INSPECTION_NOTICE,
    Breach,
    innermost_zone_sql,
)
from tracker.inspection_quotas import owed
from tracker.models import Answer, InspectionKind, InspectionRequest

RULES = {
    SHORT_INSPECTION_NOTICE: "Protocol on Inspection, Section IV.2",
    LATE_ACKNOWLEDGEMENT: "Protocol on Inspection, Section IV.4",
    DESIGNATION_OUT_OF_TIME: "Protocol on Inspection, Sections VII.7 and VIII.2(B)",
    LATE_CHALLENGE_ANSWER: "Protocol on Inspection, Section VIII.5",
    INSPECTION_OVERSTAY: "Protocol on Inspection, Section II.18",
    IN_COUNTRY_OVERSTAY: "Protocol on Inspection, Section II.17",
    INSPECTION_REFUSED: "Protocol on Inspection, Sections VII.1 and II.10",
}
MOMENTS = [
    "notified_at",
    "estimated_arrival",
    "acknowledged_at",
    "arrived_at",
    "designated_at",
    "answered_at",
    "departed_at",
]
LIMITS = [
    "inspection_notice_hours",
    "acknowledgement_hours",
    "designation_min_hours",
    "designation_max_hours",
    "challenge_answer_hours",
    "declared_site_hours",
    "specified_area_hours",
    "in_country_first_hours",
    "in_country_sequential_hours",
    "in_country_max_days",
]

REQUESTS = f"""
    SELECT r.reference, r.kind, inspecting.code, inspected.code, t.name, r.answer,
           {", ".join(f"r.{moment}" for moment in MOMENTS)},
           {", ".join(f"t.{limit}" for limit in LIMITS)},
           o.record_number,
           {innermost_zone_sql("place.geom", "place.day")},
           encode(ST_AsEWKB(place.geom), 'hex'),
           (SELECT coalesce(json_agg(json_build_object('reference', i.reference, 'kind', i.kind,
                   'arrived_at', i.arrived_at, 'departed_at', i.departed_at) ORDER BY i.date, i.reference), '[]')
            FROM tracker_inspection i WHERE i.request_id = r.id AND i.date <= %(day)s)
    FROM tracker_inspectionrequest r
    JOIN tracker_treaty t ON t.id = r.treaty_id
    JOIN tracker_stateparty inspecting ON inspecting.id = r.inspecting_party_id
    JOIN tracker_stateparty inspected ON inspected.id = r.inspected_party_id
    LEFT JOIN tracker_objectofverification o ON o.id = r.object_of_verification_id
    LEFT JOIN tracker_site s ON s.id = o.site_id
    CROSS JOIN LATERAL (
        SELECT coalesce(s.location, r.area) AS geom,
               (coalesce(r.designated_at, r.notified_at) AT TIME ZONE %(tz)s)::date AS day
    ) place
    WHERE r.notified_at < %(cutoff)s AND (%(ids)s::bigint[] IS NULL OR r.id = ANY(%(ids)s::bigint[]))
    ORDER BY r.reference
"""


def end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day``, in the tracker's time zone (the calendar's last moment for its last day)."""
    if day == datetime.date.max:
        return timezone.make_aware(datetime.datetime.max)
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def hours(start: datetime.datetime, end: datetime.datetime) -> float:
    return (end - start).total_seconds() / 3600


def whole_hours(measured: float, limit: int) -> int:
    """``measured`` in whole hours, rounded away from ``limit``, so that a breach never reads as none."""
    return math.floor(measured) if measured < limit else math.ceil(measured)


@dataclass
class Timeline:
    """One request's moments as of a date (None: not happened by then), limits and what it is measured by."""

    reference: str
    kind: str
    inspecting: str
    inspected: str
    treaty: str
    answer: str
    moments: dict[str, datetime.datetime | None]
    limits: dict[str, int]
    owed: bool | None
    object: str | None
    zone: str | None
    place: GEOSGeometry | None
    reports: list[dict]
    as_of: datetime.date

    def evidence(self, kind: str, **measured) -> dict:
        named = {"object": self.object} if self.object else {}
        return {"request": self.reference, "rule": RULES[kind], **named, **measured}

    def breach(self, kind: str, party: str, limit: int, measured: float | None, evidence: dict) -> Breach:
        counted = None if measured is None else whole_hours(measured, limit)
        return Breach(
            kind=kind,
            as_of=self.as_of,
            zone=self.zone,
            party=party,
            category=None,
            limit=limit,
            counted=counted,
            excess=None if counted is None else abs(counted - limit),
            treaty=self.treaty,
            evidence=evidence,
            geometry=self.place,
        )

    def span(self, start: str, end: str) -> tuple[float | None, dict]:
        """Hours from moment ``start`` to ``end`` and both moments as evidence; None when either is missing."""
        first, then = self.moments[start], self.moments[end]
        shown = {start: iso(first), end: iso(then)}
        if first is None or then is None:
            return None, shown
        measured = hours(first, then)
        return measured, {**shown, "hours": round(measured, 2)}


def iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def moment(value) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if isinstance(value, str) else value


def timelines(as_of: datetime.date, ids: list[int] | None = None) -> list[Timeline]:
    """Every request notified by the end of ``as_of`` (or those of ``ids``), with the moments that had
    happened by then."""
    cutoff = end_of(as_of)
    tz = timezone.get_current_timezone_name()
    with connection.cursor() as cursor:
        cursor.execute(REQUESTS, {"tz": tz, "cutoff": cutoff, "day": as_of, "ids": ids})
        rows = cursor.fetchall()
    found = []
    for row in rows:
        reference, kind, inspecting, inspected, treaty, answer = row[:6]
        moments = dict(zip(MOMENTS, row[6 : 6 + len(MOMENTS)]))
        rest = row[6 + len(MOMENTS) :]
        limits = dict(zip(LIMITS, rest[: len(LIMITS)]))
        record_number, zone, place, reports = rest[len(LIMITS) :]
        happened = {name: at if at is not None and at < cutoff else None for name, at in moments.items()}
        happened["estimated_arrival"] = moments["estimated_arrival"]  # announced with the notification
        for report in reports:
            for name in ("arrived_at", "departed_at"):
                report[name] = moment(report[name])
                if report[name] is not None and report[name] >= cutoff:
                    report[name] = None
        found.append(
            Timeline(
                reference=reference,
                kind=kind,
                inspecting=inspecting,
                inspected=inspected,
                treaty=treaty,
                answer=answer if happened["answered_at"] else "",
                moments=happened,
                limits=limits,
                owed=None,
                object=record_number,
                zone=zone,
                place=GEOSGeometry(place) if place else None,
                reports=reports,
                as_of=as_of,
            )
        )
    refused = {line.reference for line in found if line.kind == InspectionKind.DECLARED_SITE and line.answer}
    refused = InspectionRequest.objects.filter(reference__in=refused, answer=Answer.REFUSED).select_related(
        "treaty", "inspected_party"
    )
    owing = {request.reference: owed(request) for request in refused}
    for line in found:
        line.owed = owing.get(line.reference)
    return found


def in_country_limit(limits: dict[str, int], inspections: int) -> int:
    """Hours a team may stay for ``inspections`` inspections (Section II.17)."""
    formula = limits["in_country_first_hours"] + limits["in_country_sequential_hours"] * (max(inspections, 1) - 1)
    return min(formula, limits["in_country_max_days"] * 24)


@dataclass(frozen=True)
class Limit:
    """One time limit of a request as of a date: what is measured, against what, and how it stands
    (``ok``, ``breached``, or ``open``: not measured yet and not yet due)."""

    kind: str
    measured: str
    limit: str
    hours: float | None
    state: str
    breach: Breach | None = None


def limits_of(line: Timeline) -> list[Limit]:
    """Every time limit of ``line`` as of its date, breached or not (module docstring)."""
    limits, cutoff = line.limits, end_of(line.as_of)
    found = []

    def check(kind, measured, limit, taken, broken, party, shown, limit_hours, due=None):
        state = "breached" if broken else "ok" if taken is not None or due is None else "open"
        breach = line.breach(kind, party, limit_hours, taken, line.evidence(kind, **shown)) if broken else None
        found.append(Limit(kind, measured, limit, None if taken is None else round(taken, 2), state, breach))

    least = limits["inspection_notice_hours"]
    notice, shown = line.span("notified_at", "estimated_arrival")
    check(
        SHORT_INSPECTION_NOTICE,
        "notice before the estimated arrival",
        f"at least {least} h",
        notice,
        notice < least,
        line.inspecting,
        shown,
        least,
    )

    most = limits["acknowledgement_hours"]
    taken, shown = line.span("notified_at", "acknowledged_at")
    missing = taken is None and hours(line.moments["notified_at"], cutoff) > most
    broken = missing or (taken is not None and taken > most)
    check(LATE_ACKNOWLEDGEMENT, "acknowledgement", f"within {most} h", taken, broken, line.inspected, shown, most, True)

    earliest, latest = limits["designation_min_hours"], limits["designation_max_hours"]
    taken, shown = line.span("arrived_at", "designated_at")
    broken = taken is not None and not earliest <= taken <= latest
    shown.update(earliest_hours=earliest, latest_hours=latest)
    check(
        DESIGNATION_OUT_OF_TIME,
        "designation after arrival",
        f"{earliest} to {latest} h",
        taken,
        broken,
        line.inspecting,
        shown,
        earliest if taken is not None and taken < earliest else latest,
        True,
    )

    if line.kind == InspectionKind.CHALLENGE:
        most = limits["challenge_answer_hours"]
        taken, shown = line.span("designated_at", "answered_at")
        designated = line.moments["designated_at"]
        missing = taken is None and designated is not None and hours(designated, cutoff) > most
        broken = missing or (taken is not None and taken > most)
        shown["answer"] = line.answer or None
        check(
            LATE_CHALLENGE_ANSWER,
            "answer after designation",
            f"within {most} h",
            taken,
            broken,
            line.inspected,
            shown,
            most,
            True,
        )

    for report in line.reports:
        at_site = report["kind"] == InspectionKind.DECLARED_SITE
        most = limits["declared_site_hours" if at_site else "specified_area_hours"]
        arrived, departed = report["arrived_at"], report["departed_at"]
        spent = hours(arrived, departed) if arrived and departed else None
        shown = {"inspection": report["reference"], "arrived_at": iso(arrived), "departed_at": iso(departed)}
        if spent is not None:
            shown["hours"] = round(spent, 2)
        where = "declared site" if at_site else "specified area"
        measured = f"{report['reference']}: time in the {where}"
        broken = spent is not None and spent > most
        check(INSPECTION_OVERSTAY, measured, f"at most {most} h", spent, broken, line.inspecting, shown, most, True)

    inspections = max(len(line.reports), 1)
    most = in_country_limit(limits, inspections)
    stayed, shown = line.span("arrived_at", "departed_at")
    shown["inspections"] = inspections
    broken = stayed is not None and stayed > most
    measured = f"in-country period ({inspections} inspection{'s' if inspections > 1 else ''})"
    check(IN_COUNTRY_OVERSTAY, measured, f"at most {most} h", stayed, broken, line.inspecting, shown, most, True)

    if line.kind == InspectionKind.DECLARED_SITE and line.answer == Answer.REFUSED:
        shown = {"answered_at": iso(line.moments["answered_at"]), "owed": line.owed}
        found.append(
            Limit(
                INSPECTION_REFUSED,
                "refusal of a declared-site inspection",
                "shall not be refused within the quota",
                None,
                "breached" if line.owed else "ok",
                line.breach(INSPECTION_REFUSED, line.inspected, None, None, line.evidence(INSPECTION_REFUSED, **shown))
                if line.owed
                else None,
            )
        )
    return found


def limits_today(requests: list[InspectionRequest]) -> dict[str, list[Limit]]:
    """Each of ``requests``' time limits as of today, by reference, in one query."""
    ids = [request.pk for request in requests]
    return {line.reference: limits_of(line) for line in timelines(timezone.localdate(), ids)}


def inspection_time_limits(as_of: datetime.date) -> list[Breach]:
    """Every request's broken time limits and refusals as of ``as_of`` (module docstring)."""
    found = [limit.breach for line in timelines(as_of) for limit in limits_of(line) if limit.breach]
    return sorted(found, key=Breach.sort_key)


def request_change_dates() -> set[datetime.date]:
    """The days a request's findings may change: each moment's, and each day a duty's time runs out."""
    days = set()
    rows = InspectionRequest.objects.values_list(
        *MOMENTS, "treaty__acknowledgement_hours", "treaty__challenge_answer_hours"
    )
    for *moments, acknowledgement, answer in rows:
        at = dict(zip(MOMENTS, moments))
        due = [at["notified_at"] + datetime.timedelta(hours=acknowledgement)]
        if at["designated_at"] is not None:
            due.append(at["designated_at"] + datetime.timedelta(hours=answer))
        days.update(timezone.localdate(m) for m in [*moments, *due] if m is not None)
    return days
