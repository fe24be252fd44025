"""Every write of the procurement pipeline's notifications, reminders and preferences."""

from .notifications import (
    Message,
    notification_create,
    notification_email_send,
    notification_mark_read,
    notifications_create,
    notifications_mark_all_read,
    outbox_sweep,
    preferences_for,
)
from .preferences import calendar_token_regenerate, preferences_update
from .reminders import reminders_deliver_due, reminders_plan

__all__ = [
    "Message",
    "calendar_token_regenerate",
    "notification_create",
    "notification_email_send",
    "notification_mark_read",
    "notifications_create",
    "notifications_mark_all_read",
    "outbox_sweep",
    "preferences_for",
    "preferences_update",
    "reminders_deliver_due",
    "reminders_plan",
]
