"""The audit trail: one entry per transition, none for a refused one, append-only, hash-chained,
and a command that finds every kind of tampering."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from challenges import services
from challenges.models import Challenge, Question
from core.audit import audit_history
from core.audit_chain import _digest, _hashed_fields, audit_verify
from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from core.models import AppendOnlyError, AuditChainHead, AuditEntry
from tests.factories import (
    AddendumFactory,
    QuestionFactory,
    complete_governance,
    complete_plan,
    set_status,
)

pytestmark = pytest.mark.django_db


def run(challenge, actor, name, reason=""):
    return services.challenge_transition(challenge=challenge, actor=actor, name=name, reason=reason)


@pytest.fixture
def three_entries(co_design_challenge, alice, carol):
    """submit_for_review, request_changes, submit_for_review: a chain of three."""
    run(co_design_challenge, alice, "submit_for_review")
    run(co_design_challenge, carol, "request_changes", reason="Name the partners.")
    run(co_design_challenge, alice, "submit_for_review")
    return list(AuditEntry.objects.order_by("sequence"))


def raw(sql, params=()):
    """Change the table behind the application's back, as an intruder with SQL access would."""
    with connection.cursor() as cursor:
        # Deferred foreign-key checks pending in the test's transaction would block ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_append_only")


def verify_fails(capsys, *args):
    with pytest.raises(CommandError) as failed:
        call_command("verify_audit", *args)
    return str(failed.value), capsys.readouterr().err


# One entry per transition


def test_each_transition_writes_one_entry_with_who_why_and_what(challenge, alice, carol):
    set_status(challenge, "in_review")
    moment = datetime(2027, 6, 1, 12, 0, 0, tzinfo=UTC)

    with time_machine.travel(moment, tick=False):
        run(challenge, carol, "request_changes", reason="Add the budget source.")

    entry = AuditEntry.objects.get()
    assert entry.actor == carol
    assert entry.actor_label == "carol"
    assert entry.occurred_at == moment
    assert entry.object_id == str(challenge.pk)
    assert entry.content_type.model == "challenge"
    assert entry.transition == "request_changes"
    assert (entry.source, entry.target) == ("in_review", "draft")
    assert entry.reason == "Add the budget source."
    assert entry.metadata == {}
    assert entry.sequence == 1
    assert entry.previous_digest == ""


def test_a_whole_lifecycle_writes_one_entry_per_step(challenge, alice, carol, dave):
    steps = [
        (alice, "open_co_design", "draft", "co_design"),
        (alice, "submit_for_review", "co_design", "in_review"),
        (carol, "approve", "in_review", "approved"),
        (alice, "publish", "approved", "published"),
        (alice, "close", "published", "closed"),
        (alice, "start_evaluation", "closed", "evaluating"),
    ]
    complete_plan(challenge)  # publication needs a complete evaluation plan
    complete_governance(challenge)  # review needs a complete data governance record
    own_entries = AuditEntry.objects.filter(
        content_type__model="challenge", object_id=str(challenge.pk)
    )
    for actor, name, source, target in steps:
        if name == "submit_for_review":
            services.engagement_activity_add(
                challenge=challenge,
                actor=alice,
                kind="survey",
                held_on="2026-10-01",
                participants=40,
                groups_reached="Tenants",
                summary="Survey results.",
            )
        before = own_entries.count()
        if name == "close":
            with time_machine.travel(challenge.submission_deadline, tick=False):
                run(challenge, actor, name)
        else:
            run(challenge, actor, name)

        assert own_entries.count() == before + 1
        entry = own_entries.order_by("sequence").last()
        assert (entry.actor, entry.transition, entry.source, entry.target) == (
            actor,
            name,
            source,
            target,
        )
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.EVALUATING
    # Starting the challenge's evaluation also starts its screening: one more entry; and the
    # engagement activity is one.
    assert audit_verify() == (len(steps) + 2, [])


def test_entries_about_questions_and_addenda_carry_their_challenge(
    published_challenge, alice, dave
):
    question = QuestionFactory(challenge=published_challenge, asked_by=dave)
    services.question_answer(question=question, actor=alice, answer="Yes.")
    addendum = services.addendum_issue(
        addendum=AddendumFactory(challenge=published_challenge), actor=alice
    )

    answered, issued = AuditEntry.objects.order_by("sequence")
    assert answered.transition == "publish_answer"
    assert answered.metadata == {"answer": "Yes.", "challenge_id": published_challenge.pk}
    assert issued.transition == "issue"
    assert issued.object_id == str(addendum.pk)
    assert issued.metadata == {"number": 1, "challenge_id": published_challenge.pk}
    assert list(audit_history(obj=published_challenge)) == []
    assert list(audit_history(obj=published_challenge, include_related_to_challenge=True)) == [
        answered,
        issued,
    ]


def test_a_step_the_system_takes_is_recorded_as_the_systems(published_challenge):
    with time_machine.travel(published_challenge.submission_deadline, tick=False):
        run(published_challenge, None, "close")

    entry = AuditEntry.objects.get()
    assert entry.actor is None
    assert entry.actor_label == "system"


@pytest.mark.parametrize(
    ("actor_name", "name", "reason", "error"),
    [
        ("carol", "approve", "", TransitionRefused),  # wrong state
        ("bob", "open_co_design", "", PermissionDenied),  # wrong person
        ("alice", "cancel", "", InvalidInput),  # reason missing
    ],
)
def test_a_refused_step_writes_nothing(challenge, actor_name, name, reason, error, request):
    with pytest.raises(error):
        run(challenge, request.getfixturevalue(actor_name), name, reason=reason)

    assert AuditEntry.objects.count() == 0
    assert not AuditChainHead.objects.filter(last_sequence__gt=0).exists()
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DRAFT


def test_a_step_refused_by_its_guard_writes_nothing(challenge, alice):
    set_status(challenge, "co_design")

    with pytest.raises(TransitionRefused):
        run(challenge, alice, "submit_for_review")

    assert AuditEntry.objects.count() == 0


# The chain


def test_each_entry_holds_the_digest_of_the_one_before(three_entries):
    first, second, third = three_entries

    assert [e.sequence for e in three_entries] == [1, 2, 3]
    assert first.previous_digest == ""
    assert second.previous_digest == first.digest
    assert third.previous_digest == second.digest
    assert len({e.digest for e in three_entries}) == 3
    head = AuditChainHead.objects.get()
    assert (head.last_sequence, head.last_digest) == (3, third.digest)


# verify_audit


def test_verify_audit_passes_an_intact_chain(three_entries, capsys):
    call_command("verify_audit")

    assert capsys.readouterr().out.strip() == "Audit chain intact: 3 entries verified."


def test_verify_audit_passes_an_empty_trail(db, capsys):
    call_command("verify_audit")

    assert "0 entries verified" in capsys.readouterr().out


def test_verify_audit_reports_a_modified_entry(three_entries, capsys):
    raw("UPDATE core_auditentry SET reason = %s WHERE sequence = 2", ["Nothing to see."])

    summary, details = verify_fails(capsys)

    assert summary == (
        "The audit chain is broken in 1 place(s): 1 modified, 0 deleted, 0 inserted "
        "(3 entries checked)."
    )
    assert details.strip() == "Entry 2 modified: content does not match its digest"


def test_verify_audit_reports_a_modified_entry_whose_digest_was_recomputed(three_entries, capsys):
    second = AuditEntry.objects.get(sequence=2)
    second.reason = "Nothing to see."
    raw(
        "UPDATE core_auditentry SET reason = %s, digest = %s WHERE sequence = 2",
        [second.reason, _digest(_hashed_fields(second))],
    )

    summary, details = verify_fails(capsys)

    assert "1 modified, 0 deleted, 0 inserted" in summary
    assert details.strip() == (
        "Entry 2 modified: its digest changed: the next entry links to another one"
    )


def test_verify_audit_reports_an_entry_whose_digest_was_edited(three_entries, capsys):
    raw("UPDATE core_auditentry SET digest = %s WHERE sequence = 3", ["f" * 64])

    summary, details = verify_fails(capsys)

    assert "Entry 3 modified: content does not match its digest" in details
    # The head still remembers the true digest of the last entry.
    assert "Entry 3 modified: its digest changed: the chain's head names another one" in details


def test_verify_audit_reports_an_entry_whose_link_was_rewritten(three_entries, capsys):
    second = AuditEntry.objects.get(sequence=2)
    second.previous_digest = "0" * 64
    forged = _digest(_hashed_fields(second))
    raw(
        "UPDATE core_auditentry SET previous_digest = %s, digest = %s WHERE sequence = 2",
        ["0" * 64, forged],
    )

    summary, details = verify_fails(capsys)

    # Its links to both neighbours are broken: the entry itself was rewritten, not its neighbours.
    assert details.strip() == "Entry 2 modified: its link was rewritten"
    assert "content does not match" not in details


def test_verify_audit_reports_a_deleted_entry(three_entries, capsys):
    raw("DELETE FROM core_auditentry WHERE sequence = 2")

    summary, details = verify_fails(capsys)

    assert summary == (
        "The audit chain is broken in 1 place(s): 0 modified, 1 deleted, 0 inserted "
        "(2 entries checked)."
    )
    assert details.strip() == "Entry 3 deleted: entry 2 is missing before it"


def test_verify_audit_reports_the_last_entry_deleted(three_entries, capsys):
    raw("DELETE FROM core_auditentry WHERE sequence = 3")

    summary, details = verify_fails(capsys)

    assert details.strip() == (
        "Entry 3 deleted: the chain's head is at entry 3 but the entries end at 2 "
        "(entries missing at the end)"
    )


def test_verify_audit_reports_every_entry_deleted(three_entries, capsys):
    raw("DELETE FROM core_auditentry")

    summary, details = verify_fails(capsys)

    assert "(0 entries checked)" in summary
    assert "the entries end at 0" in details


def forge_entry(*, sequence, previous_digest, reason="Approved without review."):
    """A row that looks like the application's: a well-formed entry with its own digest."""
    template = AuditEntry.objects.get(sequence=1)
    template.sequence, template.previous_digest, template.reason = (
        sequence,
        previous_digest,
        reason,
    )
    template.digest = _digest(_hashed_fields(template))
    raw(
        "INSERT INTO core_auditentry (sequence, occurred_at, actor_id, actor_label, "
        "content_type_id, object_id, object_label, transition, source, target, reason, metadata, "
        "previous_digest, digest) SELECT %s, occurred_at, actor_id, actor_label, content_type_id, "
        "object_id, object_label, transition, source, target, %s, metadata, %s, %s "
        "FROM core_auditentry WHERE sequence = 1",
        [sequence, reason, previous_digest, template.digest],
    )
    return template


def test_verify_audit_reports_an_entry_inserted_after_the_head(three_entries, capsys):
    forge_entry(sequence=4, previous_digest=three_entries[2].digest)

    summary, details = verify_fails(capsys)

    assert "0 modified, 0 deleted, 1 inserted" in summary
    assert details.strip() == "Entry 4 inserted: after the chain's head (entry 3)"


def test_verify_audit_reports_a_row_replaced_by_a_forged_one(three_entries, capsys):
    # The forger removes entry 2 and puts a row of their own in its place, linked to entry 1.
    raw("DELETE FROM core_auditentry WHERE sequence = 2")
    forge_entry(sequence=2, previous_digest=three_entries[0].digest)

    summary, details = verify_fails(capsys)

    # Entry 3 still links to the true entry 2, so the forged one stands out.
    assert "Entry 2 modified: its digest changed: the next entry links to another one" in details


def test_verify_audit_reports_an_entry_inserted_between_two_others(three_entries, capsys):
    # Numbers moved up to make room, as a forger rewriting sequence numbers would.
    raw("UPDATE core_auditentry SET sequence = sequence + 10 WHERE sequence >= 2")
    forge_entry(sequence=2, previous_digest=three_entries[0].digest)

    summary, details = verify_fails(capsys)

    assert "Entry 2 inserted: the next entry links past it, to the entry before it" in details
    assert "1 inserted" in summary


def test_verify_audit_against_a_kept_head_passes_while_history_is_intact(three_entries, capsys):
    kept = three_entries[1].digest

    call_command("verify_audit", against=kept)

    assert capsys.readouterr().out.strip() == (
        f"Audit chain intact: 3 entries verified. The kept head {kept} is part of it."
    )


def test_verify_audit_against_a_kept_head_finds_history_rewritten_with_new_digests(
    three_entries, capsys
):
    """Emptying the trail and resetting the head passes a plain check; a kept head does not."""
    kept = three_entries[2].digest
    raw("DELETE FROM core_auditentry")
    raw("UPDATE core_auditchainhead SET last_sequence = 0, last_digest = ''")
    call_command("verify_audit")
    assert "Audit chain intact: 0 entries verified." in capsys.readouterr().out

    summary, details = verify_fails(capsys, "--against", kept)

    assert f"Deleted: no entry has the kept digest {kept}" in details


# Append-only


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditentry SET reason = 'edited'",
        "DELETE FROM core_auditentry",
        "TRUNCATE core_auditentry",
        "TRUNCATE core_auditentry CASCADE",
    ],
)
def test_the_database_refuses_to_change_delete_or_truncate_entries(three_entries, sql):
    with (
        pytest.raises(DatabaseError, match="audit entries are append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Deferred foreign-key checks pending in the test's transaction would block TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql)

    assert AuditEntry.objects.count() == 3
    assert audit_verify() == (3, [])


def test_the_database_refuses_bulk_changes_through_the_orm(three_entries):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(sequence=1).update(reason="edited")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()

    assert AuditEntry.objects.get(sequence=1).reason == ""
    assert AuditEntry.objects.count() == 3


def test_the_model_refuses_to_save_an_existing_entry_or_delete_one(three_entries):
    entry = AuditEntry.objects.get(sequence=2)
    entry.reason = "edited"

    with pytest.raises(AppendOnlyError, match="cannot be changed"):
        entry.save()
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        entry.delete()

    entry.refresh_from_db()
    assert entry.reason == "Name the partners."
    assert AuditEntry.objects.count() == 3


def test_a_question_transition_is_audited_once(published_challenge, alice, dave):
    question = QuestionFactory(challenge=published_challenge, asked_by=dave)

    services.question_dismiss(question=question, actor=alice, reason="Duplicate.")

    entry = AuditEntry.objects.get()
    assert (entry.transition, entry.source, entry.target, entry.reason) == (
        "dismiss",
        Question.Status.SUBMITTED,
        Question.Status.DISMISSED,
        "Duplicate.",
    )
