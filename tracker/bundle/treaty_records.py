"""The bundle's optional files of treaty records (docs/bundle.md): equipment types (Protocol on Existing
Types), dated group memberships, holidays (1996 Final Document, Annex B §5), stricter change thresholds
(Annex A, the Flank Document), announced passive inspection quotas (Annex B §13), lines and the
distances kept from them, designated permanent storage sites (CFE Art. II.1(H)), inspection requests
(Protocol on Inspection) and the plans a group's parties share. A bundle without them loads as before.

Each function reads one file's rows, reports every bad value against its row and field, and writes
what is clean; the caller rolls everything back when anything was reported.
"""

from django.contrib.gis.geos import GEOSException, GEOSGeometry, LineString, MultiLineString
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tracker.bundle.format import TYPE_SEPARATOR
from tracker.bundle.names import given_names
from tracker.bundle.rows import Rows, another_version, model_errors, not_wkt, unknown_site
from tracker.inspection_requests import request_errors
from tracker.models import (
    Answer,
    ChangeThreshold,
    DistanceRule,
    EquipmentCategory,
    EquipmentType,
    GroupMembership,
    Holiday,
    InspectionKind,
    InspectionRequest,
    ObjectOfVerification,
    PartyGroup,
    PassiveQuota,
    PlannedInspection,
    Site,
    StateParty,
    Subtype,
    Treaty,
)
from tracker.models.inspection_requests import FIRST_YEAR, LAST_YEAR
from zones.geometry import validity_errors
from zones.models import ContactLine, ContactLineVersion, Zone

TYPE_FIELDS = ["category", "subtype", "calibre_mm", "range_km", "source"]


def load_types(rows: Rows | None, categories: dict[str, EquipmentCategory]) -> tuple[dict[str, EquipmentType], int]:
    """Every equipment type by name, those stored and those of types.csv; and how many are new.
    A type already stored is reused when the row describes it alike."""
    known = {kind.name: kind for kind in EquipmentType.objects.select_related("category")}
    listed, written = set(), 0
    for number, row in rows or []:
        name = rows.text(number, row, "name")
        category = rows.lookup(number, row, "category", categories, "category")
        given = rows.given_values(
            number,
            row,
            {
                "subtype": lambda n, r, f: rows.choice(n, r, f, Subtype),
                "calibre_mm": rows.count,
                "range_km": rows.count,
            },
        )
        if name is not None and name in listed:
            rows.fail(number, "name", _("type %(name)r is listed twice") % {"name": name})
            continue
        listed.add(name)
        if None in (name, category, given):
            continue
        kind = EquipmentType(name=name, category=category, source=(row.get("source") or "").strip(), **given)
        stored = known.get(name)
        if stored is not None:
            for field in TYPE_FIELDS:
                if getattr(stored, field) != getattr(kind, field):
                    value = stored.category.code if field == "category" else getattr(stored, field)
                    rows.fail(
                        number,
                        field,
                        _("type %(name)r is stored with %(field)s %(value)r")
                        % {"name": name, "field": field, "value": value},
                    )
        elif model_errors(rows, number, kind):
            kind.save()
            known[name] = kind
            written += 1
    return known, written


def load_memberships(rows: Rows | None, parties: dict[str, StateParty], groups: dict[str, PartyGroup]) -> int:
    """Dated memberships: each replaces the undated one parties.csv's ``group`` column makes."""
    listed, written = set(), 0
    for number, row in rows or []:
        name = rows.text(number, row, "group")
        party = rows.lookup(number, row, "party", parties, "party")
        dates = rows.period(number, row)
        if None in (name, party, dates):
            continue
        if (name, party.code) in listed:
            rows.fail(
                number, "party", _("%(party)s is listed twice in %(group)s") % {"party": party.code, "group": name}
            )
            continue
        listed.add((name, party.code))
        if name not in groups:
            groups[name] = PartyGroup.objects.create(name=name)
        membership = GroupMembership.objects.filter(partygroup=groups[name], stateparty=party).first()
        membership = membership or GroupMembership(partygroup=groups[name], stateparty=party)
        if membership.pk and (membership.valid_from or membership.valid_to):
            if (membership.valid_from, membership.valid_to) != dates:
                rows.fail(
                    number,
                    "valid_from",
                    _("%(party)s is a member of %(group)s on other dates already")
                    % {"party": party.code, "group": name},
                )
            continue
        membership.valid_from, membership.valid_to = dates
        if model_errors(rows, number, membership):
            membership.save()
            written += 1
    return written


def load_holidays(rows: Rows | None, parties: dict[str, StateParty]) -> int:
    """Each party's officially recognised holidays (1996 Final Document, Annex B §5)."""
    taken = {(h.party.code, h.date) for h in Holiday.objects.filter(party__in=parties.values()).select_related("party")}
    holidays = []
    for number, row in rows or []:
        party = rows.lookup(number, row, "party", parties, "party")
        day = rows.date(number, row, "date")
        if party is None or day is None:
            continue
        if (party.code, day) in taken:
            rows.fail(
                number,
                "date",
                _("%(date)s is a holiday of %(party)s already") % {"date": day.isoformat(), "party": party.code},
            )
            continue
        taken.add((party.code, day))
        holiday = Holiday(party=party, date=day, name=(row.get("name") or "").strip())
        if model_errors(rows, number, holiday):
            holidays.append(holiday)
    Holiday.objects.bulk_create(holidays)
    return len(holidays)


def load_thresholds(
    rows: Rows | None, treaties: dict[str, Treaty], parties: dict[str, StateParty], zones: dict[str, Zone]
) -> int:
    """A stricter share for one party's change notifications in one zone (the Flank Document, Annex A)."""
    taken = set(ChangeThreshold.objects.values_list("treaty__name", "party__code", "zone__code"))
    thresholds = []
    for number, row in rows or []:
        threshold = ChangeThreshold(
            treaty=rows.lookup(number, row, "treaty", treaties, "treaty"),
            party=rows.lookup(number, row, "party", parties, "party"),
            zone=rows.lookup(number, row, "zone", zones, "zone"),
            percent=rows.decimal(number, row, "percent", most=100),
            source=(row.get("source") or "").strip(),
        )
        if None in (threshold.treaty_id, threshold.party_id, threshold.zone_id, threshold.percent):
            continue
        key = (threshold.treaty.name, threshold.party.code, threshold.zone.code)
        if key in taken:
            rows.fail(
                number,
                "zone",
                _("%(party)s already has a threshold in %(zone)s under %(treaty)s")
                % dict(zip(("treaty", "party", "zone"), key)),
            )
            continue
        taken.add(key)
        if model_errors(rows, number, threshold):
            thresholds.append(threshold)
    ChangeThreshold.objects.bulk_create(thresholds)
    return len(thresholds)


def load_quotas(rows: Rows | None, treaties: dict[str, Treaty], parties: dict[str, StateParty]) -> int:
    """The passive declared-site inspection quotas parties announced with their annual exchanges
    (Final Document 1996, Annex B §13): one per treaty, party and year."""
    taken = set(PassiveQuota.objects.values_list("treaty__name", "party__code", "year"))
    quotas = []
    for number, row in rows or []:
        quota = PassiveQuota(
            treaty=rows.lookup(number, row, "treaty", treaties, "treaty"),
            party=rows.lookup(number, row, "party", parties, "party"),
            year=rows.count(number, row, "year"),
            announced=rows.count(number, row, "announced"),
            source=(row.get("source") or "").strip(),
        )
        if None in (quota.treaty_id, quota.party_id, quota.year, quota.announced):
            continue
        if not FIRST_YEAR <= quota.year <= LAST_YEAR:
            rows.fail(
                number,
                "year",
                _("%(year)s is not a year from %(first)s to %(last)s")
                % {"year": quota.year, "first": FIRST_YEAR, "last": LAST_YEAR},
            )
            continue
        key = (quota.treaty.name, quota.party.code, quota.year)
        if key in taken:
            rows.fail(
                number,
                "year",
                _("%(party)s already announced a quota for %(year)s under %(treaty)s")
                % dict(zip(("treaty", "party", "year"), key)),
            )
            continue
        taken.add(key)
        if model_errors(rows, number, quota):
            quotas.append(quota)
    PassiveQuota.objects.bulk_create(quotas)
    return len(quotas)


def load_lines(found: tuple[Rows, list] | None) -> tuple[dict[str, ContactLine], dict[str, int]]:
    """Every line by code, those stored and those of ``lines.*``; one feature per version of a line."""
    lines = {line.code: line for line in ContactLine.objects.all()}
    counts = {"lines": 0, "line versions": 0}
    rows, shapes = found or (None, [])
    for (index, record), geom in zip(rows or [], shapes):
        code, name = rows.text(index, record, "code"), rows.text(index, record, "name")
        dates = rows.period(index, record)
        if geom is None:
            rows.fail(index, "geometry", _("is empty"))
            continue
        if isinstance(geom, LineString):
            geom = MultiLineString(geom, srid=4326)
        problems = validity_errors(geom)
        if geom.geom_type != "MultiLineString":
            problems.append(_("a line is a LineString or MultiLineString, not a %(type)s") % {"type": geom.geom_type})
        for reason in problems:
            rows.fail(index, "geometry", reason)
        if not code or not name or problems or dates is None:
            continue
        if code not in lines:
            line = ContactLine(code=code, name=name, **given_names(record))
            if not model_errors(rows, index, line):
                continue
            line.save()
            lines[code] = line
            counts["lines"] += 1
        version = ContactLineVersion(
            line=lines[code], geom=geom, valid_from=dates[0], valid_to=dates[1], source=record.get("source", "")
        )
        if model_errors(rows, index, version, exclude=["line"]):
            try:
                with transaction.atomic():
                    version.save()
            except IntegrityError:
                rows.fail(index, "valid_from/valid_to", another_version(code))
                continue
            counts["line versions"] += 1
    return lines, counts


def load_distance_rules(
    rows: Rows | None,
    treaties: dict[str, Treaty],
    lines: dict[str, ContactLine],
    categories: dict[str, EquipmentCategory],
    types: dict[str, EquipmentType],
) -> int:
    """No equipment of the rule's kinds within its distance of the line, on either side (Minsk II)."""
    rules = []
    for number, row in rows or []:
        given = rows.given_values(
            number,
            row,
            {"subtype": lambda n, r, f: rows.choice(n, r, f, Subtype), "min_calibre_mm": rows.count},
        )
        rule = DistanceRule(
            treaty=rows.lookup(number, row, "treaty", treaties, "treaty"),
            line=rows.lookup(number, row, "line", lines, "line"),
            distance_km=rows.decimal(number, row, "distance_km"),
            category=rows.lookup(number, row, "category", categories, "category"),
            source=(row.get("source") or "").strip(),
            **(given or {}),
        )
        dates = rows.period(number, row)
        rule.valid_from, rule.valid_to = dates or (None, None)
        kinds = rows.types(number, row, "types", types, rule.category if rule.category_id else None)
        if None in (rule.treaty_id, rule.line_id, rule.distance_km, rule.category_id, given, kinds, dates):
            continue
        if model_errors(rows, number, rule):
            rules.append((rule, kinds))
    DistanceRule.objects.bulk_create([rule for rule, _ in rules])
    DistanceRule.types.through.objects.bulk_create(
        DistanceRule.types.through(distancerule=rule, equipmenttype=kind) for rule, kinds in rules for kind in kinds
    )
    return len(rules)


def load_storage_sites(rows: Rows | None, parties: dict[str, StateParty], unwritten: set[tuple[str, str]]) -> int:
    """Designate declared sites permanent storage sites on the dates given (CFE Art. II.1(H)). Read
    after declarations.csv's sites are in; ``unwritten``: the (party, site) it declares but could
    not write for its own bad rows, reported there."""
    listed, sites = set(), []
    for number, row in rows or []:
        party = rows.lookup(number, row, "party", parties, "party")
        code = rows.text(number, row, "site")
        storage_from = rows.date(number, row, "storage_from")
        storage_to = rows.date(number, row, "storage_to", optional=True)
        if None in (party, code, storage_from):
            continue
        if (party.code, code) in listed:
            rows.fail(
                number, "site", _("site %(site)r of %(party)s is listed twice") % {"site": code, "party": party.code}
            )
            continue
        listed.add((party.code, code))
        if (party.code, code) in unwritten:
            continue
        site = Site.objects.filter(party=party, code=code).first()
        if site is None:
            rows.fail(number, "site", unknown_site(code, party.code))
            continue
        if site.storage_from is not None and (site.storage_from, site.storage_to) != (storage_from, storage_to):
            rows.fail(
                number,
                "storage_from",
                _("%(site)s of %(party)s is designated on other dates already") % {"site": code, "party": party.code},
            )
            continue
        site.storage_from, site.storage_to = storage_from, storage_to
        if model_errors(rows, number, site):
            sites.append(site)
    Site.objects.bulk_update(sites, ["storage_from", "storage_to"])
    return len(sites)


OPTIONAL_MOMENTS = ["acknowledged_at", "arrived_at", "designated_at", "answered_at", "departed_at"]
# The model's field for each column named otherwise, so an error names the column.
REQUEST_COLUMNS = {"inspecting_party": "inspecting", "inspected_party": "inspected", "object_of_verification": "object"}


def load_requests(
    rows: Rows | None, treaties: dict[str, Treaty], parties: dict[str, StateParty], declarations_unwritten: bool
) -> int:
    """Inspection requests with their moments, checked as the admin and the API check them
    (``tracker.inspection_requests``); read after declarations.csv, whose objects of verification they name.
    ``declarations_unwritten``: declarations.csv has bad rows, reported there; its objects are not reported
    again as unknown."""
    taken, written = set(InspectionRequest.objects.values_list("reference", flat=True)), 0
    for number, row in rows or []:
        request = InspectionRequest(
            reference=rows.text(number, row, "reference"),
            treaty=rows.lookup(number, row, "treaty", treaties, "treaty"),
            inspecting_party=rows.lookup(number, row, "inspecting", parties, "party"),
            inspected_party=rows.lookup(number, row, "inspected", parties, "party"),
            kind=rows.choice(number, row, "kind", InspectionKind),
            notified_at=rows.moment(number, row, "notified_at"),
            point_of_entry=rows.text(number, row, "point_of_entry"),
            estimated_arrival=rows.moment(number, row, "estimated_arrival"),
            team=[name.strip() for name in (row.get("team") or "").split(TYPE_SEPARATOR) if name.strip()],
            answer=rows.choice(number, row, "answer", Answer) if rows.given(row, "answer") else "",
            assurance=(row.get("assurance") or "").strip(),
            **{field: rows.moment(number, row, field, optional=True) for field in OPTIONAL_MOMENTS},
        )
        bad_moment = any(rows.given(row, field) and getattr(request, field) is None for field in OPTIONAL_MOMENTS)
        place = request_place(rows, number, row, request, declarations_unwritten)
        needed = (request.reference, request.treaty_id, request.inspecting_party_id, request.inspected_party_id)
        if None in (*needed, request.kind, request.notified_at, request.point_of_entry, request.estimated_arrival):
            continue
        if request.reference in taken:
            rows.fail(number, "reference", _("request %(reference)r already exists") % {"reference": request.reference})
            continue
        taken.add(request.reference)
        if bad_moment or place is None or (request.answer is None):
            continue
        errors = request_errors(request)
        for field, messages in errors.items():
            for message in messages:
                rows.fail(number, REQUEST_COLUMNS.get(field, field), message)
        if not errors:
            request.save()
            written += 1
    return written


def load_plans(
    rows: Rows | None, treaties: dict[str, Treaty], parties: dict[str, StateParty], declarations_unwritten: bool
) -> int:
    """Inspection plans, checked as the admin and the API check them; read after declarations.csv, whose
    objects of verification they name. Quota warnings are the planners' to read in the admin, not errors."""
    plans = []
    for number, row in rows or []:
        plan = PlannedInspection(
            planning_party=rows.lookup(number, row, "planning_party", parties, "party"),
            inspected_party=rows.lookup(number, row, "inspected_party", parties, "party"),
            treaty=rows.lookup(number, row, "treaty", treaties, "treaty"),
            kind=rows.choice(number, row, "kind", InspectionKind),
            window_from=rows.date(number, row, "window_from"),
            window_to=rows.date(number, row, "window_to"),
            shared=rows.boolean(number, row, "shared") if rows.given(row, "shared") else True,
            note=(row.get("note") or "").strip(),
        )
        place = request_place(rows, number, row, plan, declarations_unwritten)
        needed = (plan.planning_party_id, plan.inspected_party_id, plan.treaty_id, plan.kind, plan.shared)
        if None in (*needed, plan.window_from, plan.window_to) or place is None:
            continue
        try:
            plan.full_clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    rows.fail(number, "object" if field == "object_of_verification" else field, message)
            continue
        plans.append(plan)
    PlannedInspection.objects.bulk_create(plans)
    return len(plans)


def request_place(
    rows: Rows, number: int, row: dict, request: InspectionRequest | PlannedInspection, declarations_unwritten: bool
) -> bool | None:
    """Put the designated object of verification (a record number of the inspected party's) or the specified
    area (WKT) on a request or plan; None when one named is bad (it is reported)."""
    record_number, wkt = (row.get("object") or "").strip(), (row.get("area") or "").strip()
    if record_number and request.inspected_party_id:
        found = ObjectOfVerification.objects.filter(party=request.inspected_party, record_number=record_number).first()
        if found is None and declarations_unwritten:
            return None
        if found is None:
            code = request.inspected_party.code
            rows.fail(
                number,
                "object",
                _("unknown object of verification %(object)r of %(party)s") % {"object": record_number, "party": code},
            )
            return None
        request.object_of_verification = found
    if wkt:
        try:
            request.area = GEOSGeometry(wkt, srid=4326)
        except (GEOSException, ValueError) as error:
            rows.fail(number, "area", not_wkt(error))
            return None
    return True
