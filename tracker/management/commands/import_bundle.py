from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker import bundle
from tracker.database_roles import as_owner

# Past this many, the rest of a bundle's bad values are counted rather than listed.
LISTED_ERRORS = 1000


class Command(BaseCommand):
    help = "Load a bundle (docs/bundle.md) in one transaction: everything or, on any bad row, nothing."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--no-progress", action="store_true", help="no progress bars on standard error")

    def handle(self, folder: Path, **options):
        progress = not options["no_progress"] and options["verbosity"] > 0
        try:
            # As the owner, the history triggers can be set aside for a set-wise write of the events.
            with as_owner():
                counts = bundle.load(folder, progress=progress)
        except bundle.BundleError as error:
            for row_error in error.errors[:LISTED_ERRORS]:
                self.stderr.write(str(row_error))
            if len(error.errors) > LISTED_ERRORS:
                more = len(error.errors) - LISTED_ERRORS
                self.stderr.write(ngettext("... and %(count)d more", "... and %(count)d more", more) % {"count": more})
            bad = len(error.errors)
            raise CommandError(
                ngettext(
                    "%(folder)s: %(count)d bad value(s); nothing was written",
                    "%(folder)s: %(count)d bad value(s); nothing was written",
                    bad,
                )
                % {"folder": folder, "count": bad}
            ) from None
        summary = ", ".join(f"{count} {what}" for what, count in counts.items())
        self.stdout.write(_("%(folder)s: loaded %(summary)s") % {"folder": folder, "summary": summary or _("nothing")})
