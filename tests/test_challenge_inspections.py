"""Challenge inspections within a specified area: "all declared sites within a specified area are excluded
from an inspection of the specified area" (Final Document 1996, Annex B §7), so what the team finds there
is compared with nothing declared, unless a treaty in force on the inspection date opts out."""

import datetime

from django.contrib.gis.geos import Polygon

from tests import factories as f
from tracker import compliance
from tracker.compliance import declared_where_inspected

D = datetime.date
DAY = D(2026, 3, 1)


def specified_area() -> Polygon:
    """4 km × 4 km around (35.0, 48.0)."""
    area = Polygon.from_bbox((34.973, 47.982, 35.027, 48.018))
    area.srid = 4326
    return area


def findings(kind="inspection_discrepancy", day=DAY):
    found = compliance.ambiguities(day) if kind == "inspection_ambiguity" else compliance.evaluate(day)
    return [b for b in found if b.kind == kind]


def declared_site_inside(ukr, tanks=15):
    inside = f.site(ukr, 34.99, 48.0, code="IN")
    f.notification(ukr, D(2026, 1, 1), [(inside, "tanks", tanks)])
    return inside


def test_what_is_found_in_a_specified_area_is_compared_with_nothing_declared():
    f.treaty()
    ukr, pol = f.party("UKR"), f.party("POL")
    declared_site_inside(ukr)
    report = f.inspection(pol, ukr, DAY, {"tanks": 18}, area=specified_area())

    (breach,) = findings()
    assert (breach.party, breach.category, breach.limit, breach.counted, breach.excess) == ("UKR", "tanks", 0, 18, 18)
    assert breach.evidence["inspection"] == report.reference
    assert breach.evidence["rule"] == "Final Document 1996, Annex B §7"
    assert (breach.evidence["sites"], breach.evidence["notifications"]) == ([], [])


def test_fewer_found_than_declared_at_the_excluded_sites_is_no_ambiguity():
    f.treaty()
    ukr, pol = f.party("UKR"), f.party("POL")
    declared_site_inside(ukr)
    f.inspection(pol, ukr, DAY, {"tanks": 5}, area=specified_area())

    assert findings("inspection_ambiguity") == []


def test_nothing_found_in_a_specified_area_is_no_finding():
    f.treaty()
    ukr, pol = f.party("UKR"), f.party("POL")
    declared_site_inside(ukr)
    f.inspection(pol, ukr, DAY, {"tanks": 0}, area=specified_area())

    assert findings() == [] and findings("inspection_ambiguity") == []


def test_with_no_treaty_in_force_the_sites_are_excluded_too():
    f.treaty(in_force_from=D(2030, 1, 1), challenge_excludes_declared_sites=False)
    ukr, pol = f.party("UKR"), f.party("POL")
    declared_site_inside(ukr)
    f.inspection(pol, ukr, DAY, {"tanks": 18}, area=specified_area())

    (breach,) = findings()
    assert (breach.limit, breach.evidence["rule"]) == (0, "Final Document 1996, Annex B §7")


def test_one_treaty_in_force_opting_out_compares_with_the_declared_holdings_inside_the_area():
    f.treaty("Settlement")
    f.treaty("Bilateral", challenge_excludes_declared_sites=False)
    ukr, pol = f.party("UKR"), f.party("POL")
    declared_site_inside(ukr)
    f.inspection(pol, ukr, DAY, {"tanks": 18}, area=specified_area())

    (breach,) = findings()
    assert (breach.limit, breach.counted, breach.excess) == (15, 18, 3)
    assert (breach.evidence["rule"], breach.evidence["sites"]) == ("declared holdings inside the area", ["IN"])


def test_an_opting_out_treaty_no_longer_in_force_on_the_inspection_date_does_not_count():
    f.treaty("Settlement")
    f.treaty("Expired", in_force_to=D(2025, 12, 31), challenge_excludes_declared_sites=False)
    ukr, pol = f.party("UKR"), f.party("POL")
    declared_site_inside(ukr)
    f.inspection(pol, ukr, DAY, {"tanks": 18}, area=specified_area())

    (breach,) = findings()
    assert (breach.limit, breach.evidence["rule"]) == (0, "Final Document 1996, Annex B §7")


def test_a_declared_site_inspection_still_compares_with_the_site():
    f.treaty()
    ukr, pol = f.party("UKR"), f.party("POL")
    inside = declared_site_inside(ukr)
    f.inspection(pol, ukr, DAY, {"tanks": 18}, site=inside)

    (breach,) = findings()
    assert (breach.limit, breach.excess, breach.evidence["sites"]) == (15, 3, ["IN"])
    assert "rule" not in breach.evidence


def test_what_the_report_shows_as_declared_follows_the_same_rule():
    f.treaty()
    ukr, pol = f.party("UKR"), f.party("POL")
    inside = declared_site_inside(ukr)
    challenge = f.inspection(pol, ukr, DAY, {"tanks": 18}, area=specified_area())
    at_site = f.inspection(pol, ukr, DAY, {"tanks": 18}, site=inside)

    assert declared_where_inspected(challenge)[0] == {}
    assert declared_where_inspected(at_site)[0] == {f.category("tanks").pk: 15}
