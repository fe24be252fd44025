"""Notifications and reminder deliveries in the admin: records, never editable."""

from django.contrib import admin

from core.admin import ViewOnlyAdmin

from . import selectors
from .models import Notification, ReminderDelivery


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
