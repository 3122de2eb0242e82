"""``/api/inspection-requests/``: notifications of intent to inspect and their moments, read by the two
parties only, written field by field by the inspecting party's inspectors and the escort
(``tracker.inspection_requests``), each with its time limits as of today."""

import django_filters as filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import mixins, serializers, viewsets

from tracker import inspection_requests
from tracker.api.declarations import no_object
from tracker.api.filters import by_code
from tracker.api.idempotency import IdempotentWrites
from tracker.api.params import CodeField
from tracker.api.permissions import WritesByRole
from tracker.api.views import ANY_CODE, ReadScoped
from tracker.compliance.inspection_timelines import limits_today
from tracker.models import InspectionRequest, ObjectOfVerification, StateParty, Treaty
from tracker.roles import Role
from zones.api.fields import LonLatGeometryField


class InspectionRequestFilter(filters.FilterSet):
    party = filters.CharFilter(method="of_party", label=gettext_lazy("Inspecting or inspected party code"))
    inspecting_party = by_code(StateParty, "inspecting_party", gettext_lazy("Inspecting party code"))
    inspected_party = by_code(StateParty, "inspected_party", gettext_lazy("Inspected party code"))
    year = filters.NumberFilter(
        field_name="notified_at",
        lookup_expr="year",
        min_value=1,
        max_value=9999,
        label=gettext_lazy("Year of the notification"),
    )

    class Meta:
        model = InspectionRequest
        fields = ["kind", "answer"]

    def of_party(self, queryset, name, value: str):
        return queryset.filter(Q(inspecting_party__code=value) | Q(inspected_party__code=value))


class TimeLimitSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=gettext_lazy("The finding a breach of this limit is"))
    measured = serializers.CharField()
    limit = serializers.CharField()
    hours = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("The time measured, to the minute; null: not yet")
    )
    state = serializers.ChoiceField(
        choices=["ok", "breached", "open"], help_text=gettext_lazy("open: not measured, not yet due")
    )


# "InspectionRequest" is the request body of /api/inspections/ in the schema already.
@extend_schema_serializer(component_name="IntentToInspect")
class InspectionRequestSerializer(serializers.ModelSerializer):
    """A notification of intent to inspect (Protocol on Inspection, Section IV.2) and what followed it.

    The inspecting party's inspectors write the notification, the arrival, the designation and the
    departure; the inspected party's (the escort) the acknowledgement and, for a challenge, the answer.
    A field written by the other side is a 400 naming it.
    """

    treaty = serializers.SlugRelatedField(slug_field="name", queryset=Treaty.objects.all())
    inspecting_party = CodeField(StateParty, required=True)
    inspected_party = CodeField(StateParty, required=True)
    team = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        help_text=gettext_lazy("The inspectors' full names"),
    )
    object = serializers.CharField(
        source="object_of_verification.record_number",
        required=False,
        allow_null=True,
        max_length=64,
        help_text=gettext_lazy(
            "Record number of the inspected party's object of verification designated (declared site)"
        ),
    )
    area = LonLatGeometryField(
        "Polygon", required=False, allow_null=True, help_text=gettext_lazy("The specified area (challenge)")
    )
    time_limits = serializers.SerializerMethodField()

    class Meta:
        model = InspectionRequest
        fields = [
            "reference",
            "treaty",
            "inspecting_party",
            "inspected_party",
            "kind",
            "notified_at",
            "point_of_entry",
            "estimated_arrival",
            "team",
            "acknowledged_at",
            "arrived_at",
            "designated_at",
            "object",
            "area",
            "answer",
            "answered_at",
            "assurance",
            "departed_at",
            "time_limits",
        ]
        # Unique among every party's requests: checked with the write, once the reference is known to be in
        # the inspecting party's own series, so a refusal never tells of another party's request.
        extra_kwargs = {"reference": {"validators": []}}

    @extend_schema_field(TimeLimitSerializer(many=True))
    def get_time_limits(self, request: InspectionRequest) -> list[dict]:
        known = self.context.get("time_limits")
        limits = (known if known is not None else limits_today([request])).get(request.reference, [])
        return [
            {
                "kind": limit.kind,
                "measured": limit.measured,
                "limit": limit.limit,
                "hours": limit.hours,
                "state": limit.state,
            }
            for limit in limits
        ]

    def validate(self, attrs: dict) -> dict:
        if "object_of_verification" in attrs:
            number = (attrs.pop("object_of_verification") or {}).get("record_number")
            attrs["object_of_verification"] = self.designated(attrs, number) if number else None
        return attrs

    def designated(self, attrs: dict, number: str) -> ObjectOfVerification:
        inspected = attrs.get("inspected_party") or self.instance.inspected_party
        found = ObjectOfVerification.objects.visible_to(self.context["request"].user).filter(
            party=inspected, record_number=number
        )
        if not found:
            raise serializers.ValidationError({"object": [no_object(inspected, number)]})
        return found.get()

    def save_as_user(self, values: dict, request: InspectionRequest | None = None) -> InspectionRequest:
        try:
            return inspection_requests.record(self.context["request"].user, values, request)
        except DjangoValidationError as error:
            fields = {"object_of_verification": "object"}
            raise serializers.ValidationError(
                {fields.get(field, field): messages for field, messages in error.message_dict.items()}
            ) from None

    def create(self, validated_data: dict) -> InspectionRequest:
        return self.save_as_user(validated_data)

    def update(self, instance: InspectionRequest, validated_data: dict) -> InspectionRequest:
        return self.save_as_user(validated_data, instance)


class InspectionRequestViewSet(
    IdempotentWrites,
    ReadScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Inspection requests between the requesting user's party and another; each with its time limits
    as of today (``time_limits``). Another party's requests are not found."""

    queryset = InspectionRequest.objects.select_related(
        "treaty", "inspecting_party", "inspected_party", "object_of_verification"
    )
    serializer_class = InspectionRequestSerializer
    filterset_class = InspectionRequestFilter
    permission_classes = [WritesByRole]
    write_role = Role.INSPECTOR
    lookup_field = "reference"
    lookup_value_regex = ANY_CODE

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "time_limits": limits_today(page)}
        return self.get_paginated_response(self.get_serializer_class()(page, many=True, context=context).data)
