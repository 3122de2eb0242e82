from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import SAFE_METHODS

from tracker.api import idempotency
from tracker.api.throttling import ThrottledSerializer, TokenRateThrottle

IDEMPOTENCY_REFUSALS = {
    "409": gettext_lazy("A request with this Idempotency-Key is still being answered; retry once it has been"),
    "422": gettext_lazy("This Idempotency-Key was sent with another method, path or body"),
}


class TrackerAutoSchema(AutoSchema):
    """Documents the 429 a token holder gets past its budget on every throttled operation, and the
    Idempotency-Key header with its refusals on every write."""

    def takes_idempotency_key(self) -> bool:
        return self.method not in SAFE_METHODS and isinstance(self.view, idempotency.IdempotentWrites)

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.takes_idempotency_key():
            return [*parameters, idempotency.PARAMETER]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if any(isinstance(throttle, TokenRateThrottle) for throttle in self.view.get_throttles()):
            too_many = OpenApiResponse(
                ThrottledSerializer,
                description=gettext_lazy("This token's request budget is spent; retry after Retry-After seconds"),
            )
            responses["429"] = self._get_response_for_code(too_many, "429", direction=direction)
        if self.takes_idempotency_key():
            for code, description in IDEMPOTENCY_REFUSALS.items():
                refusal = OpenApiResponse(idempotency.IdempotencyRefusalSerializer, description=description)
                responses.setdefault(code, self._get_response_for_code(refusal, code, direction=direction))
        return responses
