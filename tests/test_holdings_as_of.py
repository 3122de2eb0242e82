import datetime

import pytest
from django.core.exceptions import ValidationError

from tests import factories as f
from tracker import services
from tracker.models import Holding, NotificationStatus

D = datetime.date


def quantities(day, **filters):
    return {
        (h.site.code, h.category.code, h.status): h.quantity
        for h in Holding.objects.as_of(day).filter(**filters).select_related("site", "category")
    }


def test_the_latest_submitted_line_effective_on_or_before_the_day_is_in_force():
    ukr = f.party("UKR")
    base = f.site(ukr, code="KYIV")
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 100)], kind="annual")
    f.notification(ukr, D(2026, 3, 1), [(base, "tanks", 140)])

    assert quantities(D(2025, 12, 31)) == {}
    assert quantities(D(2026, 1, 1)) == {("KYIV", "tanks", "active"): 100}
    assert quantities(D(2026, 2, 28)) == {("KYIV", "tanks", "active"): 100}
    assert quantities(D(2026, 3, 1)) == {("KYIV", "tanks", "active"): 140}


def test_a_zero_line_closes_the_holding_from_its_date():
    ukr = f.party("UKR")
    base = f.site(ukr, code="LVIV")
    f.notification(ukr, D(2026, 1, 1), [(base, "artillery", 30)])
    f.notification(ukr, D(2026, 6, 1), [(base, "artillery", 0)])

    assert quantities(D(2026, 5, 31)) == {("LVIV", "artillery", "active"): 30}
    assert quantities(D(2026, 6, 1)) == {}


def test_active_and_storage_holdings_at_one_site_are_separate():
    ukr = f.party("UKR")
    depot = f.site(ukr, code="DEPOT")
    f.notification(ukr, D(2026, 1, 1), [(depot, "tanks", 10, "active"), (depot, "tanks", 50, "storage")])
    f.notification(ukr, D(2026, 2, 1), [(depot, "tanks", 12, "active")])

    assert quantities(D(2026, 2, 1)) == {("DEPOT", "tanks", "active"): 12, ("DEPOT", "tanks", "storage"): 50}


def test_drafts_do_not_count_until_submitted():
    ukr = f.party("UKR")
    base = f.site(ukr, code="B")
    draft = f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 5)], submit=False)
    assert quantities(D(2026, 1, 2)) == {}

    services.submit(draft)
    assert quantities(D(2026, 1, 2)) == {("B", "tanks", "active"): 5}


def test_a_correction_supersedes_the_original_once_submitted():
    ukr = f.party("UKR")
    base = f.site(ukr, code="B")
    original = f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 50)])
    correction = services.correct(original)
    correction.holdings.update(quantity=45)
    assert quantities(D(2026, 1, 2)) == {("B", "tanks", "active"): 50}

    services.submit(correction)
    original.refresh_from_db()
    assert original.status == NotificationStatus.SUPERSEDED
    assert quantities(D(2026, 1, 2)) == {("B", "tanks", "active"): 45}


def test_on_the_same_effective_date_the_later_submission_wins():
    ukr = f.party("UKR")
    base = f.site(ukr, code="B")
    first = f.notification(ukr, D(2026, 4, 1), [(base, "acv", 7)])
    f.notification(
        ukr, D(2026, 4, 1), [(base, "acv", 9)], submitted_at=first.submitted_at + datetime.timedelta(hours=1)
    )
    assert quantities(D(2026, 4, 1)) == {("B", "acv", "active"): 9}


def test_submission_lists_every_error_at_once():
    ukr, rus = f.party("UKR"), f.party("RUS")
    foreign = f.site(rus, code="R1")
    own = f.site(ukr, code="U1")
    draft = f.notification(ukr, D(2026, 1, 1), [(foreign, "tanks", 5), (own, "tanks", 1)], submit=False)
    draft.effective_date = None
    draft.save()

    with pytest.raises(ValidationError) as raised:
        services.submit(draft)
    assert raised.value.messages == [
        "the effective date is missing",
        "site R1 belongs to RUS, not to UKR",
    ]
    draft.refresh_from_db()
    assert draft.status == NotificationStatus.DRAFT


def test_a_submitted_notification_cannot_be_submitted_again():
    ukr = f.party("UKR")
    done = f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 1)])
    with pytest.raises(ValidationError, match="already submitted"):
        services.submit(done)
