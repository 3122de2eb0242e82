import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker import compliance_report
from tracker.models import StateParty


def day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)r is not a date (YYYY-MM-DD)") % {"value": value}) from None


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
        parser.add_argument(
            "--language",
            choices=list(dict(settings.LANGUAGES)),
            default=settings.LANGUAGE_CODE,
            help="The report's language (default: LANGUAGE_CODE)",
        )

    def handle(self, *args, start, end, party, output, user, language, **options):
        with translation.override(language):
            self.write_report(start, end, party, output, user)

    def write_report(self, start: str, end: str, party: str | None, output: str, user: str | None) -> None:
        start, end = day(start), day(end)
        if start > end:
            raise CommandError(_("--from (%(start)s) is after --to (%(end)s)") % {"start": start, "end": end})
        if party is not None:
            code = party
            party = StateParty.objects.filter(code=code).first()
            if party is None:
                raise CommandError(_("--party: unknown state party %(code)r") % {"code": code})
        reader = None
        if user is not None:
            reader = get_user_model().objects.filter(username=user, is_active=True).first()
            if reader is None:
                raise CommandError(_("--user: no active user %(user)r") % {"user": user})
        report = compliance_report.gather(start, end, party, reader)
        Path(output).write_bytes(compliance_report.to_pdf(report))
        findings = ngettext("%(count)d finding", "%(count)d findings", len(report.findings)) % {
            "count": len(report.findings)
        }
        concerns = ngettext("%(count)d concern", "%(count)d concerns", len(report.concerns)) % {
            "count": len(report.concerns)
        }
        ceilings = ngettext("%(count)d ceiling", "%(count)d ceilings", len(report.ceilings)) % {
            "count": len(report.ceilings)
        }
        self.stdout.write(
            _("Wrote %(output)s: %(findings)s, %(concerns)s, %(ceilings)s")
            % {"output": output, "findings": findings, "concerns": concerns, "ceilings": ceilings}
        )
