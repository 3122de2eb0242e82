"""``/api/concerns/``: concerns between the requesting user's party and another, or referred to the consultative
body; raised, answered, accepted, disputed, referred and closed through ``tracker.concerns``, which decides who
may take which step: a step by the wrong user is a 403, in the wrong state a 409, with bad input a 400 naming
the field."""

import django_filters as filters
from django.db.models import Exists, OuterRef
from drf_spectacular.utils import OpenApiResponse, extend_schema
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
from tracker.api.views import ANY_CODE, ReadScoped
from tracker.models import Concern, ConcernState, ConcernStep, Finding, StateParty, StepAttachment
from tracker.roles import Role, has_role


class ConcernFilter(filters.FilterSet):
    raised_by = by_code(StateParty, "raised_by", "Raising party code")
    raised_against = by_code(StateParty, "raised_against", "Code of the party raised against")
    zone = filters.CharFilter(method="in_zone", label="Zone code of one of its findings")
    open = filters.BooleanFilter(method="still_open", label="true: not closed; false: closed")

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


class ConcernSerializer(serializers.ModelSerializer):
    """A concern raised by the user's party against another on findings of the register (their ``key``),
    with a question and the day the answer is due (CFE Art. XIII.3, XVI)."""

    raised_by = serializers.CharField(source="raised_by.code", read_only=True)
    raised_against = CodeField(StateParty, required=True)
    findings = serializers.SlugRelatedField(
        slug_field="key", many=True, queryset=Finding.objects.all(), help_text="Keys of findings of the register"
    )
    next_steps = serializers.SerializerMethodField(help_text="The steps the requesting user may take now")

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
            state_field="state",
        )


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


class AnswerSerializer(TextSerializer):
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="Documents with the answer"
    )


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


REFUSALS = {
    400: OpenApiResponse(description="A bad value; the field and the reason in the body"),
    403: OpenApiResponse(description="The user may not take this step on this concern"),
    404: OpenApiResponse(description="No such concern among those the user may see"),
    409: OpenApiResponse(description="The concern's state does not allow the step"),
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

    def step(self, request, step, *values):
        taking_step(step, request.user, self.get_object(), *values, state_field="state")
        return Response(self.get_serializer(self.get_object()).data)

    @staticmethod
    def body(serializer_class, request) -> dict:
        body = serializer_class(data=request.data)
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
        body = self.body(AnswerSerializer, request)
        uploads = [(upload.name, upload.chunks()) for upload in body["files"]]
        return self.step(request, concerns.answer, body["text"], uploads)

    @extend_schema(request=TextSerializer, responses={200: ConcernSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def accept(self, request, reference=None):
        """The raising party accepts the answer: the concern's findings are explained."""
        return self.step(request, concerns.accept, self.body(TextSerializer, request)["text"])

    @extend_schema(request=TextSerializer, responses={200: ConcernSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def dispute(self, request, reference=None):
        """The raising party disputes the answer (``text``: why): the concern's findings are disputed."""
        return self.step(request, concerns.dispute, self.body(TextSerializer, request)["text"])

    @extend_schema(request=TextSerializer, responses={200: ConcernSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def refer(self, request, reference=None):
        """Either party refers the concern, after an answer or a dispute, to the Joint Consultative Group
        (CFE Art. XVI.2(A), (I); XVI.3): every party then reads it."""
        return self.step(request, concerns.refer, self.body(TextSerializer, request)["text"])

    @extend_schema(request=OutcomeSerializer, responses={200: ConcernSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def close(self, request, reference=None):
        """The raising party (either party once referred) closes the concern with its ``outcome``."""
        return self.step(request, concerns.close, self.body(OutcomeSerializer, request)["outcome"])

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
