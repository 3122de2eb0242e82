"""My alerts: each user's own subscriptions with their webhooks, and the log of those webhooks' deliveries.

A subscription's feed token and a webhook's secret are shown once, in the message after saving; the
token is kept only as its SHA-256. Another user's subscription is simply not found.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from tracker.admin.scoping import ReadOnlyAdmin
from tracker.alerts import filter_choices, issue_token
from tracker.models.alerts import Delivery, Subscription, Webhook
from tracker.models.parties import reads_everything, roles_of
from tracker.webhooks import check_url, gave_up, new_secret, retry_now


def holds_a_role(request) -> bool:
    return reads_everything(request.user) or bool(roles_of(request.user))


class SubscriptionForm(forms.ModelForm):
    class Meta:
        model = Subscription
        fields = ["name", "zone", "party", "kind", "grade"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in filter_choices().items():
            self.fields[name] = forms.ChoiceField(choices=choices, required=False, label=name)


class WebhookForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = ["url", "active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except ValidationError as refused:
            raise ValidationError(refused.messages) from None
        return url


class WebhookInline(admin.TabularInline):
    model = Webhook
    form = WebhookForm
    extra = 0
    fields = ["url", "active", "created_at"]
    readonly_fields = ["created_at"]

    def has_view_permission(self, request, obj=None) -> bool:
        return holds_a_role(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class OwnAlertsAdmin(admin.ModelAdmin):
    """Any user with a role keeps their own alerts; nobody reads another's."""

    def has_module_permission(self, request) -> bool:
        return holds_a_role(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return holds_a_role(request)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(
                gettext("no %(record)s %(id)s among yours") % {"record": self.opts.verbose_name, "id": object_id}
            )
        return obj


@admin.register(Subscription)
class SubscriptionAdmin(OwnAlertsAdmin):
    form = SubscriptionForm
    inlines = [WebhookInline]
    list_display = ["name", "zone", "party", "kind", "grade", "webhook_count", "created_at"]
    actions = ["new_token"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    def has_add_permission(self, request) -> bool:
        return holds_a_role(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return holds_a_role(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return holds_a_role(request)

    @admin.display(description=_("webhooks"))
    def webhook_count(self, subscription: Subscription) -> int:
        return subscription.webhooks.count()

    def save_model(self, request, obj: Subscription, form, change: bool) -> None:
        if not change:
            obj.user = request.user
            token = issue_token(obj)
        super().save_model(request, obj, form, change)
        if not change:
            self.show_token(request, obj, token)

    def save_formset(self, request, form, formset, change: bool) -> None:
        webhooks = formset.save(commit=False)
        for webhook in formset.deleted_objects:
            webhook.delete()
        for webhook in webhooks:
            created = webhook.pk is None
            if created:
                webhook.secret = new_secret()
            webhook.save()
            if created:
                messages.warning(
                    request,
                    gettext("The signing secret of the webhook %(url)s, shown only now: %(secret)s")
                    % {"url": webhook.url, "secret": webhook.secret},
                )

    @admin.action(description=_("Give the selected subscriptions a new feed token (the old one stops working)"))
    def new_token(self, request, queryset) -> None:
        for subscription in queryset:
            self.show_token(request, subscription, issue_token(subscription))

    def show_token(self, request, subscription: Subscription, token: str) -> None:
        url = request.build_absolute_uri(reverse("alert-feed-token", args=[token]))
        messages.warning(
            request,
            format_html(
                gettext("The feed of “{name}”, shown only now (keep it: only its digest is stored): {url}"),
                name=subscription.name,
                url=url,
            ),
        )


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin, OwnAlertsAdmin):
    """The log of each delivery: attempts, the last answer, when it is tried next, or that it landed."""

    list_display = ["entry", "webhook", "outcome", "attempts", "last_status", "next_attempt_at", "delivered_at"]
    list_filter = [("delivered_at", admin.EmptyFieldListFilter)]
    readonly_fields = [
        "entry",
        "webhook",
        "created_at",
        "attempts",
        "last_status",
        "last_error",
        "next_attempt_at",
        "delivered_at",
    ]
    actions = ["retry"]

    def get_queryset(self, request):
        deliveries = super().get_queryset(request).select_related("entry", "webhook")
        return deliveries if request.user.is_superuser else deliveries.filter(webhook__subscription__user=request.user)

    @admin.display(description=_("outcome"))
    def outcome(self, delivery: Delivery) -> str:
        if delivery.delivered_at:
            return gettext("delivered")
        return gettext("given up") if gave_up(delivery) else gettext("pending")

    @admin.action(description=_("Retry the selected deliveries now"))
    def retry(self, request, queryset) -> None:
        count = retry_now(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery will be tried again at the worker's next pass.",
                "%(count)d deliveries will be tried again at the worker's next pass.",
                count,
            )
            % {"count": count},
        )
