from django.core.management.base import BaseCommand

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
            self.stdout.write("Site zones and zone totals rebuilt from scratch.")
        found = derived.verify(first=show)
        for differences in found:
            if differences.count:
                self.stdout.write(f"{differences.what}: {differences.count} differ, first {len(differences.first)}:")
                for difference in differences.first:
                    self.stdout.write(
                        f"  {describe(difference.key)}: recomputed {describe(difference.recomputed)},"
                        f" stored {describe(difference.stored)}"
                    )
        if any(differences.count for differences in found):
            raise SystemExit(1)
        self.stdout.write("Site zones and zone totals match a recomputation from scratch.")


def describe(values: dict | None) -> str:
    return "no row" if values is None else " ".join(f"{name}={value}" for name, value in values.items())
