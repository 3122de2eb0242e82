""" "In force on a day" is one rule: the ORM filter, the SQL condition and the test of a loaded record agree."""

import datetime

import pytest
from django.db import connection

from tests import factories as f
from tracker.models import Ceiling, Treaty
from tracker.models.treaties import TREATY_IN_FORCE
from zones.in_force import VALID
from zones.models import ZoneVersion

D = datetime.date
DAYS = [D(2019, 12, 31), D(2020, 1, 1), D(2020, 6, 30), D(2020, 7, 1), D(2021, 1, 1)]


def in_force_by_sql(table: str, in_force, day: datetime.date) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t.id FROM {table} t WHERE {in_force.sql('t')}", {"day": day})
        return {row[0] for row in cursor}


@pytest.mark.parametrize("day", DAYS)
def test_zone_versions_in_force_are_the_same_by_orm_sql_and_record(day):
    f.zone("OPEN")
    f.zone("FROM", valid_from=D(2020, 1, 1))
    f.zone("UNTIL", valid_to=D(2020, 6, 30))
    f.zone("BOTH", valid_from=D(2020, 1, 1), valid_to=D(2020, 6, 30))

    by_orm = set(ZoneVersion.objects.in_force(day).values_list("id", flat=True))
    by_record = {v.id for v in ZoneVersion.objects.all() if VALID.holds(v, day)}
    assert by_orm == in_force_by_sql("zones_zoneversion", VALID, day) == by_record


@pytest.mark.parametrize("day", DAYS)
def test_treaties_and_their_ceilings_are_in_force_by_the_same_rule(day):
    zone = f.zone("Z1")
    for name, start, end in [
        ("open", None, None),
        ("from", D(2020, 1, 1), None),
        ("both", D(2020, 1, 1), D(2020, 6, 30)),
    ]:
        f.ceiling(zone, 1, treaty=f.treaty(name, in_force_from=start, in_force_to=end))

    treaties = set(Treaty.objects.in_force(day).values_list("id", flat=True))
    assert treaties == in_force_by_sql("tracker_treaty", TREATY_IN_FORCE, day)
    assert treaties == {t.id for t in Treaty.objects.all() if TREATY_IN_FORCE.holds(t, day)}
    with_ceilings = set(Ceiling.objects.values_list("treaty_id", flat=True))
    assert set(Ceiling.objects.in_force(day).values_list("treaty_id", flat=True)) == treaties & with_ceilings
