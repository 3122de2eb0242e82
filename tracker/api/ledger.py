"""The ledger, read through the API (docs/ledger.md): its entries, as far as the reader may read their records,
and the Merkle tree's inclusion and consistency proofs (RFC 9162, Sections 2.1.3 and 2.1.4), in hex.

An entry is read by whoever may read its record (``LedgerEntry.objects.visible_to``); an inclusion proof is
an entry's, so it follows the same rule. A consistency proof holds hashes only and is open to every role.
"""

import django_filters as filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView, get_object_or_404
from rest_framework.response import Response

from tracker.api.params import read
from tracker.ledger import book, records
from tracker.models import LedgerEntry, LedgerNode, RecordType


class LedgerEntrySerializer(serializers.Serializer):
    """An entry exactly as the Merkle tree's leaf holds it (``tracker.ledger.book.entry_body``)."""

    index = serializers.IntegerField()
    type = serializers.ChoiceField(choices=RecordType.choices)
    reference = serializers.CharField()
    party = serializers.CharField(help_text=gettext_lazy("The code of the record's author's party"))
    sha256 = serializers.CharField(help_text=gettext_lazy("The record's canonical form's SHA-256, in hex"))
    signature = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("The author's Ed25519 signature, base64; null: unsigned")
    )
    key = serializers.CharField(allow_null=True, help_text=gettext_lazy("The signing key's fingerprint"))
    accepted_at = serializers.CharField(
        help_text=gettext_lazy("The moment the tracker accepted it, UTC, to the microsecond")
    )
    previous_root = serializers.CharField(help_text=gettext_lazy("The tree's root before it, SHA-256, in hex"))

    def to_representation(self, entry: LedgerEntry) -> dict:
        return book.entry_body(entry)


class LedgerEntryDetailSerializer(serializers.Serializer):
    entry = LedgerEntrySerializer()
    leaf_hash = serializers.CharField(
        help_text=gettext_lazy("SHA-256(0x00 || the entry's canonical JSON), in hex: its leaf")
    )
    record = serializers.CharField(
        help_text=gettext_lazy(
            "The record's canonical form (RFC 8785), made now from the tracker's tables: its UTF-8 bytes "
            "hash to the entry's sha256 and carry the signature"
        )
    )


class LedgerEntryFilter(filters.FilterSet):
    type = filters.ChoiceFilter(field_name="record_type", choices=RecordType.choices, label=gettext_lazy("Record type"))

    class Meta:
        model = LedgerEntry
        fields = ["reference"]


class LedgerEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The ledger's entries whose records the reader may read, in the ledger's order."""

    serializer_class = LedgerEntrySerializer
    filterset_class = LedgerEntryFilter
    lookup_field = "index"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return LedgerEntry.objects.visible_to(self.request.user).select_related("party", "key")

    @extend_schema(
        responses={
            200: LedgerEntryDetailSerializer,
            404: OpenApiResponse(description=gettext_lazy("No such entry among those whose records the user may read")),
        }
    )
    def retrieve(self, request, index: str):
        """One entry, its leaf hash and its record's canonical form."""
        entry = self.get_object()
        leaf = LedgerNode.objects.get(level=0, index=entry.index)
        return Response(
            {
                "entry": book.entry_body(entry),
                "leaf_hash": bytes(leaf.digest).hex(),
                "record": records.of_entry(entry).canonical.decode(),
            }
        )


def within_ledger(value: int) -> int:
    """A tree's size, refused beyond the ledger's."""
    entries = book.size()
    if value > entries:
        raise ValidationError(
            ngettext(
                "is beyond the ledger, which has %(count)d entry",
                "is beyond the ledger, which has %(count)d entries",
                entries,
            )
            % {"count": entries}
        )
    return value


class InclusionParams(serializers.Serializer):
    index = serializers.IntegerField(min_value=0, help_text=gettext_lazy("The entry's index"))
    size = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=gettext_lazy("The size of the tree (a tree head's); default: the ledger as it is"),
    )

    def validate_size(self, value: int) -> int:
        return within_ledger(value)

    def validate(self, attrs: dict) -> dict:
        attrs.setdefault("size", book.size())
        if attrs["index"] >= attrs["size"]:
            raise ValidationError({"index": _("must be below the tree's size, %(size)d") % {"size": attrs["size"]}})
        return attrs


class InclusionProofSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    size = serializers.IntegerField()
    leaf_hash = serializers.CharField(help_text=gettext_lazy("The entry's leaf hash, in hex"))
    path = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("The audit path, leaf first (RFC 9162, 2.1.3.1), in hex")
    )
    root = serializers.CharField(help_text=gettext_lazy("The root of the tree of ``size`` leaves, SHA-256, in hex"))


class ConsistencyParams(serializers.Serializer):
    first = serializers.IntegerField(min_value=1, help_text=gettext_lazy("The earlier tree's size"))
    second = serializers.IntegerField(min_value=1, help_text=gettext_lazy("The later tree's size"))

    def validate_second(self, value: int) -> int:
        return within_ledger(value)

    def validate(self, attrs: dict) -> dict:
        if attrs["first"] > attrs["second"]:
            raise ValidationError({"first": _("must not be above second (%(second)d)") % {"second": attrs["second"]}})
        return attrs


class ConsistencyProofSerializer(serializers.Serializer):
    first = serializers.IntegerField()
    second = serializers.IntegerField()
    first_root = serializers.CharField(help_text=gettext_lazy("The earlier tree's root, SHA-256, in hex"))
    second_root = serializers.CharField(help_text=gettext_lazy("The later tree's root, SHA-256, in hex"))
    path = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("The proof (RFC 9162, 2.1.4.1), in hex")
    )


BAD_PARAMETER = OpenApiResponse(description=gettext_lazy("A bad parameter; its name and the reason in the body"))


class InclusionProof(GenericAPIView):
    """The audit path proving an entry is in the tree of ``size`` leaves (RFC 9162, Section 2.1.3)."""

    serializer_class = InclusionProofSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[InclusionParams],
        responses={
            200: InclusionProofSerializer,
            400: BAD_PARAMETER,
            404: OpenApiResponse(description=gettext_lazy("No such entry among those whose records the user may read")),
        },
    )
    def get(self, request):
        query = read(InclusionParams, request)
        index, size = query["index"], query["size"]
        get_object_or_404(LedgerEntry.objects.visible_to(request.user), index=index)
        leaf = LedgerNode.objects.get(level=0, index=index)
        proof = {
            "index": index,
            "size": size,
            "leaf_hash": bytes(leaf.digest).hex(),
            "path": [node.hex() for node in book.inclusion_proof(index, size)],
            "root": book.root(size).hex(),
        }
        return Response(proof)


class ConsistencyProof(GenericAPIView):
    """The proof that the tree of ``second`` leaves extends the one of ``first`` (RFC 9162, Section 2.1.4)."""

    serializer_class = ConsistencyProofSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(parameters=[ConsistencyParams], responses={200: ConsistencyProofSerializer, 400: BAD_PARAMETER})
    def get(self, request):
        query = read(ConsistencyParams, request)
        first, second = query["first"], query["second"]
        proof = {
            "first": first,
            "second": second,
            "first_root": book.root(first).hex(),
            "second_root": book.root(second).hex(),
            "path": [node.hex() for node in book.consistency_proof(first, second)],
        }
        return Response(proof)
