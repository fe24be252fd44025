"""The audit trail in the admin: searchable, never editable (DESIGN.md §5)."""

from django.contrib import admin

from core.admin import ViewOnlyAdmin

from . import selectors
from .models import AuditChainHead, AuditEntry, Notification, ReminderDelivery


@admin.register(AuditEntry)
class AuditEntryAdmin(ViewOnlyAdmin):
    list_display = [
        "sequence",
        "occurred_at",
        "actor_label",
        "object_label",
        "transition",
        "source",
        "target",
    ]
    list_filter = ["transition", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["object_label", "object_id", "actor_label", "reason", "digest"]
    date_hierarchy = "occurred_at"
    # Counting a long trail on every page load is slow and says nothing useful.
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.audit_entries_visible().select_related("content_type")

    readonly_fields = [
        "sequence",
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
        "metadata",
        "previous_digest",
        "digest",
    ]


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "last_sequence", "last_digest"]
    readonly_fields = ["last_sequence", "last_digest"]


@admin.register(Notification)
class NotificationAdmin(ViewOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "email_status"]
    list_filter = ["kind", "email_status"]
    search_fields = ["recipient__username", "title", "dedupe_key"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_queryset(self, request):
        # Sealing binds admins too: a message chosen by proposals waits for the closing.
        return selectors.notifications_for_admin().select_related("recipient")


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ViewOnlyAdmin):
    list_display = ["due_at", "audience", "recipient", "deadline_at", "offset_seconds", "status"]
    list_filter = ["audience", "status"]
    search_fields = ["recipient__username"]
    date_hierarchy = "due_at"
    show_full_result_count = False

    def get_queryset(self, request):
        # Sealing binds admins too: who is reminded to submit tells who has a draft.
        return selectors.reminders_for_admin().select_related("recipient")
