"""What parties and analysts write: notifications with their lines, inspection reports, observations."""

import copy
from collections import Counter

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from tracker.api.params import CalendarDates, CodeField
from tracker.declarations import Header, Line, line_errors, notification_errors, record_number_errors
from tracker.models import (
    EquipmentCategory,
    EquipmentType,
    Holding,
    HoldingStatus,
    Inspection,
    InspectionFinding,
    InspectionRequest,
    Notification,
    ObjectOfVerification,
    Observation,
    Site,
    StateParty,
)
from tracker.models.declarations import MAX_QUANTITY
from tracker.roles import may_notify, may_report_inspection
from zones.api.fields import LonLatGeometryField


def sites_by_code(party: StateParty, codes: list[str], user) -> dict[str, Site]:
    """The party's sites among ``codes`` that ``user`` may see: a site not yet notified is not named to others."""
    return {site.code: site for site in Site.objects.visible_to(user).filter(party=party, code__in=codes)}


def objects_by_record_number(party: StateParty, numbers: list[str], user) -> dict[str, ObjectOfVerification]:
    """The party's objects of verification among ``numbers`` that ``user`` may see, as sites are seen."""
    found = ObjectOfVerification.objects.visible_to(user).filter(party=party, record_number__in=numbers)
    return {held.record_number: held for held in found.select_related("site", "party")}


def acting_for(serializer: serializers.Serializer, may_write, party: StateParty, refusal: str) -> StateParty:
    """Refuse a write for another party before anything else is checked, so no error tells of its records."""
    if not may_write(serializer.context["request"].user, party):
        raise PermissionDenied(refusal)
    return party


class VisibleNotification(serializers.SlugRelatedField):
    """A notification named by reference, among those the requesting user may see."""

    def get_queryset(self):
        return Notification.objects.visible_to(self.context["request"].user)


def duplicates(keys: list[tuple]) -> set[tuple]:
    return {key for key, count in Counter(keys).items() if count > 1}


class ObjectOfVerificationSerializer(serializers.ModelSerializer):
    """A formation, unit or storage site with its own record number, at a declared site of its party
    (Protocol on Inspection, Section I.1(J) and (N))."""

    party = CodeField(StateParty, required=True)
    site = serializers.CharField(
        source="site.code", max_length=64, help_text=gettext_lazy("A declared site of the party")
    )

    class Meta:
        model = ObjectOfVerification
        fields = ["id", "record_number", "designation", "site", "party"]
        # Unique within the party: checked in validate, once the writer is known to act for it.
        validators = []

    def validate_party(self, party: StateParty) -> StateParty:
        return acting_for(self, may_notify, party, _("you notify only for the state party you are accredited to"))

    def validate(self, attrs: dict) -> dict:
        party, code = attrs["party"], attrs["site"]["code"]
        attrs["site"] = sites_by_code(party, [code], self.context["request"].user).get(code)
        errors = {}
        if attrs["site"] is None:
            errors["site"] = [_("%(party)s has no declared site %(site)s") % {"party": party.code, "site": repr(code)}]
        taken = record_number_errors(party, attrs["record_number"])
        if taken:
            errors["record_number"] = taken
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class NotificationLineSerializer(serializers.ModelSerializer):
    site = serializers.CharField(
        source="site.code",
        max_length=64,
        required=False,
        help_text=gettext_lazy("A declared site of the notifying party; default: the object of verification's"),
    )
    object = serializers.CharField(
        source="object_of_verification.record_number",
        max_length=64,
        required=False,
        help_text=gettext_lazy(
            "The record number of an object of verification of the notifying party; default: the site's own"
        ),
    )
    category = CodeField(EquipmentCategory, help_text=gettext_lazy("Default: the equipment type's"))
    type = CodeField(
        EquipmentType,
        "name",
        queryset=EquipmentType.objects.select_related("category"),
        source="equipment_type",
        allow_null=True,
        help_text=gettext_lazy("An existing type of the category (Protocol on Existing Types), e.g. T-72B3"),
    )
    status = serializers.ChoiceField(choices=HoldingStatus.choices, default=HoldingStatus.ACTIVE)
    quantity = serializers.IntegerField(
        min_value=0,
        max_value=MAX_QUANTITY,
        help_text=gettext_lazy("0 declares the object empty of this category (or type)"),
    )

    class Meta:
        model = Holding
        fields = ["site", "object", "category", "type", "status", "quantity"]


def no_object(party: StateParty, number: str) -> str:
    return _("%(party)s has no object of verification %(object)s") % {"party": party.code, "object": repr(number)}


def named_lines(party: StateParty, lines: list[dict], user) -> tuple[list[Line], dict[int, dict]]:
    """The lines with the sites and objects of verification they name found among those ``user`` may see
    of ``party``'s (one query each), and by line index the names not found there."""
    codes = [line["site"]["code"] for line in lines if "site" in line]
    numbers = [line["object_of_verification"]["record_number"] for line in lines if "object_of_verification" in line]
    sites = sites_by_code(party, codes, user)
    held = objects_by_record_number(party, numbers, user)
    found, unknown = [], {}
    for index, line in enumerate(lines):
        code = line.get("site", {}).get("code")
        number = line.get("object_of_verification", {}).get("record_number")
        if code is not None and code not in sites:
            unknown[index] = {
                "site": [_("%(party)s has no declared site %(site)s") % {"party": party.code, "site": repr(code)}]
            }
        elif number is not None and number not in held:
            unknown[index] = {"object": [no_object(party, number)]}
        kind = line.get("equipment_type")
        found.append(Line(sites.get(code), line.get("category"), line["status"], held.get(number), kind))
    return found, unknown


class NotificationSerializer(CalendarDates, serializers.ModelSerializer):
    """A notification and its lines. Created as a draft; a submitted one is only ever superseded."""

    party = CodeField(StateParty, required=True)
    supersedes = VisibleNotification(
        slug_field="reference",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("For a correction: the submitted notification it replaces once submitted"),
    )
    superseded_by = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    lines = NotificationLineSerializer(source="holdings", many=True)

    class Meta:
        model = Notification
        fields = [
            "reference",
            "party",
            "kind",
            "effective_date",
            "status",
            "submitted_at",
            "submitted_by",
            "supersedes",
            "superseded_by",
            "remarks",
            "lines",
        ]
        read_only_fields = ["status", "submitted_at"]
        # Unique among every party's notifications: checked in validate, once the reference is known to be
        # in the notifying party's own series, so a refusal never tells of another party's draft.
        extra_kwargs = {"reference": {"validators": []}}

    def validate_party(self, party: StateParty) -> StateParty:
        return acting_for(self, may_notify, party, _("you notify only for the state party you are accredited to"))

    def validate(self, attrs: dict) -> dict:
        party, lines = attrs["party"], attrs["holdings"]
        header = Header(party, attrs["reference"], attrs["kind"], attrs.get("supersedes"))
        errors = notification_errors([header])[0]
        written, by_line = named_lines(party, lines, self.context["request"].user)
        named = [index for index in range(len(lines)) if index not in by_line]
        found = line_errors(party, [written[index] for index in named])
        by_line.update({named[index]: fields for index, fields in found.items()})
        for line, as_written in zip(lines, written):
            line.update(
                site=as_written.where,
                object_of_verification=as_written.object_of_verification,
                category=as_written.of_category,
            )
        if by_line:
            errors["lines"] = by_line
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    @transaction.atomic
    def create(self, validated_data: dict) -> Notification:
        lines = validated_data.pop("holdings")
        notification = Notification.objects.create(**validated_data)
        own = ObjectOfVerification.objects.of_sites(
            line["site"] for line in lines if not line["object_of_verification"]
        )
        for line in lines:
            line["object_of_verification"] = line["object_of_verification"] or own[line["site"].pk]
        Holding.objects.bulk_create(Holding(notification=notification, **line) for line in lines)
        return Notification.objects.with_lines().get(pk=notification.pk)


class CorrectionSerializer(serializers.Serializer):
    reference = serializers.CharField(
        max_length=64,
        required=False,
        help_text=gettext_lazy(
            "The correction's reference, beginning with the party's code; "
            "default: the original's with a -C<timestamp> suffix"
        ),
    )


class FindingSerializer(serializers.ModelSerializer):
    category = CodeField(EquipmentCategory, required=True)
    observed = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY)

    class Meta:
        model = InspectionFinding
        fields = ["category", "observed"]


class InspectionSerializer(CalendarDates, serializers.ModelSerializer):
    """An inspection report: a declared site, or a specified area (GeoJSON Polygon) for a challenge."""

    inspecting_party = CodeField(StateParty, required=True)
    inspected_party = CodeField(StateParty, required=True)
    site = serializers.CharField(
        source="site.code",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("A declared site of the inspected party"),
    )
    area = LonLatGeometryField("Polygon", required=False, allow_null=True)
    request = serializers.CharField(
        source="request.reference",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The reference of the inspecting party's request this report is one inspection of"),
    )
    findings = FindingSerializer(many=True)
    signed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text=gettext_lazy("The team leader who signed it")
    )
    countersigned_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("The escort who countersigned it"),
    )

    class Meta:
        model = Inspection
        fields = [
            "reference",
            "request",
            "inspecting_party",
            "inspected_party",
            "kind",
            "date",
            "arrived_at",
            "departed_at",
            "team",
            "site",
            "area",
            "ambiguities",
            "findings",
            "status",
            "signed_by",
            "signed_at",
            "countersigned_by",
            "countersigned_at",
            "escort_comments",
        ]
        read_only_fields = ["status", "signed_at", "countersigned_at", "escort_comments"]

    def validate_inspecting_party(self, party: StateParty) -> StateParty:
        return acting_for(
            self, may_report_inspection, party, _("you report only inspections your own state party makes")
        )

    def validate(self, attrs: dict) -> dict:
        findings = attrs.pop("findings")
        site = attrs.pop("site", None)
        request = (attrs.pop("request", None) or {}).get("reference")
        errors = {}
        if request:
            # Among the requests the user may see, so an unknown reference and another's read alike.
            visible = InspectionRequest.objects.visible_to(self.context["request"].user)
            attrs["request"] = visible.filter(reference=request, inspecting_party=attrs["inspecting_party"]).first()
            if attrs["request"] is None:
                errors["request"] = _("%(party)s made no request %(request)s") % {
                    "party": attrs["inspecting_party"].code,
                    "request": repr(request),
                }
        if site and site.get("code"):
            user = self.context["request"].user
            attrs["site"] = sites_by_code(attrs["inspected_party"], [site["code"]], user).get(site["code"])
            if attrs["site"] is None:
                errors["site"] = _("%(party)s has no declared site %(site)s") % {
                    "party": attrs["inspected_party"].code,
                    "site": repr(site["code"]),
                }
        repeated = duplicates([finding["category"].pk for finding in findings])
        if repeated:
            errors["findings"] = _("one finding per category")
        if not errors:
            try:
                Inspection(**attrs).clean()
            except DjangoValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise serializers.ValidationError(errors)
        return {**attrs, "findings": findings}

    @transaction.atomic
    def create(self, validated_data: dict) -> Inspection:
        findings = validated_data.pop("findings")
        inspection = Inspection.objects.create(**validated_data)
        InspectionFinding.objects.bulk_create(InspectionFinding(inspection=inspection, **f) for f in findings)
        return inspection


class ObservationSerializer(CalendarDates, GeoFeatureModelSerializer):
    """An observation as a GeoJSON Feature with a Point (where the analyst puts the equipment); the ground
    the count covers, when the sensor gives one, is the property ``footprint``, a GeoJSON Polygon."""

    category = CodeField(EquipmentCategory, required=True)
    party = CodeField(StateParty, allow_null=True)
    count = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY)
    location = LonLatGeometryField("Point")
    footprint = LonLatGeometryField(
        "Polygon",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The ground the count covers; holds the point"),
    )

    class Meta:
        model = Observation
        geo_field = "location"
        id_field = False
        fields = [
            "reference",
            "source",
            "observed_on",
            "category",
            "count",
            "confidence",
            "party",
            "location",
            "footprint",
            "accuracy_m",
            "sensor",
            "acquired_at",
        ]

    def validate(self, attrs: dict) -> dict:
        observation = copy.copy(self.instance) if self.instance else Observation()
        for field, value in attrs.items():
            setattr(observation, field, value)
        try:
            observation.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("expected a GeoJSON Feature object")]})
        if "properties" in data and not isinstance(data["properties"], dict):
            raise serializers.ValidationError({"properties": _("expected an object of the observation's fields")})
        return super().to_internal_value(data)
