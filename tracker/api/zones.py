"""Zones as the engine sees them: each outline with its compliance state, status and history as of a day.

Outlines change only with the zone versions, compliance states with every submission: each zone version's
outline, simplified and rounded as asked, is kept apart against the zone versions' row of the data version
(``answers.reused_apart``), so an answer made again after a declaration reads no geometry.
"""

import json

from django.shortcuts import get_object_or_404
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from tracker import answers, compliance, findings_register, history
from tracker.api import params
from tracker.api.pagination import FeaturePagination
from tracker.api.reuse import rendered_once
from tracker.api.serializers import (
    BreachSerializer,
    CeilingStatusSerializer,
    ZoneHistorySerializer,
    ZoneStatusSerializer,
)
from zones.api.fields import GeoJSONTextField
from zones.api.filters import BBoxFilter
from zones.models import Zone, ZoneKind, ZoneVersion

COMPLIANCE_STATES = ("breached", "near", "within", "none")


def ceiling_rows(day, zones: list[int]) -> dict[int, list]:
    """Each of ``zones``' ceiling statuses on ``day``, serialised. Kept per zone (``answers.reused_each``): a
    submission makes again the rows of the zones it holds something in, not those of the hundred others a
    crowd of monitors asks about."""
    found = Zone.objects.in_bulk(zones)
    return {
        zone: CeilingStatusSerializer(compliance.cached_zone_status(found[zone], day), many=True).data
        for zone in zones
    }


def compliance_states_help() -> str:
    return _(
        "breached: a breach names the zone; near: some ceiling is at %(near)d %% or more; "
        "within: ceilings in force, none near; none: no ceiling in force"
    ) % {"near": round(compliance.NEAR_SHARE * 100)}


# What an outline is made of: the zone version's geometry alone.
OUTLINE_TABLES = ("zones_zoneversion",)


def outlines(versions: list[int], simplify: float | None, precision: int | None) -> dict[int, dict]:
    """Each of ``versions``' outline as GeoJSON, ``simplify``'d and rounded to ``precision``, in one query."""
    found = ZoneVersion.objects.filter(id__in=versions).with_map_geojson(simplify, precision)
    return {id: json.loads(text) for id, text in found.values_list("id", "map_geojson")}


class ZoneFeatureSerializer(GeoFeatureModelSerializer):
    """A zone as a Feature: the geometry of the version in force on ``as_of``."""

    code = serializers.CharField(source="zone.code")
    name = serializers.CharField(source="zone.name")
    name_uk = serializers.CharField(source="zone.name_uk")
    name_ru = serializers.CharField(source="zone.name_ru")
    kind = serializers.ChoiceField(source="zone.kind", choices=ZoneKind.choices)
    compliance = serializers.SerializerMethodField(help_text=lazy(compliance_states_help, str)())
    geom = GeoJSONTextField()

    class Meta:
        model = ZoneVersion
        geo_field = "geom"
        id_field = False
        fields = ["code", "name", "name_uk", "name_ru", "kind", "valid_from", "valid_to", "compliance", "geom"]

    @extend_schema_field(serializers.ChoiceField(choices=COMPLIANCE_STATES))
    def get_compliance(self, version: ZoneVersion) -> str:
        return self.context["zone_states"].get(version.zone.code, "none")


class ZoneViewSet(viewsets.ReadOnlyModelViewSet):
    """Zones as GeoJSON: each with the shape of its version in force on ``as_of`` and its compliance state."""

    serializer_class = ZoneFeatureSerializer
    pagination_class = FeaturePagination
    filter_backends = [BBoxFilter]
    bbox_filter_field = "geom"
    bbox_filter_include_overlapping = True
    lookup_field = "zone__code"
    lookup_url_kwarg = "code"
    lookup_value_regex = "[^/]+"

    def query(self) -> dict:
        if not hasattr(self, "_query"):
            params_class = params.ZoneListParams if self.action == "list" else params.GeometryParams
            self._query = params.read(params_class, self.request)
        return self._query

    def get_queryset(self):
        versions = ZoneVersion.objects.in_force(self.query()["as_of"]).select_related("zone").defer("geom")
        versions = versions.order_by("zone__code")
        if self.query().get("kind"):
            versions = versions.filter(zone__kind=self.query()["kind"])
        return versions

    def get_serializer_context(self) -> dict:
        query = self.query()
        return {
            **super().get_serializer_context(),
            "zone_states": compliance.cached_zone_states(query["as_of"]),
        }

    def outlined(self, versions: list[ZoneVersion]) -> list[ZoneVersion]:
        """``versions``, each with its outline as asked (``map_geojson``), kept apart from the answers."""
        simplify, precision = self.query().get("simplify"), self.query().get("precision")
        read = dict(getattr(self.request, "data_version", None) or answers.data_version())
        found = answers.reused_apart(OUTLINE_TABLES, read, outlines, [v.id for v in versions], simplify, precision)
        for version in versions:
            version.map_geojson = found[version.id]
        return versions

    @extend_schema(parameters=[params.ZoneListParams])
    @rendered_once
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(self.outlined(page), many=True).data)

    @extend_schema(parameters=[params.GeometryParams])
    @rendered_once
    def retrieve(self, request, *args, **kwargs):
        """One zone as a Feature: 404 when no version of it is in force on ``as_of``."""
        return Response(self.get_serializer(self.outlined([self.get_object()])[0]).data)

    @extend_schema(parameters=[params.AsOfParams], responses=ZoneStatusSerializer)
    @action(detail=True, pagination_class=None, filter_backends=[])
    @rendered_once
    def status(self, request, code=None):
        """Every ceiling on the zone with counted, limit and headroom (per party where it applies per party)."""
        zone = get_object_or_404(Zone, code=code)
        day = params.read(params.AsOfParams, request)["as_of"]
        found = compliance.readable_by(
            [breach for breach in compliance.cached_evaluate(day) if breach.zone == zone.code], request.user
        )
        return Response(
            {
                "zone": zone.code,
                "as_of": day,
                "state": compliance.cached_zone_states(day).get(zone.code, "none"),
                "ceilings": answers.reused_each("zone {}", answers.versions(), ceiling_rows, day, [zone.pk])[zone.pk],
                "breaches": BreachSerializer(
                    found, many=True, context={"states": findings_register.states_of(found)}
                ).data,
            }
        )

    @extend_schema(parameters=[params.HistoryParams], responses=ZoneHistorySerializer)
    @action(detail=True, pagination_class=None, filter_backends=[])
    @rendered_once
    def history(self, request, code=None):
        """Counted against limit for each ceiling on the zone, at every day something changes (a step series)."""
        zone = get_object_or_404(Zone, code=code)
        query = params.read(params.HistoryParams, request)
        return Response({"zone": zone.code, "series": history.zone_history(zone, query.get("from"), query["to"])})
