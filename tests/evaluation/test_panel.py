"""The panel: assignment, conflict declarations, recusal, submission (allowed and refused)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from core.models import AuditEntry
from evaluation import selectors, services
from evaluation.models import PanelAssignment, ScoreRevision
from tests.evaluation.conftest import accept, assignment_of, score_everything
from tests.factories import UserFactory, VendorMembershipFactory, panel_member

pytestmark = pytest.mark.django_db


def due():
    return timezone.now() + timedelta(days=10)


def audited(assignment, transition):
    return AuditEntry.objects.filter(
        content_type__model="panelassignment", object_id=str(assignment.pk), transition=transition
    )


# Assigning ----------------------------------------------------------------------------------


def test_the_owner_assigns_evaluators_with_a_due_date_and_one_chair(panel, frank, grace):
    chair, member = panel
    assert (chair.evaluator, chair.is_chair, chair.status) == (frank, True, "invited")
    assert (member.evaluator, member.is_chair, member.status) == (grace, False, "invited")


def test_the_panel_can_be_set_up_before_the_challenge_closes(published, alice, frank):
    from evaluation.models import Evaluation

    evaluation = Evaluation.objects.get(challenge=published)
    assignment = services.panel_assign(
        evaluation=evaluation, actor=alice, evaluator=frank, due_at=due(), is_chair=True
    )
    assert assignment.evaluation.status == "setup"


@pytest.mark.parametrize("persona", ["bob", "frank", "root", "dave"])
def test_only_the_owner_assigns(screening, persona, grace, request):
    with pytest.raises(PermissionDenied):
        services.panel_assign(
            evaluation=screening.evaluation,
            actor=request.getfixturevalue(persona),
            evaluator=grace,
            due_at=due(),
        )
    assert not PanelAssignment.objects.exists()


def test_it_refuses_someone_outside_the_evaluator_role(screening, alice, rita):
    with pytest.raises(InvalidInput) as refused:
        services.panel_assign(
            evaluation=screening.evaluation, actor=alice, evaluator=rita, due_at=due()
        )
    assert refused.value.field_errors == {"evaluator": ["Choose a person in the evaluator role."]}
    assert not PanelAssignment.objects.exists()


def test_it_refuses_a_member_of_a_vendor_that_took_part(screening, alice, acme):
    both = UserFactory(username="victor", roles=["evaluator", "vendor"])
    VendorMembershipFactory(user=both, vendor=acme, role="member")

    with pytest.raises(InvalidInput, match="member of a vendor that took part"):
        services.panel_assign(
            evaluation=screening.evaluation, actor=alice, evaluator=both, due_at=due()
        )
    assert not PanelAssignment.objects.exists()


def test_it_refuses_a_second_assignment_a_second_chair_and_a_past_due_date(
    panel, screening, alice, frank
):
    other = UserFactory(username="olga", roles=["evaluator"])
    with pytest.raises(InvalidInput, match="already on the panel"):
        services.panel_assign(
            evaluation=screening.evaluation, actor=alice, evaluator=frank, due_at=due()
        )
    with pytest.raises(InvalidInput, match="already has a chair"):
        services.panel_assign(
            evaluation=screening.evaluation,
            actor=alice,
            evaluator=other,
            due_at=due(),
            is_chair=True,
        )
    with pytest.raises(InvalidInput) as refused:
        services.panel_assign(
            evaluation=screening.evaluation,
            actor=alice,
            evaluator=other,
            due_at=timezone.now() - timedelta(hours=1),
        )
    assert "due_at" in refused.value.field_errors
    assert screening.evaluation.assignments.count() == 2


def test_the_database_allows_one_chair_per_panel(panel, screening):
    other = UserFactory(username="olga", roles=["evaluator"])
    with pytest.raises(IntegrityError), transaction.atomic():
        panel_member(screening.evaluation, other, is_chair=True)


def test_a_recused_chair_can_be_replaced(panel, screening, alice, frank, grace):
    services.assignment_recuse(assignment=panel[0], actor=frank, reason="I advised Acme in 2024.")

    services.panel_set_chair(assignment=panel[1], actor=alice)

    panel[1].refresh_from_db()
    assert panel[1].is_chair


def test_an_unanswered_invitation_can_be_taken_back_but_not_an_answered_one(panel, alice, frank):
    services.panel_unassign(assignment=panel[1], actor=alice)
    assert not PanelAssignment.objects.filter(pk=panel[1].pk).exists()

    accept(panel[0], frank)
    with pytest.raises(InvalidInput, match="was answered"):
        services.panel_unassign(assignment=panel[0], actor=alice)
    assert PanelAssignment.objects.filter(pk=panel[0].pk).exists()


# accept ------------------------------------------------------------------------------------


def test_an_evaluator_accepts_by_signing_a_declaration_naming_every_vendor(panel, frank):
    assignment = services.assignment_accept(
        assignment=panel[0], actor=frank, signature="Frank Ouellette", no_conflict=True
    )

    assignment.refresh_from_db()
    assert assignment.status == PanelAssignment.Status.ACCEPTED
    assert assignment.declaration_vendors == [
        "Acme Heat Solutions Ltd.",
        "Globex Retrofit Co-operative",
    ]
    assert assignment.declaration_statement == (
        "I, Frank Ouellette, declare that I have no conflict of interest with any vendor listed: "
        "Acme Heat Solutions Ltd.; Globex Retrofit Co-operative. I will tell the challenge's "
        "owner at once if that changes."
    )
    assert assignment.declared_at is not None
    entry = audited(assignment, "accept").get()
    assert entry.actor == frank
    assert entry.metadata["signature"] == "Frank Ouellette"


def test_accepting_needs_the_confirmation_and_a_signature(panel, frank):
    with pytest.raises(InvalidInput) as refused:
        services.assignment_accept(
            assignment=panel[0], actor=frank, signature=" ", no_conflict=False
        )

    assert set(refused.value.field_errors) == {"signature", "no_conflict"}
    panel[0].refresh_from_db()
    assert panel[0].status == PanelAssignment.Status.INVITED


def test_only_the_named_evaluator_accepts(panel, grace, alice, root):
    for person in (grace, alice, root):
        with pytest.raises(PermissionDenied):
            accept(panel[0], person)
    panel[0].refresh_from_db()
    assert panel[0].status == PanelAssignment.Status.INVITED


def test_declaring_waits_until_the_challenge_has_closed(published, alice, frank):
    from evaluation.models import Evaluation

    evaluation = Evaluation.objects.get(challenge=published)
    assignment = services.panel_assign(
        evaluation=evaluation, actor=alice, evaluator=frank, due_at=due()
    )

    with pytest.raises(TransitionRefused, match="once the challenge has closed"):
        accept(assignment, frank)
    assignment.refresh_from_db()
    assert assignment.status == PanelAssignment.Status.INVITED


def test_a_vendor_member_invited_before_closing_cannot_accept(screening, acme):
    both = UserFactory(username="victor", roles=["evaluator", "vendor"])
    VendorMembershipFactory(user=both, vendor=acme, role="member")
    # Invited while proposals were sealed, when taking part could not be checked.
    assignment = panel_member(screening.evaluation, both)

    with pytest.raises(TransitionRefused, match="member of a vendor that took part"):
        accept(assignment, both)
    assignment.refresh_from_db()
    assert assignment.status == PanelAssignment.Status.INVITED


# recuse -------------------------------------------------------------------------------------


def test_an_evaluator_recuses_with_a_reason_and_then_sees_nothing(panel, screening, grace):
    services.assignment_recuse(assignment=panel[1], actor=grace, reason="My sister works at Acme.")

    panel[1].refresh_from_db()
    assert panel[1].status == PanelAssignment.Status.RECUSED
    assert panel[1].recusal_reason == "My sister works at Acme."
    assert selectors.proposals_for_panel(evaluation=screening.evaluation, user=grace) == []
    assert selectors.evaluation_for_challenge(challenge=screening.challenge, user=grace) is None


def test_an_evaluator_may_recuse_after_accepting(panel, grace):
    accept(panel[1], grace)
    services.assignment_recuse(assignment=panel[1], actor=grace, reason="A new conflict.")
    panel[1].refresh_from_db()
    assert panel[1].status == PanelAssignment.Status.RECUSED


def test_recusing_needs_a_reason_and_the_evaluator_themselves(panel, grace, alice):
    with pytest.raises(InvalidInput, match="Give a reason for recusing"):
        services.assignment_recuse(assignment=panel[1], actor=grace, reason="")
    with pytest.raises(PermissionDenied):
        services.assignment_recuse(assignment=panel[1], actor=alice, reason="Busy.")
    panel[1].refresh_from_db()
    assert panel[1].status == PanelAssignment.Status.INVITED
    assert not audited(panel[1], "recuse").exists()


def test_a_submitted_evaluator_cannot_recuse(submitted, grace):
    assignment = assignment_of(submitted, grace)
    with pytest.raises(TransitionRefused, match="not possible"):
        services.assignment_recuse(assignment=assignment, actor=grace, reason="Late conflict.")


# submit -------------------------------------------------------------------------------------


def test_an_evaluator_submits_every_score_at_once_and_version_1_is_kept(scoring, grace):
    assignment = score_everything(scoring, grace, {scoring.acme: "7", scoring.globex: "5"})

    assert assignment.status == PanelAssignment.Status.SUBMITTED
    assert assignment.submitted_at is not None
    assert ScoreRevision.objects.filter(score__assignment=assignment, version=1).count() == 4
    assert audited(assignment, "submit").get().actor == grace


def test_submission_is_refused_while_a_score_is_missing(scoring, grace):
    assignment = score_everything(scoring, grace, {scoring.acme: "7"}, submit=False)

    with pytest.raises(TransitionRefused) as refused:
        services.assignment_submit(assignment=assignment, actor=grace)

    assert refused.value.messages == [
        "Score every criterion of every proposal before submitting; 2 scores are missing."
    ]
    assignment.refresh_from_db()
    assert assignment.status == PanelAssignment.Status.ACCEPTED
    assert not ScoreRevision.objects.exists()


def test_a_second_submission_is_refused_with_a_clear_sentence(scoring, grace):
    assignment = score_everything(scoring, grace, {scoring.acme: "7", scoring.globex: "5"})

    with pytest.raises(TransitionRefused) as refused:
        services.assignment_submit(assignment=assignment, actor=grace)

    assert refused.value.messages[0].startswith("You already submitted your scores on ")
    assert ScoreRevision.objects.count() == 4
    assert audited(assignment, "submit").count() == 1


def test_only_the_evaluator_submits_their_scores(scoring, grace, frank, alice):
    assignment = score_everything(
        scoring, grace, {scoring.acme: "7", scoring.globex: "5"}, submit=False
    )
    for person in (frank, alice):
        with pytest.raises(PermissionDenied):
            services.assignment_submit(assignment=assignment, actor=person)
    assignment.refresh_from_db()
    assert assignment.status == PanelAssignment.Status.ACCEPTED
