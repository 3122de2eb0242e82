"""Small factory functions for test data: each makes one thing, with defaults a test can override."""

import datetime
from importlib import import_module
from itertools import count

from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts import second_factor, tokens
from accounts.models import Scope
from tracker import services
from tracker.models import (
    Accreditation,
    Ceiling,
    DistanceRule,
    EquipmentCategory,
    EquipmentType,
    Finding,
    Holding,
    Inspection,
    InspectionFinding,
    InspectionRequest,
    Notification,
    ObjectOfVerification,
    Observation,
    PartyGroup,
    PlannedInspection,
    Site,
    StateParty,
    Treaty,
)
from tracker.roles import create_groups
from zones.models import ContactLine, ContactLineVersion, Zone, ZoneVersion

_serial = count(1)


def square(west: float, south: float, east: float, north: float) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((west, south, east, north)), srid=4326)


def area(west: float = 36.0, south: float = 50.0, size: float = 0.04) -> Polygon:
    """A specified area of about 4 by 3 km: well within 65 km² and 16 km across (Protocol on Inspection, I.1(O))."""
    return Polygon.from_bbox((west, south, west + size, south + size))


def party(code: str = "UKR", name: str | None = None) -> StateParty:
    return StateParty.objects.get_or_create(code=code, defaults={"name": name or code})[0]


def group(name: str, *members: StateParty) -> PartyGroup:
    group = PartyGroup.objects.create(name=name)
    group.members.add(*members)
    return group


def ensure_categories() -> None:
    """The categories a data migration adds, again: a transactional test's flush erases them."""
    import_module("tracker.migrations.0003_equipment_categories").add_categories(apps, None)


def category(code: str = "tanks") -> EquipmentCategory:
    return EquipmentCategory.objects.get(code=code)


def zone(
    code: str = "Z1",
    geom: MultiPolygon | None = None,
    kind: str = "nested",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Zone:
    zone = Zone.objects.get_or_create(code=code, defaults={"name": f"Zone {code}", "kind": kind})[0]
    ZoneVersion.objects.create(zone=zone, geom=geom or square(30, 45, 40, 52), valid_from=valid_from, valid_to=valid_to)
    return zone


def contact_line(
    code: str = "LOC",
    course: MultiLineString | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> ContactLine:
    """A line (of contact) with one more version: ``course`` from ``valid_from`` to ``valid_to``."""
    line = ContactLine.objects.get_or_create(code=code, defaults={"name": f"Line {code}"})[0]
    course = course or MultiLineString(LineString((37.0, 47.0), (38.0, 48.5)), srid=4326)
    ContactLineVersion.objects.create(line=line, geom=course, valid_from=valid_from, valid_to=valid_to)
    return line


def distance_rule(line: ContactLine, distance_km: float, category_code: str = "artillery", **fields) -> DistanceRule:
    fields.setdefault("treaty", treaty())
    return DistanceRule.objects.create(line=line, distance_km=distance_km, category=category(category_code), **fields)


def treaty(
    name: str = "Settlement", in_force_from=datetime.date(2020, 1, 1), in_force_to=None, deadline: int = 5, **fields
) -> Treaty:
    """A treaty in force from ``in_force_from``; ``fields`` any other of its settings (e.g. the deadline's unit)."""
    return Treaty.objects.get_or_create(
        name=name,
        defaults={
            "in_force_from": in_force_from,
            "in_force_to": in_force_to,
            "notification_deadline_days": deadline,
            **fields,
        },
    )[0]


def ceiling(zone: Zone, limit: int, category_code: str = "tanks", applies_to: str = "each", **fields) -> Ceiling:
    fields.setdefault("treaty", treaty())
    return Ceiling.objects.create(
        zone=zone, category=category(category_code), applies_to=applies_to, limit=limit, **fields
    )


def site(
    owner: StateParty | None = None,
    lon: float = 35.0,
    lat: float = 48.0,
    code: str | None = None,
    storage_from: datetime.date | None = None,
) -> Site:
    """A declared site; ``storage_from``: a designated permanent storage site from that day."""
    code = code or f"S{next(_serial)}"
    return Site.objects.create(
        party=owner or party(),
        code=code,
        name=f"Site {code}",
        location=Point(lon, lat, srid=4326),
        storage_from=storage_from,
    )


def object_of_verification(
    where: Site, record_number: str | None = None, designation: str = ""
) -> ObjectOfVerification:
    """An object of verification of ``where``'s party at ``where``."""
    number = record_number or f"OV{next(_serial)}"
    return ObjectOfVerification.objects.create(
        party=where.party, record_number=number, designation=designation or f"Unit {number}", site=where
    )


def equipment_type(
    name: str, category_code: str, subtype: str = "", calibre_mm: int | None = None, range_km: int | None = None
) -> EquipmentType:
    return EquipmentType.objects.create(
        name=name, category=category(category_code), subtype=subtype, calibre_mm=calibre_mm, range_km=range_km
    )


def notified_site(owner: StateParty, lon: float = 35.0, lat: float = 48.0, code: str | None = None) -> Site:
    """A site that a submitted notification has declared (empty), so every party sees it."""
    declared = site(owner, lon, lat, code)
    notification(owner, datetime.date(2020, 1, 1), [(declared, "tanks", 0)])
    return declared


def notification(
    owner: StateParty,
    effective: datetime.date,
    lines: list[tuple],
    kind: str = "change",
    submitted_at: datetime.datetime | None = None,
    submit: bool = True,
) -> Notification:
    """``lines``: (holder, what, quantity[, status]) tuples: the holder a site (its own object of
    verification) or an object of verification, what a category code or an equipment type."""
    notice = Notification.objects.create(
        party=owner, reference=f"{owner.code}-N{next(_serial)}", kind=kind, effective_date=effective
    )
    for line in lines:
        holder, what, quantity, *status = line
        held_by = holder if isinstance(holder, ObjectOfVerification) else ObjectOfVerification.objects.of_site(holder)
        of_type = what if isinstance(what, EquipmentType) else None
        Holding.objects.create(
            notification=notice,
            object_of_verification=held_by,
            site_id=held_by.site_id,
            category=of_type.category if of_type else category(what),
            equipment_type=of_type,
            quantity=quantity,
            status=status[0] if status else "active",
        )
    if submit:
        moment = submitted_at or timezone.make_aware(datetime.datetime.combine(effective, datetime.time(9)))
        services.submit(notice, submitted_at=moment)
        notice.refresh_from_db()
    return notice


def inspection(
    inspecting: StateParty,
    inspected: StateParty,
    day: datetime.date,
    findings: dict[str, int],
    site: Site | None = None,
    area: Polygon | None = None,
    status: str = "countersigned",
) -> Inspection:
    """A report with its findings, signed and countersigned (locked) unless ``status`` says otherwise."""
    report = Inspection.objects.create(
        reference=f"I{next(_serial)}",
        inspecting_party=inspecting,
        inspected_party=inspected,
        date=day,
        kind="declared_site" if site else "challenge",
        site=site,
        area=area,
    )
    for code, observed in findings.items():
        InspectionFinding.objects.create(inspection=report, category=category(code), observed=observed)
    if status != "draft":
        signed = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        report.status, report.signed_at = "signed", signed
        report.save(update_fields=["status", "signed_at"])
    if status == "countersigned":
        report.status, report.countersigned_at = "countersigned", signed
        report.save(update_fields=["status", "countersigned_at"])
    return report


def arrived_request(
    inspecting: StateParty,
    inspected: StateParty,
    arrival: datetime.date,
    target: ObjectOfVerification | Polygon,
    answer: str = "",
    reports: int = 0,
    **fields,
) -> InspectionRequest:
    """A request whose team arrived on ``arrival`` at noon (UTC) to inspect ``target``: an object of
    verification (a declared-site inspection) or a specified area (a challenge); with ``reports`` reports."""
    arrived = datetime.datetime.combine(arrival, datetime.time(12), tzinfo=datetime.UTC)
    challenge = isinstance(target, Polygon)
    request = inspection_request(
        inspecting,
        inspected,
        arrived - datetime.timedelta(hours=48),
        kind="challenge" if challenge else "declared_site",
        estimated_arrival=arrived,
        arrived_at=arrived,
        object_of_verification=None if challenge else target,
        area=target if challenge else None,
        answer=answer,
        assurance="no treaty-limited equipment there" if answer == "refused" else "",
        **fields,
    )
    site = None if challenge else target.site
    for _ in range(reports):
        draft = inspection(inspecting, inspected, arrival, {}, site, target if challenge else None, status="draft")
        Inspection.objects.filter(pk=draft.pk).update(request=request)
    return request


def planned_inspection(
    planning: StateParty,
    inspected: StateParty,
    window: tuple[datetime.date, datetime.date],
    target: ObjectOfVerification | Polygon,
    shared: bool = True,
    **fields,
) -> PlannedInspection:
    """A plan to inspect ``target`` (an object of verification, or a specified area for a challenge) in ``window``."""
    challenge = isinstance(target, Polygon)
    return PlannedInspection.objects.create(
        planning_party=planning,
        inspected_party=inspected,
        treaty=fields.pop("treaty", None) or treaty(),
        kind="challenge" if challenge else "declared_site",
        object_of_verification=None if challenge else target,
        area=target if challenge else None,
        window_from=window[0],
        window_to=window[1],
        shared=shared,
        **fields,
    )


def observation(
    day: datetime.date,
    lon: float,
    lat: float,
    count_: int,
    owner: StateParty | None = None,
    category_code: str = "tanks",
    confidence: float = 0.8,
    recorded_by: User | None = None,
) -> Observation:
    return Observation.objects.create(
        reference=f"O{next(_serial)}",
        recorded_by=recorded_by,
        source="satellite",
        observed_on=day,
        location=Point(lon, lat, srid=4326),
        category=category(category_code),
        count=count_,
        confidence=confidence,
        party=owner,
    )


def finding(
    kind: str = "inspection_discrepancy",
    party: str = "RUS",
    zone: str = "Z1",
    grade: str = "indicator",
    key: str | None = None,
    first_seen: datetime.date = datetime.date(2026, 3, 2),
    last_seen: datetime.date | None = None,
    **fields,
) -> Finding:
    """A row of the findings register, as ``refresh`` would keep it."""
    return Finding.objects.create(
        key=key or f"{kind}|{party}|{zone}|{next(_serial)}",
        kind=kind,
        party=party,
        zone=zone,
        grade=grade,
        first_seen=first_seen,
        last_seen=last_seen or first_seen,
        **fields,
    )


def token(person: User, scope: Scope = Scope.READ_WRITE) -> str:
    """A token's secret for ``person``, as /api/auth/login/ gives it (the second factor passed, when needed)."""
    return tokens.issue(person, scope)[1]


def api(person: User | None = None, scope: Scope = Scope.READ_WRITE) -> APIClient:
    """A REST client signed in with a token of ``person``'s, or anonymous."""
    client = APIClient()
    if person is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token(person, scope)}")
    client.person = person  # who signs what this client submits (tests/signing.py)
    return client


def inline(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    """The management form of an admin page's inline ``prefix`` with ``total`` rows, ``initial`` of them stored."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def sign_in(client: Client, user: User) -> None:
    """``client.force_login``, plus the second factor for users who need one: as a login with the code would."""
    client.force_login(user)
    if second_factor.required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or authenticator(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def authenticator(user: User) -> TOTPDevice:
    """A confirmed TOTP device for ``user``; a test computes its codes from ``device.bin_key``."""
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def person(username: str, role: str | None = None, owner: StateParty | None = None) -> User:
    """A staff user in ``role``'s group (with its permissions), accredited to ``owner``; a superuser when role is
    "superuser"."""
    if role == "superuser":
        return User.objects.create_superuser(username, password="x")
    user = User.objects.create_user(username, password="x", is_staff=True)
    if role:
        user.groups.add(next(group for group in create_groups() if group.name == role))
    if owner:
        Accreditation.objects.create(user=user, party=owner)
    return user


def inspection_request(
    inspecting: StateParty,
    inspected: StateParty,
    notified_at: datetime.datetime,
    kind: str = "declared_site",
    reference: str | None = None,
    **fields,
) -> InspectionRequest:
    """A notification of intent made at ``notified_at`` for an arrival 36 hours later unless ``fields`` say
    otherwise (with any other moment, the object of verification or area)."""
    fields.setdefault("treaty", treaty())
    fields.setdefault("estimated_arrival", notified_at + datetime.timedelta(hours=36))
    fields.setdefault("team", ["Inspector One", "Inspector Two"])
    return InspectionRequest.objects.create(
        reference=reference or f"{inspecting.code}-R{next(_serial)}",
        inspecting_party=inspecting,
        inspected_party=inspected,
        kind=kind,
        notified_at=notified_at,
        point_of_entry="Boryspil airport",
        **fields,
    )
