from django.db import migrations

# CFE Art. II definitions (personnel: CFE-1A Concluding Act, politically binding).
CATEGORIES = [
    ("tanks", "Battle tank", "A self-propelled armoured fighting vehicle of at least 16.5 metric tonnes unladen "
     "weight, with high cross-country mobility, high self-protection and a 360-degree traverse gun of at least "
     "75 millimetres calibre (CFE Art. II.1(J))."),
    ("acv", "Armoured combat vehicle", "A self-propelled vehicle with armoured protection and cross-country "
     "capability: armoured personnel carriers (weapon under 20 mm), armoured infantry fighting vehicles "
     "(integral or organic cannon of at least 20 mm) and heavy armament combat vehicles (gun of at least 75 mm, "
     "at least 6.0 tonnes) (CFE Art. II.1(K)-(N))."),
    ("artillery", "Artillery", "Large calibre systems capable of engaging ground targets primarily by indirect "
     "fire: guns, howitzers, artillery pieces combining both, mortars and multiple launch rocket systems of "
     "100 millimetres calibre and above (CFE Art. II.1(F))."),
    ("aircraft", "Combat aircraft", "A fixed-wing or variable-geometry wing aircraft armed and equipped to "
     "engage targets with guided missiles, unguided rockets, bombs, guns or cannon, including versions that "
     "perform reconnaissance or electronic warfare; primary trainer aircraft excluded (CFE Art. II.1(K))."),
    ("helicopters", "Attack helicopter", "A combat helicopter equipped to employ anti-armour, air-to-ground or "
     "air-to-air guided weapons with an integrated fire control and aiming system: specialised and "
     "multi-purpose attack helicopters; combat support helicopters excluded (CFE Art. II.1(M))."),
    ("personnel", "Military personnel", "Military personnel of land-based forces in the area of application, "
     "as limited by the CFE-1A Concluding Act (1992), a politically binding undertaking."),
]


def add_categories(apps, schema_editor):
    EquipmentCategory = apps.get_model("tracker", "EquipmentCategory")
    for code, name, definition in CATEGORIES:
        EquipmentCategory.objects.update_or_create(code=code, defaults={"name": name, "definition": definition})


class Migration(migrations.Migration):
    dependencies = [("tracker", "0002_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
