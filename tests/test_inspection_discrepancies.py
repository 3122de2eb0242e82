"""Inspections compared with what the inspected party had declared on the day."""

import datetime

from django.contrib.gis.geos import Polygon

from tests import factories as f
from tracker import compliance

D = datetime.date


def discrepancies(day):
    return [
        (b.party, b.category, b.limit, b.counted, b.excess, b.evidence["inspection"])
        for b in compliance.evaluate(day)
        if b.kind == "inspection_discrepancy"
    ]


def test_more_observed_at_a_declared_site_than_declared_is_a_breach():
    ukr, pol = f.party("UKR"), f.party("POL")
    f.zone("Z1")
    base = f.site(ukr, code="KYIV")
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 40), (base, "artillery", 10)])
    report = f.inspection(pol, ukr, D(2026, 3, 1), {"tanks": 46, "artillery": 10}, site=base)

    assert discrepancies(D(2026, 3, 1)) == [("UKR", "tanks", 40, 46, 6, report.reference)]
    (breach,) = [b for b in compliance.evaluate(D(2026, 3, 1)) if b.kind == "inspection_discrepancy"]
    assert breach.zone == "Z1"
    assert breach.evidence["sites"] == ["KYIV"]
    assert breach.geometry.equals(base.location)


def test_an_inspection_counts_only_from_its_date():
    ukr, pol = f.party("UKR"), f.party("POL")
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 40)])
    f.inspection(pol, ukr, D(2026, 3, 1), {"tanks": 46}, site=base)

    assert discrepancies(D(2026, 2, 28)) == []


def test_declarations_are_read_as_of_the_inspection_date_not_the_evaluation_date():
    ukr, pol = f.party("UKR"), f.party("POL")
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 40)])
    report = f.inspection(pol, ukr, D(2026, 3, 1), {"tanks": 46}, site=base)
    f.notification(ukr, D(2026, 4, 1), [(base, "tanks", 50)])

    assert discrepancies(D(2026, 5, 1)) == [("UKR", "tanks", 40, 46, 6, report.reference)]


def test_fewer_observed_than_declared_is_an_ambiguity_not_a_breach():
    ukr, pol = f.party("UKR"), f.party("POL")
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 40)])
    report = f.inspection(pol, ukr, D(2026, 3, 1), {"tanks": 31}, site=base)

    assert discrepancies(D(2026, 3, 1)) == []
    (ambiguity,) = compliance.ambiguities(D(2026, 3, 1))
    assert (ambiguity.limit, ambiguity.counted, ambiguity.excess) == (40, 31, -9)
    assert ambiguity.evidence["inspection"] == report.reference


def test_where_a_treaty_opts_out_of_annex_b_7_a_challenge_area_counts_the_partys_sites_inside_it():
    f.treaty(challenge_excludes_declared_sites=False)
    ukr, pol = f.party("UKR"), f.party("POL")
    # A 4 km × 4 km specified area around (35.0, 48.0).
    area = Polygon.from_bbox((34.973, 47.982, 35.027, 48.018))
    area.srid = 4326
    inside_a = f.site(ukr, 34.99, 48.0, code="IN-A")
    inside_b = f.site(ukr, 35.01, 48.01, code="IN-B")
    outside = f.site(ukr, 35.2, 48.0, code="OUT")
    foreign = f.site(pol, 35.0, 48.0, code="POL-1")
    f.notification(ukr, D(2026, 1, 1), [(inside_a, "tanks", 10), (inside_b, "tanks", 5), (outside, "tanks", 100)])
    f.notification(pol, D(2026, 1, 1), [(foreign, "tanks", 100)])
    report = f.inspection(pol, ukr, D(2026, 3, 1), {"tanks": 18}, area=area)

    assert discrepancies(D(2026, 3, 1)) == [("UKR", "tanks", 15, 18, 3, report.reference)]
    (breach,) = [b for b in compliance.evaluate(D(2026, 3, 1)) if b.kind == "inspection_discrepancy"]
    assert breach.evidence["sites"] == ["IN-A", "IN-B"]
    assert breach.evidence["rule"] == "declared holdings inside the area"
    assert breach.geometry.equals(area)


def test_equipment_found_in_a_challenge_area_with_no_declared_site_is_all_undeclared():
    f.treaty(challenge_excludes_declared_sites=False)
    ukr, pol = f.party("UKR"), f.party("POL")
    area = Polygon.from_bbox((34.973, 47.982, 35.027, 48.018))
    area.srid = 4326
    report = f.inspection(pol, ukr, D(2026, 3, 1), {"artillery": 12}, area=area)

    assert discrepancies(D(2026, 3, 1)) == [("UKR", "artillery", 0, 12, 12, report.reference)]
