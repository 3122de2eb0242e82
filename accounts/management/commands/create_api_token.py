import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import tokens
from accounts.models import Scope


class Command(BaseCommand):
    help = (
        "Issue an API token for USERNAME and print it once (only its digest is kept). It acts with the user's roles; "
        "--read-only makes it read whatever the roles."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--read-only", action="store_true", help="a token that never writes")
        parser.add_argument("--hours", type=int, help="hours until it expires (default: API_TOKEN_TTL_HOURS)")

    def handle(self, username, read_only, hours, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if hours is not None and hours < 1:
            raise CommandError("--hours: at least 1")
        ttl = datetime.timedelta(hours=hours) if hours else None
        token, secret = tokens.issue(user, Scope.READ if read_only else Scope.READ_WRITE, ttl)
        self.stderr.write(
            f"{token.get_scope_display()} token for {username}, expires {token.expiry:%Y-%m-%d %H:%M} UTC"
        )
        self.stdout.write(secret)
