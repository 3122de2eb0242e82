"""The API answers people in the caller's language: Ukrainian, Russian or English (the settlement's three), chosen
with the switcher (kept in the session) or else by ``Accept-Language`` (tracker/languages.py). Messages change
language; error codes, JSON keys and what a refusal names do not. Kept answers (tracker/api/reuse.py) are kept per
language. The rules refused here are those of the Protocol on Inspection, Section VI.2 (the team's size), CFE
Art. XVII with docs/ledger.md (a notification's lines and its officer's signature) and the treaty's plausible
dates (tracker/dates.py: from the signature of the CFE Treaty, 19 November 1990)."""

import datetime

import pytest
import yaml
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.exceptions import ErrorDetail

from tests import factories as f
from tracker.roles import Role

D = datetime.date
T = datetime.datetime(2026, 3, 4, 8, 0, tzinfo=datetime.UTC)
LANGUAGES = ("en", "uk", "ru")
ANSWERED_IN = {"en": "en-gb", "uk": "uk", "ru": "ru"}


def codes(data):
    """The error codes of a refusal's body, in its shape."""
    if isinstance(data, dict):
        return {key: codes(value) for key, value in data.items()}
    if isinstance(data, list):
        return [codes(value) for value in data]
    return data.code if isinstance(data, ErrorDetail) else data


def in_each_language(send) -> dict:
    """``send(language)``'s answer in each language, each checked to name its language."""
    answers = {language: send(language) for language in LANGUAGES}
    for language, answer in answers.items():
        assert answer["Content-Language"] == ANSWERED_IN[language]
    return answers


@pytest.fixture
def ukr():
    f.treaty()
    f.party("BLR")
    return f.party("UKR")


@pytest.fixture
def officer(ukr):
    return f.api(f.person("officer-ukr", Role.OFFICER, ukr))


@pytest.fixture
def monitor(ukr):
    return f.api(f.person("monitor-ukr", Role.MONITOR, ukr))


def test_a_team_larger_than_the_treaty_allows_is_refused_in_the_callers_language(ukr):
    """Protocol on Inspection, Section VI.2: nine inspectors at most; ten are refused, in a plural form of each
    language."""
    inspector = f.api(f.person("inspector-ukr", Role.INSPECTOR, ukr))
    notice = {
        "reference": "UKR-R1",
        "treaty": "Settlement",
        "inspecting_party": "UKR",
        "inspected_party": "BLR",
        "kind": "declared_site",
        "notified_at": T.isoformat(),
        "point_of_entry": "Minsk airport",
        "estimated_arrival": (T + datetime.timedelta(hours=36)).isoformat(),
        "team": [f"Inspector {n}" for n in range(10)],
    }
    answers = in_each_language(
        lambda language: inspector.post(
            "/api/inspection-requests/", notice, format="json", HTTP_ACCEPT_LANGUAGE=language
        )
    )
    assert {language: answer.status_code for language, answer in answers.items()} == dict.fromkeys(LANGUAGES, 400)
    assert {language: answer.json()["team"] for language, answer in answers.items()} == {
        "en": ["a team of 10 inspectors; the treaty allows 9 (Protocol on Inspection, Section VI.2)"],
        "uk": ["група з 10 інспекторів; Договір дозволяє 9 (Протокол про інспекції, розділ VI.2)"],
        "ru": ["группа из 10 инспекторов; Договор допускает 9 (Протокол об инспекциях, раздел VI.2)"],
    }
    assert codes(answers["uk"].data) == codes(answers["ru"].data) == codes(answers["en"].data)


def test_a_date_before_the_treaty_was_signed_is_refused_in_the_callers_language_with_the_same_code(monitor):
    """tracker/dates.py: 18 November 1990, the day before the CFE Treaty was signed at Paris, is refused."""
    answers = in_each_language(
        lambda language: monitor.get("/api/violations/?as_of=1990-11-18", HTTP_ACCEPT_LANGUAGE=language)
    )
    assert {language: answer.json() for language, answer in answers.items()} == {
        "en": {"as_of": ["1990-11-18 is before 1990-11-19, when the CFE Treaty was signed"]},
        "uk": {"as_of": ["1990-11-18 — раніше за 1990-11-19, коли було підписано ДЗЗСЄ"]},
        "ru": {"as_of": ["1990-11-18 — раньше 1990-11-19, когда был подписан ДОВСЕ"]},
    }
    assert {language: codes(answer.data) for language, answer in answers.items()} == dict.fromkeys(
        LANGUAGES, {"as_of": ["implausible_date"]}
    )


def test_a_query_parameter_the_api_does_not_know_is_refused_in_the_callers_language(monitor):
    answers = in_each_language(
        lambda language: monitor.get("/api/holdings/summary/?group_by=site", HTTP_ACCEPT_LANGUAGE=language)
    )
    assert {language: answer.json()["group_by"] for language, answer in answers.items()} == {
        "en": ["group by any of party, zone, category, type; not site"],
        "uk": ["групуйте за будь-якими з party, zone, category, type; не за site"],
        "ru": ["группируйте по любым из party, zone, category, type; не по site"],
    }


def test_a_notification_without_lines_is_refused_in_the_callers_language(ukr, officer):
    draft = f.notification(ukr, D(2026, 3, 1), [], submit=False)
    url = f"/api/notifications/{draft.reference}/submit/"
    answers = in_each_language(lambda language: officer.post(url, {}, format="json", HTTP_ACCEPT_LANGUAGE=language))
    assert {language: answer.json() for language, answer in answers.items()} == {
        "en": {"submission": ["the notification has no lines"]},
        "uk": {"submission": ["повідомлення не має рядків"]},
        "ru": {"submission": ["в уведомлении нет строк"]},
    }
    assert codes(answers["uk"].data) == codes(answers["ru"].data) == codes(answers["en"].data)


def test_an_unsigned_submission_is_refused_in_the_callers_language_naming_the_signature(ukr, officer):
    """docs/ledger.md, "Signing a submission": the officer's Ed25519 signature over the canonical form."""
    depot = f.site(ukr, code="KHA")
    draft = f.notification(ukr, D(2026, 3, 1), [(depot, "tanks", 12)], submit=False)
    url = f"/api/notifications/{draft.reference}/submit/"
    answers = in_each_language(lambda language: officer.post(url, {}, format="json", HTTP_ACCEPT_LANGUAGE=language))
    assert {language: answer.json() for language, answer in answers.items()} == {
        "en": {
            "signature": [
                "is required: the submitter's Ed25519 signature, in base64, over the notification's canonical form "
                "(docs/ledger.md)"
            ]
        },
        "uk": {
            "signature": [
                "обов'язковий: підпис Ed25519 того, хто надсилає, у base64, під канонічною формою повідомлення "
                "(docs/ledger.md)"
            ]
        },
        "ru": {
            "signature": [
                "обязательна: подпись Ed25519 отправителя, в base64, под канонической формой уведомления "
                "(docs/ledger.md)"
            ]
        },
    }
    assert codes(answers["uk"].data) == codes(answers["ru"].data) == codes(answers["en"].data)


def test_a_refused_write_and_a_missing_record_are_told_in_the_callers_language(monitor):
    refused = in_each_language(
        lambda language: monitor.post("/api/notifications/", {}, format="json", HTTP_ACCEPT_LANGUAGE=language)
    )
    assert {language: (answer.status_code, answer.json()) for language, answer in refused.items()} == {
        "en": (403, {"detail": "your role does not write these records"}),
        "uk": (403, {"detail": "ваша роль не записує такі записи"}),
        "ru": (403, {"detail": "ваша роль не записывает такие записи"}),
    }
    missing = in_each_language(lambda language: monitor.get("/api/ledger/heads/latest/", HTTP_ACCEPT_LANGUAGE=language))
    assert {language: (answer.status_code, answer.json()) for language, answer in missing.items()} == {
        "en": (404, {"detail": "the tracker has signed no tree head yet"}),
        "uk": (404, {"detail": "трекер ще не підписав жодної вершини дерева"}),
        "ru": (404, {"detail": "трекер ещё не подписал ни одной вершины дерева"}),
    }
    assert {language: codes(answer.data) for language, answer in refused.items()} == dict.fromkeys(
        LANGUAGES, {"detail": "permission_denied"}
    )


def test_the_language_chosen_with_the_switcher_wins_over_accept_language(ukr):
    client = Client()
    f.sign_in(client, f.person("monitor-ukr", Role.MONITOR, ukr))
    client.post(reverse("set-language"), {"language": "uk", "next": "/admin/"})
    # The session alone, not the cookie the switcher sets too.
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    answer = client.get("/api/holdings/summary/?group_by=site", HTTP_ACCEPT_LANGUAGE="en")
    assert answer["Content-Language"] == "uk"
    assert answer.json() == {"group_by": ["групуйте за будь-якими з party, zone, category, type; не за site"]}


def test_an_ogc_api_error_is_in_russian_for_a_russian_caller(monitor):
    unknown = monitor.get("/ogc/collections/tanks", HTTP_ACCEPT_LANGUAGE="ru")
    assert unknown.status_code == 404
    assert unknown.json()["detail"].startswith("коллекции 'tanks' нет; есть: zones, ")
    bad_limit = monitor.get("/ogc/collections/zones/items?limit=many", HTTP_ACCEPT_LANGUAGE="ru")
    assert bad_limit.status_code == 400
    assert bad_limit.json() == {"limit": "ожидалось целое число, а не 'many'"}


def test_the_schema_in_ukrainian_describes_the_api_in_ukrainian(monitor):
    answer = monitor.get("/api/schema/?lang=uk")
    assert answer.status_code == 200
    schema = yaml.safe_load(answer.content)
    finding = schema["components"]["schemas"]["RegisteredFinding"]["properties"]
    assert finding["first_seen"]["description"] == "Перший день, коли реєстр його виявив"
    violations = schema["paths"]["/api/violations/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in violations["parameters"]}
    assert parameters["as_of"]["description"] == "РРРР-ММ-ДД; за замовчуванням — сьогодні"
    concern_answer = schema["paths"]["/api/concerns/{reference}/answer/"]["post"]["responses"]
    assert concern_answer["409"]["description"] == "Стан занепокоєння не допускає цього кроку"
