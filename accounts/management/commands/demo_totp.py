from django.core.management.base import BaseCommand

from accounts import demo


class Command(BaseCommand):
    help = "Print the demo accounts' current second-factor code (their TOTP secret is published for local use)."

    def handle(self, **options):
        self.stdout.write(demo.current_code())
