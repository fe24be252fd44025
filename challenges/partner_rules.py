"""Who may work with community partners and record input gathered offline (docs/engagement.md).

The owner links partner organizations to a challenge and may name, for each, a contact person
with an account: that contact records input the partner gathered on paper, by phone or at a
pop-up, while input is open, like the owner. Recorded input is moderated like any other.
"""

import rules

from core.predicates import is_staff_member

from .models import ChallengePartner
from .rules import _challenge, is_open_for_input, owns_it


@rules.predicate
def is_recording_partner(user, obj):
    """The user is the contact person of one of the challenge's partner organizations."""
    challenge = _challenge(obj)
    if challenge is None or not getattr(user, "is_authenticated", False):
        return False
    return ChallengePartner.objects.filter(challenge=challenge, contact_user=user).exists()


rules.add_perm(
    "challenges.record_offline_input", is_open_for_input & (owns_it | is_recording_partner)
)
rules.add_perm("challenges.manage_partners", owns_it)
# The list of organizations is shared by every challenge; any member of staff may add to it.
rules.add_perm("challenges.add_partnerorganization", is_staff_member)
