from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from tracker.models.parties import reads_everything, roles_of
from tracker.roles import has_role


class ReadsByRole(IsAuthenticated):
    """No role, no data: an account reads only once it holds one of the tracker's roles."""

    message = "your account holds no role in the tracker"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return super().has_permission(request, view) and (reads_everything(user) or bool(roles_of(user)))


class WritesByRole(ReadsByRole):
    """Every role reads; only users in the view's ``write_role`` write (their party is checked later)."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS or has_role(request.user, view.write_role):
            return True
        self.message = "your role does not write these records"
        return False
