"""Temporary deployments notified "no later than at the start of the deployment", and their withdrawal
"within 30 days of the withdrawal" (CFE Art. V.2, for the deployments Art. V.1(B)-(C) allows)."""

import datetime

from django.utils import timezone

from tests import factories as f
from tracker import compliance
from tracker.compliance.deadlines import DEPLOYMENT_RULE, WITHDRAWAL_RULE

D = datetime.date
START = D(2026, 4, 1)
WITHDRAWN = D(2026, 6, 1)


def at(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def late(day=D(2026, 12, 1)):
    return [b for b in compliance.evaluate(day) if b.kind == "late_notification"]


def deploy(party, holder, quantity, effective, submitted, what="tanks", kind="temporary_deployment", more=()):
    return f.notification(
        party, effective, [(holder, what, quantity, "temporary"), *more], kind=kind, submitted_at=at(submitted)
    )


def test_a_deployment_notified_on_its_first_day_is_on_time():
    f.treaty()
    rus = f.party("RUS")
    deploy(rus, f.site(rus), 40, START, START)

    assert late() == []


def test_a_deployment_notified_the_day_after_its_start_is_late():
    f.treaty()
    rus = f.party("RUS")
    notice = deploy(rus, f.site(rus), 40, START, START + datetime.timedelta(days=1))

    (breach,) = late()
    assert breach.evidence["notification"] == notice.reference
    assert breach.evidence["rule"] == DEPLOYMENT_RULE
    assert (breach.evidence["due"], breach.limit, breach.counted, breach.excess) == ("2026-04-01", 0, 1, 1)


def test_a_deployment_in_a_change_notification_is_held_to_its_start_not_to_five_days():
    f.treaty()
    rus = f.party("RUS")
    base = f.site(rus)
    deploy(rus, base, 40, START, START + datetime.timedelta(days=3), kind="change", more=[(base, "tanks", 60)])

    (breach,) = late()
    assert breach.evidence["rule"] == DEPLOYMENT_RULE


def test_enlarging_a_deployment_is_notified_by_the_day_it_grows():
    f.treaty()
    rus = f.party("RUS")
    base = f.site(rus)
    deploy(rus, base, 40, START, START)
    larger = deploy(rus, base, 55, D(2026, 5, 1), D(2026, 5, 2))

    (breach,) = late()
    assert (breach.evidence["notification"], breach.evidence["rule"]) == (larger.reference, DEPLOYMENT_RULE)


def test_a_withdrawal_notified_on_the_thirtieth_day_is_on_time():
    f.treaty()
    rus = f.party("RUS")
    base = f.site(rus)
    deploy(rus, base, 40, START, START)
    deploy(rus, base, 0, WITHDRAWN, WITHDRAWN + datetime.timedelta(days=30))

    assert late() == []


def test_a_withdrawal_notified_on_the_thirty_first_day_is_late():
    f.treaty()
    rus = f.party("RUS")
    base = f.site(rus)
    deploy(rus, base, 40, START, START)
    withdrawal = deploy(rus, base, 0, WITHDRAWN, WITHDRAWN + datetime.timedelta(days=31))

    (breach,) = late()
    assert breach.evidence["notification"] == withdrawal.reference
    assert breach.evidence["rule"] == WITHDRAWAL_RULE
    assert (breach.evidence["due"], breach.limit, breach.counted, breach.excess) == ("2026-07-01", 30, 31, 1)


def test_withdrawing_part_of_a_deployment_is_a_withdrawal_too():
    f.treaty()
    rus = f.party("RUS")
    base = f.site(rus)
    deploy(rus, base, 40, START, START)
    deploy(rus, base, 25, WITHDRAWN, WITHDRAWN + datetime.timedelta(days=30))
    overdue = deploy(rus, base, 0, D(2026, 8, 1), D(2026, 9, 1))

    (breach,) = late()
    assert (breach.evidence["notification"], breach.evidence["rule"]) == (overdue.reference, WITHDRAWAL_RULE)


def test_a_zero_for_another_type_of_the_category_is_no_withdrawal():
    f.treaty(deadline=5)
    rus = f.party("RUS")
    base = f.site(rus)
    deploy(rus, base, 40, START, START, what=f.equipment_type("T-72B3", "tanks"))
    notice = deploy(rus, base, 0, WITHDRAWN, WITHDRAWN + datetime.timedelta(days=10))

    (breach,) = late()
    assert breach.evidence["notification"] == notice.reference
    assert "Section VIII.1(B)" in breach.evidence["rule"]


def test_a_withdrawal_with_changes_elsewhere_is_held_to_the_change_deadline():
    f.treaty(deadline=5)
    rus = f.party("RUS")
    base = f.site(rus)
    deploy(rus, base, 40, START, START)
    notice = deploy(rus, base, 0, WITHDRAWN, WITHDRAWN + datetime.timedelta(days=6), more=[(base, "tanks", 100)])

    (breach,) = late()
    assert breach.evidence["notification"] == notice.reference
    assert breach.evidence["due"] == "2026-06-06"
    assert "Section VIII.1(B)" in breach.evidence["rule"]


def test_no_deployment_deadline_applies_where_no_treaty_is_in_force():
    f.treaty(in_force_from=D(2030, 1, 1))
    rus = f.party("RUS")
    deploy(rus, f.site(rus), 40, START, D(2026, 5, 1))

    assert late() == []
