"""The planning desk in the API: the quota ledger, the passive quotas parties announced, and inspection
plans with their conflicts and quota warnings (Protocol on Inspection, Section II.10-II.24)."""

from copy import copy

import django_filters as filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from tracker.api.declarations import acting_for, no_object, objects_by_record_number
from tracker.api.filters import by_code
from tracker.api.idempotency import IdempotentWrites
from tracker.api.params import CalendarDates, CodeField, read
from tracker.api.permissions import ReadsByRole, WritesByRole
from tracker.inspection_quotas import as_seen_by, ledger, plan_warnings
from tracker.models import InspectionRequest, PassiveQuota, PlannedInspection, StateParty, Treaty
from tracker.models.inspection_requests import FIRST_YEAR, LAST_YEAR
from tracker.models.parties import visible_records
from tracker.roles import Role, may_plan_inspection, may_read_quota_ledger
from zones.api.fields import LonLatGeometryField


class LedgerParams(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=gettext_lazy("The calendar year; default this year"),
    )
    treaty = serializers.SlugRelatedField(
        slug_field="name",
        queryset=Treaty.objects.all(),
        required=False,
        help_text=gettext_lazy("The treaty's name; default every one"),
    )


class QuotaUseByPartySerializer(serializers.Serializer):
    party = serializers.CharField(source="party.code")
    used = serializers.IntegerField()
    planned = serializers.IntegerField(help_text=gettext_lazy("Among the plans the reader may see"))
    share = serializers.IntegerField(help_text=gettext_lazy("The most one inspecting party may make (Section II.23)"))
    same_group_limit = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy("The most a year within a group, when the parties share one (Section II.24)"),
    )
    limit = serializers.IntegerField(help_text=gettext_lazy("The lower of the two"))
    remaining = serializers.IntegerField()


class QuotaLedgerRowSerializer(serializers.Serializer):
    treaty = serializers.CharField(source="quota.treaty.name")
    party = serializers.CharField(source="quota.party.code")
    year = serializers.IntegerField(source="quota.year")
    objects_of_verification = serializers.IntegerField(source="quota.objects")
    annual_exchange = serializers.CharField(
        source="quota.notification.reference",
        allow_null=True,
        help_text=gettext_lazy("The annual exchange the objects come from"),
    )
    computed = serializers.IntegerField(source="quota.computed")
    announced = serializers.IntegerField(source="quota.announced.announced", allow_null=True)
    announced_below_computed = serializers.BooleanField(source="quota.announced_below_computed")
    quota = serializers.IntegerField(
        source="quota.in_force", help_text=gettext_lazy("The announced quota, else the computed one")
    )
    used = serializers.IntegerField()
    planned = serializers.IntegerField(help_text=gettext_lazy("Among the plans the reader may see"))
    remaining = serializers.IntegerField(
        help_text=gettext_lazy("Negative: more received than the party was obliged to accept")
    )
    challenge_quota = serializers.IntegerField(source="quota.challenge")
    challenge_used = serializers.IntegerField()
    challenge_planned = serializers.IntegerField()
    challenge_remaining = serializers.IntegerField()
    per_inspecting_party = serializers.IntegerField(source="quota.per_inspecting_party")
    inspecting = QuotaUseByPartySerializer(
        many=True, help_text=gettext_lazy("Only where the reader's party is the inspected or the inspecting one")
    )


class ReadsQuotaLedger(ReadsByRole):
    message = gettext_lazy("the quota ledger is read by inspectors and monitors")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and may_read_quota_ledger(request.user)


class QuotaLedgerList(GenericAPIView):
    """Each party's passive declared-site inspection quota for ``year``, what is used and planned of it
    and what remains; per inspecting party only where the reader's party inspects or is inspected."""

    serializer_class = QuotaLedgerRowSerializer
    permission_classes = [ReadsQuotaLedger]
    pagination_class = None
    filter_backends = []

    @extend_schema(parameters=[LedgerParams], responses=QuotaLedgerRowSerializer(many=True))
    def get(self, request):
        query = read(LedgerParams, request)
        year = query.get("year") or timezone.localdate().year
        treaties = [query["treaty"]] if "treaty" in query else Treaty.objects.all()
        plans = PlannedInspection.objects.visible_to(request.user)
        rows = [row for treaty in treaties for row in as_seen_by(ledger(treaty, year, plans), request.user)]
        return Response(QuotaLedgerRowSerializer(rows, many=True).data)


class PassiveQuotaSerializer(serializers.ModelSerializer):
    treaty = serializers.CharField(source="treaty.name")
    party = serializers.CharField(source="party.code")

    class Meta:
        model = PassiveQuota
        fields = ["treaty", "party", "year", "announced", "source"]


class PassiveQuotaFilter(filters.FilterSet):
    treaty = filters.ModelChoiceFilter(
        to_field_name="name", queryset=Treaty.objects.all(), label=gettext_lazy("Treaty name")
    )
    party = by_code(StateParty, "party", gettext_lazy("Party code"))

    class Meta:
        model = PassiveQuota
        fields = ["year"]


class PassiveQuotaViewSet(viewsets.ReadOnlyModelViewSet):
    """The passive declared-site inspection quotas parties announced with their annual exchanges
    (Final Document 1996, Annex B §13): notified to all."""

    serializer_class = PassiveQuotaSerializer
    filterset_class = PassiveQuotaFilter

    def get_queryset(self):
        return visible_records(PassiveQuota, self.request.user).select_related("treaty", "party")


class PlannedInspectionSerializer(CalendarDates, serializers.ModelSerializer):
    """A plan: an object of verification of the inspected party (by record number) or, for a challenge,
    a specified area (GeoJSON Polygon), in a window of days."""

    treaty = serializers.SlugRelatedField(slug_field="name", queryset=Treaty.objects.all())
    planning_party = CodeField(StateParty, required=True)
    inspected_party = CodeField(StateParty, required=True)
    object_of_verification = serializers.CharField(
        source="object_of_verification.record_number",
        max_length=64,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Record number of an object of verification of the inspected party"),
    )
    area = LonLatGeometryField("Polygon", required=False, allow_null=True)
    conflicts = serializers.SerializerMethodField(
        help_text=gettext_lazy("Plans (ids) and requests (references) on the same target in days of the window")
    )
    warnings = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "What the plan would take beyond the quotas and shares (Sections II.10, II.11, II.23, II.24)"
        )
    )

    class Meta:
        model = PlannedInspection
        fields = [
            "id",
            "treaty",
            "planning_party",
            "inspected_party",
            "kind",
            "object_of_verification",
            "area",
            "window_from",
            "window_to",
            "shared",
            "note",
            "conflicts",
            "warnings",
        ]

    def validate_planning_party(self, party: StateParty) -> StateParty:
        return acting_for(
            self, may_plan_inspection, party, _("you plan only for the state party you are accredited to")
        )

    def validate(self, attrs: dict) -> dict:
        plan = copy(self.instance) if self.instance is not None else PlannedInspection()
        named = attrs.pop("object_of_verification", ...)
        for name, value in attrs.items():
            setattr(plan, name, value)
        errors = {}
        if named is not ...:
            number = named and named["record_number"]
            user = self.context["request"].user
            found = objects_by_record_number(plan.inspected_party, [number], user).get(number) if number else None
            if number and found is None:
                errors["object_of_verification"] = no_object(plan.inspected_party, number)
            attrs["object_of_verification"] = plan.object_of_verification = found
        if not errors:
            try:
                plan.clean()
            except DjangoValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def get_conflicts(self, plan: PlannedInspection) -> dict:
        if not hasattr(plan, "conflicting_plans"):
            plan = self.context["view"].get_queryset().get(pk=plan.pk)
        return {"plans": plan.conflicting_plans, "requests": plan.conflicting_requests}

    def get_warnings(self, plan: PlannedInspection) -> list[str]:
        return plan_warnings(plan)


class ReadScopedPlans:
    def get_queryset(self):
        user = self.request.user
        plans = PlannedInspection.objects.visible_to(user).select_related(
            "treaty", "planning_party", "inspected_party", "object_of_verification"
        )
        return plans.with_conflicts(visible_records(InspectionRequest, user))


class PlannedInspectionViewSet(IdempotentWrites, ReadScopedPlans, viewsets.ModelViewSet):
    """Inspection plans: a party's own, and the shared ones of the parties of its groups. Written by
    the planning party's inspectors; a conflict or a warning is flagged, never refused."""

    serializer_class = PlannedInspectionSerializer
    permission_classes = [WritesByRole]
    write_role = Role.INSPECTOR
    filterset_fields = ["kind", "shared"]

    def get_object(self) -> PlannedInspection:
        """A plan of another party of the group is refused a change before anything else is looked at."""
        plan = super().get_object()
        if self.request.method not in SAFE_METHODS and not may_plan_inspection(self.request.user, plan.planning_party):
            raise PermissionDenied(_("you plan only for the state party you are accredited to"))
        return plan

    def perform_create(self, serializer) -> None:
        serializer.save(planned_by=self.request.user)
