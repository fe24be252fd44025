from .award import Award, DebriefRequest
from .chronograph import ChronographStep
from .contract import Contract, ContractTerm
from .notifications import FollowNotice, Notification, OutgoingEmail, PersonPreferences
from .pilot import Measurement, Milestone, OutcomeIndicator, Pilot
from .reminders import ReminderDelivery

__all__ = [
    "Award",
    "ChronographStep",
    "Contract",
    "ContractTerm",
    "DebriefRequest",
    "FollowNotice",
    "Notification",
    "OutgoingEmail",
    "PersonPreferences",
    "Measurement",
    "Milestone",
    "OutcomeIndicator",
    "Pilot",
    "ReminderDelivery",
]
