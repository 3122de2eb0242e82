"""Signing keys, tree heads and receipts in the admin: each user registers their own key and revokes it (an
administrator any); tree heads and receipts are read only, and the receipts' list says, per party, the
largest head it acknowledged and which entries the reader may see it has not acknowledged yet."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.admin.audit import AuditedAdmin
from tracker.admin.scoping import ReadOnlyAdmin, ReadScopedAdmin
from tracker.ledger import keys, receipts
from tracker.models import LedgerEntry, Receipt, SigningKey, TreeHead
from tracker.models.parties import party_of, roles_of
from tracker.steps import WrongState


class RegistrationForm(forms.ModelForm):
    public_key_text = forms.CharField(
        label=_("Public key"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text=_(
            "Your Ed25519 public key: PEM (-----BEGIN PUBLIC KEY-----) or base64 of its 32 bytes. "
            "Keep the private key to yourself; the key signs for the party you are accredited to, from now."
        ),
    )

    class Meta:
        model = SigningKey
        fields = []

    def clean(self):
        try:
            self.instance = keys.prepared(self.user, self.cleaned_data.get("public_key_text", ""))
        except ValidationError as error:
            self.add_error("public_key_text", error.message_dict["public_key"])
        return self.cleaned_data


@admin.register(SigningKey)
class SigningKeyAdmin(ReadScopedAdmin):
    list_display = ["fingerprint", "party", "user", "valid_from", "revoked_at", "demo"]
    list_filter = ["demo", "party", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["fingerprint", "user__username"]
    actions = ["revoke"]
    readonly_fields = ["fingerprint", "party", "user", "valid_from", "revoked_at", "demo"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("party", "user")

    def has_add_permission(self, request) -> bool:
        return party_of(request.user) is not None and bool(roles_of(request.user))

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change, **kwargs)
        form = super().get_form(request, obj, change, **{**kwargs, "form": RegistrationForm})
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        return ["public_key_text"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        try:
            obj.save(force_insert=True)
        except IntegrityError:
            raise PermissionDenied(
                gettext("the key %(fingerprint)s was registered by another request first")
                % {"fingerprint": obj.fingerprint}
            ) from None

    @admin.action(description=_("Revoke the selected keys (final: earlier signatures stay valid)"))
    def revoke(self, request, queryset) -> None:
        for key in queryset:
            try:
                keys.revoke(request.user, key)
            except (PermissionDenied, WrongState) as refusal:
                refused = refusal.messages[0] if isinstance(refusal, ValidationError) else str(refusal)
                self.message_user(
                    request, gettext("%(key)s: %(refusal)s") % {"key": key, "refusal": refused}, messages.ERROR
                )
            else:
                self.message_user(request, gettext("%(key)s: revoked") % {"key": key}, messages.SUCCESS)


@admin.register(TreeHead)
class TreeHeadAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ["size", "root", "signed_at", "key"]
    date_hierarchy = "signed_at"
    exclude = ["signature"]
    readonly_fields = ["size", "root", "signed_at", "key"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("key__party")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ["party", "tree_head", "received_at", "key"]
    list_filter = ["party"]
    exclude = ["signature", "received_by"]
    readonly_fields = ["party", "tree_head", "received_at", "key"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("party", "tree_head", "key")

    def changelist_view(self, request, extra_context=None):
        readable = set(LedgerEntry.objects.visible_to(request.user).values_list("index", flat=True))
        context = {"acknowledged": receipts.by_party(readable), **(extra_context or {})}
        return super().changelist_view(request, context)
