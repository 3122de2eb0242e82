"""Temporary deployments (CFE Art. V.1(B)-(C)): "notwithstanding the numerical limitations", states of a
group "may on a temporary basis deploy ... additional aggregate numbers in active units", up to
459 tanks / 723 ACV / 420 artillery for the group and 153 / 241 / 140 to any one state. A ceiling
permits its limit plus its temporary deployments up to its allowance."""

import datetime

from tests import factories as f
from tracker import compliance
from tracker.models import Site

D = datetime.date
DAY = D(2026, 6, 1)
START = D(2026, 3, 1)


def findings(day=DAY):
    return sorted((b.kind, b.party, b.limit, b.counted, b.excess) for b in compliance.evaluate(day))


def flank(allowance: int, limit: int = 4700):
    """Art. V.1(A)'s flank ceiling of 4,700 tanks in active units for a group, with Art. V.1(B)'s allowance."""
    nato, ext = f.party("NOR"), f.party("USA")
    zone = f.zone("FLANK")
    ceiling = f.ceiling(
        zone,
        limit,
        applies_to="group",
        group=f.group("NATO", nato, ext),
        counting="active",
        temporary_allowance=allowance,
    )
    f.notification(nato, D(2026, 1, 1), [(f.site(nato, code="HOME"), "tanks", limit)])
    return ext, zone, ceiling


def deploy(ext, quantity: int, where=None, day=START):
    """A notified temporary deployment of ``quantity`` tanks at ``where`` (a new site when None) from ``day``."""
    return f.notification(
        ext, day, [(where or f.site(ext), "tanks", quantity, "temporary")], kind="temporary_deployment"
    )


def test_a_deployment_of_exactly_the_groups_allowance_above_the_limit_is_no_finding():
    ext, zone, _ = flank(459)
    deploy(ext, 459)

    assert findings() == []
    (count,) = compliance.ceiling_counts(DAY)
    assert (count.counted, count.temporary, count.permitted) == (5159, 459, 5159)
    assert compliance.zone_states(DAY)["FLANK"] == "near"


def test_one_above_the_allowance_is_a_temporary_allowance_exceeded_shown_against_limit_plus_allowance():
    ext, _, ceiling = flank(459)
    notice = deploy(ext, 460)

    assert findings() == [("temporary_allowance_exceeded", "NATO", 5159, 5160, 1)]
    (breach,) = compliance.evaluate(DAY)
    assert breach.evidence == {
        "ceiling": ceiling.id,
        "temporary": 460,
        "allowance": 459,
        "notifications": [notice.reference],
    }
    assert compliance.zone_states(DAY)["FLANK"] == "breached"


def test_one_states_allowance_of_a_third_is_its_own_boundary():
    """Art. V.1(C): no more than 153 tanks to any one state with flank territory."""
    ext, _, _ = flank(153, limit=1000)
    camp = f.site(ext)
    deploy(ext, 153, camp)
    deploy(ext, 154, camp, day=D(2026, 4, 1))

    assert findings(D(2026, 3, 31)) == []
    assert findings(D(2026, 4, 1)) == [("temporary_allowance_exceeded", "NATO", 1153, 1154, 1)]


def test_holdings_above_the_limit_without_the_deployment_are_a_ceiling_exceeded_naming_the_deployment():
    ext, zone, _ = flank(459, limit=100)
    home = Site.objects.get(code="HOME")
    f.notification(home.party, D(2026, 2, 1), [(home, "tanks", 101)])
    deploy(ext, 5)

    assert findings() == [("ceiling_exceeded", "NATO", 100, 106, 6)]
    (breach,) = compliance.evaluate(DAY)
    assert (breach.evidence["temporary"], breach.evidence["allowance"]) == (5, 459)


def test_without_an_allowance_any_deployment_above_the_limit_exceeds_it():
    ext, _, _ = flank(0, limit=100)
    deploy(ext, 1)

    assert findings() == [("temporary_allowance_exceeded", "NATO", 100, 101, 1)]


def test_a_deployment_counts_like_active_holdings_until_its_withdrawal_is_notified():
    ext, _, _ = flank(0, limit=100)
    camp = f.site(ext)
    deploy(ext, 10, camp)
    deploy(ext, 0, camp, day=D(2026, 5, 1))

    assert [(c.counted, c.temporary) for c in compliance.ceiling_counts(D(2026, 4, 30))] == [(110, 10)]
    assert [(c.counted, c.temporary) for c in compliance.ceiling_counts(D(2026, 5, 1))] == [(100, 0)]
    assert findings(D(2026, 5, 1)) == []
