"""Query parameters as serializers: each bad one comes back as a 400 naming it and why."""

import datetime
import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from tracker import compliance
from tracker.dates import validate_plausible
from tracker.models import EquipmentCategory, EquipmentType, Grade, ObjectOfVerification, StateParty, Treaty
from zones.models import Zone, ZoneKind

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def today() -> datetime.date:
    return timezone.localdate()


class CalendarDateField(serializers.DateField):
    """An ISO date; a well-formed one that is not in the calendar (2026-02-30) is called that."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except serializers.ValidationError:
            if isinstance(value, str) and ISO_DAY.fullmatch(value):
                raise serializers.ValidationError(_("%(day)s is not a day of the calendar") % {"day": value}) from None
            raise


class CalendarDates:
    """Model serializers whose date fields say when a date is impossible rather than malformed."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: CalendarDateField,
    }


class CodeField(serializers.SlugRelatedField):
    """A party, zone or category named by its code (an equipment type by its name); an unknown one is a 400
    saying so."""

    # Its own refusals, by the field a record is named by: a code (a party, zone, category) or a name (a type).
    REFUSALS = {
        ("does_not_exist", "code"): gettext_lazy("unknown %(model)s code %(value)s"),
        ("null_characters", "code"): gettext_lazy("a %(model)s code has no NUL characters"),
        ("does_not_exist", "name"): gettext_lazy("unknown %(model)s name %(value)s"),
        ("null_characters", "name"): gettext_lazy("a %(model)s name has no NUL characters"),
    }

    def __init__(self, model, slug_field: str = "code", **kwargs):
        self.model_name = model._meta.verbose_name
        kwargs.setdefault("required", False)
        kwargs.setdefault("queryset", model.objects.all())
        super().__init__(slug_field=slug_field, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        # PostgreSQL text cannot hold NUL: asking for it would fail in the database, not say why.
        if "\x00" in data:
            self.fail("null_characters")
        known = self.known()
        if data not in known:
            self.fail("does_not_exist", value=data)
        return known[data]

    def known(self) -> dict[str, models.Model]:
        """Every row of the (small) reference table by code, read once per request: a notification's
        thousand lines name their categories without a query each."""
        cache = self.root.__dict__.setdefault("_known_codes", {})
        model = self.get_queryset().model
        if model not in cache:
            cache[model] = {getattr(row, self.slug_field): row for row in self.get_queryset()}
        return cache[model]

    def fail(self, key, **kwargs):
        refusal = self.REFUSALS.get((key, self.slug_field))
        if refusal is None:
            super().fail(key, **kwargs)
        values = {"model": self.model_name, "value": repr(kwargs.get("value"))}
        raise serializers.ValidationError(refusal % values, code=key)


class AsOfParams(serializers.Serializer):
    as_of = CalendarDateField(
        required=False,
        default=today,
        validators=[validate_plausible],
        help_text=gettext_lazy("YYYY-MM-DD; default today"),
    )


class GeometryParams(AsOfParams):
    simplify = serializers.FloatField(
        required=False, min_value=0, max_value=1, help_text=gettext_lazy("Simplification tolerance in degrees")
    )
    precision = serializers.IntegerField(
        required=False, min_value=0, max_value=15, help_text=gettext_lazy("Decimals kept in coordinates")
    )


class ZoneListParams(GeometryParams):
    kind = serializers.ChoiceField(choices=ZoneKind.choices, required=False)


class ObjectsField(serializers.CharField):
    """Objects of verification by record number, among those the requesting user may see: every party's
    that has one so numbered (record numbers are unique within a party); unknown ones are a 400."""

    def run_validation(self, data=serializers.empty) -> list[int]:
        number = super().run_validation(data)  # NUL characters refused before the database sees them
        found = ObjectOfVerification.objects.visible_to(self.context["request"].user).filter(record_number=number)
        ids = list(found.values_list("pk", flat=True))
        if not ids:
            raise serializers.ValidationError(_("unknown object of verification %(object)s") % {"object": repr(number)})
        return ids


class HoldingParams(AsOfParams):
    party = CodeField(StateParty)
    zone = CodeField(Zone)
    category = CodeField(EquipmentCategory)


class LineParams(HoldingParams):
    """The holdings' own filters: also by equipment type and object of verification."""

    type = CodeField(EquipmentType, "name", help_text=gettext_lazy("Equipment type name"))
    object = ObjectsField(
        required=False, max_length=64, help_text=gettext_lazy("Record number of an object of verification")
    )

    def validate(self, attrs: dict) -> dict:
        # The holdings functions take the filters by the names of their records.
        attrs["equipment_type"] = attrs.pop("type", None)
        attrs["objects"] = attrs.pop("object", None)
        return attrs


class CellParams(LineParams):
    zoom = serializers.IntegerField(min_value=0, max_value=22, help_text=gettext_lazy("The web map's zoom level"))
    bbox = serializers.CharField(required=False, help_text=gettext_lazy("west,south,east,north in degrees"))


class SummaryParams(LineParams):
    GROUPS = ("party", "zone", "category", "type")

    group_by = serializers.CharField(
        required=False, default="party", help_text=gettext_lazy("Comma-separated, any of: party, zone, category, type")
    )

    def validate_group_by(self, value: str) -> list[str]:
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = [name for name in names if name not in self.GROUPS]
        if unknown or not names:
            raise serializers.ValidationError(
                _("group by any of %(groups)s; not %(unknown)s")
                % {"groups": ", ".join(self.GROUPS), "unknown": ", ".join(unknown)}
            )
        return list(dict.fromkeys(names))


class ViolationParams(HoldingParams):
    kind = serializers.ChoiceField(choices=compliance.KINDS, required=False)
    grade = serializers.ChoiceField(choices=Grade.choices, required=False)
    treaty = serializers.SlugRelatedField(
        slug_field="name", queryset=Treaty.objects.all(), required=False, help_text=gettext_lazy("The treaty's name")
    )


class HistoryParams(serializers.Serializer):
    def get_fields(self) -> dict:
        # "from" and "to" are Python keywords, so the fields cannot be class attributes.
        return {
            "from": CalendarDateField(
                required=False,
                validators=[validate_plausible],
                help_text=gettext_lazy("First day of the series; default: first change"),
            ),
            "to": CalendarDateField(
                required=False,
                default=today,
                validators=[validate_plausible],
                help_text=gettext_lazy("Last day of the series; default today"),
            ),
        }

    def validate(self, attrs):
        if attrs.get("from") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": _("must not be before from")})
        return attrs


def read(params_class: type[serializers.Serializer], request) -> dict:
    """The validated query parameters of ``request``; raises a 400 naming each bad one."""
    params = params_class(data=request.query_params, context={"request": request})
    params.is_valid(raise_exception=True)
    return params.validated_data
