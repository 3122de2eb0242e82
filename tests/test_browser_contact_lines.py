"""Lines of contact on /map/ and on a zone's page in headless Chromium: each drawn dashed and dark on its
course in force on the page's date, named by its code when pointed at, and explained in the legend."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.gis.geos import LineString, MultiLineString

from tests import factories as f
from tracker.roles import Role

pytestmark = pytest.mark.browser

D = datetime.date
MOVED = D(2025, 2, 15)
FIRST_COURSE = MultiLineString(LineString((35.2, 46.6), (35.8, 47.6), (36.6, 48.6)), srid=4326)
SECOND_COURSE = MultiLineString(LineString((35.6, 46.6), (36.2, 47.6), (37.0, 48.6)), srid=4326)


@pytest.fixture(autouse=True)
def equipment_categories():
    """Page tests commit, and the tables are emptied after each, rows that migrations made included."""
    import_module("tracker.migrations.0003_equipment_categories").add_categories(apps, None)


@pytest.fixture
def front(log_in):
    """A zone astride a line of contact that moved on 15 February 2025, and a line given up in 2020."""
    f.zone("DMZ", f.square(34, 46, 38, 49), kind="demilitarized")
    f.contact_line("LOC", FIRST_COURSE, valid_from=D(2015, 2, 15), valid_to=MOVED - datetime.timedelta(days=1))
    f.contact_line("LOC", SECOND_COURSE, valid_from=MOVED)
    f.contact_line("OLD", valid_to=D(2020, 12, 31))
    log_in(f.person("monitor", Role.MONITOR, f.party("UKR")))


def drawn_lines(page, day: datetime.date, ready: str = "#map") -> dict[str, dict]:
    page.wait_for_selector(f'{ready}[data-as-of="{day}"]')
    return {
        path.get_attribute("data-contact-line"): {
            "stroke": path.get_attribute("stroke"),
            "dashes": path.get_attribute("stroke-dasharray"),
            "course": path.get_attribute("d"),
        }
        for path in page.locator("path[data-contact-line]").all()
    }


def on_the_line(page, code: str) -> tuple[float, float]:
    """A point of the page on the drawn line (its bounding box's centre may lie beside it)."""
    return page.evaluate(
        """(code) => {
            const path = document.querySelector(`path[data-contact-line="${code}"]`);
            const point = path.getPointAtLength(path.getTotalLength() / 3).matrixTransform(path.getScreenCTM());
            return [point.x, point.y];
        }""",
        code,
    )


def test_the_map_draws_the_line_in_force_dashed_and_dark_with_its_code_and_a_legend_entry(page, front, screenshot):
    page.goto(f"/map/?as_of={MOVED}")

    lines = drawn_lines(page, MOVED)
    assert set(lines) == {"LOC"}
    assert (lines["LOC"]["stroke"], lines["LOC"]["dashes"]) == ("#1a1a1a", "10 6")
    assert "line of contact" in page.locator(".legend").inner_text()
    assert page.locator(".leaflet-control-layers-overlays", has_text="Lines of contact").is_visible()
    page.mouse.move(*on_the_line(page, "LOC"))
    assert page.locator(".leaflet-tooltip").inner_text() == "LOC"
    screenshot("map-contact-lines")


def test_the_map_follows_the_line_to_its_earlier_course_and_leaves_it_out_before_its_first_day(page, front):
    page.goto(f"/map/?as_of={MOVED}")
    second = drawn_lines(page, MOVED)["LOC"]["course"]

    day_before = MOVED - datetime.timedelta(days=1)
    page.locator("#as-of").fill(day_before.isoformat())
    page.locator("#as-of").dispatch_event("change")
    first = drawn_lines(page, day_before)["LOC"]["course"]
    assert first != second

    page.goto("/map/?as_of=2015-02-14")
    assert set(drawn_lines(page, D(2015, 2, 14))) == {"OLD"}


def test_a_zone_page_draws_the_line_across_the_zone(page, front, screenshot):
    page.goto(f"/zones/DMZ/?as_of={MOVED}")

    lines = drawn_lines(page, MOVED, ready="body")
    assert set(lines) == {"LOC"}
    assert "line of contact" in page.locator(".legend").inner_text()
    screenshot("zone-page-contact-lines")
