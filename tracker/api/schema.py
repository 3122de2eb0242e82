from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from tracker.api.throttling import ThrottledSerializer, TokenRateThrottle


class TrackerAutoSchema(AutoSchema):
    """Documents the 429 a token holder gets past its budget on every throttled operation."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if any(isinstance(throttle, TokenRateThrottle) for throttle in self.view.get_throttles()):
            too_many = OpenApiResponse(
                ThrottledSerializer, description="This token's request budget is spent; retry after Retry-After seconds"
            )
            responses["429"] = self._get_response_for_code(too_many, "429", direction=direction)
        return responses
