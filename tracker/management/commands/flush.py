from django.core.management.commands import flush

from tracker.database_roles import as_owner


class Command(flush.Command):
    help = f"{flush.Command.help} Runs as the database's owner (DATABASE_OWNER): the runtime role may not truncate."

    def handle(self, **options):
        with as_owner(options["database"]):
            return super().handle(**options)
