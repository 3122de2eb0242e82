"""Compliance at a glance: breaches on a date with their evidence, and each zone's ceilings."""

import datetime

from django.utils import timezone

from tests import factories as f
from tracker import compliance
from tracker.roles import Role

START = datetime.date(2024, 1, 1)


def breached_zone():
    """UKR holds 120 tanks in zone Z1, where each party may hold 100."""
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    ceiling = f.ceiling(zone, 100)
    depot = f.site(ukr, code="KYIV-1")
    notice = f.notification(ukr, START, [(depot, "tanks", 120)])
    return zone, ceiling, depot, notice


def test_the_admin_index_links_to_the_compliance_dashboard(client):
    f.sign_in(client, f.person("monitor", Role.MONITOR))
    assert 'href="/admin/compliance/"' in client.get("/admin/").content.decode()


def test_the_dashboard_shows_todays_breaches_with_links_to_the_evidence(client):
    zone, ceiling, depot, notice = breached_zone()
    f.sign_in(client, f.person("monitor", Role.MONITOR))

    response = client.get("/admin/compliance/")

    assert response.context["as_of"] == timezone.localdate()
    assert f'value="{timezone.localdate().isoformat()}"' in response.content.decode()
    # Today, UKR's missing annual exchanges are late too; the ceiling's breach is the one looked at here.
    [(breach, words, links)] = [row for row in response.context["rows"] if row[0].kind == "ceiling_exceeded"]
    assert (words["kind"], breach.zone, breach.party, breach.counted, breach.limit) == (
        "ceiling exceeded",
        "Z1",
        "UKR",
        120,
        100,
    )
    assert {link.url for link in links} == {
        f"/admin/tracker/ceiling/{ceiling.pk}/change/",
        "/admin/tracker/site/?q=KYIV-1",
        f"/admin/tracker/notification/{notice.pk}/change/",
    }
    page = response.content.decode()
    assert f'href="/admin/tracker/notification/{notice.pk}/change/"' in page
    assert "+20" in page


def test_a_breach_counted_from_many_lines_links_to_the_list_of_its_sites(client):
    ukr = f.party("UKR")
    f.ceiling(f.zone("Z1"), 10)
    sites = [f.site(ukr) for _ in range(compliance.EVIDENCE_SITE_LINES + 1)]
    f.notification(ukr, START, [(site, "tanks", 1) for site in sites])
    f.sign_in(client, f.person("monitor", Role.MONITOR))

    response = client.get("/admin/compliance/", {"as_of": "2024-06-01"})

    [(_, _, links)] = [row for row in response.context["rows"] if row[0].kind == "ceiling_exceeded"]
    [listing] = [link for link in links if link.url.startswith("/api/holdings/")]
    assert listing.label == f"the {compliance.EVIDENCE_SITE_LINES + 1} lines counted, by site"
    assert listing.url == "/api/holdings/?as_of=2024-06-01&zone=Z1&category=tanks&party=UKR"
    assert client.get(listing.url, HTTP_ACCEPT="application/json").json()["count"] == len(sites)


def test_the_dashboard_answers_for_a_picked_date(client):
    breached_zone()
    f.sign_in(client, f.person("monitor", Role.MONITOR))

    before = client.get("/admin/compliance/", {"as_of": "2023-12-31"})

    assert before.context["rows"] == []
    assert "No finding as of 31 December 2023" in before.content.decode()


def test_a_date_that_is_no_date_is_refused_by_the_picker(client):
    f.sign_in(client, f.person("monitor", Role.MONITOR))
    response = client.get("/admin/compliance/", {"as_of": "2024-02-31"})
    assert "Enter a valid date" in response.content.decode()


def test_a_zones_page_shows_its_ceilings_counted_limit_and_headroom(client):
    zone, ceiling, _, _ = breached_zone()
    f.ceiling(zone, 500, "artillery")
    f.sign_in(client, f.person("monitor", Role.MONITOR))

    page = client.get(f"/admin/zones/zone/{zone.pk}/change/").content.decode()

    assert f'<a href="/admin/tracker/ceiling/{ceiling.pk}/change/">tanks</a>' in page
    assert '<td class="number">120</td><td class="number">100</td><td class="number over-limit">-20</td>' in page
    assert '<td class="number">0</td><td class="number">500</td><td class="number">500</td>' in page
