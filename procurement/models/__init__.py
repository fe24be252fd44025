from .audit import AppendOnlyError, AuditChainHead, AuditEntry
from .award import Award, DebriefRequest
from .chronograph import ChronographStep
from .notifications import Notification, PersonPreferences
from .reminders import ReminderDelivery

__all__ = [
    "AppendOnlyError",
    "AuditChainHead",
    "AuditEntry",
    "Award",
    "ChronographStep",
    "DebriefRequest",
    "Notification",
    "PersonPreferences",
    "ReminderDelivery",
]
