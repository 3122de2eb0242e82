"""``/api/concerns/``: concerns between the requesting user's party and another, or referred to the consultative
body; raised, answered, accepted, disputed, referred and closed through ``tracker.concerns``, which decides who
may take which step: a step by the wrong user is a 403, in the wrong state a 409, with bad input a 400 naming
the field."""

import django_filters as filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from tracker import concerns
from tracker.api.filters import by_code
from tracker.api.idempotency import IdempotentWrites
from tracker.api.params import CodeField
from tracker.api.permissions import WritesByRole
from tracker.api.reports import taking_step
from tracker.api.signing import CANONICAL, SignedSerializer, canonical_response, signed
from tracker.api.views import ANY_CODE, ReadScoped
from tracker.models import Concern, ConcernState, ConcernStep, Finding, StateParty, StepAttachment, StepKind
from tracker.roles import Role, has_role


class ConcernFilter(filters.FilterSet):
    raised_by = by_code(StateParty, "raised_by", gettext_lazy("Raising party code"))
    raised_against = by_code(StateParty, "raised_against", gettext_lazy("Code of the party raised against"))
    zone = filters.CharFilter(method="in_zone", label=gettext_lazy("Zone code of one of its findings"))
    open = filters.BooleanFilter(method="still_open", label=gettext_lazy("true: not closed; false: closed"))

    class Meta:
        model = Concern
        fields = ["state"]

    def in_zone(self, queryset, name, value: str):
        return queryset.filter(Exists(Finding.objects.filter(concerns=OuterRef("pk"), zone=value)))

    def still_open(self, queryset, name, value: bool):
        return queryset.exclude(state=ConcernState.CLOSED) if value else queryset.filter(state=ConcernState.CLOSED)


class StepAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = StepAttachment
        fields = ["id", "name", "media_type", "size", "sha256"]
        read_only_fields = fields


class StepSerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="party.code", read_only=True)
    made_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    attachments = StepAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ConcernStep
        fields = ["kind", "party", "made_by", "made_at", "text", "attachments"]
        read_only_fields = fields


class ConcernSerializer(SignedSerializer, serializers.ModelSerializer):
    """A concern raised by the user's party against another on findings of the register (their ``key``),
    with a question and the day the answer is due (CFE Art. XIII.3, XVI)."""

    raised_by = serializers.CharField(source="raised_by.code", read_only=True)
    raised_against = CodeField(StateParty, required=True)
    findings = serializers.SlugRelatedField(
        slug_field="key",
        many=True,
        queryset=Finding.objects.all(),
        help_text=gettext_lazy("Keys of findings of the register"),
    )
    next_steps = serializers.SerializerMethodField(help_text=gettext_lazy("The steps the requesting user may take now"))

    class Meta:
        model = Concern
        fields = [
            "reference",
            "raised_by",
            "raised_against",
            "findings",
            "question",
            "answer_due",
            "state",
            "outcome",
            "next_steps",
            "signature",
            "key",
        ]
        read_only_fields = ["reference", "state", "outcome"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["findings"].child_relation.queryset = concerns.visible_findings(request.user)
        return fields

    def get_next_steps(self, concern: Concern) -> list[str]:
        return concerns.next_steps(self.context["request"].user, concern)

    def create(self, validated_data: dict) -> Concern:
        user = self.context["request"].user
        return taking_step(
            concerns.raise_concern,
            user,
            validated_data["raised_against"],
            validated_data["findings"],
            validated_data["question"],
            validated_data["answer_due"],
            signed=signed(validated_data),
            state_field="state",
        )


class StepTextSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


class StepOutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


class AnswerTextSerializer(StepTextSerializer):
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text=gettext_lazy("Documents with the answer")
    )


class TextSerializer(StepTextSerializer, SignedSerializer):
    pass


class AnswerSerializer(AnswerTextSerializer, SignedSerializer):
    pass


class OutcomeSerializer(StepOutcomeSerializer, SignedSerializer):
    pass


# What each step's canonical form is previewed from: the step's body without its signature.
PREVIEWS = {
    StepKind.ANSWER: AnswerTextSerializer,
    StepKind.ACCEPT: StepTextSerializer,
    StepKind.DISPUTE: StepTextSerializer,
    StepKind.REFER: StepTextSerializer,
    StepKind.CLOSE: StepOutcomeSerializer,
}


class ConcernQuerySerializer(ConcernSerializer):
    """What a concern would be raised with, as query parameters (``findings`` repeated)."""

    class Meta(ConcernSerializer.Meta):
        fields = ["raised_against", "findings", "question", "answer_due"]


REFUSALS = {
    400: OpenApiResponse(description=gettext_lazy("A bad value; the field and the reason in the body")),
    403: OpenApiResponse(description=gettext_lazy("The user may not take this step on this concern")),
    404: OpenApiResponse(description=gettext_lazy("No such concern among those the user may see")),
    409: OpenApiResponse(description=gettext_lazy("The concern's state does not allow the step")),
}


class WritesConcerns(WritesByRole):
    """Officers and monitors write concerns (a monitor on its party's behalf); ``tracker.concerns`` checks the party."""

    def writes(self, user, view) -> bool:
        return has_role(user, Role.OFFICER) or has_role(user, Role.MONITOR)


class ConcernViewSet(
    IdempotentWrites,
    ReadScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Concerns between the user's party and another, and those referred to the Joint Consultative Group (every
    party's); another party's concern is not found."""

    queryset = Concern.objects.select_related("raised_by", "raised_against").prefetch_related("findings")
    serializer_class = ConcernSerializer
    filterset_class = ConcernFilter
    permission_classes = [WritesConcerns]
    lookup_field = "reference"
    lookup_value_regex = ANY_CODE

    def step(self, request, step, body: dict, *values):
        taking_step(step, request.user, self.get_object(), *values, signed=signed(body), state_field="state")
        return Response(self.get_serializer(self.get_object()).data)

    @staticmethod
    def body(serializer_class, data) -> dict:
        body = serializer_class(data=data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(
        request={"multipart/form-data": AnswerSerializer, "application/json": TextSerializer},
        responses={200: ConcernSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def answer(self, request, reference=None):
        """The answer of the party raised against (an officer of it), with documents (multipart ``files``)
        while the concern is raised or disputed."""
        body = self.body(AnswerSerializer, request.data)
        uploads = [(upload.name, upload.chunks()) for upload in body["files"]]
        return self.step(request, concerns.answer, body, body["text"], uploads)

    @extend_schema(request=TextSerializer, responses={200: ConcernSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def accept(self, request, reference=None):
        """The raising party accepts the answer: the concern's findings are explained."""
        body = self.body(TextSerializer, request.data)
        return self.step(request, concerns.accept, body, body["text"])

    @extend_schema(request=TextSerializer, responses={200: ConcernSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def dispute(self, request, reference=None):
        """The raising party disputes the answer (``text``: why): the concern's findings are disputed."""
        body = self.body(TextSerializer, request.data)
        return self.step(request, concerns.dispute, body, body["text"])

    @extend_schema(request=TextSerializer, responses={200: ConcernSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def refer(self, request, reference=None):
        """Either party refers the concern, after an answer or a dispute, to the Joint Consultative Group
        (CFE Art. XVI.2(A), (I); XVI.3): every party then reads it."""
        body = self.body(TextSerializer, request.data)
        return self.step(request, concerns.refer, body, body["text"])

    @extend_schema(request=OutcomeSerializer, responses={200: ConcernSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def close(self, request, reference=None):
        """The raising party (either party once referred) closes the concern with its ``outcome``."""
        body = self.body(OutcomeSerializer, request.data)
        return self.step(request, concerns.close, body, body["outcome"])

    @extend_schema(
        parameters=[ConcernQuerySerializer],
        responses={(200, "application/json"): CANONICAL, 400: REFUSALS[400], 403: REFUSALS[403]},
    )
    @action(detail=False, methods=["get"], url_path="canonical")
    def raising(self, request):
        """The canonical form of the raising step of the concern these parameters would raise (``findings``
        repeated), as it would be recorded: what its raiser signs (docs/ledger.md). Nothing is written."""
        query = ConcernQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        values = query.validated_data
        return canonical_response(
            taking_step(
                concerns.raising_canonical,
                request.user,
                values["raised_against"],
                values["findings"],
                values["question"],
                values["answer_due"],
                state_field="state",
            )
        )

    @extend_schema(
        methods=["get"],
        operation_id="concerns_step_canonical_retrieve",
        parameters=[
            OpenApiParameter("text", str, description=gettext_lazy("The step's text (all steps but close)")),
            OpenApiParameter("outcome", str, description=gettext_lazy("The outcome (close)")),
        ],
        responses={(200, "application/json"): CANONICAL, **REFUSALS},
    )
    @extend_schema(
        methods=["post"],
        operation_id="concerns_step_canonical_create",
        request={"multipart/form-data": AnswerTextSerializer, "application/json": StepTextSerializer},
        responses={(200, "application/json"): CANONICAL, **REFUSALS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path=r"(?P<kind>answer|accept|dispute|refer|close)/canonical",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def step_canonical(self, request, reference=None, kind=None):
        """The canonical form of step ``kind`` the user would take now with this text (GET: query parameters;
        POST: the step's own body, an answer's documents with it), as it would be recorded: what they sign.
        Refused as the step would be; nothing is written."""
        body = self.body(PREVIEWS[kind], request.query_params if request.method == "GET" else request.data)
        text = body.get(concerns.STEP_TEXT.get(kind, "text"), "")
        uploads = [(upload.name, upload.chunks()) for upload in body.get("files", [])]
        data = taking_step(
            concerns.step_canonical, request.user, self.get_object(), kind, text, uploads, state_field="state"
        )
        return canonical_response(data)

    @extend_schema(responses=StepSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def steps(self, request, reference=None):
        """The concern's steps, each dated, attributed, for a party, with its documents."""
        found = (
            ConcernStep.objects.visible_to(request.user)
            .filter(concern=self.get_object())
            .select_related("party", "made_by")
            .prefetch_related("attachments")
        )
        return Response(StepSerializer(found, many=True).data)
