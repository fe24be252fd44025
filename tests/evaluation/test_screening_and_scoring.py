"""Screening, scoring and consensus input: what is accepted, and bad input refused cleanly."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.errors import InvalidInput, PermissionDenied
from core.models import AuditEntry
from evaluation import services
from evaluation.models import ConsensusScore, Score, ScoreRevision, ScreeningResult
from tests.evaluation.conftest import assignment_of, passes, score_everything
from tests.factories import ChallengeFactory, ProposalFactory, set_status
from vendors.models import Proposal

pytestmark = pytest.mark.django_db


# Screening ----------------------------------------------------------------------------------


def test_passing_every_mandatory_criterion_qualifies_the_proposal(screening, alice):
    proposal = services.screening_record(
        evaluation=screening.evaluation,
        proposal=screening.acme,
        actor=alice,
        results=passes(screening),
    )

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.QUALIFIED
    result = ScreeningResult.objects.get(proposal=proposal)
    assert (result.passed, result.note, result.recorded_by) == (True, "Meets it.", alice)


def test_failing_one_mandatory_criterion_disqualifies_with_the_note_as_reason(screening, alice):
    criterion = screening.criteria("mandatory")[0]

    services.screening_record(
        evaluation=screening.evaluation,
        proposal=screening.globex,
        actor=alice,
        results={criterion.pk: {"passed": False, "note": "Hosted in Virginia."}},
    )

    screening.globex.refresh_from_db()
    assert screening.globex.status == Proposal.Status.DISQUALIFIED
    assert screening.globex.status_reason == (
        "Failed mandatory criteria. Data stays in Canada: Hosted in Virginia."
    )
    entry = AuditEntry.objects.get(transition="disqualify", object_id=str(screening.globex.pk))
    assert entry.actor == alice


@pytest.mark.parametrize(
    "results",
    [
        {},
        {"criterion": {"passed": True, "note": "x"}},
        "note-missing",
        "passed-missing",
    ],
)
def test_incomplete_screening_is_refused_and_nothing_changes(screening, alice, results):
    criterion = screening.criteria("mandatory")[0]
    if results == "note-missing":
        results = {criterion.pk: {"passed": True, "note": " "}}
    elif results == "passed-missing":
        results = {criterion.pk: {"note": "Fine."}}

    with pytest.raises(InvalidInput):
        services.screening_record(
            evaluation=screening.evaluation, proposal=screening.acme, actor=alice, results=results
        )

    screening.acme.refresh_from_db()
    assert screening.acme.status == Proposal.Status.RECEIVED
    assert not ScreeningResult.objects.exists()


def test_screening_is_recorded_once_by_the_owner_during_screening(screening, alice, bob, frank):
    for person in (bob, frank):
        with pytest.raises(PermissionDenied):
            services.screening_record(
                evaluation=screening.evaluation,
                proposal=screening.acme,
                actor=person,
                results=passes(screening),
            )
    services.screening_record(
        evaluation=screening.evaluation,
        proposal=screening.acme,
        actor=alice,
        results=passes(screening),
    )
    with pytest.raises(InvalidInput, match="already recorded"):
        services.screening_record(
            evaluation=screening.evaluation,
            proposal=screening.acme,
            actor=alice,
            results=passes(screening),
        )
    assert ScreeningResult.objects.count() == 1


def test_screening_refuses_a_proposal_of_another_challenge(screening, alice):
    other = ProposalFactory(challenge=ChallengeFactory(owner=alice))
    set_status(other, "received")

    with pytest.raises(InvalidInput, match="not received for this challenge"):
        services.screening_record(
            evaluation=screening.evaluation, proposal=other, actor=alice, results=passes(screening)
        )


# Scoring -------------------------------------------------------------------------------------


def test_scores_are_saved_as_drafts_and_can_change_freely_before_submission(scoring, grace):
    assignment = assignment_of(scoring, grace)
    criterion = scoring.criteria()[0]

    services.score_save(
        assignment=assignment,
        actor=grace,
        proposal=scoring.acme,
        criterion=criterion,
        points="6.5",
        rationale="Sound plan.",
    )
    services.score_save(
        assignment=assignment,
        actor=grace,
        proposal=scoring.acme,
        criterion=criterion,
        points="7",
        rationale="Sound plan, good pilots.",
    )

    score = Score.objects.get()
    assert (score.points, score.max_points, score.version) == (Decimal("7.00"), 10, 1)
    assert score.rationale == "Sound plan, good pilots."
    assert not ScoreRevision.objects.exists()


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("11", "Give between 0 and 10 points for this criterion."),
        ("-1", "Give between 0 and 10 points for this criterion."),
        ("seven", "Enter points as a number, for example 7 or 7.5."),
        ("7.125", "Use at most two decimals."),
        ("NaN", "Enter points as a number, for example 7 or 7.5."),
    ],
)
def test_out_of_range_points_are_refused_and_nothing_is_stored(scoring, grace, points, message):
    assignment = assignment_of(scoring, grace)
    criterion = scoring.criteria()[0]

    with pytest.raises(InvalidInput) as refused:
        services.score_save(
            assignment=assignment,
            actor=grace,
            proposal=scoring.acme,
            criterion=criterion,
            points=points,
            rationale="Why.",
        )

    assert refused.value.field_errors == {f"points_{criterion.pk}": [message]}
    assert not Score.objects.exists()


def test_a_score_needs_a_rationale(scoring, grace):
    criterion = scoring.criteria()[0]
    with pytest.raises(InvalidInput) as refused:
        services.score_save(
            assignment=assignment_of(scoring, grace),
            actor=grace,
            proposal=scoring.acme,
            criterion=criterion,
            points="5",
            rationale="  ",
        )
    assert refused.value.field_errors == {
        f"rationale_{criterion.pk}": ["Explain the score: a rationale is required."]
    }
    assert not Score.objects.exists()


def test_the_database_bounds_points_by_the_criterions_maximum(scoring, grace):
    criterion = scoring.criteria()[0]
    assignment = assignment_of(scoring, grace)
    for points in (Decimal("10.01"), Decimal("-0.01")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Score.objects.create(
                assignment=assignment,
                proposal=scoring.acme,
                criterion=criterion,
                points=points,
                max_points=criterion.max_points,
                rationale="x",
            )
    assert not Score.objects.exists()


def test_the_database_keeps_one_score_per_evaluator_proposal_and_criterion(scoring, grace):
    criterion = scoring.criteria()[0]
    assignment = assignment_of(scoring, grace)
    fields = {
        "assignment": assignment,
        "proposal": scoring.acme,
        "criterion": criterion,
        "points": Decimal("5"),
        "max_points": 10,
        "rationale": "x",
    }
    Score.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(**fields)
    assert Score.objects.count() == 1


def test_scoring_a_proposal_not_assigned_is_refused(scoring, grace, alice):
    elsewhere = ProposalFactory(challenge=ChallengeFactory(owner=alice))
    set_status(elsewhere, "qualified")

    with pytest.raises(InvalidInput, match="This proposal is not assigned to you"):
        services.score_save(
            assignment=assignment_of(scoring, grace),
            actor=grace,
            proposal=elsewhere,
            criterion=scoring.criteria()[0],
            points="5",
            rationale="x",
        )
    assert not Score.objects.exists()


def test_scoring_a_disqualified_proposal_is_refused(scoring, grace):
    set_status(scoring.globex, "disqualified")

    with pytest.raises(InvalidInput, match="not assigned to you"):
        services.score_save(
            assignment=assignment_of(scoring, grace),
            actor=grace,
            proposal=scoring.globex,
            criterion=scoring.criteria()[0],
            points="5",
            rationale="x",
        )
    assert not Score.objects.exists()


def test_a_mandatory_criterion_is_not_scored(scoring, grace):
    mandatory = scoring.criteria("mandatory")[0]
    with pytest.raises(InvalidInput, match="not a rated criterion"):
        services.score_save(
            assignment=assignment_of(scoring, grace),
            actor=grace,
            proposal=scoring.acme,
            criterion=mandatory,
            points="1",
            rationale="x",
        )
    assert not Score.objects.exists()


def test_nobody_scores_with_someone_elses_assignment(scoring, grace, frank, alice, root):
    for person in (frank, alice, root):
        with pytest.raises(PermissionDenied):
            services.score_save(
                assignment=assignment_of(scoring, grace),
                actor=person,
                proposal=scoring.acme,
                criterion=scoring.criteria()[0],
                points="5",
                rationale="x",
            )
    assert not Score.objects.exists()


def test_an_undeclared_evaluator_cannot_score(screening, panel, grace):
    with pytest.raises(InvalidInput, match="Declare that you have no conflict"):
        services.score_save(
            assignment=panel[1],
            actor=grace,
            proposal=screening.acme,
            criterion=screening.criteria()[0],
            points="5",
            rationale="x",
        )
    assert not Score.objects.exists()


def test_after_submission_a_change_needs_a_reason_and_every_version_is_kept(scoring, grace):
    assignment = score_everything(scoring, grace, {scoring.acme: "7", scoring.globex: "5"})
    criterion = scoring.criteria()[0]

    with pytest.raises(InvalidInput, match="give a reason for the change"):
        services.score_save(
            assignment=assignment,
            actor=grace,
            proposal=scoring.acme,
            criterion=criterion,
            points="9",
            rationale="Reread the pilot results.",
        )
    score = Score.objects.get(assignment=assignment, proposal=scoring.acme, criterion=criterion)
    assert (score.points, score.version) == (Decimal("7.00"), 1)

    services.score_save(
        assignment=assignment,
        actor=grace,
        proposal=scoring.acme,
        criterion=criterion,
        points="9",
        rationale="Reread the pilot results.",
        reason="Missed appendix C.",
    )

    score.refresh_from_db()
    assert (score.points, score.version) == (Decimal("9.00"), 2)
    assert list(score.revisions.values_list("version", "points", "reason")) == [
        (1, Decimal("7.00"), ""),
        (2, Decimal("9.00"), "Missed appendix C."),
    ]


def test_scores_cannot_change_after_the_consensus_lock(locked, grace):
    with pytest.raises(InvalidInput, match="until the consensus is locked"):
        services.score_save(
            assignment=assignment_of(locked, grace),
            actor=grace,
            proposal=locked.acme,
            criterion=locked.criteria()[0],
            points="1",
            rationale="x",
            reason="Changed my mind.",
        )
    assert not Score.objects.filter(points=Decimal("1")).exists()


# Consensus input ---------------------------------------------------------------------------


def test_the_chair_records_and_corrects_a_consensus_score(consensus, frank):
    criterion = consensus.criteria()[0]
    for points in ("7", "7.5"):
        services.consensus_record(
            evaluation=consensus.evaluation,
            actor=frank,
            proposal=consensus.acme,
            criterion=criterion,
            points=points,
            rationale="Agreed.",
        )

    score = ConsensusScore.objects.get()
    assert (score.points, score.max_points, score.recorded_by) == (Decimal("7.50"), 10, frank)


def test_consensus_input_is_refused_to_others_out_of_range_and_after_the_lock(
    consensus, frank, grace, alice
):
    criterion = consensus.criteria()[0]
    kwargs = {
        "evaluation": consensus.evaluation,
        "proposal": consensus.acme,
        "criterion": criterion,
        "rationale": "Agreed.",
    }
    for person in (grace, alice):
        with pytest.raises(PermissionDenied):
            services.consensus_record(actor=person, points="5", **kwargs)
    with pytest.raises(InvalidInput) as refused:
        services.consensus_record(actor=frank, points="12", **kwargs)
    assert refused.value.field_errors == {
        "points": ["Give between 0 and 10 points for this criterion."]
    }
    assert not ConsensusScore.objects.exists()


def test_no_consensus_score_is_recorded_when_the_plan_averages(submitted, frank, alice):
    from evaluation.models import EvaluationPlan

    EvaluationPlan.objects.filter(pk=submitted.evaluation.plan_id).update(combination="average")
    services.evaluation_transition(
        evaluation=submitted.evaluation, actor=frank, name="open_consensus"
    )

    with pytest.raises(InvalidInput, match="averages the evaluators' scores"):
        services.consensus_record(
            evaluation=submitted.evaluation,
            actor=frank,
            proposal=submitted.acme,
            criterion=submitted.criteria()[0],
            points="5",
            rationale="x",
        )
    assert not ConsensusScore.objects.exists()
