from .challenge import Challenge, Department, ReferenceCounter
from .codesign import CommunityInput, EngagementActivity
from .questions import Addendum, Question
from .response import ResponseQuestion

__all__ = [
    "Addendum",
    "Challenge",
    "CommunityInput",
    "Department",
    "EngagementActivity",
    "Question",
    "ReferenceCounter",
    "ResponseQuestion",
]
