"""The map, a zone's page, the compliance dashboard, check_compliance and the compliance report in Ukrainian
and Russian: no English left, figures and days as each language writes them, the language kept in the links."""

import datetime
import os
import re
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

from tests import factories as f
from tests.languages import english_left
from tracker.models import EquipmentCategory

D = datetime.date
ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-06-01"
# A figure of thousands, grouped by a no-break or thin space in Ukrainian and Russian.
GROUPED = re.compile(r"1[\u00a0\u202f ]400")
LANGUAGES = {
    "uk": {"button": "Українська", "title": "Дотримання станом на 1 червня 2025", "zone": "Демілітаризована зона"},
    "ru": {"button": "Русский", "title": "Соблюдение по состоянию на 1 июня 2025", "zone": "Демилитаризованная зона"},
}


@pytest.fixture(autouse=True)
def equipment_categories():
    """Page tests commit, and the tables are emptied after each, rows that migrations made included."""
    import_module("tracker.migrations.0003_equipment_categories").add_categories(apps, None)


@pytest.fixture
def settlement():
    """UKR's post in the DMZ holds 1,400 battle tanks from 1 May 2025, over the DMZ's ceiling of 1,000; the
    zone, the treaty and the category are named in the three languages."""
    ukr = f.party("UKR")
    dmz = f.zone("DMZ", f.square(35, 47, 36, 48), kind="demilitarized")
    dmz.name_uk, dmz.name_ru = LANGUAGES["uk"]["zone"], LANGUAGES["ru"]["zone"]
    dmz.save()
    treaty = f.treaty()
    treaty.name_uk, treaty.name_ru = "Урегулювання", "Урегулирование"
    treaty.save()
    EquipmentCategory.objects.filter(code="tanks").update(name_uk="бойові танки", name_ru="боевые танки")
    f.ceiling(dmz, 1000, treaty=treaty)
    post = f.site(ukr, 35.5, 47.5, code="DMZ-POST")
    f.notification(ukr, D(2025, 1, 1), [(post, "tanks", 800)], kind="annual")
    f.notification(ukr, D(2025, 5, 1), [(post, "tanks", 1400)])


def shown_without_admin_frame(page) -> None:
    """Leaves out the admin's header and its sidebar of every model: the admin's own area, checked by its tests."""
    page.evaluate(
        "for (const id of ['header', 'nav-sidebar', 'toggle-nav-sidebar']) document.getElementById(id)?.remove()"
    )


@pytest.mark.browser
@pytest.mark.parametrize("language", ["uk", "ru"])
def test_the_map_the_zone_page_and_the_dashboard_are_all_in_the_language_chosen(
    language, settlement, page, log_in, screenshot
):
    words = LANGUAGES[language]
    log_in(User.objects.create_superuser("monitor", password="x"))

    page.goto(f"/map/?as_of={AS_OF}&zone=DMZ")
    page.get_by_role("button", name=words["button"]).click()
    page.wait_for_url(f"**/{language}/map/?as_of={AS_OF}&zone=DMZ")
    page.wait_for_selector(f'#map[data-as-of="{AS_OF}"]')
    page.wait_for_selector('#panel[data-zone="DMZ"]')
    assert page.locator("html").get_attribute("lang") == language
    panel = page.locator("#panel").inner_text()
    assert words["zone"] in panel and GROUPED.search(panel)
    assert page.locator(".leaflet-control-scale-line").count() == 1  # metric only
    assert re.fullmatch(r"[\d\u00a0 ]+ (км|м)", page.locator(".leaflet-control-scale-line").inner_text())
    assert page.locator("a.zone-page-link").get_attribute("href").startswith(f"/{language}/zones/DMZ/")
    assert (left := english_left(page)) == [], left
    screenshot(f"map-{language}")

    page.locator("a.zone-page-link").click()
    page.wait_for_selector(f'body[data-as-of="{AS_OF}"]')
    assert page.url.endswith(f"/{language}/zones/DMZ/?as_of={AS_OF}")
    assert page.locator("h1").inner_text().startswith(f"DMZ — {words['zone']}")
    assert page.locator(".as-of-text").first.inner_text() == "01.06.2025"
    assert GROUPED.search(page.locator("#breaches").inner_text())
    assert page.locator("#back-to-map").get_attribute("href").startswith(f"/{language}/map/")
    assert (left := english_left(page)) == [], left
    screenshot(f"zone-{language}")

    # The switcher kept the choice in the session: the admin answers in the same language.
    page.goto(f"/admin/compliance/?as_of={AS_OF}")
    page.locator("#list-map path.leaflet-interactive").first.wait_for()
    assert page.locator("#content h1").inner_text() == words["title"]  # a Cyrillic month
    table = page.locator("table.breaches").inner_text()
    assert GROUPED.search(table)
    screenshot(f"compliance-{language}")
    shown_without_admin_frame(page)
    assert (left := english_left(page)) == [], left


@pytest.mark.django_db(transaction=True)
def test_check_compliance_answers_in_ukrainian_when_language_code_says_so(settlement):
    """The table, its count and a bad date's error in Ukrainian under LANGUAGE_CODE=uk; the codes stay."""
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {**os.environ, "LANGUAGE_CODE": "uk", "DATABASE_URL": url}

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "manage.py", "check_compliance", *args]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)

    found = run("--as-of", AS_OF)
    assert found.returncode == 1
    header, *rows, total = found.stdout.splitlines()
    assert header.split() == [
        "вид",
        "ступінь",
        "зона",
        "сторона",
        "категорія",
        "межа",
        "враховано",
        "перевищення",
        "договір",
        "висновок",
    ]
    [row] = [row for row in rows if row.startswith("ceiling_exceeded")]
    assert row.split()[:3] == ["ceiling_exceeded", "порушення", "DMZ"]
    assert row.endswith("Урегулювання  перевищено граничний рівень")
    # The DMZ's ceiling, and UKR's annual exchange for 2024 never made: two, the "few" form.
    assert total == f"{len(rows)} висновки станом на {AS_OF}." and len(rows) == 2

    bad = run("--as-of", "2025-13-01")
    assert bad.returncode != 0
    assert "--as-of: '2025-13-01' не є датою (РРРР-ММ-ДД)" in bad.stderr


def test_the_report_is_printed_in_russian_when_asked(settlement, tmp_path):
    output = tmp_path / "report.pdf"
    call_command(
        "compliance_report", "--from", "2025-01-01", "--to", AS_OF, "--language", "ru", "--output", str(output)
    )

    text = subprocess.run(["pdftotext", "-layout", str(output), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Отчет о соблюдении" in flat
    assert "Период с 1 января 2025 по 1 июня 2025" in flat
    assert "Урегулирование DMZ боевые танки UKR все наличие 1 000 1 400 -400" in flat
    assert "Карта зон" in flat
