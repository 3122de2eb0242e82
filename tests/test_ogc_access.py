"""/ogc/ shows each party what the REST API shows it: no role, no data; no other party's draft or hidden report."""

import datetime

import pytest

from tests import factories as f
from tracker.roles import Role

D = datetime.date(2026, 3, 1)
PAGES = [
    "/ogc/",
    "/ogc/conformance",
    "/ogc/collections",
    "/ogc/openapi",
    *(
        f"/ogc/collections/{c}/items"
        for c in ("zones", "contact-lines", "sites", "holdings", "violations", "inspections", "observations")
    ),
]


@pytest.mark.parametrize("url", PAGES)
def test_an_account_without_a_role_gets_403_and_no_one_signed_out_gets_in(url):
    assert f.api(f.person("nobody")).get(url).status_code == 403
    assert f.api().get(url).status_code == 401


def test_a_party_never_sees_another_partys_draft_only_site_nor_its_holdings():
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.notified_site(rus, code="RUS-OPEN")
    hidden = f.site(rus, code="RUS-DRAFT")
    f.notification(rus, D, [(hidden, "tanks", 40)], submit=False)
    officer = f.api(f.person("officer", Role.OFFICER, ukr))
    ids = [feature["id"] for feature in officer.get("/ogc/collections/sites/items").json()["features"]]
    assert ids == ["RUS-RUS-OPEN"]
    assert officer.get("/ogc/collections/sites/items/RUS-RUS-DRAFT").status_code == 404
    holdings = officer.get("/ogc/collections/holdings/items?datetime=2026-06-01").json()["features"]
    assert "RUS-DRAFT" not in {feature["properties"]["site"] for feature in holdings}


def test_an_inspector_sees_only_their_own_partys_reports_and_findings():
    ukr, rus, blr = f.party("UKR"), f.party("RUS"), f.party("BLR")
    site = f.notified_site(rus)
    own = f.inspection(ukr, rus, D, {"tanks": 9}, site=site)
    others = f.inspection(blr, rus, D, {"tanks": 9}, site=site)
    inspector = f.api(f.person("inspector", Role.INSPECTOR, ukr))
    reports = inspector.get("/ogc/collections/inspections/items").json()["features"]
    assert [feature["id"] for feature in reports] == [own.reference]
    assert inspector.get(f"/ogc/collections/inspections/items/{others.reference}").status_code == 404
    findings = inspector.get("/ogc/collections/violations/items?datetime=2026-03-02").json()["features"]
    assert {feature["properties"]["evidence"]["inspection"] for feature in findings} == {own.reference}
    monitor = f.api(f.person("monitor", Role.MONITOR, ukr))
    findings = monitor.get("/ogc/collections/violations/items?datetime=2026-03-02").json()["features"]
    assert {feature["properties"]["evidence"]["inspection"] for feature in findings} == {
        own.reference,
        others.reference,
    }
