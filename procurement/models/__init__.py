from .audit import AppendOnlyError, AuditChainHead, AuditEntry
from .chronograph import ChronographStep
from .notifications import Notification, PersonPreferences
from .reminders import ReminderDelivery

__all__ = [
    "AppendOnlyError",
    "AuditChainHead",
    "AuditEntry",
    "ChronographStep",
    "Notification",
    "PersonPreferences",
    "ReminderDelivery",
]
