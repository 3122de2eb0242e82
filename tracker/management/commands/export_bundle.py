from pathlib import Path

from django.core.management.base import BaseCommand

from tracker import bundle


class Command(BaseCommand):
    help = "Write the whole database as a bundle (docs/bundle.md) that import_bundle loads back."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, folder: Path, **options):
        counts = bundle.export(folder)
        summary = ", ".join(f"{count} rows in {name}" for name, count in counts.items())
        self.stdout.write(f"{folder}: {summary}")
