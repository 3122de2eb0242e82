import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker import compliance, findings_register, runs
from tracker.dates import implausibility
from tracker.models import Grade
from zones import spreadsheets


def iso_date(text: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of: {text!r} is not a date (YYYY-MM-DD)") from None
    reason = implausibility(day)
    if reason:
        raise CommandError(f"--as-of: {reason}")
    return day


class Command(BaseCommand):
    help = "Print every finding as of a date with its grade; exit 1 when there is at least one, 0 when none."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the date to check, YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")
        parser.add_argument(
            "--record", action="store_true", help="keep this run and its breaches, and refresh the findings register"
        )
        parser.add_argument("--grade", choices=Grade.values, help="only findings of this grade")

    def handle(self, *args, as_of=None, format="table", record=False, grade=None, **options):
        day = iso_date(as_of) if as_of else timezone.localdate()
        breaches = compliance.evaluate(day)
        if record:
            try:
                runs.record_run(day, breaches)
            except findings_register.RegisterBehind as error:
                raise CommandError(f"--as-of: {error.reason}") from None
        if grade:
            breaches = [breach for breach in breaches if breach.grade == grade]
        if format == "json":
            self.stdout.write(json.dumps([breach.as_row() for breach in breaches], indent=2))
        elif format == "csv":
            spreadsheets.write_csv(
                self.stdout, compliance.COLUMNS, (breach.as_row(evidence_as_text=True) for breach in breaches)
            )
        else:
            self.write_table(day, breaches)
        if breaches:
            raise SystemExit(1)

    def write_table(self, day: datetime.date, breaches: list[compliance.Breach]) -> None:
        if not breaches:
            self.stdout.write(f"No finding as of {day}.")
            return
        header = ("kind", "grade", "zone", "party", "category", "limit", "counted", "excess", "treaty")
        table = [header] + [
            tuple(
                "" if value is None else str(value)
                for value in (b.kind, b.grade, b.zone, b.party, b.category, b.limit, b.counted, b.excess, b.treaty)
            )
            for b in breaches
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        for row in table:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        self.stdout.write(f"{len(breaches)} finding(s) as of {day}.")
