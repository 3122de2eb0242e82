from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from tracker.models import Accreditation, StateParty
from tracker.roles import Role, create_groups

# Local demo logins only: the tracker started by `make run` listens on 127.0.0.1.
DEMO_PASSWORD = "demo"
DEMO_USERS = [
    ("officer-ukr", Role.OFFICER, "UKR"),
    ("officer-rus", Role.OFFICER, "RUS"),
    ("inspector-ukr", Role.INSPECTOR, "UKR"),
    ("inspector-rus", Role.INSPECTOR, "RUS"),
    ("analyst", Role.ANALYST, None),
    ("monitor", Role.MONITOR, None),
]


class Command(BaseCommand):
    help = "Create the role groups and the local demo logins (admin/admin; officer-ukr, monitor… with password demo)."

    def handle(self, **options):
        groups = {group.name: group for group in create_groups()}
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@localhost", "admin")
        for username, role, party_code in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(groups[role])
            party = StateParty.objects.filter(code=party_code).first() if party_code else None
            if party is not None:
                Accreditation.objects.update_or_create(user=user, defaults={"party": party})
