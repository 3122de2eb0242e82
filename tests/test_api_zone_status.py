import datetime

from tests import factories as f
from tracker.roles import Role

D = datetime.date


def test_zone_status_lists_every_ceiling_with_counted_limit_and_headroom_per_party():
    ukr, rus = f.party("UKR"), f.party("RUS")
    zone = f.zone("IV.4", geom=f.square(35, 45, 40, 52))
    each = f.ceiling(zone, 10, "tanks", applies_to="each")
    f.notification(ukr, D(2024, 1, 1), [(f.site(ukr, 36, 48), "tanks", 12)])
    f.notification(rus, D(2024, 1, 1), [(f.site(rus, 37, 48), "tanks", 9)])
    client = f.api(f.person("monitor", Role.MONITOR))

    body = client.get("/api/zones/IV.4/status/", {"as_of": "2024-06-01"}).json()

    assert body["zone"] == "IV.4"
    assert body["as_of"] == "2024-06-01"
    assert body["state"] == "breached"
    rows = {row["party"]: row for row in body["ceilings"]}
    assert rows["UKR"] == {
        "ceiling": each.pk,
        "treaty": "Settlement",
        "zone": "IV.4",
        "category": "tanks",
        "applies_to": "each",
        "party": "UKR",
        "counting": "all",
        "limit": 10,
        "counted": 12,
        "headroom": -2,
    }
    assert rows["RUS"]["headroom"] == 1
    assert [(breach["kind"], breach["party"]) for breach in body["breaches"]] == [("ceiling_exceeded", "UKR")]


def test_zone_status_of_an_unknown_zone_is_not_found_and_a_bad_date_is_named():
    f.zone("Z1")
    client = f.api(f.person("monitor", Role.MONITOR))
    assert client.get("/api/zones/NOPE/status/").status_code == 404
    assert client.get("/api/zones/Z1/status/", {"as_of": "2024-02-30"}).json().keys() == {"as_of"}
