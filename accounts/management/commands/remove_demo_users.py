from django.core.management.base import BaseCommand

from accounts import demo


class Command(BaseCommand):
    help = "Delete the accounts that still log in with a demo password or the demo second factor."

    def handle(self, **options):
        accounts = demo.still_demo()
        names = sorted(accounts.values_list("username", flat=True))
        accounts.delete()
        self.stdout.write(f"removed {len(names)} demo account(s): {', '.join(names) or 'none'}")
