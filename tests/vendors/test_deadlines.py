"""A deadline is exclusive, by the server's clock (DESIGN.md §4)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings

from core.errors import TransitionRefused
from tests.factories import set_status
from vendors import services
from vendors.models import Proposal, ProposalReceipt

pytestmark = pytest.mark.django_db

# 14:00 in Moncton on 3 March 2027 (Atlantic Standard Time, UTC-4).
DEADLINE = datetime(2027, 3, 3, 18, 0, tzinfo=UTC)


@pytest.fixture
def due_draft(draft):
    set_status(
        draft.challenge,
        "published",
        questions_deadline=DEADLINE - timedelta(days=10),
        submission_deadline=DEADLINE,
    )
    return draft


def test_it_accepts_a_submission_one_microsecond_before_the_deadline(due_draft, dave):
    with time_machine.travel(DEADLINE - timedelta(microseconds=1), tick=False):
        services.proposal_submit(proposal=due_draft, actor=dave)

    due_draft.refresh_from_db()
    assert due_draft.status == Proposal.Status.SUBMITTED
    assert due_draft.submitted_at == DEADLINE - timedelta(microseconds=1)


def test_it_refuses_a_submission_exactly_at_the_deadline_naming_it_in_local_time(due_draft, dave):
    with time_machine.travel(DEADLINE, tick=False), pytest.raises(TransitionRefused) as refused:
        services.proposal_submit(proposal=due_draft, actor=dave)

    assert refused.value.messages == [
        "The submission deadline passed at Mar 3, 2027, 2:00\u202fp.m. AST; "
        "proposals can no longer be submitted."
    ]
    due_draft.refresh_from_db()
    assert due_draft.status == "draft" and due_draft.receipt_digest == ""
    assert not ProposalReceipt.objects.exists()


@override_settings(TIME_ZONE="America/Vancouver")
def test_the_deadline_is_named_in_the_municipality_zone(due_draft, dave):
    with (
        time_machine.travel(DEADLINE + timedelta(hours=2), tick=False),
        pytest.raises(TransitionRefused, match=r"Mar 3, 2027, 10:00\u202fa.m. PST"),
    ):
        services.proposal_submit(proposal=due_draft, actor=dave)


def test_a_draft_cannot_be_changed_once_the_deadline_passed(due_draft, dave, questions):
    with (
        time_machine.travel(DEADLINE, tick=False),
        pytest.raises(TransitionRefused, match="submission deadline passed"),
    ):
        services.proposal_save_answers(
            proposal=due_draft, actor=dave, answers={questions[0].pk: "Late change"}
        )
    assert due_draft.answers.get(question=questions[0]).text == "Heat pumps for all."


def test_reconfirming_is_refused_at_the_deadline(due_draft, dave):
    from core.workflow import transition_run

    with time_machine.travel(DEADLINE - timedelta(hours=1), tick=False):
        services.proposal_submit(proposal=due_draft, actor=dave)
        transition_run(instance=due_draft, name="require_reconfirmation", actor=None)
    with (
        time_machine.travel(DEADLINE, tick=False),
        pytest.raises(
            TransitionRefused, match="deadline passed at Mar 3, 2027, 2:00\u202fp.m. AST"
        ),
    ):
        services.proposal_reconfirm(proposal=due_draft, actor=dave)
    due_draft.refresh_from_db()
    assert due_draft.status == "needs_reconfirmation"
