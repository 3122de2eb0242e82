import datetime
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from zones import spreadsheets
from zones.importing import GISFileError, ZoneImportError, plan_zones, read_layer, save_zones
from zones.models import ZoneKind


class Command(BaseCommand):
    help = (
        "Import zones from a local GeoJSON, GeoPackage or Shapefile, reprojected to EPSG:4326. "
        "All or nothing: any rejected row is reported and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--layer", help="the layer to read, for files that hold several")
        parser.add_argument("--code-field", required=True, help="the field holding the zone code")
        parser.add_argument("--name-field", required=True, help="the field holding the zone name")
        parser.add_argument("--kind", required=True, choices=ZoneKind.values)
        parser.add_argument("--dissolve-by", help="make one zone of all features sharing this field's value")
        parser.add_argument(
            "--update", action="store_true", help="give zones that exist a new boundary instead of refusing them"
        )
        parser.add_argument(
            "--valid-from",
            type=datetime.date.fromisoformat,
            help="first day the boundaries are in force (YYYY-MM-DD); with --update, a new version from then",
        )
        parser.add_argument(
            "--reject-invalid", action="store_true", help="reject invalid geometries instead of repairing them"
        )
        parser.add_argument("--report", type=Path, help="also write the rejected rows to this CSV file")

    def handle(self, path: Path, **options):
        try:
            frame = read_layer(path, options["layer"])
            result = plan_zones(
                frame,
                options["code_field"],
                options["name_field"],
                options["dissolve_by"],
                repair=not options["reject_invalid"],
            )
            for note in result.repairs:
                self.stdout.write(f"{path.name}, {note}")
            if result.rejections:
                raise ZoneImportError(result.rejections)
            counts = save_zones(result.zones, options["kind"], options["update"], options["valid_from"])
        except GISFileError as error:
            raise CommandError(str(error)) from None
        except ZoneImportError as error:
            for rejection in error.rejections:
                self.stderr.write(f"{path.name}, {rejection}")
            if options["report"]:
                write_report(options["report"], error.rejections)
            rejected = len(error.rejections)
            raise CommandError(
                ngettext(
                    "%(file)s: %(count)d rejected row(s); nothing was written",
                    "%(file)s: %(count)d rejected row(s); nothing was written",
                    rejected,
                )
                % {"file": path.name, "count": rejected}
            ) from None
        summary = ", ".join(f"{count} {what}" for what, count in counts.items())
        self.stdout.write(f"{path.name}: {summary or 'nothing to import'}")


def write_report(path: Path, rejections) -> None:
    with path.open("w", newline="", encoding=spreadsheets.SPREADSHEET_ENCODING) as handle:
        spreadsheets.write_csv(handle, ["row", "field", "reason"], map(asdict, rejections))
