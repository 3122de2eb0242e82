"""Every page is sent with a Content-Security-Policy that runs only the scripts it sent, and still works under it."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.gis.geos import Polygon

from tests import factories as f
from zones.models import ContactLineVersion, ZoneVersion

pytestmark = pytest.mark.browser

D = datetime.date
AFTER_THE_BREACH = D(2025, 6, 1)

# Recorded from the first script on every page, before the page's own scripts run.
LISTEN_FOR_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
}, true);
"""


@pytest.fixture
def scenario():
    """A breach, a draft, both kinds of inspection and an observation: every map and list has something to show."""
    ukr, rus = f.party("UKR", "Ukraine"), f.party("RUS", "Russian Federation")
    dmz = f.zone("DMZ", f.square(35, 47, 36, 48), kind="demilitarized")
    f.ceiling(dmz, 10)
    post, kyiv = f.site(ukr, 35.5, 47.5, code="DMZ-POST"), f.site(ukr, 30.5, 50.4, code="KYIV-1")
    f.notification(ukr, D(2025, 1, 1), [(post, "tanks", 8), (kyiv, "tanks", 40)], kind="annual")
    f.notification(ukr, D(2025, 5, 1), [(post, "tanks", 14)])
    draft = f.notification(ukr, D(2025, 7, 1), [(kyiv, "tanks", 41), (kyiv, "artillery", 3)], submit=False)
    challenge = f.inspection(
        rus, ukr, D(2025, 5, 10), {"tanks": 15}, area=Polygon.from_bbox((35.4, 47.4, 35.6, 47.6)), status="draft"
    )
    f.inspection(rus, ukr, D(2025, 5, 12), {"tanks": 40}, site=kyiv)
    sighting = f.observation(D(2025, 5, 20), 35.5, 47.5, 16, owner=ukr)
    line = f.contact_line("LOC")
    return {
        "site": post.pk,
        "draft": draft.pk,
        "challenge": challenge.pk,
        "observation": sighting.pk,
        "zone": dmz.pk,
        "zone_version": ZoneVersion.objects.get(zone=dmz).pk,
        "line_version": ContactLineVersion.objects.get(line=line).pk,
    }


# name: (address, given the scenario's ids; an element that only shows once the page's scripts have done their work)
PAGES = {
    "map": (lambda ids: f"/map/?as_of={AFTER_THE_BREACH}", 'path[data-zone="DMZ"]'),
    "zone page": (lambda ids: f"/zones/DMZ/?as_of={AFTER_THE_BREACH}", "figure.chart path.counted"),
    "admin index": (lambda ids: "/admin/", "a[href='/admin/compliance/']"),
    "site form": (lambda ids: f"/admin/tracker/site/{ids['site']}/change/", "#id_location-map .leaflet-marker-icon"),
    "challenge inspection form": (
        lambda ids: f"/admin/tracker/inspection/{ids['challenge']}/change/",
        "#id_area-map path.leaflet-interactive",
    ),
    "observation form": (
        lambda ids: f"/admin/tracker/observation/{ids['observation']}/change/",
        "#id_location-map .leaflet-marker-icon",
    ),
    "notification form": (
        lambda ids: f"/admin/tracker/notification/{ids['draft']}/change/",
        "#holdings-group tbody tr.has_original",
    ),
    "zone form": (lambda ids: f"/admin/zones/zone/{ids['zone']}/change/", "table.ceiling-status"),
    "zone version form": (
        lambda ids: f"/admin/zones/zoneversion/{ids['zone_version']}/change/",
        "#id_geom-map path.leaflet-interactive",
    ),
    "contact line version form": (
        lambda ids: f"/admin/zones/contactlineversion/{ids['line_version']}/change/",
        "#id_geom-map path.leaflet-interactive",
    ),
    "site list": (lambda ids: "/admin/tracker/site/", "#list-map path.leaflet-interactive"),
    "observation list": (lambda ids: "/admin/tracker/observation/", "#list-map path.leaflet-interactive"),
    "inspection list": (lambda ids: "/admin/tracker/inspection/", "#result_list tbody tr"),
    "notification list": (lambda ids: "/admin/tracker/notification/", "#result_list tbody tr"),
    "compliance dashboard": (
        lambda ids: f"/admin/compliance/?as_of={AFTER_THE_BREACH}",
        "#list-map path.leaflet-interactive",
    ),
    "api docs": (lambda ids: "/api/docs/", ".opblock-summary-path >> text=/api/violations/"),
    "browsable api": (lambda ids: f"/api/violations/?as_of={AFTER_THE_BREACH}", ".response-info pre"),
}


@pytest.fixture
def policy_violations(page):
    """Violations the browser reports on the page: its events, and its console's refusals."""
    page.context.add_init_script(LISTEN_FOR_VIOLATIONS)
    refusals = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refusals.append(message.text))

    def policy_violations() -> list[str]:
        return page.evaluate("window.cspViolations") + refusals

    return policy_violations


def directives(header: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in header.split(";") if part.strip())}


@pytest.mark.parametrize("name", PAGES)
def test_the_page_works_under_the_policy_without_a_single_violation(
    name, page, log_in, screenshot, scenario, policy_violations
):
    address, works = PAGES[name]
    log_in(f.person("chief", "superuser"))

    response = page.goto(address(scenario))

    policy = directives(response.headers["content-security-policy"])
    assert policy["script-src"][0] == "'self'"
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(policy["script-src"])
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    page.wait_for_load_state("networkidle")
    assert policy_violations() == []
    page.locator(works).first.wait_for()
    screenshot(f"csp-{name.replace(' ', '-')}")
    assert policy_violations() == []


def test_a_party_added_in_the_forms_popup_is_chosen_in_the_form(page, log_in, scenario, policy_violations):
    log_in(f.person("chief", "superuser"))
    page.goto(f"/admin/tracker/site/{scenario['site']}/change/")

    with page.expect_popup() as opened:
        page.click("#add_id_party")
    popup = opened.value
    popup.fill("#id_code", "POL")
    popup.fill("#id_name", "Poland")
    with popup.expect_event("close"):  # waited for from before the click: the popup may close at once
        popup.click("input[name=_save]")

    assert page.locator("#id_party option:checked").inner_text() == "POL — Poland"
    assert policy_violations() == []


def test_swagger_ui_sends_a_request_and_shows_the_answer(page, log_in, scenario, policy_violations):
    log_in(f.person("chief", "superuser"))
    page.goto("/api/docs/")

    page.locator('.opblock-summary-path[data-path="/api/violations/"]').click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()

    answer = page.locator(".live-responses-table tbody tr").first
    assert answer.locator(".response-col_status").inner_text() == "200"
    assert "ceiling_exceeded" in answer.locator(".response-col_description").inner_text()
    assert policy_violations() == []


def test_a_script_injected_into_a_page_does_not_run(page, log_in, scenario, policy_violations):
    log_in(f.person("chief", "superuser"))
    page.goto(f"/admin/tracker/site/{scenario['site']}/change/")
    page.locator("#id_location-map .leaflet-marker-icon").wait_for()

    ran = page.evaluate("""() => {
        const injected = document.createElement("div");
        injected.innerHTML = '<img src="data:," onerror="window.injected = true">';
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.append(injected, script);
        return new Promise((resolve) => setTimeout(() => resolve(window.injected === true), 200));
    }""")

    assert ran is False
    assert any(violation.startswith("script-src") for violation in policy_violations())


def policy_with_tiles(url: str) -> subprocess.CompletedProcess:
    """The policy a server started with MAP_TILES_URL=``url`` sends."""
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from csp.utils import build_policy; print(build_policy())",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "MAP_TILES_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tile_host_may_serve_images_when_map_tiles_are_configured():
    result = policy_with_tiles("https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    assert result.returncode == 0, result.stderr
    policy = directives(result.stdout.strip())
    assert policy["img-src"] == ["'self'", "data:", "https://*.tiles.example.org"]
    assert policy["connect-src"] == ["'self'"]


def test_a_tile_host_no_policy_can_name_stops_the_start_with_the_setting_named():
    result = policy_with_tiles("https://tiles.{s}.example.org/{z}/{x}/{y}.png")
    assert result.returncode != 0
    assert "MAP_TILES_URL='https://tiles.{s}.example.org/{z}/{x}/{y}.png': only the first label" in result.stderr
