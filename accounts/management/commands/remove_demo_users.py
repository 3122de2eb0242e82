from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import ProtectedError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo


class Command(BaseCommand):
    help = (
        "Revoke the demo signing keys and delete the accounts that still log in with a demo password or the demo "
        "second factor; an account that signed records is kept, its key revoked and its logins removed."
    )

    @transaction.atomic
    def handle(self, **options):
        revoked = demo.revoke_demo_keys()
        removed, disabled = [], []
        for user in demo.still_demo().order_by("username"):
            try:
                with transaction.atomic():
                    user.delete()
                removed.append(user.username)
            except ProtectedError:  # its key and what it signed name it
                TOTPDevice.objects.filter(user=user).delete()
                user.set_unusable_password()
                user.is_active = False
                user.save(update_fields=["password", "is_active"])
                disabled.append(user.username)
        self.stdout.write(f"removed {len(removed)} demo account(s): {', '.join(removed) or 'none'}")
        if disabled:
            self.stdout.write(f"kept {len(disabled)} that signed records, with no way to log in: {', '.join(disabled)}")
        self.stdout.write(f"revoked {revoked} demo signing key(s)")
