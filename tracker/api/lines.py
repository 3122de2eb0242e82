"""Lines of contact and the distance rules measured from them, as in force on a day (``as_of``, default today).

Minsk II (Package of Measures, 12 February 2015, endorsed by UN Security Council resolution 2202 (2015),
§2): heavy weapons withdrawn by equal distances from the line of contact, by type of system.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from tracker.api import params
from tracker.api.pagination import FeaturePagination
from tracker.models import DistanceRule
from tracker.models.parties import readable
from zones.models import ContactLineVersion


class ContactLineFeatureSerializer(GeoFeatureModelSerializer):
    """A line as a Feature: its course in force on ``as_of``."""

    code = serializers.CharField(source="line.code")
    name = serializers.CharField(source="line.name")
    name_uk = serializers.CharField(source="line.name_uk")
    name_ru = serializers.CharField(source="line.name_ru")

    class Meta:
        model = ContactLineVersion
        geo_field = "geom"
        id_field = False
        fields = ["code", "name", "name_uk", "name_ru", "valid_from", "valid_to", "source", "geom"]


class DistanceRuleSerializer(serializers.ModelSerializer):
    treaty = serializers.CharField(source="treaty.name")
    line = serializers.CharField(source="line.code")
    category = serializers.CharField(source="category.code")
    types = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    distance_km = serializers.DecimalField(
        max_digits=7, decimal_places=3, coerce_to_string=False, help_text=gettext_lazy("From the line, on either side")
    )

    class Meta:
        model = DistanceRule
        fields = [
            "treaty",
            "line",
            "distance_km",
            "category",
            "subtype",
            "types",
            "min_calibre_mm",
            "valid_from",
            "valid_to",
            "source",
        ]


class InForceList(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A list of the records in force on ``as_of``, among those the user may read."""

    filter_backends = []

    def get_queryset(self):
        day = params.read(params.AsOfParams, self.request)["as_of"]
        return readable(super().get_queryset(), self.request.user).in_force(day)

    @extend_schema(parameters=[params.AsOfParams])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ContactLineViewSet(InForceList):
    """Lines of contact as GeoJSON: each with its course in force on ``as_of``."""

    queryset = ContactLineVersion.objects.select_related("line").order_by("line__code")
    serializer_class = ContactLineFeatureSerializer
    pagination_class = FeaturePagination


class DistanceRuleViewSet(InForceList):
    """No equipment of a rule's kinds within its distance of its line, on either side, while it is in force."""

    queryset = DistanceRule.objects.select_related("treaty", "line", "category").prefetch_related("types")
    serializer_class = DistanceRuleSerializer
