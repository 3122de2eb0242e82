from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from accounts import demo, second_factor
from tracker.models import Accreditation, StateParty
from tracker.roles import create_groups


class Command(BaseCommand):
    help = (
        "Create the role groups and the local demo logins (admin/admin; officer-ukr, monitor… with password demo), "
        "each writing role with the demo second factor, each officer and inspector with the demo signing key."
    )

    def handle(self, **options):
        groups = {group.name: group for group in create_groups()}
        User = get_user_model()
        if not User.objects.filter(username=demo.ADMIN[0]).exists():
            User.objects.create_superuser(demo.ADMIN[0], "admin@localhost", demo.ADMIN[1])
        for username, role, party_code in demo.DEMO_USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
            if created:
                user.set_password(demo.DEMO_PASSWORD)
                user.save()
            user.groups.add(groups[role])
            party = StateParty.objects.filter(code=party_code).first() if party_code else None
            if party is not None:
                Accreditation.objects.update_or_create(user=user, defaults={"party": party})
        for user in demo.with_demo_password():
            if second_factor.required(user):
                demo.give_demo_device(user)
        demo.register_demo_keys()
