import django_filters as filters
from django.utils.translation import gettext_lazy

from tracker.compliance.breach import KINDS
from tracker.models import (
    Ceiling,
    ChangeThreshold,
    EquipmentCategory,
    EquipmentType,
    Finding,
    FindingState,
    Grade,
    Holiday,
    Inspection,
    Notification,
    ObjectOfVerification,
    Observation,
    Site,
    StateParty,
    Treaty,
)
from zones.models import Zone


def by_code(model, field_name: str, label: str) -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(
        field_name=field_name, to_field_name="code", queryset=model.objects.all(), label=label
    )


class CeilingFilter(filters.FilterSet):
    as_of = filters.DateFilter(method="in_force", label=gettext_lazy("Only ceilings in force on this day (YYYY-MM-DD)"))
    treaty = filters.ModelChoiceFilter(
        to_field_name="name", queryset=Treaty.objects.all(), label=gettext_lazy("Treaty name")
    )
    zone = by_code(Zone, "zone", gettext_lazy("Zone code"))
    category = by_code(EquipmentCategory, "category", gettext_lazy("Category code"))
    party = by_code(StateParty, "party", gettext_lazy("Party code (national ceilings)"))

    class Meta:
        model = Ceiling
        fields = ["applies_to", "counting", "subtype"]

    def in_force(self, queryset, name, value):
        return queryset.in_force(value)


class SiteFilter(filters.FilterSet):
    party = by_code(StateParty, "party", gettext_lazy("Party code"))

    class Meta:
        model = Site
        fields = ["code"]


class ObjectOfVerificationFilter(filters.FilterSet):
    party = by_code(StateParty, "party", gettext_lazy("Party code"))
    site = filters.CharFilter(field_name="site__code", label=gettext_lazy("Site code"))

    class Meta:
        model = ObjectOfVerification
        fields = ["record_number"]


class EquipmentTypeFilter(filters.FilterSet):
    category = by_code(EquipmentCategory, "category", gettext_lazy("Category code"))

    class Meta:
        model = EquipmentType
        fields = ["subtype"]


class HolidayFilter(filters.FilterSet):
    party = by_code(StateParty, "party", gettext_lazy("Party code"))
    year = filters.NumberFilter(field_name="date", lookup_expr="year", min_value=1, max_value=9999)

    class Meta:
        model = Holiday
        fields = []


class ChangeThresholdFilter(filters.FilterSet):
    treaty = filters.ModelChoiceFilter(
        to_field_name="name", queryset=Treaty.objects.all(), label=gettext_lazy("Treaty name")
    )
    party = by_code(StateParty, "party", gettext_lazy("Party code"))
    zone = by_code(Zone, "zone", gettext_lazy("Zone code"))

    class Meta:
        model = ChangeThreshold
        fields = []


class NotificationFilter(filters.FilterSet):
    party = by_code(StateParty, "party", gettext_lazy("Notifying party code"))
    effective_from = filters.DateFilter(field_name="effective_date", lookup_expr="gte")
    effective_to = filters.DateFilter(field_name="effective_date", lookup_expr="lte")

    class Meta:
        model = Notification
        fields = ["kind", "status"]


class InspectionFilter(filters.FilterSet):
    inspecting_party = by_code(StateParty, "inspecting_party", gettext_lazy("Inspecting party code"))
    inspected_party = by_code(StateParty, "inspected_party", gettext_lazy("Inspected party code"))
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Inspection
        fields = ["kind"]


class ObservationFilter(filters.FilterSet):
    party = by_code(StateParty, "party", gettext_lazy("Attributed party code"))
    category = by_code(EquipmentCategory, "category", gettext_lazy("Category code"))
    observed_from = filters.DateFilter(field_name="observed_on", lookup_expr="gte")
    observed_to = filters.DateFilter(field_name="observed_on", lookup_expr="lte")

    class Meta:
        model = Observation
        fields = []


class FindingFilter(filters.FilterSet):
    grade = filters.ChoiceFilter(choices=Grade.choices)
    state = filters.ChoiceFilter(choices=FindingState.choices)
    kind = filters.ChoiceFilter(choices=[(kind, kind) for kind in KINDS])
    zone = filters.CharFilter(label=gettext_lazy("Zone code"))
    party = filters.CharFilter(label=gettext_lazy("Party code"))
    since = filters.DateFilter(
        field_name="first_seen", lookup_expr="gte", label=gettext_lazy("First seen on or after (YYYY-MM-DD)")
    )
    open = filters.BooleanFilter(
        field_name="resolved_on", lookup_expr="isnull", label=gettext_lazy("Only those not resolved")
    )

    class Meta:
        model = Finding
        fields = ["grade", "state", "kind", "zone", "party", "since", "open"]
