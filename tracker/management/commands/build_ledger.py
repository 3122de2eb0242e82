from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.ledger import backlog, book
from tracker.models import TreeHead


class Command(BaseCommand):
    help = (
        "Append every accepted record not yet in the ledger (notifications, signed reports, countersignatures, "
        "concern steps, in the order they were made), in one transaction. Running it again appends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sign-with",
            metavar="DIR",
            type=Path,
            help="sign each record with DIR/<account>.pem of the account that made it (the demo's published keys, "
            "registered as demo keys: fixtures/demo_keys); a record whose maker has no file there stays unsigned",
        )
        parser.add_argument(
            "--tree-head",
            action="store_true",
            help="then sign a tree head with the tracker's key, unless one has this size",
        )

    def handle(self, *args, sign_with=None, tree_head=False, **options):
        if sign_with and not sign_with.is_dir():
            raise CommandError(_("--sign-with: %(folder)s is not a folder") % {"folder": sign_with})
        try:
            built = backlog.build(sign_with)
        except backlog.UnregisteredKey as error:
            raise CommandError(_("--sign-with: %(error)s") % {"error": error}) from None
        self.stdout.write(
            ngettext(
                "%(appended)d record(s) appended to the ledger, %(signed)d signed.",
                "%(appended)d record(s) appended to the ledger, %(signed)d signed.",
                built.appended,
            )
            % {"appended": built.appended, "signed": built.signed}
        )
        if sign_with:
            for username, count in sorted(built.unsigned.items()):
                self.stdout.write(
                    "  "
                    + _("%(count)d unsigned: %(user)s has no key in %(folder)s")
                    % {"count": count, "user": username, "folder": sign_with}
                )
        if tree_head:
            size = book.size()
            if TreeHead.objects.filter(size=size).exists():
                self.stdout.write(_("A tree head of size %(size)d is already signed.") % {"size": size})
            else:
                head = book.sign_tree_head()
                self.stdout.write(
                    _("Tree head signed: size %(size)d, root %(root)s.") % {"size": head.size, "root": head.root}
                )
