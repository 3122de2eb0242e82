"""Query parameters as serializers: each bad one comes back as a 400 naming it and why."""

import datetime
import re

from django.db import models
from django.utils import timezone
from rest_framework import serializers

from tracker import compliance
from tracker.dates import validate_plausible
from tracker.models import EquipmentCategory, StateParty, Treaty
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
                raise serializers.ValidationError(f"{value} is not a day of the calendar") from None
            raise


class CalendarDates:
    """Model serializers whose date fields say when a date is impossible rather than malformed."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: CalendarDateField,
    }


class CodeField(serializers.SlugRelatedField):
    """A party, zone or category named by its code; an unknown code is a 400 saying so."""

    default_error_messages = {
        "does_not_exist": "unknown {model} code {value!r}",
        "null_characters": "a {model} code has no NUL characters",
    }

    def __init__(self, model, **kwargs):
        self.model_name = model._meta.verbose_name
        kwargs.setdefault("required", False)
        super().__init__(slug_field="code", queryset=model.objects.all(), **kwargs)

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
            cache[model] = {row.code: row for row in self.get_queryset()}
        return cache[model]

    def fail(self, key, **kwargs):
        super().fail(key, model=self.model_name, **kwargs)


class AsOfParams(serializers.Serializer):
    as_of = CalendarDateField(
        required=False, default=today, validators=[validate_plausible], help_text="YYYY-MM-DD; default today"
    )


class GeometryParams(AsOfParams):
    simplify = serializers.FloatField(
        required=False, min_value=0, max_value=1, help_text="Simplification tolerance in degrees"
    )
    precision = serializers.IntegerField(
        required=False, min_value=0, max_value=15, help_text="Decimals kept in coordinates"
    )


class ZoneListParams(GeometryParams):
    kind = serializers.ChoiceField(choices=ZoneKind.choices, required=False)


class HoldingParams(AsOfParams):
    party = CodeField(StateParty)
    zone = CodeField(Zone)
    category = CodeField(EquipmentCategory)


class CellParams(HoldingParams):
    zoom = serializers.IntegerField(min_value=0, max_value=22, help_text="The web map's zoom level")
    bbox = serializers.CharField(required=False, help_text="west,south,east,north in degrees")


class SummaryParams(HoldingParams):
    GROUPS = ("party", "zone", "category")

    group_by = serializers.CharField(
        required=False, default="party", help_text="Comma-separated, any of: party, zone, category"
    )

    def validate_group_by(self, value: str) -> list[str]:
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = [name for name in names if name not in self.GROUPS]
        if unknown or not names:
            raise serializers.ValidationError(f"group by any of {', '.join(self.GROUPS)}; not {', '.join(unknown)}")
        return list(dict.fromkeys(names))


class ViolationParams(HoldingParams):
    kind = serializers.ChoiceField(
        choices=[
            compliance.CEILING_EXCEEDED,
            compliance.INSPECTION_DISCREPANCY,
            compliance.OBSERVATION_DISCREPANCY,
            compliance.LATE_NOTIFICATION,
        ],
        required=False,
    )
    treaty = serializers.SlugRelatedField(
        slug_field="name", queryset=Treaty.objects.all(), required=False, help_text="The treaty's name"
    )


class HistoryParams(serializers.Serializer):
    def get_fields(self) -> dict:
        # "from" and "to" are Python keywords, so the fields cannot be class attributes.
        return {
            "from": CalendarDateField(
                required=False,
                validators=[validate_plausible],
                help_text="First day of the series; default: first change",
            ),
            "to": CalendarDateField(
                required=False,
                default=today,
                validators=[validate_plausible],
                help_text="Last day of the series; default today",
            ),
        }

    def validate(self, attrs):
        if attrs.get("from") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": "must not be before from"})
        return attrs


def read(params_class: type[serializers.Serializer], request) -> dict:
    """The validated query parameters of ``request``; raises a 400 naming each bad one."""
    params = params_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data
