"""The admin in the settlement's three languages: a notifying officer switches it to Ukrainian or Russian with
the switcher in its header, the choice stays on every page after (the session and the ``django_language``
cookie, tracker.languages), and the pages they work in show no English left: labels, choices, help texts,
the signing script's words (the JavaScript catalogue) and the records' names in that language."""

import datetime
from importlib import import_module

import pytest
from django.conf import settings
from django.utils import translation

from tests import factories as f
from tests.languages import LATIN_WORD, english_left
from tracker.ledger import records
from tracker.models import EquipmentCategory
from tracker.roles import Role

pytestmark = pytest.mark.browser

# The six CFE categories' names as an administrator gives them in each language (the glossary's terms).
CATEGORY_NAMES = {
    "tanks": ("Бойові танки", "Боевые танки"),
    "acv": ("Бойові броньовані машини", "Боевые бронированные машины"),
    "artillery": ("Артилерія", "Артиллерия"),
    "aircraft": ("Бойові літаки", "Боевые самолеты"),
    "helicopters": ("Ударні вертольоти", "Ударные вертолеты"),
    "personnel": ("Особовий склад", "Личный состав"),
}
SWITCH = {"uk": "Українська", "ru": "Русский"}
# Names, not words: the officer's user name as the admin's header upper-cases it; formats and standards.
NAMES_SHOWN = {"OFFICER", "PDF", "PEM", "PKCS", "RFC", "SHA", "WGS"}
# What each page says in the language chosen, somewhere it would otherwise say it in English.
SAYS = {
    "uk": {"index": "Дотримання коротко", "add": "Додати повідомлення", "unsigned": "Не підписано"},
    "ru": {"index": "Соблюдение вкратце", "add": "Добавить уведомление", "unsigned": "Не подписано"},
}


@pytest.fixture(autouse=True)
def _language_restored():
    """The test client answers in this thread: the language its requests chose would stay for the tests after."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def named_records():
    """A party, its site and the categories, named in every language as the admin lets one name them."""
    for category in EquipmentCategory.objects.all():
        category.name_uk, category.name_ru = CATEGORY_NAMES[category.code]
        category.save()
    ukr = f.party("UKR", "Ukraine")
    ukr.name_uk, ukr.name_ru = "Україна", "Украина"
    ukr.save()
    kyiv = f.site(ukr, code="KYIV-1")
    kyiv.name_uk, kyiv.name_ru, kyiv.unit = "Київ", "Киев", "92 ОМБр"
    kyiv.save()
    return ukr, kyiv


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_an_officer_switches_the_admin_to_a_language_and_works_in_it(page, log_in, screenshot, language):
    ukr, kyiv = named_records()
    draft = f.notification(ukr, datetime.date(2024, 3, 1), [(kyiv, "tanks", 40)], submit=False)
    officer = f.person("officer", Role.OFFICER, ukr)
    log_in(officer)

    page.goto("/admin/")
    assert page.locator("html").get_attribute("lang") == "en-gb"
    page.get_by_role("button", name=SWITCH[language]).click()
    page.wait_for_url("**/admin/")
    assert page.locator("html").get_attribute("lang") == language
    assert SAYS[language]["index"] in page.locator("#content").inner_text()
    screenshot(f"admin-index-{language}")
    assert english_left(page, allowed=NAMES_SHOWN) == []

    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies["django_language"] == language
    session = import_module("django.contrib.sessions.backends.db").SessionStore(cookies["sessionid"])
    assert session["language"] == language

    # The choice stays with the officer's next pages, without the switcher.
    page.goto("/admin/tracker/notification/add/")
    assert SAYS[language]["add"] in page.locator("#content h1").inner_text()
    screenshot(f"admin-notification-{language}")
    assert english_left(page, allowed=NAMES_SHOWN) == []

    # The draft's page with its lines and the signing block: the script's own words come from the catalogue.
    # The record is shown as it is signed, never translated: its codes, its SHA-256, the ledger's docs/ledger.md.
    page.goto(f"/admin/tracker/notification/{draft.pk}/change/")
    page.locator(".signing button.sign-with-key-file").click()
    assert SAYS[language]["unsigned"] in page.locator(".signing-status").inner_text()
    screenshot(f"admin-notification-draft-{language}")
    record = records.of_notification(draft)
    signed = set(LATIN_WORD.findall(f"{record.canonical.decode()} {record.sha256} docs/ledger.md"))
    assert english_left(page, allowed=NAMES_SHOWN | signed) == []

    page.goto("/admin/tracker/site/add/")
    page.wait_for_selector(".leaflet-container")
    # "Leaflet" and "OpenStreetMap" are names (tests/languages.NAMES); the rest of the map's controls are symbols.
    screenshot(f"admin-site-{language}")
    assert english_left(page, allowed=NAMES_SHOWN) == []


def officer_in_ukrainian(client):
    """An officer of UKR signed in, who chose Ukrainian with the switcher."""
    ukr = f.party("UKR", "Ukraine")
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))
    client.post("/language/", {"language": "uk", "next": "/admin/"})
    return ukr


def test_a_notifications_bad_date_is_refused_in_the_officers_language(client):
    """Django's own field error, beside the field's label in the officer's language."""
    ukr = officer_in_ukrainian(client)
    header = {"party": ukr.pk, "reference": "UKR-24-01", "kind": "change", "effective_date": "1 березня"}

    response = client.post("/admin/tracker/notification/add/", header | f.inline("holdings") | {"_save": "Зберегти"})

    page = response.content.decode()
    assert response.status_code == 200
    with translation.override("uk"):
        assert translation.gettext("Enter a valid date.") in page
    assert "Дата набрання чинності" in page
    assert "Enter a valid date" not in page and "Effective date" not in page


def test_a_site_with_half_its_coordinates_is_refused_in_the_officers_language(client):
    """The site form's own refusal (tracker.admin.sites), named field and reason, in Ukrainian."""
    ukr = officer_in_ukrainian(client)
    site = {"party": ukr.pk, "code": "KYIV-1", "name": "Kyiv", "longitude": "30.52", "location": ""}

    response = client.post("/admin/tracker/site/add/", site | f.inline("objects_of_verification") | {"_save": "x"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "укажіть і довготу, і широту" in page
    assert "give both longitude and latitude" not in page


def test_the_sign_in_page_offers_the_switcher_and_answers_in_the_language_chosen(client):
    page = client.get("/admin/login/").content.decode()
    assert 'class="language-switcher"' in page and 'value="uk"' in page

    client.post("/language/", {"language": "ru", "next": "/admin/login/"})

    page = client.get("/admin/login/").content.decode()
    assert '<html lang="ru"' in page
    assert "Код второго фактора" in page and "Войти" in page
