"""Every challenge permission × every persona, on a challenge in the state that matters.

root is the superuser: admin is configuration only, so root passes no procurement step.
"""

import pytest
import rules
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from core.permissions import can
from tests.factories import (
    AddendumFactory,
    ChallengeFactory,
    ChallengePartnerFactory,
    CommunityInputFactory,
    DocumentFactory,
    QuestionFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "rita", "dave", "alice", "bob", "carol", "root")
INTERNAL = {"alice", "bob", "carol", "root"}
STAFF = {"alice", "bob", "carol"}

# (permission, state of alice's challenge, object it is asked about, personas who pass)
MATRIX = [
    ("challenges.view_challenge", "draft", "challenge", INTERNAL),
    ("challenges.view_challenge", "in_review", "challenge", INTERNAL),
    ("challenges.view_challenge", "published", "challenge", set(PERSONAS)),
    ("challenges.view_challenge", "awarded", "challenge", set(PERSONAS)),
    ("challenges.view_challenge_history", "published", "challenge", INTERNAL),
    ("challenges.add_challenge", None, None, STAFF),
    ("challenges.copy_challenge", "published", "challenge", STAFF),
    ("challenges.change_challenge", "draft", "challenge", {"alice"}),
    ("challenges.change_challenge", "co_design", "challenge", {"alice"}),
    ("challenges.change_challenge", "in_review", "challenge", set()),
    ("challenges.change_challenge", "published", "challenge", set()),
    ("challenges.schedule_challenge", "in_review", "challenge", {"alice"}),
    ("challenges.schedule_challenge", "approved", "challenge", {"alice"}),
    ("challenges.schedule_challenge", "published", "challenge", set()),
    ("challenges.manage_challenge", "draft", "challenge", {"alice"}),
    ("challenges.manage_challenge", "published", "challenge", {"alice"}),
    ("challenges.approve_challenge", "in_review", "challenge", {"carol"}),
    ("challenges.add_engagementactivity", "co_design", "challenge", {"alice"}),
    ("challenges.add_engagementactivity", "draft", "challenge", set()),
    # Engagement goes on through the call and the pilot, not once the challenge has ended.
    ("challenges.add_engagementactivity", "published", "challenge", {"alice"}),
    ("challenges.add_engagementactivity", "awarded", "challenge", {"alice"}),
    ("challenges.add_engagementactivity", "not_awarded", "challenge", set()),
    ("challenges.add_engagementactivity", "cancelled", "challenge", set()),
    # Reach targets are fixed with the statement when it goes to review.
    ("challenges.set_reach_targets", "draft", "challenge", {"alice"}),
    ("challenges.set_reach_targets", "co_design", "challenge", {"alice"}),
    ("challenges.set_reach_targets", "in_review", "challenge", set()),
    ("challenges.set_reach_targets", "published", "challenge", set()),
    ("challenges.view_reach", "draft", "challenge", INTERNAL),
    ("challenges.view_reach", "co_design", "challenge", set(PERSONAS)),
    ("challenges.view_reach", "in_review", "challenge", INTERNAL),
    ("challenges.view_reach", "awarded", "challenge", set(PERSONAS)),
    # No account needed; the form and the API limit how often one client sends.
    ("challenges.add_communityinput", "co_design", "challenge", set(PERSONAS)),
    ("challenges.add_communityinput", "published", "challenge", set()),
    # Awarded without a running pilot (feedback during the pilot: tests/procurement).
    ("challenges.add_communityinput", "awarded", "challenge", set()),
    ("challenges.moderate_communityinput", "co_design", "input", {"alice"}),
    ("challenges.view_pending_communityinput", "co_design", "challenge", INTERNAL),
    # Input gathered offline: the owner, or the contact of one of the challenge's partners
    # (rita below), while input is open; moderation stays the owner's.
    ("challenges.record_offline_input", "co_design", "challenge", {"alice"}),
    ("challenges.record_offline_input", "co_design", "partnered", {"alice", "rita"}),
    ("challenges.record_offline_input", "draft", "partnered", set()),
    ("challenges.record_offline_input", "published", "partnered", set()),
    ("challenges.record_offline_input", "awarded", "partnered", set()),
    ("challenges.moderate_communityinput", "co_design", "partnered", {"alice"}),
    ("challenges.manage_partners", "draft", "challenge", {"alice"}),
    ("challenges.manage_partners", "co_design", "partnered", {"alice"}),
    ("challenges.manage_partners", "awarded", "challenge", {"alice"}),
    ("challenges.add_partnerorganization", None, None, STAFF),
    # "You said, we did": the owner writes it from co-design on; everyone reads it once public.
    ("challenges.change_inputtheme", "draft", "challenge", set()),
    ("challenges.change_inputtheme", "co_design", "challenge", {"alice"}),
    ("challenges.change_inputtheme", "awarded", "challenge", {"alice"}),
    ("challenges.change_inputtheme", "cancelled", "challenge", set()),
    ("challenges.view_inputtheme", "draft", "challenge", INTERNAL),
    ("challenges.view_inputtheme", "published", "challenge", set(PERSONAS)),
    # Following with an account; without one, by a confirmed e-mail (tests/challenges/test_follow*).
    ("challenges.follow_challenge", "draft", "challenge", set()),
    ("challenges.follow_challenge", "published", "challenge", set(PERSONAS) - {"anonymous"}),
    ("challenges.ask_question", "published", "challenge", {"dave"}),
    ("challenges.ask_question", "approved", "challenge", set()),
    ("challenges.ask_question", "closed", "challenge", set()),
    ("challenges.answer_question", "published", "question", {"alice"}),
    ("challenges.view_question_asker", "published", "question", INTERNAL),
    ("challenges.add_addendum", "published", "challenge", {"alice"}),
    ("challenges.add_addendum", "closed", "challenge", set()),
    ("challenges.issue_addendum", "published", "addendum", {"alice"}),
    ("challenges.change_addendum", "published", "addendum", {"alice"}),
    ("challenges.change_addendum", "published", "issued_addendum", set()),
    ("challenges.delete_addendum", "published", "addendum", {"alice"}),
    ("challenges.delete_addendum", "published", "issued_addendum", set()),
    ("challenges.view_communityinput", "draft", "input", INTERNAL),
    ("challenges.view_communityinput", "co_design", "input", set(PERSONAS)),
    ("challenges.view_question", "published", "question", INTERNAL),
    ("challenges.view_question", "published", "question_by_dave", INTERNAL | {"dave"}),
    ("challenges.view_question", "published", "answered_question", set(PERSONAS)),
    ("challenges.view_addendum", "published", "addendum", INTERNAL),
    ("challenges.view_addendum", "published", "issued_addendum", set(PERSONAS)),
    ("challenges.change_datagovernance", "draft", "challenge", {"alice"}),
    ("challenges.change_datagovernance", "co_design", "challenge", {"alice"}),
    ("challenges.change_datagovernance", "in_review", "challenge", set()),
    ("challenges.change_datagovernance", "published", "challenge", set()),
    ("challenges.view_datagovernance", "draft", "challenge", INTERNAL),
    ("challenges.view_datagovernance", "in_review", "challenge", INTERNAL),
    ("challenges.view_datagovernance", "published", "challenge", set(PERSONAS)),
    ("challenges.view_confidential_governance", "published", "challenge", INTERNAL),
    ("challenges.view_document", "draft", "document", INTERNAL),
    ("challenges.view_document", "published", "document", set(PERSONAS)),
    ("challenges.view_document", "published", "confidential_document", INTERNAL),
    ("challenges.view_document", "published", "withdrawn_document", set(PERSONAS)),
    ("challenges.download_document", "draft", "document", INTERNAL),
    ("challenges.download_document", "published", "document", set(PERSONAS)),
    ("challenges.download_document", "published", "confidential_document", INTERNAL),
    ("challenges.download_document", "published", "withdrawn_document", INTERNAL),
    ("challenges.manage_documents", "draft", "challenge", {"alice"}),
    ("challenges.manage_documents", "published", "challenge", {"alice"}),
]


@pytest.fixture
def people(rita, dave, alice, bob, carol, root):
    return {
        "anonymous": AnonymousUser(),
        "rita": rita,
        "dave": dave,
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "root": root,
    }


def subject(kind, state, challenge, dave):
    if kind is None:
        return None
    set_status(challenge, state)
    if kind == "input":
        return CommunityInputFactory(challenge=challenge)
    if kind == "question":
        return QuestionFactory(challenge=challenge)
    if kind == "question_by_dave":
        return QuestionFactory(challenge=challenge, asked_by=dave)
    if kind == "answered_question":
        return set_status(QuestionFactory(challenge=challenge), "answered", answer="Yes.")
    if kind == "addendum":
        return AddendumFactory(challenge=challenge)
    if kind == "document":
        return DocumentFactory(challenge=challenge)
    if kind == "confidential_document":
        return DocumentFactory(
            challenge=challenge, confidential=True, confidential_reason="Holds home addresses."
        )
    if kind == "withdrawn_document":
        return DocumentFactory(
            challenge=challenge, withdrawn_at=timezone.now(), withdrawal_reason="Out of date."
        )
    if kind == "partnered":
        # rita (a resident with an account) is the contact of one of its partners.
        rita = get_user_model().objects.get(username="rita")
        ChallengePartnerFactory(challenge=challenge, contact_user=rita)
        return challenge
    if kind == "issued_addendum":
        return set_status(AddendumFactory(challenge=challenge), "issued", number=1)
    return challenge


def test_the_matrix_covers_every_challenge_permission():
    registered = {name for name in rules.permissions.permissions if name.startswith("challenges.")}

    assert registered == {perm for perm, *_ in MATRIX}


@pytest.mark.parametrize(
    ("perm", "state", "kind", "allowed"),
    MATRIX,
    ids=[f"{perm.split('.')[1]}-{state}" for perm, state, *_ in MATRIX],
)
def test_each_persona_gets_exactly_the_rights_the_rules_give(
    people, challenge, perm, state, kind, allowed
):
    obj = subject(kind, state, challenge, people["dave"])

    granted = {name for name, user in people.items() if can(user, perm, obj)}

    assert granted == allowed


def test_an_approver_may_not_approve_a_challenge_they_own(people, carol, department):
    own = ChallengeFactory(owner=carol, department=department)
    set_status(own, "in_review")

    granted = {
        name for name, user in people.items() if can(user, "challenges.approve_challenge", own)
    }

    assert granted == set()
    assert can(carol, "challenges.manage_challenge", own)


def test_the_superuser_passes_no_procurement_step_though_django_would_let_them(
    root, published_challenge
):
    for perm in (
        "challenges.approve_challenge",
        "challenges.manage_challenge",
        "challenges.answer_question",
        "challenges.issue_addendum",
    ):
        assert root.has_perm(perm, published_challenge)
        assert not can(root, perm, published_challenge)
