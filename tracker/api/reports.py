"""An inspection report's signatures and attachments through the API (``tracker.reports`` does the work):
the team leader signs, the escort countersigns with comments, photographs and documents go with a draft."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from tracker import attachments, reports
from tracker.api.declarations import InspectionSerializer
from tracker.api.signing import CANONICAL, SignedSerializer, canonical_response, signed
from tracker.ledger import records
from tracker.models import ReportAttachment
from tracker.steps import WrongState


class ReportConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class CommentsSerializer(serializers.Serializer):
    comments = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=gettext_lazy("The escort's written comments (XII.1(B))")
    )


class CountersignatureSerializer(CommentsSerializer, SignedSerializer):
    pass


class AttachmentSerializer(serializers.ModelSerializer):
    attached_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ReportAttachment
        fields = ["id", "name", "media_type", "size", "sha256", "caption", "attached_by", "attached_at"]
        read_only_fields = fields


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=gettext_lazy(
            "A JPEG, PNG or TIFF photograph, a PDF or plain-text document, recognised by its content"
        )
    )
    caption = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


REFUSALS = {
    400: OpenApiResponse(
        description=gettext_lazy("The request names a bad value; the field and the reason in the body")
    ),
    403: OpenApiResponse(description=gettext_lazy("The user may not take this step on this report")),
    404: OpenApiResponse(description=gettext_lazy("No such report among those the user may see")),
    409: OpenApiResponse(
        description=gettext_lazy("The report's state does not allow the step (e.g. it is already signed)")
    ),
}


def taking_step(step, *args, state_field: str = "status", **kwargs):
    """A workflow's ``step`` (of ``tracker.reports`` or ``tracker.concerns``), its refusals as the API's: 403,
    409 naming ``state_field``, or 400 naming the field."""
    try:
        return step(*args, **kwargs)
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error)) from None
    except WrongState as error:
        raise ReportConflict({state_field: error.messages}) from None
    except DjangoValidationError as error:
        raise ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {state_field: error.messages}
        ) from None


class ReportWorkflow:
    """The actions on one report of an inspection viewset: sign, countersign, attachments."""

    @extend_schema(request=SignedSerializer, responses={200: InspectionSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def sign(self, request, reference=None):
        """The team leader (an inspector of the inspecting party) signs a draft and hands it to the escort
        (Protocol on Inspection, Section XII.1(A), XII.2); the hour to countersign runs from now. ``signature``:
        theirs over the report's canonical form (``…/canonical/``)."""
        body = SignedSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        taking_step(reports.sign, self.get_object(), request.user, signed=signed(body.validated_data))
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(responses={(200, "application/json"): CANONICAL, 404: REFUSALS[404]})
    @action(detail=True, methods=["get"])
    def canonical(self, request, reference=None):
        """The report's canonical form, as its team leader signs it (docs/ledger.md)."""
        return canonical_response(records.of_report(self.get_object()).canonical)

    @extend_schema(request=CountersignatureSerializer, responses={200: InspectionSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def countersign(self, request, reference=None):
        """The escort (an inspector of the inspected party) countersigns a signed report with its comments
        (XII.1(B)); the report is then locked. ``signature``: theirs over the countersignature's canonical form
        (``…/countersign/canonical/?comments=…``)."""
        body = CountersignatureSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        taking_step(
            reports.countersign,
            self.get_object(),
            request.user,
            body.validated_data["comments"],
            signed=signed(body.validated_data),
        )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        parameters=[CommentsSerializer], responses={(200, "application/json"): CANONICAL, 404: REFUSALS[404]}
    )
    @action(detail=True, methods=["get"], url_path="countersign/canonical")
    def countersignature(self, request, reference=None):
        """The canonical form of the escort's countersignature with ``comments``, as it would be recorded."""
        query = CommentsSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return canonical_response(
            reports.countersignature_canonical(self.get_object(), query.validated_data["comments"])
        )

    @extend_schema(methods=["get"], responses=AttachmentSerializer(many=True))
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": UploadSerializer},
        responses={
            201: AttachmentSerializer,
            413: OpenApiResponse(description=gettext_lazy("The body is too large")),
            **REFUSALS,
        },
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser], pagination_class=None)
    def attachments(self, request, reference=None):
        """The report's photographs and documents (VI.38), each with its SHA-256; POST one (multipart,
        ``file`` and ``caption``) while the report is a draft."""
        report = self.get_object()
        if request.method == "GET":
            found = ReportAttachment.objects.visible_to(request.user).filter(inspection=report).defer("content")
            return Response(AttachmentSerializer(found.select_related("attached_by"), many=True).data)
        body = UploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        attachment = taking_step(
            reports.attach, report, request.user, upload.name, upload.chunks(), body.validated_data["caption"]
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: REFUSALS[404]})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment>[0-9]{1,18})")
    def attachment(self, request, reference=None, attachment=None):
        """One attachment's bytes, as a download with its SHA-256 in ``ETag`` and ``Repr-Digest``."""
        report = self.get_object()
        found = ReportAttachment.objects.visible_to(request.user).filter(inspection=report, pk=attachment).first()
        if found is None:
            raise NotFound(
                _("report %(report)s has no attachment %(attachment)s")
                % {"report": report.reference, "attachment": attachment}
            )
        return attachments.download(found)
