from .challenge import Challenge, Department, ReferenceCounter
from .codesign import CommunityInput, EngagementActivity
from .documents import Document
from .governance import DataAsset, DataGovernanceRecord, DataSharing, GovernanceDecision
from .questions import Addendum, Question
from .response import ResponseQuestion

__all__ = [
    "Addendum",
    "Challenge",
    "CommunityInput",
    "DataAsset",
    "DataGovernanceRecord",
    "DataSharing",
    "Department",
    "Document",
    "EngagementActivity",
    "GovernanceDecision",
    "Question",
    "ReferenceCounter",
    "ResponseQuestion",
]
