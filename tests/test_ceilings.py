"""Ceilings checked as of a date: who is counted, where, and what."""

import datetime

from tests import factories as f
from tracker import compliance

D = datetime.date
DAY = D(2026, 6, 1)


def ceiling_breaches(day=DAY):
    return [b for b in compliance.evaluate(day) if b.kind == "ceiling_exceeded"]


def summary(day=DAY):
    return sorted((b.zone, b.party, b.category, b.limit, b.counted, b.excess) for b in ceiling_breaches(day))


def test_a_party_ceiling_counts_only_that_party():
    ukr, rus = f.party("UKR"), f.party("RUS")
    zone = f.zone("Z1")
    f.ceiling(zone, 10, applies_to="party", party=ukr)
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 11)])
    f.notification(rus, D(2026, 1, 1), [(f.site(rus), "tanks", 50)])

    assert summary() == [("Z1", "UKR", "tanks", 10, 11, 1)]


def test_a_group_ceiling_sums_its_members_together():
    ukr, pol, rus = f.party("UKR"), f.party("POL"), f.party("RUS")
    zone = f.zone("Z1")
    f.ceiling(zone, 100, applies_to="group", group=f.group("Eastern", ukr, pol))
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 60)])
    f.notification(pol, D(2026, 1, 1), [(f.site(pol), "tanks", 50)])
    f.notification(rus, D(2026, 1, 1), [(f.site(rus), "tanks", 500)])

    assert summary() == [("Z1", "Eastern", "tanks", 100, 110, 10)]


def test_an_each_ceiling_limits_every_party_on_its_own():
    ukr, pol = f.party("UKR"), f.party("POL")
    zone = f.zone("Z1")
    f.ceiling(zone, 50, applies_to="each")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 60)])
    f.notification(pol, D(2026, 1, 1), [(f.site(pol), "tanks", 40)])

    assert summary() == [("Z1", "UKR", "tanks", 50, 60, 10)]


def test_an_all_ceiling_counts_every_party_together_and_names_no_party():
    ukr, pol = f.party("UKR"), f.party("POL")
    zone = f.zone("Z1")
    f.ceiling(zone, 90, applies_to="all")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 60)])
    f.notification(pol, D(2026, 1, 1), [(f.site(pol), "tanks", 40)])

    assert summary() == [("Z1", None, "tanks", 90, 100, 10)]


def test_an_active_only_ceiling_leaves_storage_out():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.ceiling(zone, 50, counting="active")
    f.ceiling(zone, 100, counting="all")
    depot = f.site(ukr, storage_from=D(2020, 1, 1))
    f.notification(ukr, D(2026, 1, 1), [(depot, "tanks", 40, "active"), (depot, "tanks", 70, "storage")])

    assert summary() == [("Z1", "UKR", "tanks", 100, 110, 10)]


def test_only_the_ceilings_category_counts():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.ceiling(zone, 10, category_code="artillery")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 99), (f.site(ukr), "artillery", 9)])

    assert summary() == []


def test_a_site_in_an_inner_zone_counts_in_every_zone_around_it():
    ukr = f.party("UKR")
    outer = f.zone("IV.1", f.square(0, 40, 50, 60))
    inner = f.zone("IV.4", f.square(10, 48, 20, 54))
    f.ceiling(outer, 100)
    f.ceiling(inner, 30)
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr, 15, 50), "tanks", 40), (f.site(ukr, 30, 50), "tanks", 70)])

    assert summary() == [("IV.1", "UKR", "tanks", 100, 110, 10), ("IV.4", "UKR", "tanks", 30, 40, 10)]


def test_a_site_on_the_zone_boundary_counts_as_inside():
    ukr = f.party("UKR")
    zone = f.zone("DMZ", f.square(30, 45, 31, 46))
    f.ceiling(zone, 0)
    f.notification(
        ukr, D(2026, 1, 1), [(f.site(ukr, 31.0, 45.5), "tanks", 1), (f.site(ukr, 31.0001, 45.5), "tanks", 5)]
    )

    assert summary() == [("DMZ", "UKR", "tanks", 0, 1, 1)]


def test_a_superseded_holding_no_longer_counts():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.ceiling(zone, 100)
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 120)], kind="annual")
    f.notification(ukr, D(2026, 4, 1), [(base, "tanks", 80)])

    assert summary(D(2026, 3, 31)) == [("Z1", "UKR", "tanks", 100, 120, 20)]
    assert summary(D(2026, 4, 1)) == []


def test_a_corrected_notification_counts_with_its_correction():
    from tracker import services

    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.ceiling(zone, 100)
    base = f.site(ukr)
    original = f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 120)])
    draft = services.correct(original)
    draft.holdings.update(quantity=90)
    services.submit(draft)

    assert summary() == []


def test_a_ceiling_counts_only_from_the_day_it_enters_into_force():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.ceiling(zone, 100, valid_from=D(2026, 3, 1), valid_to=D(2026, 8, 31))
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 120)])

    assert summary(D(2026, 2, 28)) == []
    assert summary(D(2026, 3, 1)) == [("Z1", "UKR", "tanks", 100, 120, 20)]
    assert summary(D(2026, 8, 31)) == [("Z1", "UKR", "tanks", 100, 120, 20)]
    assert summary(D(2026, 9, 1)) == []


def test_a_ceiling_of_a_treaty_not_yet_in_force_does_not_count():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.ceiling(zone, 100, treaty=f.treaty("Future", in_force_from=D(2026, 7, 1)))
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 120)])

    assert summary(D(2026, 6, 30)) == []
    assert [b.treaty for b in ceiling_breaches(D(2026, 7, 1))] == ["Future"]


def test_a_redrawn_zone_counts_the_sites_inside_its_version_in_force():
    ukr = f.party("UKR")
    zone = f.zone("FLANK", f.square(30, 40, 50, 50), valid_to=D(2026, 5, 14))
    f.zone("FLANK", f.square(30, 40, 40, 50), valid_from=D(2026, 5, 15))
    f.ceiling(zone, 10)
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr, 45, 45), "tanks", 20)])

    assert summary(D(2026, 5, 14)) == [("FLANK", "UKR", "tanks", 10, 20, 10)]
    assert summary(D(2026, 5, 15)) == []


def test_a_breach_shows_the_ceiling_sites_notifications_and_zone_geometry():
    ukr = f.party("UKR")
    zone = f.zone("Z1", f.square(30, 45, 40, 52))
    limit = f.ceiling(zone, 10)
    a, b = f.site(ukr, code="A"), f.site(ukr, code="B")
    notice = f.notification(ukr, D(2026, 1, 1), [(a, "tanks", 6), (b, "tanks", 6)])

    (breach,) = ceiling_breaches()
    assert breach.as_of == DAY
    assert breach.treaty == "Settlement"
    assert breach.evidence["ceiling"] == limit.id
    assert breach.evidence["sites"] == ["A", "B"]
    assert breach.evidence["notifications"] == [notice.reference]
    assert breach.geometry.equals(f.square(30, 45, 40, 52))
    assert breach.evidence["lines"] == 2


def test_a_breach_counted_from_many_lines_leaves_its_sites_to_the_holdings_api():
    ukr = f.party("UKR")
    zone = f.zone("Z1", f.square(30, 45, 40, 52))
    f.ceiling(zone, 10)
    sites = [f.site(ukr, code=f"S{number:03d}") for number in range(compliance.EVIDENCE_SITE_LINES + 1)]
    notice = f.notification(ukr, D(2026, 1, 1), [(site, "tanks", 1) for site in sites])

    (breach,) = ceiling_breaches()
    assert breach.counted == compliance.EVIDENCE_SITE_LINES + 1
    assert breach.evidence["lines"] == compliance.EVIDENCE_SITE_LINES + 1
    assert breach.evidence["notifications"] == [notice.reference]
    assert "sites" not in breach.evidence


def test_each_breach_lists_only_the_sites_behind_its_own_count():
    ukr, rus, pol = f.party("UKR"), f.party("RUS"), f.party("POL")
    west = f.group("West", ukr, pol)
    zone = f.zone("Z1")
    f.ceiling(zone, 5)
    f.ceiling(zone, 15, applies_to="group", group=west)
    f.ceiling(zone, 0, category_code="artillery", counting="active")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr, code="U1"), "tanks", 6), (f.site(ukr, code="U2"), "tanks", 1)])
    f.notification(pol, D(2026, 1, 1), [(f.site(pol, code="P1"), "tanks", 9), (f.site(pol, code="P2"), "artillery", 3)])
    f.notification(
        rus, D(2026, 1, 1), [(f.site(rus, code="R1", storage_from=D(2020, 1, 1)), "artillery", 2, "storage")]
    )

    sites = {(b.party, b.category): b.evidence["sites"] for b in ceiling_breaches()}
    assert sites == {
        ("UKR", "tanks"): ["U1", "U2"],
        ("POL", "tanks"): ["P1"],
        ("West", "tanks"): ["P1", "U1", "U2"],
        ("POL", "artillery"): ["P2"],  # RUS's artillery is in storage: an active-only ceiling does not count it
    }
