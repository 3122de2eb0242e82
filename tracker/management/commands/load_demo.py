from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tracker.models import StateParty

DEMO_BUNDLE = settings.BASE_DIR / "fixtures" / "demo"


class Command(BaseCommand):
    help = "Load the demo scenario (fixtures/demo) unless the database already holds data."

    def handle(self, **options):
        if StateParty.objects.exists():
            self.stdout.write(_("The database already holds data; the demo scenario is not loaded again."))
            return
        call_command("import_bundle", DEMO_BUNDLE, stdout=self.stdout, stderr=self.stderr)
