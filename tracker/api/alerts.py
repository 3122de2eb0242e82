"""Each user's alert subscriptions and webhooks in the API: only their own are listed or found.

They are the user's own settings, not treaty records: any token of a user with a role keeps them, a
read-only one included (a monitor's tokens only read), and they reach only what that user may read anyway.
Creating a subscription (or asking for a new token) answers with its feed token and URLs once; creating a
webhook answers with its signing secret once. Neither is ever served again.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tracker.alerts import filter_choices, issue_token
from tracker.api.idempotency import IdempotentWrites
from tracker.models.alerts import Subscription, Webhook
from tracker.webhooks import check_url, new_secret

# A subscription's filter naming nothing one may follow, by filter (``tracker.alerts.FILTERS``).
NOT_FOLLOWED = {
    "zone": gettext_lazy("%(value)s is none of the zones one may follow"),
    "party": gettext_lazy("%(value)s is none of the parties one may follow"),
    "kind": gettext_lazy("%(value)s is none of the kinds one may follow"),
    "grade": gettext_lazy("%(value)s is none of the grades one may follow"),
}


class SubscriptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subscription
        fields = ["id", "name", "zone", "party", "kind", "grade", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate(self, attrs: dict) -> dict:
        for name, choices in filter_choices().items():
            if attrs.get(name, "") not in {value for value, _ in choices}:
                refusal = NOT_FOLLOWED[name] % {"value": repr(attrs[name])}
                raise serializers.ValidationError({name: refusal})
        return attrs


class SubscriptionWithTokenSerializer(SubscriptionSerializer):
    token = serializers.CharField(read_only=True, help_text=gettext_lazy("Shown only in this answer: keep it"))
    feed_url = serializers.CharField(read_only=True, help_text=gettext_lazy("The Atom feed, the token in its path"))
    feed_url_for_header = serializers.CharField(
        read_only=True, help_text=gettext_lazy("The Atom feed read with the header Authorization: Bearer <token>")
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "token", "feed_url", "feed_url_for_header"]


class WebhookSerializer(serializers.ModelSerializer):
    subscription = serializers.PrimaryKeyRelatedField(queryset=Subscription.objects.none())

    class Meta:
        model = Webhook
        fields = ["id", "subscription", "url", "active", "created_at"]
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["subscription"].queryset = Subscription.objects.filter(user=request.user)

    def validate_url(self, url: str) -> str:
        try:
            check_url(url)
        except DjangoValidationError as refused:
            raise serializers.ValidationError(refused.messages) from None
        return url


class WebhookWithSecretSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True, help_text=gettext_lazy("Shown only in this answer: the HMAC-SHA256 key")
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class SubscriptionViewSet(
    IdempotentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your alert subscriptions: a zone, a party, a kind, a grade (blank: any)."""

    serializer_class = SubscriptionSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn for no one
            return Subscription.objects.none()
        return Subscription.objects.filter(user=self.request.user)

    def with_token(self, subscription: Subscription, token: str) -> dict:
        subscription.token = token
        subscription.feed_url = self.request.build_absolute_uri(reverse("alert-feed-token", args=[token]))
        subscription.feed_url_for_header = self.request.build_absolute_uri(reverse("alert-feed"))
        return SubscriptionWithTokenSerializer(subscription).data

    @extend_schema(responses={201: SubscriptionWithTokenSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = Subscription(user=request.user, **serializer.validated_data)
        token = issue_token(subscription)
        subscription.save()
        return Response(self.with_token(subscription, token), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: SubscriptionWithTokenSerializer})
    @action(detail=True, methods=["post"])
    def token(self, request, pk=None):
        """A new feed token; the old one stops working at once."""
        subscription = self.get_object()
        return Response(self.with_token(subscription, issue_token(subscription)))


class WebhookViewSet(
    IdempotentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The webhooks of your subscriptions; each entry they hear of is POSTed there, signed (see docs/api.md)."""

    serializer_class = WebhookSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Webhook.objects.none()
        return Webhook.objects.filter(subscription__user=self.request.user)

    @extend_schema(responses={201: WebhookWithSecretSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        webhook = serializer.save(secret=new_secret())
        return Response(WebhookWithSecretSerializer(webhook).data, status=status.HTTP_201_CREATED)
