"""Ceilings on a subtype or on listed types count only those types (CFE Art. II.1(D) and (F) define the
subtypes; Art. IV.1(B): "no more than 1,500 shall be heavy armament combat vehicles"); a ceiling on a
category counts all of it, whatever types its lines name."""

import datetime

from tests import factories as f
from tracker import compliance

D = datetime.date
DAY = D(2026, 6, 1)


def exceeded(day=DAY):
    return sorted(
        (b.zone, b.party, b.category, b.limit, b.counted, b.excess, tuple(b.evidence.get("sites", ())))
        for b in compliance.evaluate(day)
        if b.kind == "ceiling_exceeded"
    )


def vehicles():
    return (
        f.equipment_type("BMP-2", "acv", subtype="aifv"),
        f.equipment_type("2S25", "acv", subtype="hacv"),
        f.equipment_type("BTR-80", "acv", subtype="apc"),
    )


def test_a_subtype_ceiling_at_exactly_its_limit_is_no_breach_and_ignores_other_subtypes_and_untyped_lines():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    aifv, hacv, _ = vehicles()
    f.ceiling(zone, 10, "acv", subtype="hacv")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), hacv, 10), (f.site(ukr), aifv, 50), (f.site(ukr), "acv", 40)])

    assert exceeded() == []


def test_a_subtype_ceiling_one_above_its_limit_is_exceeded_by_its_subtype_alone():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    aifv, hacv, _ = vehicles()
    f.ceiling(zone, 10, "acv", subtype="hacv")
    heavy, infantry, plain = f.site(ukr, code="HEAVY"), f.site(ukr, code="INFANTRY"), f.site(ukr, code="PLAIN")
    f.notification(ukr, D(2026, 1, 1), [(heavy, hacv, 11), (infantry, aifv, 50), (plain, "acv", 40)])

    assert exceeded() == [("Z1", "UKR", "acv", 10, 11, 1, ("HEAVY",))]


def test_a_ceiling_listing_types_counts_only_those_types():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    aifv, hacv, apc = vehicles()
    f.ceiling(zone, 20, "acv").types.set([aifv, apc])
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), aifv, 15), (f.site(ukr), apc, 6), (f.site(ukr), hacv, 99)])

    assert [row[:6] for row in exceeded()] == [("Z1", "UKR", "acv", 20, 21, 1)]


def test_a_ceiling_listing_a_type_without_subtype_ignores_the_categorys_other_types():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    t72, leopard = f.equipment_type("T-72B3", "tanks"), f.equipment_type("Leopard 2A4", "tanks")
    f.ceiling(zone, 10, "tanks").types.set([t72])
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), t72, 10), (f.site(ukr), leopard, 30), (f.site(ukr), "tanks", 5)])

    assert exceeded() == []


def test_a_ceiling_naming_a_subtype_and_types_counts_lines_of_either():
    """Art. IV.1(B)'s 18,000 "armoured infantry fighting vehicles and heavy armament combat vehicles"
    together: the subtype one, the other's types listed."""
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    aifv, hacv, apc = vehicles()
    f.ceiling(zone, 20, "acv", subtype="hacv").types.set([aifv])
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), aifv, 15), (f.site(ukr), hacv, 6), (f.site(ukr), apc, 99)])

    assert [row[:6] for row in exceeded()] == [("Z1", "UKR", "acv", 20, 21, 1)]


def test_a_category_ceiling_counts_typed_and_untyped_lines_alike():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    aifv, hacv, _ = vehicles()
    f.ceiling(zone, 100, "acv")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), aifv, 50), (f.site(ukr), hacv, 11), (f.site(ukr), "acv", 40)])

    assert [row[:6] for row in exceeded()] == [("Z1", "UKR", "acv", 100, 101, 1)]


def test_a_subtype_ceilings_status_and_evidence_name_only_its_subtypes_holdings():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    aifv, hacv, _ = vehicles()
    f.ceiling(zone, 5, "acv", subtype="hacv")
    heavy, infantry = f.site(ukr, code="HEAVY"), f.site(ukr, code="INFANTRY")
    declared = f.notification(ukr, D(2026, 1, 1), [(heavy, hacv, 6)])
    f.notification(ukr, D(2026, 1, 1), [(infantry, aifv, 70)])

    (status,) = compliance.zone_status(zone, DAY)
    assert (status.counted, status.headroom) == (6, -1)
    (breach,) = [b for b in compliance.evaluate(DAY) if b.kind == "ceiling_exceeded"]
    assert breach.evidence["sites"] == ["HEAVY"]
    assert breach.evidence["notifications"] == [declared.reference]
