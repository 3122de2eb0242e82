from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from tracker import bundle


class Command(BaseCommand):
    help = "Write the whole database as a bundle (docs/bundle.md) that import_bundle loads back."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, folder: Path, **options):
        counts = bundle.export(folder)
        summary = ", ".join(
            ngettext("%(count)d row in %(file)s", "%(count)d rows in %(file)s", count) % {"count": count, "file": name}
            for name, count in counts.items()
        )
        self.stdout.write(f"{folder}: {summary}")
