"""Who may do what with a challenge and what hangs off it (DESIGN.md §1).

Predicates take the challenge, or an object that belongs to one (question, input, addendum).
"""

import rules

from core.predicates import (
    is_admin,
    is_approver,
    is_authenticated,
    is_staff_member,
    is_vendor,
)

from .input_stages import open_input_stage
from .models import Challenge


def _challenge(obj):
    if obj is None:
        return None
    return obj if isinstance(obj, Challenge) else obj.challenge


@rules.predicate
def is_challenge_owner(user, obj):
    challenge = _challenge(obj)
    return challenge is not None and challenge.owner_id == user.pk


@rules.predicate
def is_public_challenge(user, obj):
    challenge = _challenge(obj)
    return challenge is not None and challenge.is_public


@rules.predicate
def is_statement_editable(user, obj):
    challenge = _challenge(obj)
    return challenge is not None and challenge.status in Challenge.EDITABLE_STATES


@rules.predicate
def is_schedulable(user, obj):
    challenge = _challenge(obj)
    return challenge is not None and challenge.status in Challenge.SCHEDULABLE_STATES


@rules.predicate
def is_in_co_design(user, obj):
    challenge = _challenge(obj)
    return challenge is not None and challenge.in_consultation


@rules.predicate
def is_open_for_input(user, obj):
    """Residents may give input now: co-design, or a stage an app above opens (a running pilot)."""
    challenge = _challenge(obj)
    return challenge is not None and open_input_stage(challenge) is not None


@rules.predicate
def is_open_for_proposals(user, obj):
    challenge = _challenge(obj)
    return challenge is not None and challenge.open_for_proposals


@rules.predicate
def was_published(user, obj):
    """The challenge was opened for proposals once (whatever happened since)."""
    challenge = _challenge(obj)
    return challenge is not None and challenge.published_at is not None


is_internal = is_staff_member | is_approver | is_admin
owns_it = is_staff_member & is_challenge_owner

rules.add_perm("challenges.view_challenge", is_public_challenge | is_internal)
rules.add_perm("challenges.view_challenge_history", is_internal)
rules.add_perm("challenges.add_challenge", is_staff_member)
rules.add_perm("challenges.change_challenge", owns_it & is_statement_editable)
rules.add_perm("challenges.schedule_challenge", owns_it & is_schedulable)
rules.add_perm("challenges.manage_challenge", owns_it)
# Four eyes: an approver never approves a challenge they own.
rules.add_perm("challenges.approve_challenge", is_approver & ~is_challenge_owner)


@rules.predicate
def is_engagement_open(user, obj):
    """Residents are engaged from co-design until the pilot ends, not only once."""
    from .reach import engagement_open

    challenge = _challenge(obj)
    return challenge is not None and engagement_open(challenge)


rules.add_perm("challenges.add_engagementactivity", owns_it & is_engagement_open)
# No account needed: the form and the API limit how often one client may send (input_limits).
rules.add_perm("challenges.add_communityinput", is_open_for_input)
rules.add_perm("challenges.moderate_communityinput", owns_it)
rules.add_perm("challenges.view_pending_communityinput", is_internal)
# Following (docs/engagement.md): anyone signed in, any challenge the public may read; without an
# account, by a confirmed e-mail address (challenges.follow_services).
rules.add_perm("challenges.follow_challenge", is_authenticated & is_public_challenge)

# Reach targets and the reason they were not met are what the approver weighs the co-design
# against: set before review and fixed by it, like the statement (docs/engagement.md).
rules.add_perm("challenges.set_reach_targets", owns_it & is_statement_editable)
rules.add_perm("challenges.view_reach", is_public_challenge | is_internal)

# The data governance record (docs/data-governance.md): part of the statement, so written under
# the same rule; read by the public once the challenge is, minus its confidential rows.
rules.add_perm("challenges.change_datagovernance", owns_it & is_statement_editable)
rules.add_perm("challenges.view_datagovernance", is_public_challenge | is_internal)
rules.add_perm("challenges.view_confidential_governance", is_internal)

rules.add_perm("challenges.ask_question", is_vendor & is_open_for_proposals)
rules.add_perm("challenges.answer_question", owns_it)
# Staff may see who asked; answers are published to everyone without the asker's identity.
rules.add_perm("challenges.view_question_asker", is_internal)

rules.add_perm("challenges.add_addendum", owns_it & is_open_for_proposals)
rules.add_perm("challenges.issue_addendum", owns_it)


@rules.predicate
def is_draft_addendum(user, addendum):
    return addendum is not None and getattr(addendum, "status", None) == "draft"


# A draft addendum is the owner's work in progress; once issued it is published record, never
# changed (a later addendum corrects it).
rules.add_perm("challenges.change_addendum", owns_it & is_draft_addendum)
rules.add_perm("challenges.delete_addendum", owns_it & is_draft_addendum)


# Reading single rows through the API (objects a reader may not see answer 404).


@rules.predicate
def is_question_asker(user, question):
    return question is not None and question.asked_by_id == getattr(user, "pk", None)


@rules.predicate
def is_answered(user, question):
    return question is not None and question.status == "answered"


@rules.predicate
def is_issued(user, addendum):
    return addendum is not None and addendum.status == "issued"


# Published community input is read by everyone while the challenge is in consultation and after.
rules.add_perm(
    "challenges.view_communityinput", is_public_challenge | is_in_co_design | is_internal
)
rules.add_perm(
    "challenges.view_question",
    is_internal | (is_public_challenge & (is_answered | is_question_asker)),
)
rules.add_perm("challenges.view_addendum", is_internal | (is_public_challenge & is_issued))

# Templates: any member of staff may start a new challenge (their own draft) from an earlier one.
rules.add_perm("challenges.copy_challenge", is_staff_member)
