"""A report's photographs and documents in its admin page: uploaded while it is a draft, each listed with its
SHA-256 and size, who attached it and when, and a download link."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker import reports
from tracker.admin.scoping import LinesInline
from tracker.models import Inspection, ReportAttachment, ReportStatus
from tracker.roles import may_report_inspection


def attaching(request, inspection: Inspection | None) -> bool:
    return inspection is None or (
        inspection.status == ReportStatus.DRAFT and may_report_inspection(request.user, inspection.inspecting_party)
    )


class AttachmentForm(forms.ModelForm):
    """An upload: the server reads it in chunks up to the limit, knows its type by its content, hashes it."""

    file = forms.FileField(
        required=False,
        label=_("File"),
        help_text=_("JPEG, PNG, TIFF, PDF or plain text, recognised by the file's content"),
    )

    class Meta:
        model = ReportAttachment
        fields = ["file", "caption"]

    def clean(self) -> dict:
        cleaned = super().clean()
        upload = cleaned.get("file")
        if self.instance.pk is None:
            if upload is None:
                raise ValidationError({"file": gettext("choose a file to attach")})
            try:
                attachment = reports.prepared(upload.name, upload.chunks(), cleaned.get("caption", ""))
            except ValidationError as error:
                raise ValidationError({"file": error.message_dict.get("file", error.messages)}) from None
            for field in ("name", "media_type", "content", "sha256", "size"):
                setattr(self.instance, field, getattr(attachment, field))
        return cleaned


class ReportAttachmentInline(LinesInline):
    model = ReportAttachment
    form = AttachmentForm
    parent_writable = staticmethod(attaching)
    verbose_name = _("attachment")
    verbose_name_plural = _("attachments: photographs and documents, each with its SHA-256")
    # A new row uploads its ``file``; a stored one shows ``file`` as its download link (the method below).
    fields = ["file", "caption", "media_type", "size", "sha256", "attached_by", "attached_at"]
    readonly_fields = ["media_type", "size", "sha256", "attached_by", "attached_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content").select_related("attached_by")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("file"))
    def file(self, attachment: ReportAttachment) -> str:
        if attachment.pk is None:
            return "—"
        url = reverse("admin:tracker_inspection_attachment", args=[attachment.inspection_id, attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.name)

    @admin.display(description=_("bytes"))
    def size(self, attachment: ReportAttachment) -> str:
        return "—" if attachment.pk is None else f"{attachment.size:,}"
