"""Each list costs a fixed number of queries, however many rows it returns: an N+1 fails here.

Lists that ask the compliance engine are pinned at the warm engine's own queries plus the API's.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tracker import answers, compliance, findings_register
from tracker.models import ChangeThreshold, Holiday
from tracker.roles import Role
from zones.models import Zone

D = datetime.date
DAY = D(2024, 6, 1)

# The token lookup with its user and the party they act for, then the endpoint's own queries; answers rendered once per data
# version (tracker.api.reuse) use the version every answer names (tracker.api.conditional), read once per request.
LISTS = {
    "/api/parties/": 3,
    "/api/categories/": 2,
    "/api/treaties/": 2,
    "/api/ceilings/": 3,  # the types each counts, for the whole page at once
    "/api/equipment-types/": 2,
    "/api/holidays/": 2,
    "/api/change-thresholds/": 2,
    "/api/sites/": 2,
    "/api/objects-of-verification/": 2,
    "/api/holdings/?as_of=2024-06-01": 3,
    "/api/holdings/summary/?as_of=2024-06-01&group_by=party,zone,category": 2,  # the parties, their totals
    "/api/notifications/": 3,
    "/api/inspections/": 4,
    "/api/observations/": 2,
    "/api/zones/?as_of=2024-06-01": 3,  # the count, the page, their outlines (kept apart)
    "/api/contact-lines/?as_of=2024-06-01": 2,
    "/api/distance-rules/?as_of=2024-06-01": 3,  # the types each names, for the whole page at once
    # + which of the inspection reports the findings name the reader may see, + the register's states
    "/api/violations/?as_of=2024-06-01": 2,
    "/api/violations/?as_of=2024-06-01&format=geojson": 2,
    "/api/zones/Z0/status/?as_of=2024-06-01": 3,
    "/api/findings/": 2,  # the count, the page (reports and requests the reader sees: subqueries)
    "/api/dates/": 0,
}
# Answers rendered once (tracker.api.reuse), when rendered: + the data version read again just before, + whether the
# request's transaction had written anything, which decides the requests an answer may serve (tracker.answers.Kept),
# asked again for the parties' shares and the outlines the request computes and keeps.
RENDERED = {
    "/api/holdings/summary/?as_of=2024-06-01&group_by=party,zone,category": 3,
    "/api/zones/?as_of=2024-06-01": 3,
    "/api/violations/?as_of=2024-06-01": 2,
    "/api/violations/?as_of=2024-06-01&format=geojson": 2,
    "/api/zones/Z0/status/?as_of=2024-06-01": 4,  # + the zone and whether written, for its ceilings' rows
}
ENGINE = {
    "/api/zones/?as_of=2024-06-01": lambda zone: compliance.cached_zone_states(DAY),
    "/api/violations/?as_of=2024-06-01": lambda zone: compliance.cached_evaluate(DAY),
    "/api/violations/?as_of=2024-06-01&format=geojson": lambda zone: compliance.cached_evaluate(DAY),
    "/api/zones/Z0/status/?as_of=2024-06-01": lambda zone: (
        compliance.cached_zone_states(DAY),
        compliance.cached_zone_status(zone, DAY),
        compliance.cached_evaluate(DAY),
    ),
    "/api/dates/": lambda zone: compliance.change_dates(),
}


def engine_queries(url: str) -> int:
    if url not in ENGINE:
        return 0
    zone = Zone.objects.get(code="Z0")
    ENGINE[url](zone)
    # As in a request: the data version is read once (counted apart), and every kept answer is looked up at it.
    with answers.read_once():
        answers.data_version()
        with CaptureQueriesContext(connection) as queries:
            ENGINE[url](zone)
    return len(queries)


def populate(rows: int) -> None:
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.group("East", rus)
    for n in range(rows):
        zone = f.zone(f"Z{n}", geom=f.square(30 + n, 45, 31 + n, 52))
        tank = f.equipment_type(f"T-{n}", "tanks")
        f.ceiling(zone, 1, "tanks", applies_to="each", treaty=f.treaty(f"T{n}")).types.add(tank)
        f.distance_rule(f.contact_line(f"L{n}"), 15, "tanks", treaty=f.treaty(f"T{n}")).types.add(tank)
        Holiday.objects.create(party=ukr, date=D(2024, 1, 1 + n))
        ChangeThreshold.objects.create(treaty=f.treaty(f"T{n}"), party=ukr, zone=zone, percent=5)
        sites = [f.site(ukr, 30.5 + n, 48), f.site(rus, 30.6 + n, 48)]
        brigade = f.object_of_verification(sites[0])
        f.notification(ukr, D(2024, 1, 1), [(sites[0], "tanks", 5), (sites[0], "acv", 5), (brigade, tank, 2)])
        f.notification(rus, D(2024, 1, 1), [(sites[1], "tanks", 5)])
        f.inspection(ukr, rus, D(2024, 2, 1), {"tanks": 9, "acv": 1}, site=sites[1])
        f.observation(D(2024, 5, 1), 30.6 + n, 48, 20, rus)
    findings_register.refresh(DAY)


@pytest.mark.parametrize("url", LISTS)
def test_a_list_costs_the_same_queries_for_any_number_of_rows(url, django_assert_num_queries):
    populate(3)
    client = f.api(f.person("monitor", Role.MONITOR))
    # + the data version, + the token lookup with its user, whom they act for and their roles (no role, no data),
    # + the request's own transaction (a savepoint and its release inside the test's).
    expected = LISTS[url] + engine_queries(url) + 1 + 1 + 2 + RENDERED.get(url, 0)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
