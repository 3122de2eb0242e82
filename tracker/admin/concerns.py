"""Concerns in the admin, for both sides: the raising party raises one on findings of the register about the
other party; the concern's page shows its findings, its steps as a timeline with their documents, and a form
for each step the reader may take now (``tracker.concerns.next_steps``), which writes through
``tracker.concerns`` as the API does."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tracker import attachments, concerns
from tracker.admin import signing
from tracker.admin.scoping import ReadScopedAdmin
from tracker.api.signing import canonical_response
from tracker.ledger.book import Signed
from tracker.models import Concern, ConcernStep, Finding, StateParty, StepAttachment, StepKind
from tracker.roles import may_raise_concern, party_of


class FindingChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, finding: Finding) -> str:
        return f"{finding.kind} · {finding.party} · {finding.zone or gettext('no zone')} · {finding.grade} · {finding.first_seen}…{finding.last_seen}"


class RaiseForm(forms.Form):
    raised_against = forms.ModelChoiceField(StateParty.objects.none(), label=_("Raised against"))
    findings = FindingChoice(
        Finding.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Findings"),
        help_text=_("Findings of the register about the party raised against"),
    )
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))
    answer_due = forms.DateField(
        label=_("Answer due"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Today or later")
    )
    signature = forms.CharField(
        required=False, label=_("Signature"), widget=forms.TextInput(attrs={"size": 90, "autocomplete": "off"})
    )
    key = forms.CharField(
        required=False,
        label=_("Key fingerprint"),
        widget=forms.TextInput(attrs={"size": 70, "autocomplete": "off"}),
        help_text=_("Optional: the SHA-256 of your public key, when you have more than one"),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own = party_of(user)
        self.fields["raised_against"].queryset = StateParty.objects.exclude(pk=own.pk if own else None)
        self.fields["findings"].queryset = (
            concerns.visible_findings(user).exclude(party=own.code if own else "").order_by("party", "kind", "key")
        )


VERBS = {
    StepKind.ANSWER: _("Answer"),
    StepKind.ACCEPT: _("Accept the explanation"),
    StepKind.DISPUTE: _("Dispute the answer"),
    StepKind.REFER: _("Refer to the consultative body"),
    StepKind.CLOSE: _("Close with an outcome"),
}


def refusal(error: Exception) -> HttpResponse:
    """Why a record cannot be shown to sign, as plain text for the signing control to show."""
    text = signing.said(error) if isinstance(error, ValidationError) else str(error)
    return HttpResponse(text, status=403 if isinstance(error, PermissionDenied) else 400, content_type="text/plain")


@admin.register(Concern)
class ConcernAdmin(ReadScopedAdmin):
    list_display = ["reference", "raised_by", "raised_against", "state", "answer_due"]
    list_filter = ["state", "raised_by", "raised_against"]
    search_fields = ["reference", "question"]
    list_select_related = ["raised_by", "raised_against"]
    fields = [
        "reference",
        ("raised_by", "raised_against"),
        "answer_due",
        "state",
        "question",
        "outcome",
        "findings_shown",
    ]
    readonly_fields = fields[:1] + ["raised_by", "raised_against"] + fields[2:]
    change_form_template = "admin/tracker/concern/change_form.html"

    class Media:
        css = {"all": ["tracker/admin.css"]}
        js = [signing.SCRIPT]

    def has_add_permission(self, request) -> bool:
        return may_raise_concern(request.user, party_of(request.user))

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("findings"))
    def findings_shown(self, concern: Concern) -> str:
        items = format_html_join(
            "",
            "<li>{} · {} · {} · {} · {}</li>",
            (
                (f.kind, f.party, f.zone or gettext("no zone"), f.grade, f.get_state_display())
                for f in concern.findings.all()
            ),
        )
        return format_html('<ul class="findings">{}</ul>', items)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/step/<str:kind>/", wrap(require_POST(self.step_view)), name="tracker_concern_step"),
            path(
                "<int:pk>/step/<str:kind>/canonical/",
                wrap(require_POST(self.step_canonical_view)),
                name="tracker_concern_step_canonical",
            ),
            path("add/canonical/", wrap(require_POST(self.raising_canonical_view)), name="tracker_concern_raising"),
            path(
                "<int:pk>/attachments/<int:attachment_id>/",
                wrap(self.attachment_view),
                name="tracker_concern_attachment",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RaiseForm(request.user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                concern = concerns.raise_concern(
                    request.user,
                    data["raised_against"],
                    data["findings"],
                    data["question"],
                    data["answer_due"],
                    signed=Signed(data["signature"], data["key"]),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request,
                    gettext("Concern %(reference)s raised with %(party)s.")
                    % {"reference": concern.reference, "party": concern.raised_against.code},
                )
                return HttpResponseRedirect(reverse("admin:tracker_concern_change", args=[concern.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Raise a concern for %(party)s") % {"party": party_of(request.user).code},
            "form": form,
            "today": timezone.localdate(),
            "signing": signing.block(preview_url=reverse("admin:tracker_concern_raising"), inputs=False),
        }
        return TemplateResponse(request, "admin/tracker/concern/raise.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        concern = self.get_object(request, object_id)
        steps = (
            ConcernStep.objects.visible_to(request.user)
            .filter(concern=concern)
            .select_related("party", "made_by")
            .prefetch_related("attachments")
        )
        offered = [
            (
                kind,
                VERBS[kind],
                concerns.STEP_TEXT.get(kind, "text"),
                signing.block(
                    preview_url=reverse("admin:tracker_concern_step_canonical", args=[concern.pk, kind]),
                    prefix=f"{kind}-",
                ),
            )
            for kind in concerns.next_steps(request.user, concern)
        ]
        extra = {"steps": steps, "offered": offered, "concern": concern, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra)

    @staticmethod
    def step_values(request, kind: str) -> list:
        """The text and, for an answer, the documents of the step ``kind`` as the form posts them."""
        values = [request.POST.get(concerns.STEP_TEXT.get(kind, "text"), "")]
        if kind == StepKind.ANSWER:
            values.append([(upload.name, upload.chunks()) for upload in request.FILES.getlist("files")])
        return values

    def step_canonical_view(self, request, pk: int, kind: str):
        """The step's canonical form with the form's values: what its taker signs. Refused as the step would be."""
        concern = self.get_object(request, str(pk))
        if concern is None or kind not in concerns.FOLLOWS:
            raise Http404(f"no step {kind!r}")
        try:
            data = concerns.step_canonical(request.user, concern, kind, *self.step_values(request, kind))
        except (PermissionDenied, ValidationError) as error:
            return refusal(error)
        return canonical_response(data)

    def raising_canonical_view(self, request):
        """The raising step's canonical form with the form's values: what the raiser signs."""
        form = RaiseForm(request.user, request.POST)
        if not form.is_valid():
            return refusal(ValidationError(form.errors))
        data = form.cleaned_data
        try:
            found = concerns.raising_canonical(
                request.user, data["raised_against"], data["findings"], data["question"], data["answer_due"]
            )
        except (PermissionDenied, ValidationError) as error:
            return refusal(error)
        return canonical_response(found)

    def step_view(self, request, pk: int, kind: str):
        concern = self.get_object(request, str(pk))
        take = {
            StepKind.ANSWER: concerns.answer,
            StepKind.ACCEPT: concerns.accept,
            StepKind.DISPUTE: concerns.dispute,
            StepKind.REFER: concerns.refer,
            StepKind.CLOSE: concerns.close,
        }.get(kind)
        if take is None:
            raise Http404(f"no step {kind!r}")
        try:
            take(request.user, concern, *self.step_values(request, kind), signed=signing.posted(request))
        except ValidationError as error:  # a wrong state, or bad input
            messages.error(request, signing.said(error))
        else:
            messages.success(
                request,
                gettext("Concern %(reference)s: %(step)s.")
                % {"reference": concern.reference, "step": StepKind(kind).label},
            )
        return HttpResponseRedirect(reverse("admin:tracker_concern_change", args=[concern.pk]))

    def attachment_view(self, request, pk: int, attachment_id: int):
        concern = self.get_object(request, str(pk))
        visible = StepAttachment.objects.visible_to(request.user).filter(step__concern=concern)
        return attachments.download(get_object_or_404(visible, pk=attachment_id))
