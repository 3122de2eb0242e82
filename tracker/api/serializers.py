from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from tracker.models import (
    Ceiling,
    ChangeThreshold,
    EquipmentCategory,
    EquipmentType,
    Finding,
    FindingState,
    Grade,
    Holding,
    Holiday,
    Site,
    StateParty,
    Treaty,
)


class StatePartySerializer(serializers.ModelSerializer):
    groups = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = StateParty
        fields = ["code", "name", "name_uk", "name_ru", "groups"]


class EquipmentCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = EquipmentCategory
        fields = ["code", "name", "name_uk", "name_ru", "definition"]


class EquipmentTypeSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code")

    class Meta:
        model = EquipmentType
        fields = ["name", "category", "subtype", "calibre_mm", "range_km", "source"]


class TreatySerializer(serializers.ModelSerializer):
    class Meta:
        model = Treaty
        fields = [
            "name",
            "name_uk",
            "name_ru",
            "in_force_from",
            "in_force_to",
            "notification_deadline_days",
            "notification_deadline_unit",
            "change_threshold_percent",
            "object_notice_days",
            "challenge_excludes_declared_sites",
        ]


class HolidaySerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="party.code")

    class Meta:
        model = Holiday
        fields = ["party", "date", "name"]


class ChangeThresholdSerializer(serializers.ModelSerializer):
    treaty = serializers.CharField(source="treaty.name")
    party = serializers.CharField(source="party.code")
    zone = serializers.CharField(source="zone.code")

    class Meta:
        model = ChangeThreshold
        fields = ["treaty", "party", "zone", "percent", "source"]


class CeilingSerializer(serializers.ModelSerializer):
    treaty = serializers.CharField(source="treaty.name")
    zone = serializers.CharField(source="zone.code")
    category = serializers.CharField(source="category.code")
    party = serializers.CharField(source="party.code", allow_null=True)
    group = serializers.CharField(source="group.name", allow_null=True)
    types = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Ceiling
        fields = [
            "id",
            "treaty",
            "zone",
            "category",
            "subtype",
            "types",
            "applies_to",
            "party",
            "group",
            "limit",
            "temporary_allowance",
            "counting",
            "valid_from",
            "valid_to",
            "source",
        ]


class SiteFeatureSerializer(GeoFeatureModelSerializer):
    party = serializers.CharField(source="party.code")
    location = GeometryField()

    class Meta:
        model = Site
        geo_field = "location"
        id_field = False
        fields = ["code", "name", "name_uk", "name_ru", "party", "unit", "storage_from", "storage_to", "location"]


class HoldingLineSerializer(serializers.ModelSerializer):
    """One line in force at a site: what the latest submitted notification declares."""

    object_of_verification = serializers.CharField(source="object_of_verification.record_number")
    category = serializers.CharField(source="category.code")
    type = serializers.CharField(source="equipment_type.name", allow_null=True)
    notification = serializers.CharField(source="notification.reference")

    class Meta:
        model = Holding
        fields = ["object_of_verification", "category", "type", "status", "quantity", "notification"]


class SiteHoldingsSerializer(GeoFeatureModelSerializer):
    """A declared site as a Point, with the holdings in force there (``in_force``, prefetched)."""

    site = serializers.CharField(source="code")
    party = serializers.CharField(source="party.code")
    total = serializers.SerializerMethodField()
    holdings = HoldingLineSerializer(source="in_force", many=True)
    location = GeometryField()

    class Meta:
        model = Site
        geo_field = "location"
        id_field = False
        fields = ["site", "name", "name_uk", "name_ru", "party", "unit", "total", "holdings", "location"]

    def get_total(self, site: Site) -> int:
        return sum(line.quantity for line in site.in_force)


class SiteCellSerializer(serializers.Serializer):
    """A map cell of several sites as a Point feature; a cell of one site is that site's own feature."""

    def to_representation(self, cell) -> dict:
        site = self.context["sites"].get(cell.site_id)
        if site is not None:
            feature = SiteHoldingsSerializer(site, context=self.context).data
            feature["properties"]["sites"] = 1
            return feature
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(cell.location.x, 6), round(cell.location.y, 6)]},
            "properties": {"sites": cell.sites, "total": cell.total},
        }


class SiteCellCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(default="FeatureCollection", read_only=True)
    features = SiteCellSerializer(many=True, read_only=True)


class HoldingTotalSerializer(serializers.Serializer):
    party = serializers.CharField(required=False)
    zone = serializers.CharField(required=False)
    category = serializers.CharField(required=False)
    type = serializers.CharField(required=False, help_text=gettext_lazy("Grouped by type: null for lines naming none"))
    quantity = serializers.IntegerField()


class CeilingStatusSerializer(serializers.Serializer):
    ceiling = serializers.IntegerField()
    treaty = serializers.CharField()
    zone = serializers.CharField()
    category = serializers.CharField()
    applies_to = serializers.CharField()
    party = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("Party code, group name, or null for all parties")
    )
    counting = serializers.CharField()
    limit = serializers.IntegerField()
    counted = serializers.IntegerField()
    headroom = serializers.IntegerField(help_text=gettext_lazy("limit - counted; negative when breached"))


class BreachSerializer(serializers.Serializer):
    """A breach as the engine finds it; ``state`` is the findings register's, when it holds the finding
    (the serializer's context ``states``, by identity)."""

    kind = serializers.CharField()
    grade = serializers.ChoiceField(
        choices=Grade.choices,
        help_text=gettext_lazy(
            "breach: a limit exceeded or a deadline missed; indicator: a discrepancy to be clarified"
        ),
    )
    as_of = serializers.DateField()
    zone = serializers.CharField(allow_null=True)
    party = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    limit = serializers.IntegerField(allow_null=True)
    counted = serializers.IntegerField(allow_null=True)
    excess = serializers.IntegerField(allow_null=True)
    treaty = serializers.CharField(allow_null=True)
    evidence = serializers.JSONField(
        help_text=gettext_lazy("Ceiling id, site codes, notification and report references")
    )
    state = serializers.ChoiceField(
        choices=FindingState.choices,
        allow_null=True,
        help_text=gettext_lazy("The findings register's state; null when it does not hold it"),
    )

    def to_representation(self, breach) -> dict:
        return {**breach.as_row(), "state": self.context.get("states", {}).get(breach.identity)}


class RegisteredFindingSerializer(serializers.ModelSerializer):
    """A finding as the register keeps it, from the day it was first seen to the day it was resolved."""

    zone = serializers.CharField(allow_null=True)
    party = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    treaty = serializers.CharField(allow_null=True)

    class Meta:
        model = Finding
        fields = [
            "key",
            "kind",
            "grade",
            "state",
            "zone",
            "party",
            "category",
            "treaty",
            "limit",
            "counted",
            "excess",
            "evidence",
            "first_seen",
            "last_seen",
            "resolved_on",
        ]
        extra_kwargs = {
            "key": {"help_text": gettext_lazy("What stays the same while the finding lasts (the engine's identity)")},
            "first_seen": {"help_text": gettext_lazy("The first day the register found it")},
            "last_seen": {"help_text": gettext_lazy("The latest day the register found it")},
        }

    def to_representation(self, finding) -> dict:
        row = super().to_representation(finding)
        # Text columns keep blank for none; the API says null, as /api/violations/ does.
        return {**row, **{name: row[name] or None for name in ("zone", "party", "category", "treaty")}}


class BreachPeriodSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=gettext_lazy(
            "What stays the same while the breach lasts: kind, zone, party, category, and the ceiling, inspection, notification or year"
        )
    )
    kind = serializers.CharField()
    zone = serializers.CharField(allow_null=True)
    party = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    first_seen = serializers.DateField(help_text=gettext_lazy("The date of the first kept run that found it"))
    last_seen = serializers.DateField(help_text=gettext_lazy("The date of the last kept run in a row that found it"))
    resolved_on = serializers.DateField(
        allow_null=True, help_text=gettext_lazy("The date of the first later kept run without it; null while it lasts")
    )


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {
            "type": {"type": "string", "enum": ["Point", "MultiPoint", "Polygon", "MultiPolygon"]},
            "coordinates": {"type": "array", "items": {}},
        },
    }
)
class BreachGeometryField(GeometryField):
    """The zone (ceiling), the site or specified area (inspection), the observation points; or null."""


class BreachFeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    geometry = BreachGeometryField(allow_null=True)
    properties = BreachSerializer()

    def to_representation(self, breach) -> dict:
        return {
            "type": "Feature",
            "geometry": self.fields["geometry"].to_representation(breach.geometry),
            "properties": self.fields["properties"].to_representation(breach),
        }


class BreachFeatureCollectionSerializer(serializers.Serializer):
    """A page of breaches as a GeoJSON FeatureCollection."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    features = BreachFeatureSerializer(many=True)


class HistoryPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    counted = serializers.IntegerField()
    limit = serializers.IntegerField()


class HistorySeriesSerializer(serializers.Serializer):
    ceiling = serializers.IntegerField()
    category = serializers.CharField()
    party = serializers.CharField(allow_null=True)
    applies_to = serializers.CharField()
    points = HistoryPointSerializer(many=True)


class ZoneHistorySerializer(serializers.Serializer):
    zone = serializers.CharField()
    series = HistorySeriesSerializer(many=True)


class ZoneStatusSerializer(serializers.Serializer):
    zone = serializers.CharField()
    as_of = serializers.DateField()
    state = serializers.ChoiceField(choices=["breached", "near", "within", "none"])
    ceilings = CeilingStatusSerializer(many=True)
    breaches = BreachSerializer(many=True)


class DatesSerializer(serializers.Serializer):
    dates = serializers.ListField(
        child=serializers.DateField(), help_text=gettext_lazy("Every day on which something changes")
    )
