"""The collections /ogc/ serves, each read the way the REST API reads it, for the requesting user.

Every queryset starts from ``visible_records(model, user)``, so a party sees here exactly what it
sees through /api/: other parties' drafts and, for an inspector, other parties' reports stay hidden.
"""

import hashlib

import django_filters
from django.contrib.gis.geos import GEOSGeometry
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q, QuerySet, Sum
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from ogc.query import ItemsQuery, Period
from tracker import compliance, membership
from tracker.api import params
from tracker.api.filters import InspectionFilter, ObservationFilter, SiteFilter
from tracker.api.serializers import BreachSerializer
from tracker.api.views import breaches
from tracker.models import Holding, HoldingStatus, Inspection, Observation, Site
from tracker.models.parties import visible_records
from zones.models import ContactLineVersion, ZoneKind, ZoneVersion

AS_OF = "as_of"  # the collection is read as of one day: datetime is a date, today when absent
PERIOD = "period"  # a record's own day must fall within datetime


class ZoneFilters(serializers.Serializer):
    code = serializers.CharField(required=False)
    kind = serializers.ChoiceField(choices=ZoneKind.choices, required=False)


class ContactLineFilters(serializers.Serializer):
    code = serializers.CharField(required=False)


class Collection:
    id: str
    title: str
    description: str
    temporal: str | None = None
    filters: type[serializers.Serializer] | type[django_filters.FilterSet]
    not_filters: tuple[str, ...] = ("as_of",)  # fields of a reused parameter class that datetime replaces

    def filter_names(self) -> set[str]:
        if issubclass(self.filters, django_filters.FilterSet):
            names = set(self.filters.base_filters)
        else:
            names = set(self.filters().fields)
        return names - set(self.not_filters)

    def wanted(self, request) -> dict:
        return params.read(self.filters, request)

    def narrowed(self, records: QuerySet, request) -> QuerySet:
        found = self.filters(request.query_params, queryset=records, request=request)
        if not found.is_valid():
            raise ValidationError(found.errors)
        return found.qs

    def records(self, request, query: ItemsQuery) -> QuerySet | list:
        raise NotImplementedError

    def record(self, request, query: ItemsQuery, feature_id: str):
        """The record ``feature_id`` names among ``records``, or None."""
        return next((r for r in self.records(request, query) if self.feature_id(r) == feature_id), None)

    def page_context(self, query: ItemsQuery) -> dict:
        return {}

    def feature_id(self, record) -> str:
        raise NotImplementedError

    def geometry(self, record) -> GEOSGeometry | None:
        raise NotImplementedError

    def properties(self, record, context: dict) -> dict:
        raise NotImplementedError


def within(records: QuerySet, field: str, period: Period) -> QuerySet:
    if period.start:
        records = records.filter(**{f"{field}__gte": period.start})
    if period.end:
        records = records.filter(**{f"{field}__lte": period.end})
    return records


def site_id(party: str, code: str) -> str:
    return f"{party}-{code}"


class Zones(Collection):
    id = "zones"
    title = "Zones"
    description = "Each zone's outline in force on the day asked (datetime; default today), with its compliance state."
    temporal = AS_OF
    filters = ZoneFilters

    def records(self, request, query):
        wanted = self.wanted(request)
        versions = visible_records(ZoneVersion, request.user).in_force(query.period.day).select_related("zone")
        if wanted.get("code"):
            versions = versions.filter(zone__code=wanted["code"])
        if wanted.get("kind"):
            versions = versions.filter(zone__kind=wanted["kind"])
        if query.bbox:
            versions = versions.filter(geom__intersects=query.bbox)
        return versions.order_by("zone__code")

    def record(self, request, query, feature_id):
        return self.records(request, query).filter(zone__code=feature_id).first()

    def page_context(self, query):
        return {"states": compliance.cached_zone_states(query.period.day)}

    def feature_id(self, version):
        return version.zone.code

    def geometry(self, version):
        return version.geom

    def properties(self, version, context):
        return {
            "code": version.zone.code,
            "name": version.zone.name,
            "name_uk": version.zone.name_uk,
            "name_ru": version.zone.name_ru,
            "kind": version.zone.kind,
            "valid_from": version.valid_from,
            "valid_to": version.valid_to,
            "compliance": context["states"].get(version.zone.code, "none"),
        }


class ContactLines(Collection):
    id = "contact-lines"
    title = "Lines of contact"
    description = (
        "Each line's course in force on the day asked (datetime; default today): distance rules are measured from it."
    )
    temporal = AS_OF
    filters = ContactLineFilters

    def records(self, request, query):
        versions = visible_records(ContactLineVersion, request.user).in_force(query.period.day).select_related("line")
        if self.wanted(request).get("code"):
            versions = versions.filter(line__code=self.wanted(request)["code"])
        if query.bbox:
            versions = versions.filter(geom__intersects=query.bbox)
        return versions.order_by("line__code")

    def record(self, request, query, feature_id):
        return self.records(request, query).filter(line__code=feature_id).first()

    def feature_id(self, version):
        return version.line.code

    def geometry(self, version):
        return version.geom

    def properties(self, version, context):
        return {
            "code": version.line.code,
            "name": version.line.name,
            "name_uk": version.line.name_uk,
            "name_ru": version.line.name_ru,
            "valid_from": version.valid_from,
            "valid_to": version.valid_to,
            "source": version.source,
        }


class Sites(Collection):
    id = "sites"
    title = "Declared sites"
    description = "Declared sites: a party's own, and every other party's once a submitted notification declares it."
    filters = SiteFilter

    def records(self, request, query):
        sites = self.narrowed(visible_records(Site, request.user).select_related("party"), request)
        if query.bbox:
            sites = sites.filter(location__intersects=query.bbox)
        return sites.order_by("party__code", "code")

    def record(self, request, query, feature_id):
        party, _, code = feature_id.partition("-")
        return self.records(request, query).filter(party__code=party, code=code).first()

    def feature_id(self, site):
        return site_id(site.party.code, site.code)

    def geometry(self, site):
        return site.location

    def properties(self, site, context):
        names = {"name": site.name, "name_uk": site.name_uk, "name_ru": site.name_ru}
        return {"code": site.code, **names, "party": site.party.code, "unit": site.unit}


class Holdings(Collection):
    id = "holdings"
    title = "Holdings in force"
    description = (
        "Declared holdings in force on the day asked (datetime; default today): one Point per site and "
        "category, with the quantities in active units, in storage and in temporary deployment, and the "
        "notifications declaring them."
    )
    temporal = AS_OF
    filters = params.HoldingParams

    def records(self, request, query):
        wanted, day = self.wanted(request), query.period.day
        lines = visible_records(Holding, request.user).as_of(day)
        if wanted.get("party"):
            lines = lines.filter(site__party=wanted["party"])
        if wanted.get("category"):
            lines = lines.filter(category=wanted["category"])
        if wanted.get("zone"):
            lines = lines.filter(site__in=membership.sites_in(wanted["zone"], day))
        if query.bbox:
            lines = lines.filter(site__location__intersects=query.bbox)
        return (
            lines.values(
                "site",
                "site__code",
                "site__name",
                "site__name_uk",
                "site__name_ru",
                "site__party__code",
                "site__location",
                "category__code",
            )
            .annotate(
                active=Sum("quantity", filter=Q(status=HoldingStatus.ACTIVE), default=0),
                storage=Sum("quantity", filter=Q(status=HoldingStatus.STORAGE), default=0),
                temporary=Sum("quantity", filter=Q(status=HoldingStatus.TEMPORARY), default=0),
                notifications=ArrayAgg("notification__reference", distinct=True),
            )
            .order_by("site__party__code", "site__code", "category__code")
        )

    def record(self, request, query, feature_id):
        site, _, category = feature_id.rpartition(".")
        party, _, code = site.partition("-")
        return (
            self.records(request, query)
            .filter(site__party__code=party, site__code=code, category__code=category)
            .first()
        )

    def feature_id(self, line):
        return f"{site_id(line['site__party__code'], line['site__code'])}.{line['category__code']}"

    def geometry(self, line):
        return line["site__location"]

    def properties(self, line, context):
        return {
            "site": line["site__code"],
            "name": line["site__name"],
            "name_uk": line["site__name_uk"],
            "name_ru": line["site__name_ru"],
            "party": line["site__party__code"],
            "category": line["category__code"],
            "active": line["active"],
            "storage": line["storage"],
            "temporary": line["temporary"],
            "total": line["active"] + line["storage"] + line["temporary"],
            "notifications": sorted(line["notifications"]),
        }


class Violations(Collection):
    id = "violations"
    title = "Violations and findings"
    description = (
        "Every breach the compliance engine finds on the day asked (datetime; default today): exceeded "
        "ceilings (the zone), inspection discrepancies (the site or specified area), observation "
        "discrepancies (the observations) and late notifications (no place)."
    )
    temporal = AS_OF
    filters = params.ViolationParams

    def records(self, request, query):
        found = breaches({**self.wanted(request), "as_of": query.period.day}, request.user)
        if query.bbox:
            found = [b for b in found if b.geometry is not None and b.geometry.intersects(query.bbox)]
        return found

    def feature_id(self, breach):
        return hashlib.sha256(breach.identity.encode()).hexdigest()[:16]

    def geometry(self, breach):
        return breach.geometry

    def properties(self, breach, context):
        return BreachSerializer(breach).data


class Inspections(Collection):
    id = "inspections"
    title = "Inspections"
    description = (
        "Inspection reports with their findings: the site of a declared-site inspection, the specified "
        "area of a challenge inspection. datetime selects by the inspection's date."
    )
    temporal = PERIOD
    filters = InspectionFilter

    def records(self, request, query):
        reports = (
            visible_records(Inspection, request.user)
            .select_related("inspecting_party", "inspected_party", "site")
            .prefetch_related("findings__category")
        )
        reports = within(self.narrowed(reports, request), "date", query.period)
        if query.bbox:
            reports = reports.filter(Q(area__intersects=query.bbox) | Q(site__location__intersects=query.bbox))
        return reports.order_by("date", "reference")

    def record(self, request, query, feature_id):
        return self.records(request, query).filter(reference=feature_id).first()

    def feature_id(self, report):
        return report.reference

    def geometry(self, report):
        return report.area if report.area is not None else report.site.location

    def properties(self, report, context):
        return {
            "reference": report.reference,
            "kind": report.kind,
            "date": report.date,
            "inspecting_party": report.inspecting_party.code,
            "inspected_party": report.inspected_party.code,
            "site": report.site.code if report.site else None,
            "findings": {finding.category.code: finding.observed for finding in report.findings.all()},
        }


class Observations(Collection):
    id = "observations"
    title = "Observations"
    description = "Equipment seen by national technical means. datetime selects by the day observed."
    temporal = PERIOD
    filters = ObservationFilter

    def records(self, request, query):
        seen = visible_records(Observation, request.user).select_related("category", "party")
        seen = within(self.narrowed(seen, request), "observed_on", query.period)
        if query.bbox:
            seen = seen.filter(location__intersects=query.bbox)
        return seen.order_by("observed_on", "reference")

    def record(self, request, query, feature_id):
        return self.records(request, query).filter(reference=feature_id).first()

    def feature_id(self, observation):
        return observation.reference

    def geometry(self, observation):
        return observation.location

    def properties(self, observation, context):
        return {
            "reference": observation.reference,
            "source": observation.source,
            "observed_on": observation.observed_on,
            "category": observation.category.code,
            "count": observation.count,
            "confidence": observation.confidence,
            "party": observation.party.code if observation.party else None,
        }


COLLECTIONS: dict[str, Collection] = {
    collection.id: collection
    for collection in (Zones(), ContactLines(), Sites(), Holdings(), Violations(), Inspections(), Observations())
}
