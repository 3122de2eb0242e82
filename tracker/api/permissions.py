from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from tracker.roles import has_role


class WritesByRole(IsAuthenticated):
    """Everyone signed in reads; only users in the view's ``write_role`` write (their party is checked later)."""

    message = "your role does not write these records"

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in SAFE_METHODS or has_role(request.user, view.write_role)
