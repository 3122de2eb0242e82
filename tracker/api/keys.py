"""Signing keys in the API: every role reads the public keys (signatures are checked with them); a user
accredited to a party registers their own and revokes it, an administrator revokes any
(``tracker.ledger.keys``)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from tracker.api.idempotency import IdempotentWrites
from tracker.api.permissions import WritesByRole
from tracker.api.reports import ReportConflict
from tracker.ledger import keys
from tracker.ledger.canonical import b64
from tracker.models import SigningKey
from tracker.steps import WrongState


class SigningKeySerializer(serializers.ModelSerializer):
    party = serializers.CharField(
        source="party.code", read_only=True, allow_null=True, help_text=gettext_lazy("None: the tracker's")
    )
    user = serializers.CharField(source="user.username", read_only=True, allow_null=True)
    public_key = serializers.CharField(
        help_text=gettext_lazy(
            "Ed25519 public key: PEM (SubjectPublicKeyInfo) or base64 of its 32 bytes; answered in base64"
        )
    )

    class Meta:
        model = SigningKey
        fields = ["fingerprint", "party", "user", "public_key", "valid_from", "revoked_at", "demo"]
        read_only_fields = ["fingerprint", "valid_from", "revoked_at", "demo"]

    def to_representation(self, key: SigningKey) -> dict:
        shown = super().to_representation(key)
        shown["public_key"] = b64(bytes(key.public_key))
        return shown


class KeyHolders(WritesByRole):
    """Every role reads; every user with a role writes their own key, with credentials that may write."""

    def writes(self, user, view) -> bool:
        return True


def refusing(step, *args):
    try:
        return step(*args)
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error)) from None
    except WrongState as error:
        raise ReportConflict(error.message_dict) from None
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from None


class SigningKeyViewSet(IdempotentWrites, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signing keys of parties' officers and of the tracker, by fingerprint (SHA-256 of the key, hex).
    POST registers your own key for the party you are accredited to, in force from now."""

    serializer_class = SigningKeySerializer
    permission_classes = [KeyHolders]
    lookup_field = "fingerprint"
    lookup_value_regex = "[0-9a-f]{64}"
    filterset_fields = ["demo"]

    def get_queryset(self):
        return (
            SigningKey.objects.visible_to(self.request.user)
            .select_related("party", "user")
            .order_by("valid_from", "id")
        )

    @extend_schema(
        responses={
            201: SigningKeySerializer,
            400: OpenApiResponse(description=gettext_lazy("`public_key` and the reason")),
        }
    )
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        key = refusing(keys.register, request.user, body.validated_data["public_key"])
        return Response(self.get_serializer(key).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            200: SigningKeySerializer,
            403: OpenApiResponse(description=gettext_lazy("Not your key, and you are no administrator")),
            409: OpenApiResponse(description=gettext_lazy("The key is revoked already: a revocation is final")),
        },
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, fingerprint=None):
        """Revoke the key from now, for good: signatures it made before stay valid, later ones are refused."""
        key = refusing(keys.revoke, request.user, self.get_object())
        return Response(self.get_serializer(key).data)
