"""Who may group input into themes and record "you said, we did" (docs/engagement.md).

Only the challenge's owner writes it, from co-design (when residents start to speak) through
review, the call and evaluation to the end of the pilot (the challenge stays awarded while its
pilot runs): what changed in the statement, a criterion or a pilot measure is known only over
that whole span. A draft has no input yet; a cancelled challenge is closed for good, and its
themes stay as they were. Everyone reads the themes once the challenge is public.
"""

import rules

from .models import Challenge
from .rules import _challenge, is_internal, is_public_challenge, owns_it

THEME_STATES = (
    Challenge.Status.CO_DESIGN,
    Challenge.Status.IN_REVIEW,
    Challenge.Status.APPROVED,
    Challenge.Status.PUBLISHED,
    Challenge.Status.CLOSED,
    Challenge.Status.EVALUATING,
    Challenge.Status.AWARDED,
    Challenge.Status.NOT_AWARDED,
)


@rules.predicate
def is_theme_stage(user, obj):
    challenge = _challenge(obj)
    return challenge is not None and challenge.status in THEME_STATES


rules.add_perm("challenges.change_inputtheme", owns_it & is_theme_stage)
rules.add_perm("challenges.view_inputtheme", is_public_challenge | is_internal)
