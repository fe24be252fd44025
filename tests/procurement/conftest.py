"""Deadlines, reminders and notifications: vendors with proposals on an open challenge.

dave works for Acme (a draft), erin for Globex (a submitted proposal); alice owns the challenge.
Times are fixed with time-machine so every deadline is an exact instant.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from procurement.chronograph import chronograph_reschedule
from procurement.services.reminders import reminders_plan
from tests.factories import (
    ChallengeFactory,
    EngagementActivityFactory,
    ResponseQuestionFactory,
    VendorMembershipFactory,
    set_status,
)
from vendors import services as vendor_services

# A Monday in February: no daylight-saving change near it in America/Moncton.
START = datetime(2027, 2, 1, 16, 0, tzinfo=UTC)
QUESTIONS_DEADLINE = START + timedelta(days=10)
SUBMISSION_DEADLINE = START + timedelta(days=20)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def acme(dave):
    return VendorMembershipFactory(
        user=dave, vendor__legal_name="Acme Heat Solutions Ltd.", role="owner"
    ).vendor


@pytest.fixture
def globex(erin):
    return VendorMembershipFactory(
        user=erin, vendor__legal_name="Globex Retrofit Co-operative", role="owner"
    ).vendor


def open_challenge(owner, department, *, questions_deadline, submission_deadline):
    """A published challenge with the given deadlines, scheduled as publication leaves it."""
    challenge = ChallengeFactory(
        owner=owner,
        department=department,
        questions_deadline=questions_deadline,
        submission_deadline=submission_deadline,
    )
    EngagementActivityFactory(challenge=challenge)
    ResponseQuestionFactory(challenge=challenge, order=1, prompt="Describe your approach")
    challenge = set_status(challenge, "published")
    # `set_status` bypasses the services (and their save signals): schedule as publication does.
    chronograph_reschedule(challenge)
    reminders_plan(subject=challenge)
    challenge.refresh_from_db()
    return challenge


def complete(proposal, user):
    """Fill in a draft so that it can be submitted: the answer and the price."""
    question = proposal.challenge.response_questions.get()
    vendor_services.proposal_save_answers(
        proposal=proposal, actor=user, answers={question.pk: "Heat pumps for every household."}
    )
    vendor_services.price_envelope_save(proposal=proposal, actor=user, amount="98000.00")
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def challenge_open(clock, alice, department):
    return open_challenge(
        alice,
        department,
        questions_deadline=QUESTIONS_DEADLINE,
        submission_deadline=SUBMISSION_DEADLINE,
    )


@pytest.fixture
def acme_draft(challenge_open, acme, dave):
    proposal = vendor_services.proposal_start(challenge=challenge_open, vendor=acme, actor=dave)
    return complete(proposal, dave)


@pytest.fixture
def globex_submitted(challenge_open, globex, erin):
    proposal = vendor_services.proposal_start(challenge=challenge_open, vendor=globex, actor=erin)
    complete(proposal, erin)
    return vendor_services.proposal_submit(proposal=proposal, actor=erin)
