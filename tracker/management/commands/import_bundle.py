from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker import bundle


class Command(BaseCommand):
    help = "Load a bundle (docs/bundle.md) in one transaction: everything or, on any bad row, nothing."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, folder: Path, **options):
        try:
            counts = bundle.load(folder)
        except bundle.BundleError as error:
            for row_error in error.errors:
                self.stderr.write(str(row_error))
            raise CommandError(f"{folder}: {len(error.errors)} bad row(s); nothing was written") from None
        summary = ", ".join(f"{count} {what}" for what, count in counts.items())
        self.stdout.write(f"{folder}: loaded {summary or 'nothing'}")
