"""The tracker's signed tree heads in the API: the list, newest first, the latest, and a head on demand
(``tracker.ledger.heads``)."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from tracker.api.idempotency import IdempotentWrites
from tracker.api.throttling import ThrottledSerializer
from tracker.ledger import heads
from tracker.ledger.canonical import b64
from tracker.models import TreeHead


class TreeHeadSerializer(serializers.ModelSerializer):
    signature = serializers.SerializerMethodField(help_text=gettext_lazy("The tracker's Ed25519 signature, base64"))
    key = serializers.CharField(
        source="key.fingerprint", help_text=gettext_lazy("The fingerprint of the tracker's key")
    )

    class Meta:
        model = TreeHead
        fields = ["id", "size", "root", "signed_at", "signature", "key"]

    def get_signature(self, head: TreeHead) -> str:
        return b64(bytes(head.signature))


class TreeHeadThrottle(UserRateThrottle):
    """Asking for a head costs a signature when the tree has grown: so many a user, sessions included."""

    scope = "tree-head"

    def get_rate(self) -> str:
        return settings.TREE_HEAD_RATE


class TreeHeadList(IdempotentWrites, ListAPIView):
    """The tree heads the tracker signed, newest first. POST asks for a head of the tree as it stands: the
    latest one (200) when the tree has not grown since, else one signed now (201)."""

    serializer_class = TreeHeadSerializer

    def get_queryset(self):
        return heads.newest_first().visible_to(self.request.user)

    def get_throttles(self):
        return [TreeHeadThrottle()] if self.request.method == "POST" else super().get_throttles()

    @extend_schema(
        request=None,
        responses={
            200: TreeHeadSerializer,
            201: TreeHeadSerializer,
            429: OpenApiResponse(ThrottledSerializer, description=gettext_lazy("Too many heads asked for")),
        },
    )
    def post(self, request):
        head, signed = heads.on_demand()
        return Response(
            self.get_serializer(head).data, status=status.HTTP_201_CREATED if signed else status.HTTP_200_OK
        )


class LatestTreeHead(GenericAPIView):
    """The tree head the tracker signed last."""

    serializer_class = TreeHeadSerializer
    pagination_class = None

    def get(self, request):
        head = heads.newest_first().visible_to(request.user).first()
        if head is None:
            raise NotFound(_("the tracker has signed no tree head yet"))
        return Response(self.get_serializer(head).data)
