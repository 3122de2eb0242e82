from django.core.management.base import BaseCommand

from tracker import derived


class Command(BaseCommand):
    help = (
        "Fold the zone-total rows of each key (those writers appended while another was folding) into "
        "one, and drop rows that sum to nothing. No total changes."
    )

    def handle(self, *args, **options):
        folded, kept = derived.compact_zone_totals()
        self.stdout.write(f"Zone totals compacted: {folded} rows folded into {kept}.")
