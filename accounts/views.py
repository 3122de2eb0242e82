"""Enrolling the second factor: scan the code into an authenticator app, prove it with one code."""

import base64

import segno
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts import second_factor
from accounts.forms import EnrolForm


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """For a signed-in user with no confirmed device yet: a user who has one changes it through an administrator,
    so a stolen password alone cannot replace the second factor."""
    if second_factor.enrolled(request.user):
        return redirect("admin:index")
    device = second_factor.pending_device(request.user)
    form = EnrolForm(request.POST or None)
    if form.is_valid():
        codes = second_factor.confirm(request, device, form.cleaned_data["otp_token"])
        if codes is not None:
            context = {**page_context(request), "codes": codes, "title": _("Your second factor is set up")}
            return TemplateResponse(request, "accounts/recovery_codes.html", context)
        form.add_error(
            "otp_token",
            _(
                "This code does not match, or came too soon after a wrong one: wait a few seconds, check the phone's "
                "clock and type the current code."
            ),
        )
    context = {
        **page_context(request),
        "form": form,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=5),
        "secret": base64.b32encode(device.bin_key).decode(),
        "title": _("Set up your second factor"),
    }
    return TemplateResponse(request, "accounts/enrol.html", context)


def page_context(request: HttpRequest) -> dict:
    """The admin's frame without its list of models: nothing in it opens before the second factor is set up."""
    return {**admin.site.each_context(request), "is_nav_sidebar_enabled": False, "available_apps": []}
