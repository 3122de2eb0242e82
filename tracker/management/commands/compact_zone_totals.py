from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tracker import derived


class Command(BaseCommand):
    help = (
        "Fold the zone-total rows of each key (those writers appended while another was folding) into "
        "one, and drop rows that sum to nothing. No total changes."
    )

    def handle(self, *args, **options):
        folded, kept = derived.compact_zone_totals()
        self.stdout.write(
            _("Zone totals compacted: %(folded)d rows folded into %(kept)d.") % {"folded": folded, "kept": kept}
        )
