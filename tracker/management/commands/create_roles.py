from django.core.management.base import BaseCommand

from tracker.roles import create_groups


class Command(BaseCommand):
    help = "Create or update the groups notifying officer, inspector, monitor and analyst with their permissions."

    def handle(self, **options):
        for group in create_groups():
            self.stdout.write(f"{group.name}: {group.permissions.count()} permissions")
