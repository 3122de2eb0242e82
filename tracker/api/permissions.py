from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from accounts.tokens import may_write
from tracker.models.parties import reads_everything, roles_of
from tracker.roles import has_role


class ReadsByRole(IsAuthenticated):
    """No role, no data: an account reads only once it holds one of the tracker's roles."""

    message = gettext_lazy("your account holds no role in the tracker")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return super().has_permission(request, view) and (reads_everything(user) or bool(roles_of(user)))


class WritesByRole(ReadsByRole):
    """Every role reads; only users in the view's ``write_role`` write (their party is checked later), with
    credentials that may write: a read-write token, or a session that passed the second factor."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        if not self.writes(request.user, view):
            self.message = _("your role does not write these records")
            return False
        if not may_write(request):
            self.message = _(
                "these credentials only read: write with a read-write token from /api/auth/login/ "
                "(your second-factor code included), or from an admin session that gave it"
            )
            return False
        return True

    def writes(self, user, view) -> bool:
        return has_role(user, view.write_role)
