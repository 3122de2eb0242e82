"""A whole check worked out by hand, so anyone can follow every number."""

import datetime

from tests import factories as f
from tracker import compliance

D = datetime.date


def test_a_small_theatre_checked_by_hand_before_and_after_a_reduction():
    ukr, pol, rus = f.party("UKR"), f.party("POL"), f.party("RUS")
    eastern = f.group("Eastern", ukr, pol)
    # OUTER spans 30–40 E, 45–52 N; INNER, its south-west corner up to 33 E, 47 N, lies inside it.
    outer = f.zone("OUTER", f.square(30, 45, 40, 52))
    inner = f.zone("INNER", f.square(30, 45, 33, 47))
    f.ceiling(outer, 300, applies_to="all")
    f.ceiling(outer, 200, applies_to="group", group=eastern)
    f.ceiling(inner, 50, applies_to="each", counting="active")
    f.ceiling(outer, 40, category_code="artillery", applies_to="party", party=rus)

    # inside INNER, so inside OUTER too; a designated permanent storage site (CFE Art. II.1(H))
    u1 = f.site(ukr, 31, 46, code="U1", storage_from=D(2020, 1, 1))
    u2 = f.site(ukr, 35, 50, code="U2")  # OUTER only
    p1 = f.site(pol, 33, 47, code="P1")  # on INNER's corner: a boundary point counts as inside
    r1 = f.site(rus, 36, 48, code="R1")  # OUTER only
    f.notification(ukr, D(2026, 1, 1), [(u1, "tanks", 40, "active"), (u1, "tanks", 30, "storage"), (u2, "tanks", 100)])
    f.notification(pol, D(2026, 1, 1), [(p1, "tanks", 60)])
    f.notification(rus, D(2026, 1, 1), [(r1, "tanks", 80), (r1, "artillery", 45)])

    # As of 1 June 2026:
    # OUTER tanks, all parties:   40 + 30 + 100 (UKR) + 60 (POL) + 80 (RUS) = 310 > 300, excess 10
    # OUTER tanks, Eastern group: 170 (UKR) + 60 (POL)                      = 230 > 200, excess 30
    # INNER tanks, each, active:  UKR 40 (its 30 in storage do not count) ≤ 50; POL 60 > 50, excess 10
    # OUTER artillery, RUS:       45 > 40, excess 5
    assert breaches(D(2026, 6, 1)) == [
        ("INNER", "POL", "tanks", 50, 60, 10),
        ("OUTER", None, "tanks", 300, 310, 10),
        ("OUTER", "Eastern", "tanks", 200, 230, 30),
        ("OUTER", "RUS", "artillery", 40, 45, 5),
    ]
    assert compliance.zone_states(D(2026, 6, 1)) == {"INNER": "breached", "OUTER": "breached"}

    # From 1 July UKR holds 70 tanks at U2 instead of 100:
    # OUTER all: 310 - 30 = 280 ≤ 300; Eastern: 230 - 30 = 200, at the limit, which is no breach.
    f.notification(ukr, D(2026, 7, 1), [(u2, "tanks", 70)])
    assert breaches(D(2026, 7, 1)) == [
        ("INNER", "POL", "tanks", 50, 60, 10),
        ("OUTER", "RUS", "artillery", 40, 45, 5),
    ]
    headroom = {(s.applies_to, s.party): s.headroom for s in compliance.zone_status(outer, D(2026, 7, 1))}
    assert headroom == {("all", None): 20, ("group", "Eastern"): 0, ("party", "RUS"): -5}


def breaches(day):
    return sorted(
        ((b.zone, b.party, b.category, b.limit, b.counted, b.excess) for b in compliance.evaluate(day)),
        key=lambda row: (row[0], row[2] != "tanks", row[1] or ""),
    )
