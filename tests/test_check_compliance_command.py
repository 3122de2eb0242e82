"""`manage.py check_compliance`: for cron and CI, exit 1 on any breach."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests import factories as f
from tracker.models import ComplianceRun, Finding, Site, StateParty

D = datetime.date


def run(*args):
    out = io.StringIO()
    try:
        call_command("check_compliance", *args, stdout=out)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue()


@pytest.fixture
def breach():
    ukr = f.party("UKR")
    f.ceiling(f.zone("Z1"), 10)
    f.notification(
        ukr,
        D(2026, 1, 1),
        [(f.site(ukr), "tanks", 12)],
        kind="annual",
        submitted_at=f.timezone.make_aware(datetime.datetime(2025, 12, 1)),
    )


def test_it_exits_0_and_says_so_when_there_is_no_breach(breach):
    assert run("--as-of", "2025-12-31") == (0, "No finding as of 2025-12-31.\n")


def test_it_prints_a_table_and_exits_1_on_a_breach(breach):
    code, out = run("--as-of", "2026-06-01")
    assert code == 1
    assert "ceiling_exceeded  breach  Z1    UKR    tanks     10     12       2       Settlement" in out
    assert out.endswith("1 finding(s) as of 2026-06-01.\n")


def test_it_prints_json_and_csv(breach):
    code, out = run("--as-of", "2026-06-01", "--format", "json")
    (row,) = json.loads(out)
    assert code == 1
    assert (row["kind"], row["grade"], row["zone"], row["party"], row["excess"], row["as_of"]) == (
        "ceiling_exceeded",
        "breach",
        "Z1",
        "UKR",
        2,
        "2026-06-01",
    )
    _, out = run("--as-of", "2026-06-01", "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["kind"], row["counted"], json.loads(row["evidence"])["applies_to"]) == (
        "ceiling_exceeded",
        "12",
        "each",
    )


def test_a_bad_date_is_a_clear_error():
    with pytest.raises(CommandError, match=r"--as-of: '2026-13-01' is not a date \(YYYY-MM-DD\)"):
        call_command("check_compliance", "--as-of", "2026-13-01")


def test_record_keeps_the_run_with_its_breaches(breach):
    run("--as-of", "2026-06-01", "--record")
    (kept,) = ComplianceRun.objects.all()
    assert kept.as_of == D(2026, 6, 1)
    assert list(kept.breaches.values_list("kind", "zone", "excess")) == [("ceiling_exceeded", "Z1", 2)]


def test_grade_indicator_prints_only_the_indicators(breach):
    ukr = StateParty.objects.get(code="UKR")
    # 12 declared at the site, 15 seen there: an inspection discrepancy, an indicator to be clarified.
    f.inspection(f.party("RUS"), ukr, D(2026, 5, 1), {"tanks": 15}, site=Site.objects.get(party=ukr))

    code, out = run("--as-of", "2026-06-01", "--grade", "indicator")

    assert code == 1
    assert "inspection_discrepancy  indicator" in out and "ceiling_exceeded" not in out
    assert out.endswith("1 finding(s) as of 2026-06-01.\n")
    code, out = run("--as-of", "2026-06-01", "--grade", "breach", "--format", "json")
    assert [(row["kind"], row["grade"]) for row in json.loads(out)] == [("ceiling_exceeded", "breach")]


def test_grade_indicator_exits_0_when_only_breaches_are_found(breach):
    assert run("--as-of", "2026-06-01", "--grade", "indicator") == (0, "No finding as of 2026-06-01.\n")


def test_record_refreshes_the_findings_register_and_refuses_an_earlier_day(breach):
    run("--as-of", "2026-06-01", "--record")
    (finding,) = Finding.objects.all()
    assert (finding.kind, finding.grade, finding.first_seen, finding.state) == (
        "ceiling_exceeded",
        "breach",
        D(2026, 6, 1),
        "open",
    )
    with pytest.raises(CommandError, match="--as-of: 2026-05-01 is before 2026-06-01"):
        run("--as-of", "2026-05-01", "--record")
    assert ComplianceRun.objects.count() == 1
