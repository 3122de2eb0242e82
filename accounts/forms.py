from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts import second_factor

CODE_HELP = _("Six digits from your authenticator app, or one of your recovery codes. Monitors leave it empty.")


class LoginForm(AdminAuthenticationForm):
    """The admin's login: password, then the second factor for the users who need one."""

    otp_token = forms.CharField(
        label=_("Second-factor code"),
        required=False,
        help_text=CODE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and second_factor.required(user) and second_factor.enrolled(user):
            device = second_factor.verify_at_login(self.request, user, cleaned_data.get("otp_token", ""))
            if device is None:
                raise forms.ValidationError(
                    _(
                        "Second-factor code: wrong or already used; enter the current six digits from your "
                        "authenticator app, or a recovery code."
                    ),
                    code="invalid_code",
                )
            # django-otp's user_logged_in receiver marks the session as verified by this device.
            user.otp_device = device
        return cleaned_data


class EnrolForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code shown by the app"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
