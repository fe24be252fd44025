"""The transition runner every stateful model shares."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django_fsm import can_proceed

from challenges.models import Challenge
from core.errors import PermissionDenied, TransitionRefused
from core.models import AuditEntry
from core.workflow import (
    allowed_transitions,
    denied_message,
    permitted,
    register_transition_guard,
    transition_names,
    transition_problems,
    transition_run,
    unregister_transition_guard,
)
from tests.factories import complete_governance, complete_plan, set_status

pytestmark = pytest.mark.django_db


def test_it_lists_every_transition_of_a_model():
    assert transition_names(Challenge) == [
        "approve",
        "award",
        "cancel",
        "close",
        "end_without_award",
        "open_co_design",
        "publish",
        "request_changes",
        "start_evaluation",
        "submit_for_review",
    ]


def test_it_lists_what_each_person_may_do_now(co_design_challenge, alice, bob, carol, root):
    assert allowed_transitions(co_design_challenge, alice) == ["cancel", "submit_for_review"]
    assert allowed_transitions(co_design_challenge, bob) == []
    assert allowed_transitions(co_design_challenge, root) == []
    set_status(co_design_challenge, "in_review")
    assert allowed_transitions(co_design_challenge, carol) == ["approve", "request_changes"]
    assert allowed_transitions(co_design_challenge, AnonymousUser()) == []


def test_it_leaves_out_a_step_whose_guard_fails(challenge, alice):
    set_status(challenge, "co_design")
    complete_governance(challenge)
    complete_plan(challenge)

    assert allowed_transitions(challenge, alice) == ["cancel"]
    assert transition_problems(challenge, "submit_for_review") == [
        "Record at least 1 engagement activity with residents or partners before review "
        "(co-design evidence)."
    ]


def test_it_says_why_a_step_is_not_possible_in_this_state(challenge):
    assert transition_problems(challenge, "publish") == [
        "This step is not possible while the challenge is Draft."
    ]
    assert transition_problems(challenge, "open_co_design") == []


def test_permission_does_not_depend_on_state(challenge, alice, bob):
    assert permitted(challenge, "publish", alice)
    assert not permitted(challenge, "publish", bob)


def test_a_transition_may_name_what_the_refused_person_is_told(challenge):
    assert denied_message(challenge, "approve").startswith("Only an approver who does not own")
    assert denied_message(challenge, "publish").startswith("Only the challenge's owner")


def test_it_refuses_a_name_that_is_not_a_transition(challenge, alice):
    with pytest.raises(ValueError, match="is not a transition"):
        transition_run(instance=challenge, name="delete", actor=alice)


def test_it_checks_permission_before_state(challenge, bob):
    with pytest.raises(PermissionDenied):
        transition_run(instance=challenge, name="publish", actor=bob)

    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DRAFT


def test_a_refusal_carries_the_steps_still_open_to_the_person(challenge, alice):
    with pytest.raises(TransitionRefused) as refused:
        transition_run(instance=challenge, name="publish", actor=alice)

    assert refused.value.allowed == ["cancel", "open_co_design"]
    assert AuditEntry.objects.count() == 0


def test_it_runs_a_step_on_a_fresh_copy_of_the_row(challenge, alice):
    stale = Challenge.objects.get(pk=challenge.pk)
    transition_run(instance=challenge, name="open_co_design", actor=alice)

    # The stale copy still says draft; the runner reads the row again and refuses.
    with pytest.raises(TransitionRefused, match="while the challenge is Co-design"):
        transition_run(instance=stale, name="open_co_design", actor=alice)

    assert AuditEntry.objects.count() == 1


# Guards a higher app registers on a lower app's transition


@pytest.fixture
def award_guards_removed():
    """The challenge's award step as it stands without the app that decides awards."""
    from procurement.services.award import challenge_award_problems

    unregister_transition_guard("challenges.Challenge", "award", challenge_award_problems)
    yield
    register_transition_guard("challenges.Challenge", "award", challenge_award_problems)


def test_a_step_decided_above_is_refused_until_a_guard_is_registered(
    challenge, alice, award_guards_removed
):
    set_status(challenge, "evaluating")

    problems = transition_problems(challenge, "award")

    assert problems == [
        "This step follows from the award: a challenge is awarded when its award becomes final, "
        "and ends without an award from its award page."
    ]
    assert not can_proceed(challenge.award)
    with pytest.raises(TransitionRefused):
        transition_run(instance=challenge, name="award", actor=alice)
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.EVALUATING


def test_a_registered_guard_decides_and_the_page_and_the_runner_agree(
    challenge, alice, award_guards_removed
):
    set_status(challenge, "evaluating")
    decided = {"yes": False}

    def guard(instance):
        return [] if decided["yes"] else ["Not decided yet."]

    register_transition_guard("challenges.Challenge", "award", guard)
    try:
        assert transition_problems(challenge, "award") == ["Not decided yet."]
        assert "award" not in allowed_transitions(challenge, alice)
        assert not can_proceed(challenge.award)

        decided["yes"] = True
        assert transition_problems(challenge, "award") == []
        assert "award" in allowed_transitions(challenge, alice)
        transition_run(instance=challenge, name="award", actor=alice)
    finally:
        unregister_transition_guard("challenges.Challenge", "award", guard)

    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.AWARDED


def test_a_guard_is_checked_once_so_its_answer_cannot_change_mid_step(
    published_challenge, alice, monkeypatch
):
    """The close guard reads the clock; django-fsm asks the condition again when the step runs.
    Its first answer stands: a deadline passing in between is no server error."""
    answers = iter([[], ["The deadline moved in between."]])
    monkeypatch.setattr(Challenge, "close_problems", lambda self: next(answers))

    closed = transition_run(instance=published_challenge, name="close", actor=alice)

    assert closed.status == "closed"
    assert AuditEntry.objects.filter(transition="close").count() == 1


def test_a_condition_refused_while_the_step_runs_is_a_refusal_not_a_server_error(
    published_challenge, alice, monkeypatch
):
    from django_fsm import FSMMeta

    monkeypatch.setattr(Challenge, "close_problems", lambda self: [])
    monkeypatch.setattr(FSMMeta, "conditions_met", lambda self, instance, state: False)

    with pytest.raises(TransitionRefused, match="not possible now"):
        transition_run(instance=published_challenge, name="close", actor=alice)

    published_challenge.refresh_from_db()
    assert published_challenge.status == "published"
    assert not AuditEntry.objects.filter(transition="close").exists()
