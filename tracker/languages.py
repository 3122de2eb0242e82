"""Which of the settlement's languages a request is answered in, and the switch between them.

The public pages (``maps.urls``) take their language from the URL alone, ``/uk/map/`` or ``/ru/map/``,
English without a prefix, so a shared link shows what its sender saw. Everything else (the admin,
the API, sign-in, the feeds) answers in the language its user chose with the switcher, kept in the
session and a cookie, and otherwise in the first of ``Accept-Language`` the tracker speaks.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import is_valid_path
from django.utils import translation
from django.views.i18n import set_language

SESSION_KEY = "language"
PUBLIC_URLS = "maps.urls"


def language_of(request) -> str:
    from_path = translation.get_language_from_path(request.path_info)
    if from_path:
        return from_path
    if is_valid_path(request.path_info, PUBLIC_URLS):
        return settings.LANGUAGE_CODE
    chosen = getattr(request, "session", {}).get(SESSION_KEY)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return translation.get_language_from_request(request)


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        translation.activate(language_of(request))
        request.LANGUAGE_CODE = translation.get_language()


def switch_language(request):
    """Django's ``set_language`` (the cookie, and ``next`` in the chosen language), and the session too."""
    response = set_language(request)
    chosen = request.POST.get("language")
    if request.method == "POST" and chosen in dict(settings.LANGUAGES):
        request.session[SESSION_KEY] = chosen
    return response
