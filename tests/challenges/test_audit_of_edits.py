"""Every write to a challenge and its records leaves an audit entry in the same transaction:
who, what, each field before and after. A refused write leaves none."""

from datetime import timedelta
from decimal import Decimal

import pytest

from challenges import services
from challenges.input_services import community_input_give
from core.audit import audit_history
from core.errors import PermissionDenied
from core.models import AuditEntry
from tests.factories import AddendumFactory, ResponseQuestionFactory

pytestmark = pytest.mark.django_db


def last_entry():
    return AuditEntry.objects.latest("sequence")


def changes(entry):
    return {name: (c["before"], c["after"]) for name, c in entry.metadata["changes"].items()}


def test_a_statement_edit_records_each_changed_field(challenge, alice):
    old_title = challenge.title

    services.challenge_update(
        challenge=challenge, actor=alice, title="Warmer homes", budget_max=Decimal("200000.00")
    )

    entry = last_entry()
    assert (entry.actor, entry.transition, entry.object_id) == (alice, "update", str(challenge.pk))
    assert changes(entry) == {
        "title_en": (old_title, "Warmer homes"),
        "budget_max": ("150000.00", "200000.00"),
    }
    assert entry in audit_history(obj=challenge)


def test_an_edit_that_changes_nothing_records_nothing(challenge, alice):
    services.challenge_update(challenge=challenge, actor=alice, title=challenge.title)

    assert not AuditEntry.objects.exists()


def test_a_refused_edit_records_nothing(challenge, bob):
    with pytest.raises(PermissionDenied):
        services.challenge_update(challenge=challenge, actor=bob, title="Not mine")

    assert not AuditEntry.objects.exists()


def test_a_timeline_change_records_both_deadlines(challenge, alice):
    old_questions, old_submission = challenge.questions_deadline, challenge.submission_deadline
    new_questions = old_questions + timedelta(days=7)
    new_submission = old_submission + timedelta(days=7)

    services.challenge_schedule(
        challenge=challenge,
        actor=alice,
        questions_deadline=new_questions,
        submission_deadline=new_submission,
    )

    entry = last_entry()
    assert (entry.actor, entry.transition) == (alice, "schedule")
    assert changes(entry) == {
        "questions_deadline": (old_questions.isoformat(), new_questions.isoformat()),
        "submission_deadline": (old_submission.isoformat(), new_submission.isoformat()),
    }


def test_an_addendum_that_moves_the_deadline_records_the_change_on_the_challenge(
    published_challenge, alice
):
    old = published_challenge.submission_deadline
    new = old + timedelta(days=14)
    addendum = AddendumFactory(challenge=published_challenge, new_submission_deadline=new)

    services.addendum_issue(addendum=addendum, actor=alice)

    entry = AuditEntry.objects.get(transition="schedule")
    assert entry.object_id == str(published_challenge.pk)
    assert entry.reason == "Addendum 1"
    assert changes(entry) == {"submission_deadline": (old.isoformat(), new.isoformat())}


def test_an_engagement_activity_is_recorded_under_its_challenge(co_design_challenge, alice):
    activity = services.engagement_activity_add(
        challenge=co_design_challenge,
        actor=alice,
        kind="workshop",
        held_on="2026-10-01",
        participants=12,
        groups_reached="Seniors",
        summary="Two hours at the library.",
    )

    entry = last_entry()
    assert (entry.actor, entry.transition, entry.object_id) == (alice, "create", str(activity.pk))
    assert changes(entry)["participants"] == (None, 12)
    assert entry.metadata["challenge_id"] == co_design_challenge.pk
    assert entry in audit_history(obj=co_design_challenge, include_related_to_challenge=True)


def test_community_input_and_its_moderation_are_recorded(co_design_challenge, alice, rita):
    community_input = community_input_give(
        challenge=co_design_challenge, actor=rita, kind="idea", body="Heat pumps for everyone."
    )
    services.community_input_moderate(
        community_input=community_input, actor=alice, publish=False, reason="Off topic."
    )

    added, moderated = AuditEntry.objects.order_by("sequence")
    assert (added.actor, added.transition) == (rita, "create")
    assert changes(added)["body"] == (None, "Heat pumps for everyone.")
    assert (moderated.actor, moderated.transition, moderated.reason) == (
        alice,
        "reject",
        "Off topic.",
    )


def test_response_questions_are_recorded_when_added_changed_moved_and_removed(challenge, alice):
    first = ResponseQuestionFactory(challenge=challenge, order=1, prompt="First?")
    second = services.response_question_add(challenge=challenge, actor=alice, prompt="Second?")
    services.response_question_change(question=second, actor=alice, prompt="Second, reworded?")
    services.response_question_move(question=second, actor=alice, direction="up")
    services.response_question_remove(question=first, actor=alice)

    entries = list(AuditEntry.objects.filter(content_type__model="responsequestion"))
    assert [(e.transition, e.object_id) for e in entries] == [
        ("create", str(second.pk)),
        ("update", str(second.pk)),
        ("move", str(second.pk)),
        ("delete", str(first.pk)),
    ]
    assert changes(entries[1]) == {"prompt": ("Second?", "Second, reworded?")}
    assert changes(entries[2]) == {"order": (2, 1)}
    assert changes(entries[3])["prompt"] == ("First?", None)
    assert all(e.actor == alice for e in entries)


def test_a_refused_response_question_change_records_nothing(challenge, bob):
    question = ResponseQuestionFactory(challenge=challenge)

    with pytest.raises(PermissionDenied):
        services.response_question_change(question=question, actor=bob, prompt="Mine now?")

    assert not AuditEntry.objects.exists()


def test_the_challenge_history_page_shows_field_changes(client, challenge, alice):
    old_title = challenge.title
    services.challenge_update(challenge=challenge, actor=alice, title="Warmer homes")
    client.force_login(alice)

    page = client.get(f"/challenges/{challenge.reference}/history/").content.decode()

    assert "title in English:" in page
    assert f"{old_title} → Warmer homes" in page
