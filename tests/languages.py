"""What of a page in Ukrainian or Russian is still English: the check the browser tests make per language."""

import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model

from tracker.models import EquipmentType, ObjectOfVerification, Site, StateParty
from zones.models import ContactLine, Zone

# Latin words of three letters or more; shorter ones are units and codes (km, BT).
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]{2,}")
# What a page shows besides its text: tooltips, placeholders, buttons' labels.
PAGE_TEXT = """() => [document.body.innerText,
  ...[...document.querySelectorAll('[title],[placeholder],[aria-label],input[type=submit],input[type=button]')]
     .flatMap(e => [e.title, e.placeholder, e.getAttribute('aria-label'), e.type === 'submit' || e.type === 'button' ? e.value : ''])
].filter(Boolean).join('\\n')"""
# The switcher names each language in itself; Leaflet, OpenStreetMap and JavaScript are names.
NAMES = {"English", "Leaflet", "OpenStreetMap", "JavaScript"}


def codes_and_proper_names() -> set[str]:
    """Words a page in any language shows as they are: the records' codes, equipment models, user names."""
    words = set(NAMES)
    sources = [
        StateParty.objects.values_list("code", flat=True),
        Zone.objects.values_list("code", flat=True),
        ContactLine.objects.values_list("code", flat=True),
        Site.objects.values_list("code", flat=True),
        ObjectOfVerification.objects.values_list("record_number", flat=True),
        EquipmentType.objects.values_list("name", flat=True),
        get_user_model().objects.values_list("username", flat=True),
    ]
    for values in sources:
        for value in values:
            words.update(LATIN_WORD.findall(value))
    return words


def english_left(page, allowed: Iterable[str] = ()) -> list[str]:
    """The Latin words on ``page`` that are neither a code nor a proper name (nor in ``allowed``)."""
    known = codes_and_proper_names() | set(allowed)
    text = page.evaluate(PAGE_TEXT)
    return sorted({word for word in LATIN_WORD.findall(text) if word not in known})
