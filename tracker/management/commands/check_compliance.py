import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker import compliance, findings_register, runs
from tracker.compliance.shown import Labels
from tracker.dates import implausibility
from tracker.models import Grade
from zones import spreadsheets


def iso_date(text: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("--as-of: %(text)r is not a date (YYYY-MM-DD)") % {"text": text}) from None
    reason = implausibility(day)
    if reason:
        raise CommandError(_("--as-of: %(reason)s") % {"reason": reason})
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
                raise CommandError(_("--as-of: %(reason)s") % {"reason": error.reason}) from None
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
            self.stdout.write(_("No finding as of %(date)s.") % {"date": day})
            return
        labels = Labels()
        header = (
            _("kind"),
            _("grade"),
            _("zone"),
            _("party"),
            _("category"),
            _("limit"),
            _("counted"),
            _("excess"),
            _("treaty"),
            _("finding"),
        )
        # The kind's code (which --format json and csv carry too) first, so a line here finds its row there; its words last.
        table = [header] + [
            tuple(
                "" if value is None else str(value)
                for value in (
                    b.kind,
                    labels.grade(b.grade),
                    b.zone,
                    b.party,
                    b.category,
                    b.limit,
                    b.counted,
                    b.excess,
                    labels.treaty(b.treaty),
                    labels.kind(b.kind),
                )
            )
            for b in breaches
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        for row in table:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        self.stdout.write(
            ngettext("%(count)d finding(s) as of %(date)s.", "%(count)d finding(s) as of %(date)s.", len(breaches))
            % {"count": len(breaches), "date": day}
        )
