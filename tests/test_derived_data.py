"""The zone sets and zone totals kept at write time equal a recomputation from scratch; verify_derived
says where they do not, --rebuild repairs them, and compacting the totals changes no answer."""

import datetime
import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from tests import factories as f
from tests.test_concurrent_writes import blocked_or_done
from tracker import answers, compliance, derived, services
from tracker.models import Notification, ObjectOfVerification, Site, ZoneSet, ZoneTotal
from zones.models import Zone, ZoneVersion

D = datetime.date
DAYS = [D(2026, 1, 1), D(2026, 2, 15), D(2026, 4, 1), D(2026, 7, 1), D(2027, 1, 1)]
MATCHING = {"site zones": 0, "zone totals": 0}


def differing() -> dict[str, int]:
    return {differences.what: differences.count for differences in derived.verify()}


def answers_on_every_day() -> list:
    zones = list(Zone.objects.values_list("pk", flat=True))
    return [
        (compliance.evaluate(day), compliance.zone_tallies(day, zones), compliance.zone_notifications(day, zones))
        for day in DAYS
    ]


def small_world():
    ukr, rus = f.party("UKR"), f.party("RUS")
    outer = f.zone("IV.1", f.square(30, 45, 40, 50))
    f.zone("IV.4", f.square(32, 46, 35, 48))
    f.ceiling(outer, 30)
    depot = f.site(ukr, code="DEPOT", lon=33, lat=47)
    edge = f.site(ukr, code="EDGE", lon=35, lat=47)  # on IV.4's boundary: inside
    base = f.site(rus, code="BASE", lon=38, lat=49)
    f.notification(ukr, D(2026, 1, 1), [(depot, "tanks", 20), (edge, "tanks", 15)], kind="annual")
    february = f.notification(ukr, D(2026, 2, 1), [(depot, "tanks", 25)])
    f.notification(rus, D(2026, 1, 1), [(base, "tanks", 40), (base, "acv", 12, "storage")])
    correction = services.correct(february, reference="UKR-C1")
    correction.holdings.update(quantity=22)
    services.submit(correction)
    return depot


def corrupt(depot) -> None:
    """One zone-total row lost, and a site said to lie in no zone."""
    nowhere = ZoneSet.objects.get_or_create(versions=[])[0]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tracker_zonetotal WHERE id = (SELECT min(id) FROM tracker_zonetotal)")
        cursor.execute("UPDATE tracker_sitezones SET zone_set_id = %s WHERE site_id = %s", [nowhere.id, depot.id])


def test_a_fresh_scenario_matches_its_recomputation(capsys):
    small_world()

    call_command("verify_derived")
    assert differing() == MATCHING
    assert "match a recomputation from scratch" in capsys.readouterr().out


def test_a_lost_zone_total_and_a_wrong_zone_set_are_listed_and_the_command_exits_1(capsys):
    depot = small_world()
    corrupt(depot)

    with pytest.raises(SystemExit) as exited:
        call_command("verify_derived")
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "site zones: 1 differ" in out
    assert f"site_id={depot.id}: recomputed party_id={depot.party_id} versions=[" in out
    assert "stored party_id" in out and "versions=[]" in out
    assert "zone totals: " in out and "stored no row" in out
    assert differing()["zone totals"] > 0


def test_rebuild_repairs_the_corruption_and_the_answers_it_changed():
    depot = small_world()
    expected = answers_on_every_day()
    corrupt(depot)
    assert answers_on_every_day() != expected
    version = answers.data_version()

    call_command("verify_derived", "--rebuild")

    assert differing() == MATCHING
    assert answers_on_every_day() == expected
    assert answers.data_version() != version  # answers kept from the corrupted totals are not served again


def test_a_random_world_written_in_bulk_matches_its_recomputation():
    rng = random.Random(20261123)
    parties = [f.party(code) for code in ("UKR", "RUS", "POL")]
    for number in range(6):
        west, south = rng.randrange(60, 76) / 2, rng.randrange(90, 98) / 2
        width, height = rng.randrange(2, 9) / 2, rng.randrange(2, 7) / 2
        f.zone(f"Z{number}", f.square(west, south, west + width, south + height))
    ZoneVersion.objects.filter(zone__code="Z0").update(valid_to=D(2026, 5, 31))
    f.zone("Z0", f.square(30, 45, 40, 50), valid_from=D(2026, 6, 1))  # a later version over a wider area

    # Sites on a half-degree grid, so many lie on zone boundaries, copied in as a loader would.
    with (
        connection.cursor() as cursor,
        cursor.copy("COPY tracker_site (party_id, code, name, location, unit) FROM STDIN") as copy,
    ):
        for number in range(300):
            lon, lat = rng.randrange(58, 82) / 2, rng.randrange(88, 102) / 2
            copy.write_row(
                (rng.choice(parties).id, f"S{number}", f"Site {number}", f"SRID=4326;POINT({lon} {lat})", "")
            )
    for site in Site.objects.all():
        ObjectOfVerification.objects.of_site(site)
    sites = {party.id: list(party.sites.values_list("id", flat=True)) for party in parties}
    held_by = dict(ObjectOfVerification.objects.values_list("site_id", "id"))
    categories = [f.category(code).id for code in ("tanks", "acv", "artillery")]

    notices = []
    for month in range(1, 9):
        for party in parties:
            draft = f.notification(party, D(2026, month, 1), [], submit=False)
            lines = {
                (site, category, rng.choice(["active", "storage"]))
                for site in rng.sample(sites[party.id], 40)
                for category in rng.sample(categories, 2)
            }
            with (
                connection.cursor() as cursor,
                cursor.copy(
                    "COPY tracker_holding (notification_id, object_of_verification_id, site_id, category_id, status,"
                    " quantity) FROM STDIN"
                ) as copy,
            ):
                for site, category, status in lines:
                    copy.write_row((draft.id, held_by[site], site, category, status, rng.choice([0, 1, 5, 12, 40])))
            notices.append(services.submit(draft))
    for original in rng.sample(notices, 6):
        correction = services.correct(original, reference=f"{original.party.code}-C{original.id}")
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE tracker_holding SET quantity = quantity + 3 WHERE notification_id = %s", [correction.id]
            )
            cursor.execute(
                "DELETE FROM tracker_holding WHERE id IN (SELECT id FROM tracker_holding WHERE notification_id = %s LIMIT 5)",
                [correction.id],
            )
        services.submit(correction)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tracker_site SET location = ST_Translate(location, 0.5, 0) WHERE mod(id, 7) = 0")
    ZoneVersion.objects.filter(zone__code="Z1").update(geom=f.square(31, 45, 37, 49))  # a zone redrawn
    ZoneVersion.objects.filter(zone__code="Z2").delete()

    assert Notification.objects.filter(status="superseded").count() == 6
    assert ZoneTotal.objects.count() > 500
    assert differing() == MATCHING


def test_the_demo_matches_its_recomputation():
    call_command("load_demo")

    call_command("verify_derived")


def keys_that_sum_to_something() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({derived.STORED_ZONE_TOTALS}) AS kept")
        return cursor.fetchone()[0]


def hold_the_folding_lock(taken: threading.Event, release: threading.Event) -> None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(hashtext('tracker_zonetotal'))")
            if not cursor.fetchone()[0]:
                return
            taken.set()
            release.wait(30)
            cursor.execute("SELECT pg_advisory_unlock(hashtext('tracker_zonetotal'))")
    finally:
        connections.close_all()


def test_compaction_folds_the_rows_writers_appended_and_changes_no_answer():
    taken, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_the_folding_lock, args=(taken, release))
    holder.start()
    try:
        assert taken.wait(10)
        # Another transaction is folding all along: every write here only appends.
        ukr = f.party("UKR")
        zone = f.zone("Z1")
        f.ceiling(zone, 20)
        depot = f.site(ukr)
        notice = f.notification(ukr, D(2026, 1, 1), [(depot, "tanks", 10), (depot, "acv", 4)])
        for quantity in (11, 25, 13):
            notice = services.correct(notice, reference=f"UKR-C{quantity}")
            notice.holdings.filter(category__code="tanks").update(quantity=quantity)
            services.submit(notice)
    finally:
        release.set()
        holder.join(30)
    assert ZoneTotal.objects.count() > keys_that_sum_to_something()
    expected, keys = answers_on_every_day(), keys_that_sum_to_something()

    call_command("compact_zone_totals")

    assert answers_on_every_day() == expected
    assert ZoneTotal.objects.count() == keys
    assert differing() == MATCHING


def on_its_own_connection(task):
    def run():
        try:
            return task()
        finally:
            connections.close_all()

    return run


@pytest.mark.django_db(transaction=True)
def test_a_submission_waits_while_a_rebuild_is_under_way():
    f.ensure_categories()
    ukr = f.party("UKR")
    f.zone("Z1")
    draft = f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 9)], submit=False)
    rebuilt, release = threading.Event(), threading.Event()

    def rebuild_and_hold():
        with transaction.atomic():
            derived.rebuild()
            rebuilt.set()
            release.wait(15)

    with ThreadPoolExecutor(max_workers=2) as pool:
        rebuilding = pool.submit(on_its_own_connection(rebuild_and_hold))
        assert rebuilt.wait(10)
        submitting = pool.submit(on_its_own_connection(lambda: services.submit(draft)))
        assert blocked_or_done(submitting), "the submission did not wait for the rebuild"
        release.set()
        rebuilding.result(15), submitting.result(15)

    assert differing() == MATCHING
    assert compliance.zone_counts(D(2026, 1, 1), [Zone.objects.get().pk]) == {
        (Zone.objects.get().pk, ukr.pk, f.category("tanks").pk, "active"): 9
    }
