"""The demo scenario names every zone, line, party, group, site, category and treaty in Ukrainian and
Russian beside English (fixtures/demo_names.py), as the states name themselves and as docs/glossary.md
names the treaty's words."""

from django.core.management import call_command

from tracker.models import EquipmentCategory, PartyGroup, Site, StateParty, Treaty
from zones.models import ContactLine, Zone
from zones.names import name_in

NAMED = [Zone, ContactLine, StateParty, PartyGroup, Site, EquipmentCategory, Treaty]


def test_the_demo_names_every_record_in_three_languages_as_the_states_and_the_glossary_do():
    call_command("load_demo")

    for model in NAMED:
        records = list(model.objects.all())
        assert records, model.__name__
        assert [record for record in records if not (record.name_uk and record.name_ru)] == [], model.__name__
        assert [record for record in records if record.name_uk == record.name_ru == record.name] == []
    the_states_bear_their_own_names()
    the_cfe_treaty_and_its_categories_are_named_as_the_glossary_names_them()
    sites_and_zones_keep_the_spelling_of_each_language()


def the_states_bear_their_own_names():
    ukraine = StateParty.objects.get(code="UKR")
    assert (name_in(ukraine, "uk"), name_in(ukraine, "ru"), name_in(ukraine, "en-gb")) == (
        "Україна",
        "Украина",
        "Ukraine",
    )
    russia = StateParty.objects.get(code="RUS")
    assert (russia.name_uk, russia.name_ru) == ("Російська Федерація", "Российская Федерация")


def the_cfe_treaty_and_its_categories_are_named_as_the_glossary_names_them():
    cfe = Treaty.objects.get(name="Treaty on Conventional Armed Forces in Europe")
    assert (cfe.name_uk, cfe.name_ru) == (
        "Договір про звичайні збройні сили в Європі",
        "Договор об обычных вооруженных силах в Европе",
    )
    categories = {c.code: (c.name_uk, c.name_ru) for c in EquipmentCategory.objects.all()}
    assert categories["tanks"] == ("Бойовий танк", "Боевой танк")
    assert categories["acv"] == ("Бойова броньована машина", "Боевая бронированная машина")
    assert categories["artillery"] == ("Артилерія", "Артиллерия")
    assert categories["aircraft"] == ("Бойовий літак", "Боевой самолет")
    assert categories["helicopters"] == ("Ударний вертоліт", "Ударный вертолет")


def sites_and_zones_keep_the_spelling_of_each_language():
    sloviansk = Site.objects.get(code="UKR-0034")
    assert (sloviansk.name_uk, sloviansk.name_ru) == ("Словʼянськ, гарнізон", "Славянск, гарнизон")
    kulbakino = Site.objects.get(code="UKR-0047")
    assert kulbakino.name_ru == "Кульбакино, авиабаза (Николаев)"
    odessa = Zone.objects.get(code="ODESSA")
    assert odessa.name_uk.startswith("Одеська область") and odessa.name_ru.startswith("Одесская область")
    assert ContactLine.objects.get(code="LOC-2025").name_uk == "Лінія зіткнення, кінець 2025 року"
