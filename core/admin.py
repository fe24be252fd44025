"""Admin building blocks shared by every app (DESIGN.md §6: the admin configures, it does not act).

State changes go through services, which check permissions and write the audit trail; the admin
therefore never edits a state field and offers no transition buttons.
"""

from django.contrib import admin
from django_fsm import FSMFieldMixin


def fsm_field_names(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if isinstance(field, FSMFieldMixin)]


class StateReadOnlyAdmin(admin.ModelAdmin):
    """Shows every FSM field of the model but never lets the admin form change it."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        readonly += [name for name in fsm_field_names(self.model) if name not in readonly]
        return readonly


class ViewOnlyAdmin(StateReadOnlyAdmin):
    """A record made by the services (or the audit trail): the admin may look, not touch."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyInline(admin.TabularInline):
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
