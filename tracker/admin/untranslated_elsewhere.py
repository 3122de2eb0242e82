"""Words the admin shows from other apps whose own catalogues lack them: Django 5.2's Ukrainian one (the index's
column headers that screen readers announce) and django-pghistory's (it has none). Marked here so that the
project's catalogues carry them; an entry a catalogue leaves empty is not compiled, so these are found."""

from django.utils.translation import gettext_noop

WORDS = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Events"),
]
