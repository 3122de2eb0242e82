from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from tracker import answers, compliance, findings_register, holdings, runs, services
from tracker.api import params
from tracker.api.declarations import (
    CorrectionSerializer,
    InspectionSerializer,
    NotificationSerializer,
    ObjectOfVerificationSerializer,
    ObservationSerializer,
)
from tracker.api.filters import (
    CeilingFilter,
    ChangeThresholdFilter,
    EquipmentTypeFilter,
    FindingFilter,
    HolidayFilter,
    InspectionFilter,
    NotificationFilter,
    ObjectOfVerificationFilter,
    ObservationFilter,
    SiteFilter,
)
from tracker.api.idempotency import IdempotentWrites
from tracker.api.pagination import FeaturePagination
from tracker.api.permissions import WritesByRole
from tracker.api.renderers import ComputedListBrowsableRenderer, CSVRenderer, GeoJSONRenderer
from tracker.api.reports import ReportWorkflow
from tracker.api.reuse import rendered_once
from tracker.api.serializers import (
    BreachFeatureCollectionSerializer,
    BreachFeatureSerializer,
    BreachPeriodSerializer,
    BreachSerializer,
    CeilingSerializer,
    ChangeThresholdSerializer,
    DatesSerializer,
    EquipmentCategorySerializer,
    EquipmentTypeSerializer,
    HoldingTotalSerializer,
    HolidaySerializer,
    RegisteredFindingSerializer,
    SiteCellCollectionSerializer,
    SiteFeatureSerializer,
    SiteHoldingsSerializer,
    StatePartySerializer,
    TreatySerializer,
)
from tracker.api.signing import CANONICAL, SIGNATURE_FIELDS, SignedSerializer, canonical_response, signed
from tracker.ledger import records
from tracker.models import (
    Ceiling,
    ChangeThreshold,
    EquipmentCategory,
    EquipmentType,
    Finding,
    Holiday,
    Inspection,
    Notification,
    ObjectOfVerification,
    Observation,
    Site,
    StateParty,
    Treaty,
)
from tracker.roles import Role, may_notify, may_record_observations
from zones.api.filters import BBoxFilter

ANY_CODE = "[^/]+"  # zone codes and references carry dots (IV.1)


class PartyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = StateParty.objects.prefetch_related("groups")
    serializer_class = StatePartySerializer
    lookup_field = "code"


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = EquipmentCategory.objects.all()
    serializer_class = EquipmentCategorySerializer
    lookup_field = "code"


class EquipmentTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The existing types of each category (Protocol on Existing Types), by name."""

    queryset = EquipmentType.objects.select_related("category")
    serializer_class = EquipmentTypeSerializer
    filterset_class = EquipmentTypeFilter
    lookup_field = "name"
    lookup_value_regex = ANY_CODE


class HolidayViewSet(viewsets.ReadOnlyModelViewSet):
    """The officially recognised holidays each party gives with its annual exchange (Final Document 1996,
    Annex B §5): no working days for deadlines counted in working days."""

    queryset = Holiday.objects.select_related("party")
    serializer_class = HolidaySerializer
    filterset_class = HolidayFilter


class ChangeThresholdViewSet(viewsets.ReadOnlyModelViewSet):
    """Stricter shares than the treaty's for notifying a unit's change, per party and zone."""

    queryset = ChangeThreshold.objects.select_related("treaty", "party", "zone")
    serializer_class = ChangeThresholdSerializer
    filterset_class = ChangeThresholdFilter


class TreatyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Treaty.objects.all()
    serializer_class = TreatySerializer
    lookup_field = "name"
    lookup_value_regex = ANY_CODE


class CeilingViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Ceiling.objects.select_related("treaty", "zone", "category", "party", "group").prefetch_related("types")
    serializer_class = CeilingSerializer
    filterset_class = CeilingFilter


class ReadScoped:
    """A list or record only among those the requesting user may read (the model's ``visible_to``)."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class SiteViewSet(ReadScoped, viewsets.ReadOnlyModelViewSet):
    """Declared sites as a GeoJSON FeatureCollection of Points."""

    queryset = Site.objects.select_related("party")
    serializer_class = SiteFeatureSerializer
    pagination_class = FeaturePagination
    filterset_class = SiteFilter
    filter_backends = [*viewsets.ReadOnlyModelViewSet.filter_backends, BBoxFilter]
    bbox_filter_field = "location"
    bbox_filter_include_overlapping = True


class HoldingViewSet(viewsets.GenericViewSet):
    """Declared holdings in force on a day."""

    serializer_class = SiteHoldingsSerializer
    pagination_class = FeaturePagination
    filter_backends = []

    @extend_schema(parameters=[params.LineParams])
    def list(self, request):
        """One Point feature per site with holdings in force on ``as_of``, with its lines and their total."""
        query = params.read(params.LineParams, request)
        sites = holdings.sites_holding(query.pop("as_of"), **query)
        page = self.paginate_queryset(sites)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=[params.SummaryParams], responses=HoldingTotalSerializer(many=True))
    @action(detail=False, pagination_class=None)
    @rendered_once
    def summary(self, request):
        """Quantities in force on ``as_of``, summed per party, zone and/or category."""
        query = params.read(params.SummaryParams, request)
        read = dict(getattr(request, "data_version", None) or answers.data_version())
        rows = holdings.kept_totals(query.pop("as_of"), query.pop("group_by"), read, **query)
        return Response(HoldingTotalSerializer(rows, many=True).data)

    @extend_schema(parameters=[params.CellParams], responses=SiteCellCollectionSerializer)
    @action(detail=False, pagination_class=None)
    def cells(self, request):
        """Sites with holdings on ``as_of`` gathered per map cell of about 64 pixels at ``zoom``, in ``bbox``.

        A cell with one site is that site's feature as the list gives it; a cell with more is a Point
        at their mean position with ``sites`` (how many) and ``total`` (their holdings together).
        """
        query = params.read(params.CellParams, request)
        day, zoom = query.pop("as_of"), query.pop("zoom")
        query.pop("bbox", None)  # read by BBoxFilter, which says what is wrong with one
        cells = holdings.site_cells(day, zoom, bbox=BBoxFilter().get_filter_bbox(request), **query)
        alone = holdings.sites_holding(
            day, category=query.get("category"), equipment_type=query["equipment_type"], objects=query["objects"]
        )
        alone = alone.in_bulk([cell.site_id for cell in cells if cell.site_id])
        context = {**self.get_serializer_context(), "sites": alone}
        return Response(SiteCellCollectionSerializer({"features": cells}, context=context).data)


class RecordsWrittenByParties(
    IdempotentWrites,
    ReadScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Records a party writes once and everyone allowed reads: listed, read one by one, created (retries
    made harmless by an Idempotency-Key), never edited through the API."""

    permission_classes = [WritesByRole]
    lookup_field = "reference"
    lookup_value_regex = ANY_CODE


class ObjectOfVerificationViewSet(RecordsWrittenByParties):
    """Objects of verification, written by officers of their party; others see one once a submitted
    notification declares it."""

    queryset = ObjectOfVerification.objects.select_related("party", "site")
    serializer_class = ObjectOfVerificationSerializer
    write_role = Role.OFFICER
    filterset_class = ObjectOfVerificationFilter
    # Record numbers are unique within a party only.
    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"


class NotificationViewSet(RecordsWrittenByParties):
    """Notifications and their lines. Drafts are seen only by their party; a submitted one is never edited."""

    queryset = Notification.objects.select_related("party", "supersedes", "superseded_by", "submitted_by").with_lines()
    serializer_class = NotificationSerializer
    write_role = Role.OFFICER
    filterset_class = NotificationFilter

    def _own(self) -> Notification:
        notification = self.get_object()
        if not may_notify(self.request.user, notification.party):
            raise PermissionDenied(_("you notify only for the state party you are accredited to"))
        return notification

    @extend_schema(request=SignedSerializer, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, reference=None):
        """Submit a draft, signed by its officer (``signature`` over its canonical form, ``…/canonical/``); a
        correction supersedes its original in the same step."""
        body = SignedSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.submit(self._own(), user=request.user, signed=signed(body.validated_data))
        except DjangoValidationError as error:
            if hasattr(error, "error_dict") and error.error_dict.keys() <= SIGNATURE_FIELDS:
                raise ValidationError(error.message_dict) from None
            raise ValidationError({"submission": error.messages}) from None
        compliance.made_ahead()  # before it commits: its readers find them made
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(responses={(200, "application/json"): CANONICAL})
    @action(detail=True, methods=["get"])
    def canonical(self, request, reference=None):
        """The notification's canonical form with its lines, as it is (or would be, for a draft) recorded: what
        its officer signs to submit it (docs/ledger.md)."""
        return canonical_response(records.of_notification(self.get_object()).canonical)

    @extend_schema(request=CorrectionSerializer, responses={201: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, reference=None):
        """Draft a correction of a submitted notification, carrying its lines; submit it to supersede."""
        original = self._own()
        body = CorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            draft = services.correct(original, reference=body.validated_data.get("reference"))
        except DjangoValidationError as error:
            raise ValidationError(
                error.message_dict if hasattr(error, "error_dict") else {"supersedes": error.messages}
            ) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=draft.pk)).data, status=201)


class InspectionViewSet(ReportWorkflow, RecordsWrittenByParties):
    """Inspection reports, written by inspectors of the inspecting party, signed by their team leader and
    countersigned by the escort (Protocol on Inspection, Section XII). A draft is seen by its inspecting
    party alone, a signed report by both parties, a countersigned one by everyone allowed."""

    queryset = Inspection.objects.select_related(
        "inspecting_party", "inspected_party", "site", "signed_by", "countersigned_by"
    ).prefetch_related("findings__category")
    serializer_class = InspectionSerializer
    write_role = Role.INSPECTOR
    filterset_class = InspectionFilter


class ObservationViewSet(RecordsWrittenByParties):
    """Observations as a GeoJSON FeatureCollection; analysts record them."""

    queryset = Observation.objects.select_related("category", "party")
    serializer_class = ObservationSerializer
    pagination_class = FeaturePagination
    write_role = Role.ANALYST
    filterset_class = ObservationFilter
    filter_backends = [*viewsets.GenericViewSet.filter_backends, BBoxFilter]
    bbox_filter_field = "location"
    bbox_filter_include_overlapping = True

    def perform_create(self, serializer):
        if not may_record_observations(self.request.user):
            raise PermissionDenied(_("only analysts record observations"))
        serializer.save(recorded_by=self.request.user)


def breaches(query: dict, user) -> list[compliance.Breach]:
    """The engine's breaches on ``as_of`` that ``user`` may read, narrowed by the request's filters."""
    wanted = {
        "party": query.get("party") and query["party"].code,
        "zone": query.get("zone") and query["zone"].code,
        "category": query.get("category") and query["category"].code,
        "kind": query.get("kind"),
        "grade": query.get("grade"),
        "treaty": query.get("treaty") and query["treaty"].name,
    }
    wanted = {name: value for name, value in wanted.items() if value}
    found = [
        breach
        for breach in compliance.cached_evaluate(query["as_of"])
        if all(getattr(breach, name) == value for name, value in wanted.items())
    ]
    return compliance.readable_by(found, user)


class ViolationList(GenericAPIView):
    """Every finding the compliance engine makes on ``as_of``, with its grade (breach or indicator) and, when
    the findings register holds it, its state.

    JSON by default; ``?format=geojson`` (or ``Accept: application/geo+json``) gives a
    FeatureCollection with each breach's geometry; ``?format=csv`` a download of every row.
    """

    renderer_classes = [JSONRenderer, GeoJSONRenderer, CSVRenderer, ComputedListBrowsableRenderer]
    serializer_class = BreachSerializer
    filter_backends = []

    @extend_schema(
        parameters=[params.ViolationParams],
        responses={
            (200, "application/json"): BreachSerializer(many=True),
            (200, "application/geo+json"): BreachFeatureCollectionSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    @rendered_once
    def get(self, request):
        query = params.read(params.ViolationParams, request)
        found = breaches(query, request.user)
        output = request.accepted_renderer.format
        if output == "csv":
            download = f'attachment; filename="violations-{query["as_of"]}.csv"'
            context = {"states": findings_register.states_of(found)}
            data = BreachSerializer(found, many=True, context=context).data
            return Response(data, headers={"Content-Disposition": download})
        if output == "geojson":
            paginator = FeaturePagination()
            page = paginator.paginate_queryset(found, request, view=self)
            context = {"states": findings_register.states_of(page)}
            features = BreachFeatureSerializer(page, many=True, context=context).data
            return paginator.get_paginated_response({"features": features})
        page = self.paginate_queryset(found)
        context = {"states": findings_register.states_of(page)}
        return self.get_paginated_response(BreachSerializer(page, many=True, context=context).data)


class BreachPeriodList(GenericAPIView):
    """When each breach began and ended, across the kept runs of the check (``check_compliance --record``).

    A period runs from the first kept run that found the breach to the first later one that did
    not (``resolved_on``, null while it lasts); of several runs for one date the latest counts.
    """

    serializer_class = BreachPeriodSerializer
    filter_backends = []

    @extend_schema(responses=BreachPeriodSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(runs.breach_periods())
        return self.get_paginated_response(BreachPeriodSerializer(page, many=True).data)


class FindingList(ListAPIView):
    """The findings register: each finding from the day it was first seen (``first_seen``) to the day it was
    resolved (``resolved_on``, null while it lasts), with its grade and state (open, explained, resolved,
    disputed). Kept up to date by ``manage.py findings_refresh`` and ``check_compliance --record``.

    A finding whose evidence names an inspection report or request the reader may not see is left out,
    as in ``/api/violations/``.
    """

    serializer_class = RegisteredFindingSerializer
    filterset_class = FindingFilter

    def get_queryset(self):
        return findings_register.readable(Finding.objects.all(), self.request.user)


class DateList(GenericAPIView):
    """Every day on which something changes, for a time slider."""

    serializer_class = DatesSerializer

    def get(self, request):
        return Response({"dates": compliance.change_dates()})
