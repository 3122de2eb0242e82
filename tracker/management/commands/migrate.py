from django.core.management.commands import migrate

from tracker.database_roles import as_owner


class Command(migrate.Command):
    help = (
        f"{migrate.Command.help} Runs as the database's owner (DATABASE_OWNER), then grants the runtime role its rows."
    )

    def handle(self, *args, **options):
        with as_owner(options["database"]):
            return super().handle(*args, **options)
