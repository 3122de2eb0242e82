from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from zones.api.fields import GeoJSONTextField
from zones.models import ZoneKind, ZoneVersion

COMPLIANCE_STATES = ("breached", "near", "within", "none")


class ZoneFeatureSerializer(GeoFeatureModelSerializer):
    """A zone as a Feature: the geometry of the version in force on ``as_of``."""

    code = serializers.CharField(source="zone.code")
    name = serializers.CharField(source="zone.name")
    kind = serializers.ChoiceField(source="zone.kind", choices=ZoneKind.choices)
    compliance = serializers.SerializerMethodField(
        help_text="breached: a breach names the zone; near: some ceiling is at 90 % or more; "
        "within: ceilings in force, none near; none: no ceiling in force"
    )
    geom = GeoJSONTextField()

    class Meta:
        model = ZoneVersion
        geo_field = "geom"
        id_field = False
        fields = ["code", "name", "kind", "valid_from", "valid_to", "compliance", "geom"]

    @extend_schema_field(serializers.ChoiceField(choices=COMPLIANCE_STATES))
    def get_compliance(self, version: ZoneVersion) -> str:
        return self.context["zone_states"].get(version.zone.code, "none")
