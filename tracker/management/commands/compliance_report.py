import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tracker import compliance_report
from tracker.models import StateParty


def day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Write the compliance report for a period (and a party) as a PDF: findings by grade and state, concerns "
        "and their answers, ceilings with headroom, a map of the zones, charts of counted against limit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="First day of the period, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="Last day of the period, YYYY-MM-DD")
        parser.add_argument("--party", help="Only this state party's findings, concerns and ceilings (its code)")
        parser.add_argument("--output", default="report.pdf", help="Where to write the PDF (default report.pdf)")
        parser.add_argument(
            "--user", help="Show only what this user may read; without it, everything (as an administrator sees it)"
        )

    def handle(self, *args, start, end, party, output, user, **options):
        start, end = day(start), day(end)
        if start > end:
            raise CommandError(f"--from ({start}) is after --to ({end})")
        if party is not None:
            code = party
            party = StateParty.objects.filter(code=code).first()
            if party is None:
                raise CommandError(f"--party: unknown state party {code!r}")
        reader = None
        if user is not None:
            reader = get_user_model().objects.filter(username=user, is_active=True).first()
            if reader is None:
                raise CommandError(f"--user: no active user {user!r}")
        report = compliance_report.gather(start, end, party, reader)
        Path(output).write_bytes(compliance_report.to_pdf(report))
        self.stdout.write(
            f"Wrote {output}: {len(report.findings)} findings, {len(report.concerns)} concerns, "
            f"{len(report.ceilings)} ceilings"
        )
