from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from tracker.roles import create_groups


class Command(BaseCommand):
    help = "Create or update the groups notifying officer, inspector, monitor and analyst with their permissions."

    def handle(self, **options):
        for group in create_groups():
            count = group.permissions.count()
            self.stdout.write(
                ngettext("%(group)s: %(count)d permission", "%(group)s: %(count)d permissions", count)
                % {"group": group.name, "count": count}
            )
