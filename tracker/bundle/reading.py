"""Loading a bundle: a folder holding a whole dataset in the interchange format (docs/bundle.md).

Every row is checked; a bad row is reported with its file, row number (the header is row 1, as
a spreadsheet shows it) and field, and the load is all or nothing: one transaction, rolled back
on the first report. The small files go through the models' own validation; declarations.csv,
which may hold millions of lines, has its own column-wise path (tracker.bundle.declarations).
"""

import datetime
from collections import defaultdict
from pathlib import Path

import pghistory
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.bundle import declarations, names, treaty_records
from tracker.bundle.features import read_features
from tracker.bundle.format import (
    CATEGORIES,
    CEILINGS,
    DISTANCE_RULES,
    GROUPS,
    HOLIDAYS,
    INSPECTIONS,
    MEMBERSHIPS,
    OBSERVATIONS,
    PARTIES,
    PLANS,
    QUOTAS,
    REQUESTS,
    STORAGE_SITES,
    THRESHOLDS,
    TREATIES,
    TREATY_INSPECTION_COUNTS,
    TREATY_INSPECTION_PERCENTS,
    TYPES,
    BundleError,
    RowError,
)
from tracker.bundle.rows import Rows, another_version, model_errors, not_wkt, unknown_site
from tracker.models import (
    AppliesTo,
    Ceiling,
    Counting,
    DayCount,
    EquipmentCategory,
    Inspection,
    InspectionFinding,
    InspectionKind,
    InspectionRequest,
    Observation,
    PartyGroup,
    ReportStatus,
    Rounding,
    Site,
    StateParty,
    Subtype,
    Treaty,
)
from zones.files import RefusedFile, local_file
from zones.geometry import as_multipolygon, validity_errors
from zones.models import Zone, ZoneKind, ZoneVersion

# A signature a report in that state cannot have (Protocol on Inspection, Section XII.1-2).
NO_SIGNATURE = {
    "signed_at": gettext_lazy("a %(status)s report has no signed at"),
    "countersigned_at": gettext_lazy("a %(status)s report has no countersigned at"),
}


def load(folder: Path, progress: bool = False) -> dict[str, int]:
    """Load a bundle in one transaction; raise BundleError naming every bad row."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BundleError([RowError(str(folder), 0, "-", _("is not a folder"))])
    with transaction.atomic(), pghistory.context(bundle=str(folder)):
        loader = _Loader(folder, progress)
        counts = loader.run()
        if loader.errors:
            transaction.set_rollback(True)
            raise BundleError(loader.errors)
    return counts


def sign_as_given(inspection: Inspection, signatures: dict) -> None:
    """Sign, then countersign, an imported report after its findings, in the order the database allows."""
    report = Inspection.objects.filter(pk=inspection.pk)
    report.update(
        status=ReportStatus.SIGNED,
        signed_at=signatures["signed_at"],
        escort_comments=signatures.get("escort_comments", ""),
    )
    if signatures["status"] == ReportStatus.COUNTERSIGNED:
        report.update(status=ReportStatus.COUNTERSIGNED, countersigned_at=signatures["countersigned_at"])


class _Loader:
    def __init__(self, folder: Path, progress: bool):
        self.folder = folder
        self.progress = progress
        self.errors: list[RowError] = []
        self.counts: dict[str, int] = defaultdict(int)

    def file(self, name: str, optional: bool = False) -> Path | None:
        """The bundle's file ``name``, when it is there and is a regular file inside the folder."""
        path = self.folder / name
        if not path.exists():
            if not optional:
                self.errors.append(RowError(name, 0, "-", _("file is missing from the bundle")))
            return None
        try:
            local_file(path, self.folder)
        except RefusedFile as error:
            self.errors.append(RowError(name, 0, "-", error.reason))
            return None
        return path

    def rows(self, name: str, required: list[str], optional: bool = False) -> Rows | None:
        path = self.file(name, optional)
        return Rows.from_csv(path, self.errors, required) if path else None

    def run(self) -> dict[str, int]:
        self.unwritten_sites = set()
        self.categories = {c.code: c for c in EquipmentCategory.objects.all()}
        self.load_parties()
        self.counts["group memberships"] += treaty_records.load_memberships(
            self.rows("memberships.csv", MEMBERSHIPS, optional=True), self.parties, self.groups
        )
        self.counts["holidays"] += treaty_records.load_holidays(
            self.rows("holidays.csv", HOLIDAYS, optional=True), self.parties
        )
        self.counts["group names"] += names.load_groups(self.rows("groups.csv", GROUPS, optional=True), self.groups)
        self.counts["category names"] += names.load_categories(
            self.rows("categories.csv", CATEGORIES, optional=True), self.categories
        )
        self.load_zones()
        self.lines, counts = treaty_records.load_lines(read_features(self.folder, "lines", self.errors, required=False))
        self.counts.update(counts)
        self.load_treaties()
        self.types, self.counts["equipment types"] = treaty_records.load_types(
            self.rows("types.csv", TYPES, optional=True), self.categories
        )
        self.load_ceilings()
        self.counts["change thresholds"] += treaty_records.load_thresholds(
            self.rows("thresholds.csv", THRESHOLDS, optional=True), self.treaties, self.parties, self.zones
        )
        self.counts["passive quotas"] += treaty_records.load_quotas(
            self.rows("quotas.csv", QUOTAS, optional=True), self.treaties, self.parties
        )
        self.counts["distance rules"] += treaty_records.load_distance_rules(
            self.rows("distance_rules.csv", DISTANCE_RULES, optional=True),
            self.treaties,
            self.lines,
            self.categories,
            self.types,
        )
        self.load_declarations()
        self.counts["storage sites"] += treaty_records.load_storage_sites(
            self.rows("storage_sites.csv", STORAGE_SITES, optional=True), self.parties, self.unwritten_sites
        )
        self.counts["inspection requests"] += treaty_records.load_requests(
            self.rows("requests.csv", REQUESTS, optional=True), self.treaties, self.parties, bool(self.unwritten_sites)
        )
        self.counts["inspection plans"] += treaty_records.load_plans(
            self.rows("plans.csv", PLANS, optional=True), self.treaties, self.parties, bool(self.unwritten_sites)
        )
        self.load_inspections()
        self.load_observations()
        return {what: count for what, count in self.counts.items() if count}

    def load_parties(self) -> None:
        rows = self.rows("parties.csv", PARTIES)
        self.parties = {p.code: p for p in StateParty.objects.all()}
        self.groups = {g.name: g for g in PartyGroup.objects.all()}
        for number, row in rows or []:
            code, name = rows.text(number, row, "code"), rows.text(number, row, "name")
            if not code or not name:
                continue
            if code not in self.parties:
                party = StateParty(code=code, name=name, **names.given_names(row))
                if not model_errors(rows, number, party):
                    continue
                party.save()
                self.parties[code] = party
                self.counts["parties"] += 1
            group_name = (row.get("group") or "").strip()
            if group_name:
                if group_name not in self.groups:
                    self.groups[group_name] = PartyGroup.objects.create(name=group_name)
                self.groups[group_name].members.add(self.parties[code])

    def load_zones(self) -> None:
        self.zones = {z.code: z for z in Zone.objects.all()}
        rows, shapes = read_features(self.folder, "zones", self.errors, required=True) or (None, [])
        for (index, record), shape in zip(rows or [], shapes):
            code, name = rows.text(index, record, "code"), rows.text(index, record, "name")
            kind = rows.choice(index, record, "kind", ZoneKind)
            valid_from = rows.date(index, record, "valid_from", optional=True)
            valid_to = rows.date(index, record, "valid_to", optional=True)
            if shape is None:
                rows.fail(index, "geometry", _("is empty"))
                continue
            geom = as_multipolygon(shape)
            problems = validity_errors(geom)
            if geom.geom_type != "MultiPolygon":
                problems.append(_("a zone is a Polygon or MultiPolygon, not a %(type)s") % {"type": geom.geom_type})
            for reason in problems:
                rows.fail(index, "geometry", reason)
            if not code or not name or not kind or problems:
                continue
            zone = self.zones.get(code)
            if zone is None:
                zone = Zone(code=code, name=name, kind=kind, **names.given_names(record))
                if not model_errors(rows, index, zone):
                    continue
                zone.save()
                self.zones[code] = zone
                self.counts["zones"] += 1
            version = ZoneVersion(
                zone=zone, geom=geom, valid_from=valid_from, valid_to=valid_to, source=record.get("source", "")
            )
            if model_errors(rows, index, version, exclude=["zone"]):
                try:
                    with transaction.atomic():
                        version.save()
                except IntegrityError:
                    rows.fail(index, "valid_from/valid_to", another_version(code))
                    continue
                self.counts["zone versions"] += 1

    def load_treaties(self) -> None:
        rows = self.rows("treaties.csv", TREATIES)
        self.treaties = {t.name: t for t in Treaty.objects.all()}
        for number, row in rows or []:
            name = rows.text(number, row, "name")
            # Left empty or out, each takes the model's default: the CFE Treaty's own rule.
            given = rows.given_values(
                number,
                row,
                {
                    "notification_deadline_unit": lambda n, r, f: rows.choice(n, r, f, DayCount),
                    "change_threshold_percent": lambda n, r, f: rows.decimal(n, r, f, most=100),
                    "object_notice_days": rows.count,
                    "challenge_excludes_declared_sites": rows.boolean,
                    "quota_rounding": lambda n, r, f: rows.choice(n, r, f, Rounding),
                    **dict.fromkeys(TREATY_INSPECTION_PERCENTS, lambda n, r, f: rows.decimal(n, r, f, most=100)),
                    **dict.fromkeys(TREATY_INSPECTION_COUNTS, rows.count),
                    "observation_confidence_floor": rows.fraction,
                },
            )
            treaty = Treaty(
                name=name,
                **names.given_names(row),
                in_force_from=rows.date(number, row, "in_force_from", optional=True),
                in_force_to=rows.date(number, row, "in_force_to", optional=True),
                notification_deadline_days=rows.count(number, row, "notification_deadline_days"),
                **(given or {}),
            )
            if name in self.treaties:
                rows.fail(number, "name", _("treaty %(name)r already exists") % {"name": name})
            elif (
                name
                and given is not None
                and treaty.notification_deadline_days is not None
                and model_errors(rows, number, treaty)
            ):
                treaty.save()
                self.treaties[name] = treaty
                self.counts["treaties"] += 1

    def load_ceilings(self) -> None:
        rows = self.rows("ceilings.csv", CEILINGS)
        ceilings = []
        for number, row in rows or []:
            holder = (row.get("applies_to") or "").strip()
            given = rows.given_values(
                number,
                row,
                {"subtype": lambda n, r, f: rows.choice(n, r, f, Subtype), "temporary_allowance": rows.count},
            )
            ceiling = Ceiling(
                treaty=rows.lookup(number, row, "treaty", self.treaties, "treaty"),
                zone=rows.lookup(number, row, "zone", self.zones, "zone"),
                category=rows.lookup(number, row, "category", self.categories, "category"),
                limit=rows.count(number, row, "limit"),
                counting=rows.choice(number, row, "counting", Counting),
                valid_from=rows.date(number, row, "valid_from", optional=True),
                valid_to=rows.date(number, row, "valid_to", optional=True),
                source=(row.get("source") or "").strip(),
                **(given or {}),
            )
            kinds = rows.types(number, row, "types", self.types, ceiling.category if ceiling.category_id else None)
            if holder in (AppliesTo.EACH, AppliesTo.ALL):
                ceiling.applies_to = holder
            elif holder in self.parties:
                ceiling.applies_to, ceiling.party = AppliesTo.PARTY, self.parties[holder]
            elif holder in self.groups:
                ceiling.applies_to, ceiling.group = AppliesTo.GROUP, self.groups[holder]
            else:
                rows.fail(
                    number,
                    "applies_to",
                    _("%(value)r is neither a party code, a group name, 'each' nor 'all'") % {"value": holder},
                )
                continue
            fields = (ceiling.treaty_id, ceiling.zone_id, ceiling.category_id, ceiling.limit, ceiling.counting)
            if None not in (*fields, given, kinds) and model_errors(rows, number, ceiling):
                ceilings.append((ceiling, kinds))
        Ceiling.objects.bulk_create([ceiling for ceiling, _ in ceilings])
        Ceiling.types.through.objects.bulk_create(
            Ceiling.types.through(ceiling=ceiling, equipmenttype=kind) for ceiling, kinds in ceilings for kind in kinds
        )
        self.counts["ceilings"] += len(ceilings)

    def load_declarations(self) -> None:
        path = self.file(declarations.FILE)
        if path is None:
            return
        types = {name: kind.category.code for name, kind in self.types.items()}
        counts, declared = declarations.load(
            path, self.parties, set(self.categories), types, self.errors, self.progress
        )
        self.counts.update(counts)
        self.unwritten_sites = set() if counts else declared

    def load_inspections(self) -> None:
        rows = self.rows("inspections.csv", INSPECTIONS)
        self.inspections = set(Inspection.objects.values_list("reference", flat=True))
        self.signatures: dict[str, dict] = {}
        inspections: dict[str, Inspection | None] = {}
        findings = set()
        for number, row in rows or []:
            reference = rows.text(number, row, "inspection")
            if reference is None:
                continue
            if reference not in inspections:
                inspections[reference] = self.inspection(rows, number, row, reference)
            inspection = inspections[reference]
            if not (row.get("category") or "").strip() and not (row.get("observed") or "").strip():
                continue  # an inspection that recorded no finding
            category = rows.lookup(number, row, "category", self.categories, "category")
            observed = rows.count(number, row, "observed")
            if category is None or observed is None:
                continue
            if (reference, category.code) in findings:
                rows.fail(
                    number,
                    "category",
                    _("%(inspection)s already records %(category)s")
                    % {"inspection": reference, "category": category.code},
                )
            elif inspection is not None:
                InspectionFinding.objects.create(inspection=inspection, category=category, observed=observed)
            findings.add((reference, category.code))
        for reference, inspection in inspections.items():
            if inspection is not None and reference in self.signatures:
                sign_as_given(inspection, self.signatures[reference])
        self.counts["inspections"] += sum(1 for inspection in inspections.values() if inspection is not None)

    def signed(self, rows: Rows, number: int, row: dict) -> dict | None:
        """The report's state and signatures; without a state, countersigned on its date, as reports exchanged
        between parties are (docs/bundle.md). None when a value is bad (it is reported)."""
        given = rows.given_values(
            number,
            row,
            {
                "status": lambda n, r, field: rows.choice(n, r, field, ReportStatus),
                "signed_at": rows.moment,
                "countersigned_at": rows.moment,
                "escort_comments": rows.text,
            },
        )
        if given is None:
            return None
        status = given.setdefault("status", ReportStatus.COUNTERSIGNED)
        if status != ReportStatus.DRAFT:
            given.setdefault("signed_at", self.day_of(row))
        if status == ReportStatus.COUNTERSIGNED:
            given.setdefault("countersigned_at", given["signed_at"])
        expected = {ReportStatus.DRAFT: set(), ReportStatus.SIGNED: {"signed_at"}}.get(
            status, {"signed_at", "countersigned_at"}
        )
        for field in {"signed_at", "countersigned_at"} - expected:
            if field in given:
                rows.fail(number, field, NO_SIGNATURE[field] % {"status": status})
                return None
        if "countersigned_at" in given and given["countersigned_at"] < given["signed_at"]:
            rows.fail(number, "countersigned_at", _("is before signed_at"))
            return None
        return given

    @staticmethod
    def day_of(row: dict) -> datetime.datetime:
        day = datetime.date.fromisoformat(row["date"].strip())
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)

    def inspection(self, rows: Rows, number: int, row: dict, reference: str) -> Inspection | None:
        if reference in self.inspections:
            rows.fail(number, "inspection", _("inspection %(reference)r already exists") % {"reference": reference})
            return None
        inspected = rows.lookup(number, row, "inspected_party", self.parties, "party")
        inspection = Inspection(
            reference=reference,
            inspecting_party=rows.lookup(number, row, "inspecting_party", self.parties, "party"),
            inspected_party=inspected,
            kind=rows.choice(number, row, "kind", InspectionKind),
            date=rows.date(number, row, "date"),
            arrived_at=rows.moment(number, row, "arrived_at", optional=True),
            departed_at=rows.moment(number, row, "departed_at", optional=True),
        )
        site_code, wkt = (row.get("site") or "").strip(), (row.get("area_wkt") or "").strip()
        if site_code and inspected is not None:
            if (inspected.code, site_code) in self.unwritten_sites:
                return None  # declarations.csv has bad rows: reported there, nothing is written
            inspection.site = Site.objects.filter(party=inspected, code=site_code).first()
            if inspection.site is None:
                rows.fail(number, "site", unknown_site(site_code, inspected.code))
                return None
        if wkt:
            try:
                inspection.area = GEOSGeometry(wkt, srid=4326)
            except (GEOSException, ValueError) as error:
                rows.fail(number, "area_wkt", not_wkt(error))
                return None
        if None in (inspection.inspecting_party_id, inspected, inspection.kind, inspection.date):
            return None
        if any(
            rows.given(row, field) and getattr(inspection, field) is None for field in ("arrived_at", "departed_at")
        ):
            return None  # reported
        request = (row.get("request") or "").strip()
        if request:
            inspection.request = InspectionRequest.objects.filter(
                reference=request, inspecting_party=inspection.inspecting_party, inspected_party=inspected
            ).first()
            if inspection.request is None:
                rows.fail(
                    number,
                    "request",
                    _("no request %(request)r of %(inspecting)s to inspect %(inspected)s")
                    % {"request": request, "inspecting": inspection.inspecting_party.code, "inspected": inspected.code},
                )
                return None
        if not model_errors(rows, number, inspection):
            return None
        signatures = self.signed(rows, number, row)
        if signatures is None:
            return None
        inspection.save()
        if signatures["status"] != ReportStatus.DRAFT:
            self.signatures[reference] = signatures
        return inspection

    def load_observations(self) -> None:
        rows = self.rows("observations.csv", OBSERVATIONS, optional=True)
        references = set(Observation.objects.values_list("reference", flat=True))
        observations = []
        for number, row in rows or []:
            party_code = (row.get("party") or "").strip()
            given = rows.given_values(
                number,
                row,
                {
                    "sensor": rows.text,
                    "acquired_at": rows.moment,
                    "accuracy_m": rows.number,
                    "footprint_wkt": rows.polygon,
                },
            )
            if given is not None and "footprint_wkt" in given:
                given["footprint"] = given.pop("footprint_wkt")
            observation = Observation(
                reference=rows.text(number, row, "id"),
                source=rows.text(number, row, "source"),
                observed_on=rows.date(number, row, "date"),
                location=rows.point(number, row),
                category=rows.lookup(number, row, "category", self.categories, "category"),
                count=rows.count(number, row, "count"),
                confidence=rows.number(number, row, "confidence"),
                party=rows.lookup(number, row, "party", self.parties, "party") if party_code else None,
                **(given or {}),
            )
            if given is None or None in (
                observation.reference,
                observation.observed_on,
                observation.location,
                observation.category_id,
                observation.count,
                observation.confidence,
            ):
                continue
            if observation.reference in references:
                rows.fail(number, "id", _("observation %(id)r already exists") % {"id": observation.reference})
            elif model_errors(rows, number, observation):
                observations.append(observation)
            references.add(observation.reference)
        Observation.objects.bulk_create(observations)
        self.counts["observations"] += len(observations)
