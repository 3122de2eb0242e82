from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.throttling import UserRateThrottle

from accounts.models import ApiToken


class TokenRateThrottle(UserRateThrottle):
    """Scripts holding a token get a request budget per user; browser sessions are not counted."""

    scope = "token"

    def allow_request(self, request, view) -> bool:
        if not isinstance(request.auth, ApiToken):
            return True
        return super().allow_request(request, view)


class ThrottledSerializer(serializers.Serializer):
    """The 429 body; the Retry-After header carries the same wait in seconds."""

    detail = serializers.CharField(
        help_text=gettext_lazy('e.g. "Request was throttled. Expected available in 12 seconds."'), read_only=True
    )
