from .challenge import Challenge, Department, ReferenceCounter
from .codesign import CommunityInput, EngagementActivity, EngagementStage
from .documents import Document
from .engagement import (
    ActivityReach,
    ChallengePartner,
    Follow,
    InputTheme,
    PartnerOrganization,
    PriorityGroup,
    ReachTarget,
)
from .governance import DataAsset, DataGovernanceRecord, DataSharing, GovernanceDecision
from .questions import Addendum, Question
from .response import ResponseQuestion

__all__ = [
    "ActivityReach",
    "Addendum",
    "Challenge",
    "ChallengePartner",
    "CommunityInput",
    "DataAsset",
    "DataGovernanceRecord",
    "DataSharing",
    "Department",
    "Document",
    "EngagementActivity",
    "EngagementStage",
    "Follow",
    "GovernanceDecision",
    "InputTheme",
    "PartnerOrganization",
    "PriorityGroup",
    "Question",
    "ReachTarget",
    "ReferenceCounter",
    "ResponseQuestion",
]
