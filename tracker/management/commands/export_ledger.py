from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker.ledger.export import export
from tracker.models import StateParty


class Command(BaseCommand):
    help = (
        "Write the ledger, its records serialised anew from the tables, the signing keys, tree heads and receipts "
        "into DIR (new or empty), for `python -m tracker.verify DIR` to check offline (docs/ledger.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, metavar="DIR")
        parser.add_argument(
            "--party", help="Only what this state party may read (its code): of other entries, the leaf hash alone"
        )

    def handle(self, *args, folder: Path, party: str | None, **options):
        if party is not None:
            code, party = party, StateParty.objects.filter(code=party).first()
            if party is None:
                raise CommandError(_("--party: unknown state party %(code)r") % {"code": code})
        if folder.exists() and not folder.is_dir():
            raise CommandError(_("%(folder)s is not a directory") % {"folder": folder})
        if folder.is_dir() and any(folder.iterdir()):
            raise CommandError(_("%(folder)s is not empty: export into a new or empty directory") % {"folder": folder})
        try:
            done = export(folder, party)
        except OSError as error:
            raise CommandError(
                _("%(folder)s: cannot write the export (%(error)s)")
                % {"folder": folder, "error": error.strerror or error}
            ) from None
        self.stdout.write(
            _(
                "%(folder)s: %(entries)d entries (%(withheld)d withheld), %(keys)d keys, %(heads)d tree heads, "
                "%(receipts)d receipts. Check it with: python -m tracker.verify %(folder)s"
            )
            % {
                "folder": folder,
                "entries": done.entries,
                "withheld": done.withheld,
                "keys": done.keys,
                "heads": done.heads,
                "receipts": done.receipts,
            }
        )
