"""Runs of the compliance check kept with their date and breaches, so a monitor sees when each
breach first appeared and when it was resolved; each kept run also brings the findings register to its date."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from tracker import compliance, findings_register
from tracker.compliance import Breach
from tracker.models import ComplianceRun, RecordedBreach


@transaction.atomic
def record_run(as_of: datetime.date, breaches: list[Breach] | None = None) -> ComplianceRun:
    """Keep a check as of ``as_of``: the breaches given, or those ``evaluate`` finds; and refresh the
    findings register with them (``findings_register.RegisterBehind`` for a day before its latest)."""
    if breaches is None:
        breaches = compliance.evaluate(as_of)
    run = ComplianceRun.objects.create(as_of=as_of)
    RecordedBreach.objects.bulk_create(_recorded(run, breach) for breach in breaches)
    findings_register.refresh(as_of, breaches)
    return run


def _recorded(run: ComplianceRun, breach: Breach) -> RecordedBreach:
    row = breach.as_row()
    del row["as_of"], row["grade"]  # the run's date; the grade follows from the kind
    # Text columns are blank rather than NULL where a breach has no zone, party, category or treaty.
    row.update({name: row[name] or "" for name in ("zone", "party", "category", "treaty")})
    return RecordedBreach(run=run, key=breach.identity, **row)


@dataclass(frozen=True)
class BreachPeriod:
    """A breach seen in consecutive kept runs: from the first run that found it to the first that did not."""

    key: str
    kind: str
    zone: str | None
    party: str | None
    category: str | None
    first_seen: datetime.date
    last_seen: datetime.date
    resolved_on: datetime.date | None  # the first later run without it; None while it lasts


def breach_periods() -> list[BreachPeriod]:
    """Every period a breach lasted across the kept runs, in the order of the runs' dates.

    Runs are read in order of the date they evaluated; of several runs for one date the latest counts.
    """
    latest: dict[datetime.date, ComplianceRun] = {}
    for run in ComplianceRun.objects.order_by("as_of", "ran_at", "id"):
        latest[run.as_of] = run
    runs = list(latest.values())
    found: dict[int, dict[str, RecordedBreach]] = {run.id: {} for run in runs}
    for breach in RecordedBreach.objects.filter(run__in=runs):
        found[breach.run_id][breach.key] = breach

    periods: list[BreachPeriod] = []
    lasting: dict[str, tuple[RecordedBreach, datetime.date, datetime.date]] = {}
    for run in runs:
        for key in list(lasting):
            if key not in found[run.id]:
                breach, first, last = lasting.pop(key)
                periods.append(_period(breach, first, last, run.as_of))
        for key, breach in found[run.id].items():
            first = lasting[key][1] if key in lasting else run.as_of
            lasting[key] = (breach, first, run.as_of)
    periods += [_period(breach, first, last, None) for breach, first, last in lasting.values()]
    return sorted(periods, key=lambda p: (p.first_seen, p.key))


def _period(breach: RecordedBreach, first, last, resolved) -> BreachPeriod:
    return BreachPeriod(
        breach.key,
        breach.kind,
        breach.zone or None,
        breach.party or None,
        breach.category or None,
        first,
        last,
        resolved,
    )
