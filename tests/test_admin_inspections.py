"""Inspection reports in the admin: the specified area's rules, and observed figures beside declared ones."""

import datetime
import re

from django.contrib.gis.geos import Polygon

from tests import factories as f
from tracker.compliance import declared_where_inspected
from tracker.models import Inspection
from tracker.roles import Role

DAY = datetime.date(2024, 3, 1)


def report(inspecting, inspected, **fields):
    return {
        "reference": "UKR-I-1",
        "kind": "challenge",
        "inspecting_party": inspecting.pk,
        "inspected_party": inspected.pk,
        "date": "2024-03-01",
        "site": "",
        "area": "",
        "team": "",
        "ambiguities": "",
        "findings-TOTAL_FORMS": "0",
        "findings-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        **fields,
    }


def box(west, south, east, north) -> str:
    return Polygon.from_bbox((west, south, east, north)).geojson


def test_a_challenge_inspection_asks_for_its_specified_area(client):
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.sign_in(client, f.person("inspector", Role.INSPECTOR, ukr))

    response = client.post("/admin/tracker/inspection/add/", report(ukr, rus))

    assert response.context["adminform"].form.errors["area"] == ["a challenge inspection needs its specified area"]


def test_an_oversized_specified_area_is_refused_with_its_size(client):
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.sign_in(client, f.person("inspector", Role.INSPECTOR, ukr))

    response = client.post("/admin/tracker/inspection/add/", report(ukr, rus, area=box(36.0, 50.0, 36.2, 50.1)))

    errors = " ".join(response.context["adminform"].form.errors["area"])
    assert "specified area is 159.3 km², more than the 65 km²" in errors
    assert not Inspection.objects.exists()


def test_a_specified_area_within_the_protocol_is_stored(client):
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.sign_in(client, f.person("inspector", Role.INSPECTOR, ukr))

    client.post("/admin/tracker/inspection/add/", report(ukr, rus, area=box(36.0, 50.0, 36.05, 50.03)))

    assert Inspection.objects.get().area.num_coords == 5


def test_the_report_shows_what_was_declared_at_the_site_and_the_difference(client):
    ukr, rus = f.party("UKR"), f.party("RUS")
    depot = f.site(rus, code="PSKOV-1")
    f.notification(rus, DAY - datetime.timedelta(days=30), [(depot, "tanks", 40), (depot, "tanks", 10, "storage")])
    f.notification(rus, DAY + datetime.timedelta(days=1), [(depot, "tanks", 5)])
    inspection = f.inspection(ukr, rus, DAY, {"tanks": 46, "acv": 3}, site=depot)
    f.sign_in(client, f.person("monitor", Role.MONITOR))

    page = client.get(f"/admin/tracker/inspection/{inspection.pk}/change/").content.decode()

    assert finding_rows(page) == [
        {"category": "Battle tank", "observed": "46", "declared": "50", "difference": "-4"},
        {"category": "Armoured combat vehicle", "observed": "3", "declared": "0", "difference": "+3"},
    ]


def finding_rows(page: str) -> list[dict[str, str]]:
    """The findings table's cells, per row, as text."""
    rows = page.split('<tr class="form-row has_original"')[1:]
    cells = (re.findall(r'class="field-(\w+)">\s*<p>(.*?)</p>', row) for row in rows)
    return [{name: re.sub("<[^>]+>", "", value) for name, value in row} for row in cells]


def test_a_challenge_inspection_compares_with_sites_inside_its_area_where_a_treaty_opts_out_of_annex_b_7(client):
    f.treaty(challenge_excludes_declared_sites=False)
    ukr, rus = f.party("UKR"), f.party("RUS")
    inside, outside = f.site(rus, lon=36.01, lat=50.01), f.site(rus, lon=36.5, lat=50.5)
    f.notification(rus, DAY, [(inside, "tanks", 7), (outside, "tanks", 100)])
    area = Polygon.from_bbox((36.0, 50.0, 36.05, 50.03))
    area.srid = 4326
    inspection = f.inspection(ukr, rus, DAY, {"tanks": 7}, area=area)

    assert declared_where_inspected(inspection)[0] == {f.category("tanks").pk: 7}
