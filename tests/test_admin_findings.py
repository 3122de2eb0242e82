"""The admin's findings: the register read only, filtered by grade, state, kind and zone, through the same
visibility as the API; the compliance dashboard shows each finding's grade and state and filters by both."""

import datetime

from tests import factories as f
from tracker import findings_register
from tracker.models import Finding
from tracker.roles import Role

D = datetime.date
ANNUAL_EXCHANGE = datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC)


def ceiling_and_discrepancy():
    """UKR 12 tanks in Z1 over a limit of 10 (a breach); RUS inspectors saw 15 at the site (an indicator)."""
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.ceiling(f.zone("Z1"), 10)
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 12)], kind="annual", submitted_at=ANNUAL_EXCHANGE)
    f.inspection(rus, ukr, D(2026, 2, 1), {"tanks": 15}, site=base)
    findings_register.refresh(D(2026, 3, 1))
    findings_register.set_state(Finding.objects.filter(kind="inspection_discrepancy"), "explained", "in transit")


def dashboard_rows(client, **query) -> list[tuple]:
    response = client.get("/admin/compliance/", {"as_of": "2026-03-01", **query})
    assert response.status_code == 200
    return sorted((breach.kind, breach.grade, words["state"]) for breach, words, _ in response.context["rows"])


def test_the_dashboard_shows_each_findings_grade_and_state_and_filters_by_them(client):
    ceiling_and_discrepancy()
    f.sign_in(client, f.person("monitor", Role.MONITOR))

    assert dashboard_rows(client) == [
        ("ceiling_exceeded", "breach", "open"),
        ("inspection_discrepancy", "indicator", "explained"),
    ]
    assert dashboard_rows(client, grade="indicator") == [("inspection_discrepancy", "indicator", "explained")]
    assert dashboard_rows(client, state="open") == [("ceiling_exceeded", "breach", "open")]
    assert dashboard_rows(client, grade="breach", state="explained") == []
    page = client.get("/admin/compliance/", {"as_of": "2026-03-01"}).content.decode()
    assert '<td class="grade">indicator</td>' in page and '<td class="state">explained</td>' in page


def test_the_findings_admin_lists_the_register_filtered_and_read_only(client):
    ceiling_and_discrepancy()
    f.sign_in(client, f.person("monitor", Role.MONITOR))

    listing = client.get("/admin/tracker/finding/", {"grade__exact": "indicator"})
    assert listing.status_code == 200
    assert [finding.kind for finding in listing.context["cl"].result_list] == ["inspection_discrepancy"]
    assert [
        f.kind for f in client.get("/admin/tracker/finding/", {"state__exact": "open"}).context["cl"].result_list
    ] == ["ceiling_exceeded"]
    finding = Finding.objects.get(kind="ceiling_exceeded")
    page = client.get(f"/admin/tracker/finding/{finding.pk}/change/")
    assert page.status_code == 200 and 'name="state"' not in page.content.decode()
    assert client.post(f"/admin/tracker/finding/{finding.pk}/change/", {"state": "resolved"}).status_code == 403
    assert client.get("/admin/tracker/finding/add/").status_code == 403


def test_the_findings_admin_leaves_out_a_finding_naming_a_request_the_reader_may_not_see(client):
    ukr, rus, pol = f.party("UKR"), f.party("RUS"), f.party("POL")
    request = f.inspection_request(ukr, rus, datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC))
    Finding.objects.create(
        key="r",
        kind="late_acknowledgement",
        grade="breach",
        party="RUS",
        first_seen=D(2026, 3, 3),
        last_seen=D(2026, 3, 3),
        evidence={"request": request.reference},
    )
    f.sign_in(client, f.person("pol", Role.MONITOR, pol))
    assert list(client.get("/admin/tracker/finding/").context["cl"].result_list) == []

    client.logout()
    f.sign_in(client, f.person("rus", Role.MONITOR, rus))
    assert [row.key for row in client.get("/admin/tracker/finding/").context["cl"].result_list] == ["r"]
