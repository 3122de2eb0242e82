"""Receipts in the API: a party acknowledges every record in a tree head by signing ``receipt_body`` with a key
of its own (``tracker.ledger.receipts``); every role reads who acknowledged which head. A receipt is not
acceptance (CFE Art. XIII.3)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from tracker.api.idempotency import IdempotentWrites
from tracker.ledger import receipts
from tracker.ledger.book import Signed
from tracker.ledger.canonical import b64
from tracker.models import Receipt, TreeHead


class ReceiptSerializer(serializers.ModelSerializer):
    head = serializers.IntegerField(source="tree_head_id")
    size = serializers.IntegerField(source="tree_head.size")
    root = serializers.CharField(source="tree_head.root")
    party = serializers.CharField(source="party.code")
    key = serializers.CharField(source="key.fingerprint")
    signature = serializers.SerializerMethodField(
        help_text=gettext_lazy("The party's Ed25519 signature over its receipt, base64")
    )

    class Meta:
        model = Receipt
        fields = ["id", "head", "size", "root", "party", "key", "signature", "received_at"]

    def get_signature(self, receipt: Receipt) -> str:
        return b64(bytes(receipt.signature))


class AcknowledgementSerializer(serializers.Serializer):
    head = serializers.IntegerField(required=False, min_value=1, help_text=gettext_lazy("The tree head's id"))
    size = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text=gettext_lazy("Or its size: the first head of that size (they all share its root)"),
    )
    signature = serializers.CharField(
        allow_blank=True,
        help_text=gettext_lazy(
            'Your Ed25519 signature, base64, over the canonical JSON (RFC 8785) of {"type": "receipt", '
            '"party": your party\'s code, "size": the head\'s size, "root": its root}'
        ),
    )
    key = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Your key's fingerprint; optional with one key in force"),
    )

    def validate(self, attrs: dict) -> dict:
        if "head" in attrs:
            head = TreeHead.objects.filter(pk=attrs["head"]).first()
            if head is None:
                raise ValidationError({"head": _("the tracker signed no tree head %(head)d") % {"head": attrs["head"]}})
        elif "size" in attrs:
            head = TreeHead.objects.filter(size=attrs["size"]).order_by("signed_at", "id").first()
            if head is None:
                raise ValidationError(
                    {"size": _("the tracker signed no tree head of size %(size)d") % {"size": attrs["size"]}}
                )
        else:
            raise ValidationError(
                {"head": _("name the tree head you acknowledge, by its id (head) or its size (size)")}
            )
        return {**attrs, "tree_head": head}


class ReceiptList(IdempotentWrites, ListAPIView):
    """The parties' receipts of tree heads, newest first. POST acknowledges a head for your party: 201 with the
    receipt, or 200 with your party's receipt of that head already given."""

    serializer_class = ReceiptSerializer

    def get_queryset(self):
        return (
            Receipt.objects.visible_to(self.request.user)
            .select_related("tree_head", "party", "key")
            .order_by("-received_at", "-id")
        )

    @extend_schema(
        request=AcknowledgementSerializer,
        responses={
            200: ReceiptSerializer,
            201: ReceiptSerializer,
            400: OpenApiResponse(
                description=gettext_lazy("The field (`head`, `size`, `signature`, `key`) and the reason")
            ),
        },
    )
    def post(self, request):
        body = AcknowledgementSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        try:
            receipt, made = receipts.acknowledge(
                request.user, given["tree_head"], Signed(given["signature"], given["key"])
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return Response(
            self.get_serializer(receipt).data, status=status.HTTP_201_CREATED if made else status.HTTP_200_OK
        )
