"""Every kind of finding is graded: a breach (a limit exceeded, a deadline missed) or an indicator, a
difference to be clarified first (CFE Art. XIII.3; Protocol on Inspection, Sections VI.38 and VII.11)."""

import datetime

import pytest

from tracker.compliance import breach
from tracker.compliance.breach import GRADES, KINDS, Breach

INDICATORS = [
    "inspection_discrepancy",
    "observation_discrepancy",
    "storage_outside_designated_site",
    "inspection_ambiguity",
]


def test_every_kind_has_a_grade_and_nothing_else_has_one():
    assert set(GRADES) == set(KINDS)
    assert set(GRADES.values()) == {"breach", "indicator"}


@pytest.mark.parametrize("kind", INDICATORS)
def test_a_discrepancy_an_ambiguity_or_storage_outside_a_designated_site_is_an_indicator(kind):
    assert GRADES[kind] == "indicator"


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind not in INDICATORS])
def test_a_limit_exceeded_or_a_deadline_missed_is_a_breach(kind):
    assert GRADES[kind] == "breach"


def test_every_inspection_time_limit_and_refusal_is_a_breach():
    assert {GRADES[kind] for kind in breach.INSPECTION_TIME_LIMITS} == {"breach"}


def test_a_finding_carries_its_grade_in_its_row():
    found = Breach("observation_discrepancy", datetime.date(2026, 1, 1), "Z1", "UKR", "tanks", 3, 5, 2, None, {})
    assert found.grade == "indicator"
    assert found.as_row()["grade"] == "indicator"
