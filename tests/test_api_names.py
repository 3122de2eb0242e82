"""The API and the OGC collections give each record's names in Ukrainian and Russian (``name_uk``,
``name_ru``) beside the English ``name``: the map and GIS clients label it in the reader's language.
They are data, as ``name`` is, the same whatever language the request is answered in; read-only, as
the reference data is."""

import datetime

import pytest
from django.contrib.gis.geos import LineString, MultiLineString

from tests import factories as f
from tracker.models import EquipmentCategory
from tracker.roles import Role

D = datetime.date
UK, RU = "Словʼянськ, гарнізон", "Славянск, гарнизон"


@pytest.fixture
def named():
    ukraine = f.party("UKR", "Ukraine")
    ukraine.name_uk, ukraine.name_ru = "Україна", "Украина"
    ukraine.save()
    zone = f.zone("DMZ", geom=f.square(37, 48, 38, 49), kind="demilitarized")
    zone.name_uk, zone.name_ru = "Демілітаризована зона", "Демилитаризованная зона"
    zone.save()
    line = f.contact_line("LOC", MultiLineString(LineString((37.0, 47.0), (38.0, 48.5)), srid=4326))
    line.name_uk, line.name_ru = "Лінія зіткнення", "Линия соприкосновения"
    line.save()
    site = f.site(ukraine, 37.62, 48.85, code="UKR-0034")
    site.name_uk, site.name_ru = UK, RU
    site.save()
    f.notification(ukraine, D(2024, 1, 1), [(site, "tanks", 20)])
    treaty = f.treaty("Settlement")
    treaty.name_uk, treaty.name_ru = "Угода про врегулювання", "Соглашение об урегулировании"
    treaty.save()
    EquipmentCategory.objects.filter(code="tanks").update(name_uk="Бойовий танк", name_ru="Боевой танк")
    return f.api(f.person("monitor", Role.MONITOR, ukraine))


def names(properties: dict) -> tuple[str, str]:
    return properties["name_uk"], properties["name_ru"]


def test_parties_categories_and_treaties_carry_their_names_in_ukrainian_and_russian(named):
    assert names(named.get("/api/parties/UKR/").json()) == ("Україна", "Украина")
    assert names(named.get("/api/categories/tanks/").json()) == ("Бойовий танк", "Боевой танк")
    assert names(named.get("/api/treaties/Settlement/").json()) == (
        "Угода про врегулювання",
        "Соглашение об урегулировании",
    )


def test_the_map_layers_carry_the_names_as_properties(named):
    zones = named.get("/api/zones/", {"as_of": "2024-06-01"}).json()["features"]
    assert names(zones[0]["properties"]) == ("Демілітаризована зона", "Демилитаризованная зона")
    lines = named.get("/api/contact-lines/", {"as_of": "2024-06-01"}).json()["features"]
    assert names(lines[0]["properties"]) == ("Лінія зіткнення", "Линия соприкосновения")
    sites = named.get("/api/sites/").json()["features"]
    assert names(sites[0]["properties"]) == (UK, RU)
    holdings = named.get("/api/holdings/", {"as_of": "2024-06-01"}).json()["features"]
    assert names(holdings[0]["properties"]) == (UK, RU)
    cells = named.get("/api/holdings/cells/", {"as_of": "2024-06-01", "zoom": 12}).json()["features"]
    assert names(cells[0]["properties"]) == (UK, RU)


def test_the_names_are_the_same_whatever_language_the_api_answers_in(named):
    english = named.get("/api/sites/").json()["features"][0]["properties"]
    russian = named.get("/api/sites/", HTTP_ACCEPT_LANGUAGE="ru").json()["features"][0]["properties"]
    assert russian == english


def test_the_ogc_collections_carry_the_names(named):
    def first(collection: str) -> dict:
        body = named.get(f"/ogc/collections/{collection}/items", {"datetime": "2024-06-01"}).json()
        return body["features"][0]["properties"]

    assert names(first("zones")) == ("Демілітаризована зона", "Демилитаризованная зона")
    assert names(first("contact-lines")) == ("Лінія зіткнення", "Линия соприкосновения")
    assert names(first("sites")) == (UK, RU)
    assert names(first("holdings")) == (UK, RU)


def test_the_names_cannot_be_written_through_the_api(named):
    answer = named.patch("/api/parties/UKR/", {"name_uk": "Інша"}, format="json")
    assert answer.status_code == 405
    assert named.get("/api/parties/UKR/").json()["name_uk"] == "Україна"
