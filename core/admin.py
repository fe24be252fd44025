"""Admin building blocks shared by every app (DESIGN.md §6: the admin configures, it does not act).

State changes go through services, which check permissions and write the audit trail; the admin
therefore never edits a state field and offers no transition buttons. What the admin does change
(a department, a challenge's owner or wording) is recorded in the audit trail, field by field,
in the transaction of the change: every registered admin derives from `AuditedAdmin`.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMFieldMixin

from .audit import (
    audit_change,
    audit_changes,
    audit_created,
    audit_deleted,
    audit_diff,
    audit_entries_visible,
    audit_values,
    register_withheld_values,
)
from .models import ApiToken, AuditEntry


def fsm_field_names(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if isinstance(field, FSMFieldMixin)]


# The entry's reason: the trail says where a change was made (stored as written, not translated).
ADMIN_REASON = "Changed in the administration site."


def _reload(obj):
    return type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None


class AuditedAdminMixin:
    """Every add, change and delete made in the admin, inlines and bulk deletes included, writes
    an audit entry with the fields that changed, before and after."""

    def save_model(self, request, obj, form, change):
        stored = _reload(obj) if change else None
        obj._audit_before = audit_values(stored) if stored else None
        super().save_model(request, obj, form, change)
        if obj._audit_before is None:
            audit_created(obj=obj, actor=request.user, reason=ADMIN_REASON)
        else:
            audit_change(
                obj=obj,
                actor=request.user,
                action="update",
                changes=audit_diff(obj._audit_before, obj),
                reason=ADMIN_REASON,
            )

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        m2m = [f.name for f in obj._meta.many_to_many]
        before = audit_values(obj, m2m) if change else {name: [] for name in m2m}
        super().save_related(request, form, formsets, change)
        if m2m:
            audit_change(
                obj=obj,
                actor=request.user,
                action="update",
                changes=audit_diff(before, obj),
                reason=ADMIN_REASON,
            )

    def save_formset(self, request, form, formset, change):
        stored = {
            inline.pk: audit_values(_reload(inline)) for inline in formset.queryset if inline.pk
        }
        for inline in formset.deleted_forms:
            if inline.instance.pk:
                audit_deleted(obj=inline.instance, actor=request.user, reason=ADMIN_REASON)
        super().save_formset(request, form, formset, change)
        for inline in formset.new_objects:
            audit_created(obj=inline, actor=request.user, reason=ADMIN_REASON)
        for inline, _fields in formset.changed_objects:
            audit_change(
                obj=inline,
                actor=request.user,
                action="update",
                changes=audit_diff(stored.get(inline.pk, {}), inline),
                reason=ADMIN_REASON,
            )

    def delete_model(self, request, obj):
        audit_deleted(obj=obj, actor=request.user, reason=ADMIN_REASON)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_deleted(obj=obj, actor=request.user, reason=ADMIN_REASON)
            super().delete_queryset(request, queryset)


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The base of every admin: audited, and FSM fields shown but never editable."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        readonly += [name for name in fsm_field_names(self.model) if name not in readonly]
        return readonly


# The earlier name of the same base.
StateReadOnlyAdmin = AuditedAdmin


class ViewOnlyAdmin(AuditedAdmin):
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


@admin.register(AuditEntry)
class AuditEntryAdmin(ViewOnlyAdmin):
    """The trail, searchable, never editable (DESIGN.md §5). Sealed entries are left out, and
    neither sequence numbers nor digests are shown: a gap, or a link that skips a row, would tell
    before a deadline that a proposal came in. `verify_audit` checks the chain itself."""

    list_display = [
        "occurred_at",
        "actor_label",
        "object_label",
        "transition",
        "source",
        "target",
        "changed_fields",
    ]
    # No link to one entry: its address is its row number, and the gaps between the numbers of
    # the rows listed would tell that sealed entries exist.
    list_display_links = None
    list_filter = ["transition", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["object_label", "object_id", "actor_label", "reason"]
    date_hierarchy = "occurred_at"
    # Counting a long trail on every page load is slow and says nothing useful.
    show_full_result_count = False
    fields = readonly_fields = [
        "occurred_at",
        "actor",
        "actor_label",
        "content_type",
        "object_id",
        "object_label",
        "transition",
        "source",
        "target",
        "reason",
        "changed_fields",
        "metadata",
    ]

    def get_queryset(self, request):
        return audit_entries_visible().select_related("content_type")

    @admin.display(description=_("changes"))
    def changed_fields(self, entry):
        rows = audit_changes(entry)
        if not rows:
            return "—"
        withheld = _("(value withheld)")
        return "; ".join(
            f"{row['field']}: "
            + (str(withheld) if row["withheld"] else f"{row['before']!r} → {row['after']!r}")
            for row in rows
        )


# Personal API tokens: an admin sees them and may revoke one (audited); only their owner makes
# them (core.services), so the token is shown to that person alone. django-rest-knox's own admin
# is for its model, which core.ApiToken replaces (KNOX_TOKEN_MODEL): Django leaves it out.
register_withheld_values(ApiToken._meta.label, ["digest"])


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "user", "token_key", "created", "expiry"]
    search_fields = ["name", "token_key", "user__username"]
    fields = ["name", "user", "token_key", "created", "expiry"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Django's own user and group admins, audited like the rest: roles are groups, and who holds
# which role is part of the record. A password is never written into an entry.
register_withheld_values(get_user_model()._meta.label, ["password"])


class AuditedUserAdmin(AuditedAdminMixin, UserAdmin):
    def user_change_password(self, request, id, form_url=""):
        # The password form saves the user itself, not through save_model.
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            before = audit_values(user, ["password"]) if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if user is not None:
                user.refresh_from_db(fields=["password"])
                audit_change(
                    obj=user,
                    actor=request.user,
                    action="update",
                    changes=audit_diff(before, user),
                    reason=ADMIN_REASON,
                )
        return response


class AuditedGroupAdmin(AuditedAdminMixin, GroupAdmin):
    pass


# The admins of the packages the site uses (accounts and groups, sign-in lockouts), registered
# before ours, are audited too: whoever clears a lockout or edits an account leaves a trace.
_AUDITED_CLASSES = {get_user_model(): AuditedUserAdmin, Group: AuditedGroupAdmin}
for _model, _model_admin in list(admin.site._registry.items()):
    if isinstance(_model_admin, AuditedAdminMixin):
        continue
    _admin_class = _AUDITED_CLASSES.get(_model) or type(
        f"Audited{type(_model_admin).__name__}", (AuditedAdminMixin, type(_model_admin)), {}
    )
    admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)
