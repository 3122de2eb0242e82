"""The API's own login: a username, a password and, for a read-write token in a writing role, the second factor."""

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox import views as knox
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import second_factor, tokens
from accounts.models import ApiToken, Scope


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp_token = serializers.CharField(
        required=False,
        default="",
        help_text="The second factor's code; needed for a read-write token in a writing role.",
    )
    scope = serializers.ChoiceField(choices=Scope.choices, default=Scope.READ_WRITE)


class IssuedTokenSerializer(serializers.ModelSerializer):
    token = serializers.CharField(help_text="The secret, shown this once: send it as `Authorization: Token <token>`.")

    class Meta:
        model = ApiToken
        fields = ["token", "expiry", "scope"]


class LoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []  # wrong passwords are counted by the lock-out instead

    @extend_schema(
        request=LoginSerializer,
        responses={
            200: IssuedTokenSerializer,
            400: OpenApiResponse(
                description='Refused: {"detail": …} for a wrong username or password, {field: [reason]} otherwise'
            ),
            429: OpenApiResponse(
                inline_serializer("LockedOut", {"detail": serializers.CharField()}),
                description="Too many failed logins for this username from this address; retry after Retry-After",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        login = LoginSerializer(data=request.data)
        login.is_valid(raise_exception=True)
        given = login.validated_data
        # Refusals are returned, not raised: a raised error rolls the request's transaction back, and with it
        # the failed attempt the lock-out counts and the device's throttle.
        user = authenticate(request._request, username=given["username"], password=given["password"])
        if user is None:
            return Response({"detail": _("the username or the password is wrong")}, status=400)
        if given["scope"] == Scope.READ_WRITE and second_factor.required(user):
            refusal = self._second_factor_refusal(request, user, given["otp_token"])
            if refusal:
                return Response({"otp_token": [refusal]}, status=400)
        token, secret = tokens.issue(user, given["scope"])
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(IssuedTokenSerializer({"token": secret, "expiry": token.expiry, "scope": token.scope}).data)

    @staticmethod
    def _second_factor_refusal(request: Request, user, code: str) -> str | None:
        if not second_factor.enrolled(user):
            return _("your role writes: set up your second factor in the admin first, or ask for scope=read")
        if not code:
            return _("your role writes: a read-write token needs your second-factor code")
        if second_factor.verify_at_login(request._request, user, code) is None:
            return _("wrong or already used; give the current code from your app")
        return None


class LogoutView(knox.LogoutView):
    """Revoke the token this request carries."""

    authentication_classes = [tokens.TokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, format=None) -> Response:
        return super().post(request, format)


class LogoutAllView(knox.LogoutAllView):
    """Revoke every token of this request's user."""

    authentication_classes = [tokens.TokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, format=None) -> Response:
        return super().post(request, format)
