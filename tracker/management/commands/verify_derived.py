from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tracker import derived


class Command(BaseCommand):
    help = (
        "Recompute every site's zone set and every zone total from scratch and compare them with the "
        "stored ones; list the differences and exit 1 when there is any, 0 when none."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="first replace the stored rows with recomputed ones, in one transaction that writers wait for",
        )
        parser.add_argument("--show", type=int, default=20, help="differences listed per kind (default 20)")

    def handle(self, *args, rebuild=False, show=20, **options):
        if rebuild:
            derived.rebuild()
            self.stdout.write(_("Site zones and zone totals rebuilt from scratch."))
        found = derived.verify(first=show)
        for differences in found:
            if differences.count:
                self.stdout.write(
                    _("%(what)s: %(count)d differ, first %(first)d:")
                    % {"what": differences.what, "count": differences.count, "first": len(differences.first)}
                )
                for difference in differences.first:
                    self.stdout.write(
                        "  "
                        + _("%(key)s: recomputed %(recomputed)s, stored %(stored)s")
                        % {
                            "key": describe(difference.key),
                            "recomputed": describe(difference.recomputed),
                            "stored": describe(difference.stored),
                        }
                    )
        if any(differences.count for differences in found):
            raise SystemExit(1)
        self.stdout.write(_("Site zones and zone totals match a recomputation from scratch."))


def describe(values: dict | None) -> str:
    return _("no row") if values is None else " ".join(f"{name}={value}" for name, value in values.items())
