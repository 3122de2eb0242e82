from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts import second_factor
from accounts.forms import LoginForm


class AdminSite(admin.AdminSite):
    """The admin, entered by writing roles and superusers only with a session verified by their second factor."""

    login_form = LoginForm
    login_template = "accounts/login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor.passed(request.user)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        user = request.user
        if user.is_authenticated and second_factor.required(user) and not second_factor.enrolled(user):
            return redirect("second-factor-enrol")
        return super().login(request, extra_context)
