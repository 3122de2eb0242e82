"""Per-party writing in the admin: every object asks tracker.roles, so a hidden button is never the only guard."""

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db.models import ForeignKey, TextField
from django.forms import Textarea
from django.http import Http404
from django.utils.translation import gettext

from tracker.admin.audit import AuditedAdmin
from tracker.models import StateParty
from tracker.roles import party_of

# Remarks, reports and sources run to a few lines; tall boxes push what follows off the screen.
SHORT_TEXT_AREAS = {TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 80})}}


class ReadOnlyAdmin:
    """Records the admin shows and no one writes there: kept by the engine, the register or a queue."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadScopedAdmin(AuditedAdmin):
    """Lists, pages and searches show only what the user may read (the model's ``visible_to``).

    Anything else is simply not found, with the same answer as a record that does not exist.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        # Not the admin's redirect to the index: a row outside the user's view is simply not found.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(
                gettext("no %(record)s %(id)s among those you may see")
                % {"record": self.opts.verbose_name, "id": object_id}
            )
        return obj


class PartyScopedAdmin(ReadScopedAdmin):
    """Everyone who may read an object reads it; it is written only by a user acting for its party."""

    party_field = "party"
    formfield_overrides = SHORT_TEXT_AREAS

    @staticmethod
    def may_write(user, party: StateParty | None) -> bool:
        raise NotImplementedError

    def writes_for(self, request, obj) -> bool:
        return obj is None or self.may_write(request.user, getattr(obj, self.party_field))

    def has_add_permission(self, request) -> bool:
        acts_for_a_party = request.user.is_superuser or party_of(request.user) is not None
        return super().has_add_permission(request) and acts_for_a_party

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self.writes_for(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self.writes_for(request, obj)

    def formfield_for_foreignkey(self, db_field: ForeignKey, request, **kwargs):
        if db_field.name == self.party_field and not request.user.is_superuser:
            kwargs["queryset"] = StateParty.objects.filter(accreditations__user=request.user)
            kwargs["initial"] = party_of(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LinesInline(admin.TabularInline):
    """A parent's lines are written by whoever may write the parent (``parent_writable``), and by no one else."""

    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A line picks a site or category; editing those from every row is clutter.
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            field.widget.can_change_related = field.widget.can_view_related = False
            field.widget.can_delete_related = False
        return field

    @staticmethod
    def parent_writable(request, parent) -> bool:
        raise NotImplementedError

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and self.parent_writable(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self.parent_writable(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self.parent_writable(request, obj)
