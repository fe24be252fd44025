"""Notifications and reminder deliveries in the admin: records, never editable. Contracts:
drafted and signed through the services; the admin corrects a draft's wording, audited."""

from django.contrib import admin

from core.admin import AuditedAdmin, ViewOnlyAdmin

from . import selectors
from .models import Contract, ContractTerm, FollowNotice, Notification, ReminderDelivery


class ContractTermInline(admin.TabularInline):
    model = ContractTerm
    extra = 0
    fields = ["order", "topic", "text", "confidential", "source"]
    readonly_fields = ["source"]

    def _draft(self, obj) -> bool:
        return obj is not None and obj.status == Contract.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


@admin.register(Contract)
class ContractAdmin(AuditedAdmin):
    """A contract is drafted from its final award and signed by the services (the signature needs
    the signed copy); the admin shows it, and corrects a draft's terms, never its state."""

    list_display = ["challenge", "status", "value", "starts_on", "ends_on", "signed_on"]
    list_filter = ["status"]
    search_fields = ["challenge__reference", "challenge__title"]
    list_select_related = ["challenge"]
    readonly_fields = ["challenge", "award", "signed_at", "created_by", "created_at"]
    inlines = [ContractTermInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and obj.status != Contract.Status.DRAFT:
            # What was signed stays as it was signed.
            readonly += ["value", "currency", "starts_on", "ends_on", "signed_on"]
        return readonly


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


@admin.register(FollowNotice)
class FollowNoticeAdmin(ViewOnlyAdmin):
    """That a follower was told of an event: written once per follower and event."""

    list_display = ["created_at", "follow", "event", "event_key"]
    list_filter = ["event"]
    search_fields = ["follow__challenge__reference"]
    list_select_related = ["follow__challenge", "follow__user"]
    fields = ["follow", "event", "event_key", "created_at"]
    readonly_fields = fields
