"""Notifications: a header with inline lines, drafted, submitted whole, then read only until corrected."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tracker import compliance, services
from tracker.admin import signing
from tracker.admin.scoping import LinesInline, PartyScopedAdmin, ReadOnlyAdmin, ReadScopedAdmin
from tracker.api.signing import SIGNATURE_FIELDS
from tracker.declarations import Header, Line, notification_errors, written_line_errors
from tracker.ledger import records
from tracker.models import EquipmentType, Holding, Notification, NotificationStatus, ObjectOfVerification, Site
from tracker.roles import may_notify, party_of


def drafting(request, notification: Notification | None) -> bool:
    """A notification's lines change only while it is a draft, and only by its party's officers."""
    return notification is None or (notification.is_draft and may_notify(request.user, notification.party))


class NotificationForm(forms.ModelForm):
    """The header's rules, as the API applies them when a draft is written; submitting takes the officer's
    signature over the draft's canonical form (``tracker.admin.signing``)."""

    signature = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"size": 90, "autocomplete": "off"}), label=_("Signature")
    )
    key = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"size": 70, "autocomplete": "off"}),
        label=_("Key fingerprint"),
        help_text=_("Optional: the SHA-256 of your public key, when you have more than one"),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if "_submit" in self.data:
            if "signature" not in self.fields:
                self.add_error(None, gettext("a draft is signed as saved: save it, then sign and submit it"))
            elif not cleaned.get("signature", "").strip():
                self.add_error("signature", signing.REQUIRED)
        party, reference, kind = (cleaned.get(field) for field in ("party", "reference", "kind"))
        if party and reference and kind:
            header = Header(party, reference, kind, self.instance.supersedes, self.instance.pk)
            for field, found in notification_errors([header])[0].items():
                self.add_error(field if field in self.fields else None, found)
        return cleaned


class LineForm(forms.ModelForm):
    """A line names a site, an object of verification or both; a category, an equipment type or both.
    What it leaves out is the object's site or the type's category (``Holding.save``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("site", "object_of_verification", "category"):
            if name in self.fields:
                self.fields[name].required = False


# The validator's field names (the API's) as the line form's.
FORM_FIELDS = {"object": "object_of_verification", "type": "equipment_type"}


class LinesFormSet(forms.BaseInlineFormSet):
    """Lines as written are refused in the words the API uses: what each names, and one line per object of
    verification, category, type and status.

    Whose sites and objects they are waits for submission, which lists every problem of a draft at once."""

    def clean(self) -> None:
        # An extra form left blank has no cleaned data.
        written = [
            form for form in self.forms if form.is_valid() and form.cleaned_data and not self._should_delete_form(form)
        ]
        lines = [
            Line(
                form.cleaned_data.get("site"),
                form.cleaned_data.get("category"),
                form.cleaned_data.get("status"),
                form.cleaned_data.get("object_of_verification"),
                form.cleaned_data.get("equipment_type"),
            )
            for form in written
        ]
        for index, fields in written_line_errors(lines).items():
            for field, refusals in fields.items():
                written[index].add_error(FORM_FIELDS.get(field, field), refusals)
        super().clean()


class HoldingInline(LinesInline):
    model = Holding
    form = LineForm
    formset = LinesFormSet
    fields = ["object_of_verification", "site", "category", "equipment_type", "quantity", "status"]
    verbose_name = _("line")
    verbose_name_plural = _(
        "lines: what each object of verification (or site) holds from the effective date; "
        "a line naming a site alone is of the site's own object"
    )
    parent_writable = staticmethod(drafting)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        own = {"site": Site.objects.select_related("party"), "object_of_verification": ObjectOfVerification.objects}
        if db_field.name in own:
            records = own[db_field.name]
            kwargs["queryset"] = records if request.user.is_superuser else records.filter(party=party_of(request.user))
        if db_field.name == "equipment_type":
            kwargs["queryset"] = EquipmentType.objects.select_related("category")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Notification)
class NotificationAdmin(PartyScopedAdmin):
    may_write = staticmethod(may_notify)
    form = NotificationForm
    header = ["party", "reference", "kind", "effective_date", "remarks"]
    workflow = ["status", "submitted_at", "submitted_by"]
    readonly_fields = ["status", "submitted_at", "submitted_by", "supersedes", "corrected_by", "canonical_record"]
    list_display = ["reference", "party", "kind", "effective_date", "status", "submitted_at"]
    list_filter = ["status", "kind", "party"]
    search_fields = ["reference", "party__code"]
    date_hierarchy = "effective_date"
    list_select_related = ["party"]
    inlines = [HoldingInline]
    actions = ["correct_selected"]

    class Media:
        js = [signing.SCRIPT]

    def get_fieldsets(self, request, obj=None) -> list:
        workflow = list(self.workflow)
        if obj is not None and obj.supersedes_id:
            workflow.append("supersedes")
        if obj is not None and self.corrected_by(obj):
            workflow.append("corrected_by")
        fieldsets = [(None, {"fields": self.header}), (gettext("Workflow"), {"fields": workflow})]
        if self.may_submit(request, obj):
            fieldsets.append(
                (
                    gettext("Signature"),
                    {
                        "fields": ["canonical_record", "signature", "key"],
                        "description": gettext(
                            "To submit, sign the draft as saved with your key: its lines are the "
                            "notification's record in the ledger (docs/ledger.md)."
                        ),
                    },
                )
            )
        return fieldsets

    def may_submit(self, request, obj) -> bool:
        return obj is not None and drafting(request, obj) and self.has_change_permission(request, obj)

    @admin.display(description=_("record"))
    def canonical_record(self, notification: Notification):
        return signing.block(records.of_notification(notification).canonical, inputs=False)

    @admin.display(description=_("corrected by"))
    def corrected_by(self, notification: Notification):
        return getattr(notification, "superseded_by", None)

    def writes_for(self, request, obj) -> bool:
        return drafting(request, obj)

    def get_urls(self):
        correct = self.admin_site.admin_view(require_POST(self.correct_view))
        return [path("<path:object_id>/correct/", correct, name="tracker_notification_correct"), *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_submit"] = self.may_submit(request, obj)
        context["may_correct"] = obj is not None and self.may_correct(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_submit" in request.POST:
            return self.submit_and_return(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_submit" in request.POST:
            return self.submit_and_return(request, obj)
        return super().response_change(request, obj)

    def submit_and_return(self, request, notification: Notification) -> HttpResponseRedirect:
        self.submit(request, notification)
        return HttpResponseRedirect(reverse("admin:tracker_notification_change", args=[notification.pk]))

    def submit(self, request, notification: Notification) -> bool:
        try:
            services.submit(notification, user=request.user, signed=signing.posted(request))
            compliance.made_ahead()  # before it commits: its readers find them made
        except ValidationError as error:
            found = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
            said = [
                f"{field}: {message}" if field in SIGNATURE_FIELDS else message for field, ms in found for message in ms
            ]
            problems = format_html_join("", "<li>{}</li>", ((message,) for message in said))
            messages.error(
                request,
                format_html(
                    gettext("{notification} was not submitted:<ul>{problems}</ul>"),
                    notification=notification,
                    problems=problems,
                ),
            )
            return False
        messages.success(request, gettext("%(notification)s was submitted.") % {"notification": notification})
        return True

    def may_correct(self, request, notification: Notification) -> bool:
        return (
            notification.status == NotificationStatus.SUBMITTED
            and self.has_add_permission(request)
            and may_notify(request.user, notification.party)
        )

    def correct(self, request, notification: Notification) -> Notification | None:
        if not self.may_correct(request, notification):
            messages.error(
                request,
                gettext("%(notification)s is %(status)s or not yours to correct.")
                % {"notification": notification, "status": notification.get_status_display()},
            )
            return None
        try:
            draft = services.correct(notification)
        except ValidationError as error:
            messages.error(request, f"{notification}: {' '.join(error.messages)}")
            return None
        messages.success(
            request,
            gettext("%(draft)s drafted: it supersedes %(notification)s once submitted.")
            % {"draft": draft, "notification": notification},
        )
        return draft

    @admin.action(description=_("Correct the selected notifications (new drafts)"), permissions=["add"])
    def correct_selected(self, request, queryset):
        drafts = [self.correct(request, notification) for notification in queryset.order_by("reference")]
        drafts = [draft for draft in drafts if draft]
        if len(drafts) == 1:
            return HttpResponseRedirect(reverse("admin:tracker_notification_change", args=[drafts[0].pk]))
        return None

    def correct_view(self, request, object_id):
        notification = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.may_correct(request, notification):
            raise PermissionDenied
        draft = self.correct(request, notification)
        target = draft or notification
        return HttpResponseRedirect(reverse("admin:tracker_notification_change", args=[target.pk]))


@admin.register(Holding)
class HoldingAdmin(ReadOnlyAdmin, ReadScopedAdmin):
    """The lines that count (submitted, not superseded), read only: lines are written in their notification."""

    list_display = [
        "object_of_verification",
        "site",
        "category",
        "equipment_type",
        "quantity",
        "status",
        "notification",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["category", "status", "site__party"]
    search_fields = ["site__code", "object_of_verification__record_number", "notification__reference"]
    list_select_related = ["object_of_verification", "site", "category", "equipment_type", "notification"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(effective_from__isnull=True)
