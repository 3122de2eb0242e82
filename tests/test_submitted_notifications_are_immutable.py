"""The database itself refuses to rewrite a submitted notification, even to raw SQL from the application's role."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from tests import factories
from tracker import services
from tracker.models import Holding, Notification

D = datetime.date


@pytest.fixture
def submitted():
    ukr = factories.party("UKR")
    site = factories.site(ukr, code="KYIV-1")
    return factories.notification(ukr, D(2026, 1, 1), [(site, "tanks", 10), (site, "acv", 4)])


def refused(sql: str, *params) -> str:
    """Run ``sql`` and return the database's refusal; fails the test if the statement goes through."""
    with pytest.raises(IntegrityError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(refusal.value)


def test_raw_sql_cannot_change_the_quantity_of_a_submitted_line(submitted):
    message = refused("UPDATE tracker_holding SET quantity = 999 WHERE notification_id = %s", submitted.pk)
    assert "cannot be added, changed or deleted; submit a correction" in message
    assert sorted(submitted.holdings.values_list("quantity", flat=True)) == [4, 10]


@pytest.mark.parametrize(
    "assignment",
    [
        "site_id = (SELECT id FROM tracker_site WHERE code = 'OTHER')",
        "category_id = (SELECT id FROM tracker_equipmentcategory WHERE code = 'artillery')",
        "status = 'storage'",
        "notification_id = (SELECT id FROM tracker_notification WHERE status = 'draft' LIMIT 1)",
    ],
)
def test_raw_sql_cannot_move_a_submitted_line(submitted, assignment):
    factories.site(submitted.party, code="OTHER")
    factories.notification(submitted.party, D(2026, 2, 1), [], submit=False)
    refused(f"UPDATE tracker_holding SET {assignment} WHERE notification_id = %s", submitted.pk)


def test_raw_sql_cannot_delete_a_submitted_line(submitted):
    refused("DELETE FROM tracker_holding WHERE notification_id = %s", submitted.pk)
    assert submitted.holdings.count() == 2


def test_raw_sql_cannot_add_a_line_to_a_submitted_notification(submitted):
    line = submitted.holdings.get(category__code="tanks")
    refused(
        "INSERT INTO tracker_holding (notification_id, object_of_verification_id, site_id, category_id, quantity, status) "
        "VALUES (%s, %s, %s, (SELECT id FROM tracker_equipmentcategory WHERE code = 'artillery'), 5, 'active')",
        submitted.pk,
        line.object_of_verification_id,
        line.site_id,
    )


def test_raw_sql_cannot_move_a_draft_line_into_a_submitted_notification(submitted):
    site = submitted.holdings.first().site
    draft = factories.notification(submitted.party, D(2026, 2, 1), [(site, "artillery", 3)], submit=False)
    refused("UPDATE tracker_holding SET notification_id = %s WHERE notification_id = %s", submitted.pk, draft.pk)


@pytest.mark.parametrize(
    "assignment",
    [
        "effective_date = '2025-01-01'",
        "remarks = 'rewritten'",
        "submitted_at = now()",
        "status = 'draft'",
        "reference = 'FORGED'",
    ],
)
def test_raw_sql_cannot_rewrite_a_submitted_notification(submitted, assignment):
    message = refused(f"UPDATE tracker_notification SET {assignment} WHERE id = %s", submitted.pk)
    assert f"notification {submitted.reference} is submitted" in message


def test_raw_sql_cannot_delete_a_submitted_notification(submitted):
    refused("DELETE FROM tracker_notification WHERE id = %s", submitted.pk)
    assert Notification.objects.filter(pk=submitted.pk).exists()


def test_a_correction_supersedes_the_original_and_leaves_its_lines_as_they_were(submitted):
    draft = services.correct(submitted, reference="UKR-CORR")
    draft.holdings.filter(category__code="tanks").update(quantity=12)
    services.submit(draft)
    submitted.refresh_from_db()
    assert submitted.status == "superseded"
    assert sorted(submitted.holdings.values_list("quantity", flat=True)) == [4, 10]
    assert sorted(Holding.objects.as_of(D(2026, 3, 1)).values_list("quantity", flat=True)) == [4, 12]


def test_a_superseded_notification_cannot_be_revived_or_rewritten(submitted):
    services.submit(services.correct(submitted, reference="UKR-CORR"))
    refused("UPDATE tracker_notification SET status = 'submitted' WHERE id = %s", submitted.pk)
    refused("UPDATE tracker_holding SET quantity = 1 WHERE notification_id = %s", submitted.pk)
    refused("DELETE FROM tracker_holding WHERE notification_id = %s", submitted.pk)


def test_the_derived_periods_of_submitted_lines_stay_updatable(submitted):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_holding SET effective_to = '2026-06-01' WHERE notification_id = %s", [submitted.pk]
        )
    assert Holding.objects.as_of(D(2026, 7, 1)).count() == 0


def test_a_draft_stays_freely_editable_until_it_is_submitted():
    ukr = factories.party("UKR")
    site = factories.site(ukr)
    draft = factories.notification(ukr, D(2026, 1, 1), [(site, "tanks", 10)], submit=False)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tracker_holding SET quantity = 11 WHERE notification_id = %s", [draft.pk])
        cursor.execute("UPDATE tracker_notification SET remarks = 'checked' WHERE id = %s", [draft.pk])
        cursor.execute("DELETE FROM tracker_holding WHERE notification_id = %s", [draft.pk])
        cursor.execute("DELETE FROM tracker_notification WHERE id = %s", [draft.pk])
    assert not Notification.objects.filter(pk=draft.pk).exists()
