from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker import findings_register
from tracker.management.commands.check_compliance import iso_date


class Command(BaseCommand):
    help = "Bring the findings register to a date: new findings opened, those no longer found resolved."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the date to refresh to, YYYY-MM-DD (default: today)")

    def handle(self, *args, as_of=None, **options):
        day = iso_date(as_of) if as_of else timezone.localdate()
        try:
            entries = findings_register.refresh(day)
        except findings_register.RegisterBehind as error:
            raise CommandError(_("--as-of: %(reason)s") % {"reason": error.reason}) from None
        for entry in entries:
            self.stdout.write(f"{entry.get_event_display()}: {entry.title}")
        self.stdout.write(
            ngettext(
                "Findings register as of %(date)s: %(count)d change(s).",
                "Findings register as of %(date)s: %(count)d change(s).",
                len(entries),
            )
            % {"date": day, "count": len(entries)}
        )
