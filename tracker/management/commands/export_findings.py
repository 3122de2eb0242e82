import datetime
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from tracker.compliance import evaluate
from tracker.findings import FORMATS, write_findings


class Command(BaseCommand):
    help = "Write the breaches found as of a date, with their geometry and evidence, to a GIS file or a table."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--format", choices=FORMATS, required=True)

    def handle(self, path: Path, as_of: datetime.date, **options):
        count = write_findings(evaluate(as_of), path, options["format"])
        self.stdout.write(
            ngettext(
                "%(path)s: %(count)d breach(es) as of %(date)s", "%(path)s: %(count)d breach(es) as of %(date)s", count
            )
            % {"path": path, "count": count, "date": as_of}
        )
