"""Every stage of the evaluation, allowed and refused (DESIGN.md §3 Evaluation)."""

import pytest

from challenges import services as challenge_services
from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from core.models import AuditEntry
from core.workflow import allowed_transitions
from evaluation import services
from evaluation.models import Evaluation, RankingEntry
from tests.evaluation.conftest import accept, passes, record_consensus, score_everything
from tests.factories import set_status
from vendors.models import Proposal

pytestmark = pytest.mark.django_db


def audited(evaluation, transition):
    return AuditEntry.objects.filter(
        content_type__model="evaluation", object_id=str(evaluation.pk), transition=transition
    )


def run(field, actor, name, reason=""):
    return services.evaluation_transition(
        evaluation=field.evaluation, actor=actor, name=name, reason=reason
    )


def assert_stays(field, status):
    field.evaluation.refresh_from_db()
    assert field.evaluation.status == status


# start_screening ------------------------------------------------------------------------------


def test_starting_the_challenges_evaluation_starts_screening(screening, alice):
    assert screening.evaluation.status == Evaluation.Status.SCREENING
    entry = audited(screening.evaluation, "start_screening").get()
    assert (entry.actor, entry.source, entry.target) == (alice, "setup", "screening")
    assert entry.metadata["challenge_id"] == screening.challenge.pk


def test_screening_is_refused_while_the_challenge_is_not_evaluating(closed, alice):
    challenge = closed[0]
    evaluation = Evaluation.objects.get(challenge=challenge)

    with pytest.raises(TransitionRefused, match="Start the evaluation from the challenge"):
        services.evaluation_transition(evaluation=evaluation, actor=alice, name="start_screening")

    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SETUP


def test_screening_is_started_only_by_the_owner(closed, bob):
    evaluation = Evaluation.objects.get(challenge=closed[0])

    with pytest.raises(PermissionDenied):
        services.evaluation_transition(evaluation=evaluation, actor=bob, name="start_screening")
    assert not audited(evaluation, "start_screening").exists()


def test_a_challenge_without_a_plan_starts_evaluating_without_an_evaluation(challenge, alice):
    set_status(challenge, "closed")

    challenge_services.challenge_transition(
        challenge=challenge, actor=alice, name="start_evaluation"
    )

    challenge.refresh_from_db()
    assert challenge.status == "evaluating"
    assert not Evaluation.objects.exists()


def test_an_unknown_step_is_refused(screening, alice):
    with pytest.raises(InvalidInput, match="not a step of the evaluation"):
        run(screening, alice, "delete")


# start_scoring --------------------------------------------------------------------------------


def test_scoring_starts_once_every_proposal_is_screened_and_the_chair_declared(scoring, alice):
    assert scoring.evaluation.status == Evaluation.Status.SCORING
    assert audited(scoring.evaluation, "start_scoring").get().actor == alice


def test_scoring_is_refused_while_a_proposal_is_not_screened(screening, panel, alice, frank):
    accept(panel[0], frank)
    services.screening_record(
        evaluation=screening.evaluation,
        proposal=screening.acme,
        actor=alice,
        results=passes(screening),
    )

    with pytest.raises(TransitionRefused) as refused:
        run(screening, alice, "start_scoring")

    assert refused.value.messages == ["Record the screening of the 1 proposal not yet screened."]
    assert_stays(screening, "screening")


def test_scoring_is_refused_without_a_declared_chair(screening, panel, alice, grace):
    for proposal in (screening.acme, screening.globex):
        services.screening_record(
            evaluation=screening.evaluation,
            proposal=proposal,
            actor=alice,
            results=passes(screening),
        )
    accept(panel[1], grace)

    with pytest.raises(TransitionRefused) as refused:
        run(screening, alice, "start_scoring")

    assert refused.value.messages == [
        "The panel needs a chair who has declared no conflict of interest."
    ]
    assert_stays(screening, "screening")


def test_scoring_is_refused_when_no_proposal_passed_screening(screening, panel, alice, frank):
    accept(panel[0], frank)
    fails = {
        c.pk: {"passed": False, "note": "Hosted abroad."} for c in screening.criteria("mandatory")
    }
    for proposal in (screening.acme, screening.globex):
        services.screening_record(
            evaluation=screening.evaluation, proposal=proposal, actor=alice, results=fails
        )

    with pytest.raises(TransitionRefused, match="No proposal passed screening"):
        run(screening, alice, "start_scoring")
    assert_stays(screening, "screening")


def test_scoring_is_started_only_by_the_owner(screening, frank):
    with pytest.raises(PermissionDenied):
        run(screening, frank, "start_scoring")
    assert_stays(screening, "screening")


# open_consensus -------------------------------------------------------------------------------


def test_the_chair_opens_consensus_once_everyone_submitted(consensus, frank):
    assert consensus.evaluation.status == Evaluation.Status.CONSENSUS
    assert audited(consensus.evaluation, "open_consensus").get().actor == frank


def test_the_owner_may_open_consensus_too(submitted, alice):
    run(submitted, alice, "open_consensus")
    assert_stays(submitted, "consensus")


def test_consensus_is_refused_while_an_evaluator_is_still_scoring(scoring, frank):
    score_everything(scoring, frank, {scoring.acme: "8", scoring.globex: "6"})

    with pytest.raises(TransitionRefused) as refused:
        run(scoring, frank, "open_consensus")

    assert refused.value.messages == [
        "Every evaluator must submit their scores first; still scoring: grace."
    ]
    assert_stays(scoring, "scoring")


def test_consensus_is_not_opened_by_an_evaluator_who_is_not_chair(submitted, grace, bob):
    for person in (grace, bob):
        with pytest.raises(PermissionDenied):
            run(submitted, person, "open_consensus")
    assert_stays(submitted, "scoring")


# lock_consensus -------------------------------------------------------------------------------


def test_the_chair_locks_the_consensus_once_every_score_is_agreed(locked, frank):
    evaluation = locked.evaluation
    assert evaluation.status == Evaluation.Status.CONSENSUS
    assert evaluation.consensus_locked_by == frank
    assert evaluation.consensus_locked_at is not None
    assert audited(evaluation, "lock_consensus").get().actor == frank


def test_the_lock_is_refused_while_consensus_scores_are_missing(consensus, frank):
    record_consensus(consensus, frank, {consensus.acme: "8"})

    with pytest.raises(TransitionRefused) as refused:
        services.consensus_lock(evaluation=consensus.evaluation, actor=frank)

    assert refused.value.messages == [
        "Record the consensus scores for the 2 proposals and criteria still missing."
    ]
    consensus.evaluation.refresh_from_db()
    assert consensus.evaluation.consensus_locked_at is None


def test_the_lock_is_refused_twice(locked, frank):
    with pytest.raises(TransitionRefused, match="already locked"):
        services.consensus_lock(evaluation=locked.evaluation, actor=frank)
    assert audited(locked.evaluation, "lock_consensus").count() == 1


def test_only_the_chair_locks_the_consensus(consensus, alice, grace):
    record_consensus(
        consensus,
        consensus.evaluation.assignments.get(is_chair=True).evaluator,
        {
            consensus.acme: "8",
            consensus.globex: "6",
        },
    )
    for person in (alice, grace):
        with pytest.raises(PermissionDenied):
            services.consensus_lock(evaluation=consensus.evaluation, actor=person)
    consensus.evaluation.refresh_from_db()
    assert consensus.evaluation.consensus_locked_at is None


def test_with_averaging_the_chair_locks_without_recording_consensus_scores(challenge, alice, frank):
    from tests.evaluation.builders import ranking_field

    evaluation, _ = ranking_field(
        [([5, 5], "10")], combination="average", status="consensus", owner=alice
    )
    chair = evaluation.assignments.get(is_chair=True).evaluator

    services.consensus_lock(evaluation=evaluation, actor=chair)

    evaluation.refresh_from_db()
    assert evaluation.consensus_locked_by == chair


# open_prices ----------------------------------------------------------------------------------


def test_the_owner_opens_prices_after_the_lock(prices_opened, alice):
    evaluation = prices_opened.evaluation
    assert evaluation.status == Evaluation.Status.PRICES_OPENED
    assert evaluation.prices_opened_by == alice
    assert audited(evaluation, "open_prices").get().actor == alice


def test_prices_do_not_open_before_the_lock(consensus, alice):
    with pytest.raises(TransitionRefused) as refused:
        services.prices_open(evaluation=consensus.evaluation, actor=alice)

    assert refused.value.messages == ["Prices open only after the chair has locked the consensus."]
    assert_stays(consensus, "consensus")


def test_prices_are_opened_only_by_the_owner(locked, frank, root):
    for person in (frank, root):
        with pytest.raises(PermissionDenied):
            services.prices_open(evaluation=locked.evaluation, actor=person)
    assert_stays(locked, "consensus")


def test_prices_do_not_open_from_scoring(scoring, alice):
    with pytest.raises(TransitionRefused, match="not possible while the evaluation is Scoring"):
        services.prices_open(evaluation=scoring.evaluation, actor=alice)


# rank (see test_ranking for the figures) and decide ----------------------------------------------


def test_the_owner_ranks_once_prices_are_open(ranked):
    assert ranked.evaluation.status == Evaluation.Status.RANKED
    assert RankingEntry.objects.filter(evaluation=ranked.evaluation).count() == 2
    entry = audited(ranked.evaluation, "rank").get()
    assert entry.metadata["inputs_digest"] == ranked.evaluation.ranking_inputs_digest


def test_the_owner_decides_and_the_top_proposal_is_shortlisted(ranked, alice):
    services.evaluation_transition(
        evaluation=ranked.evaluation, actor=alice, name="decide", reason="Best value."
    )

    ranked.refresh()
    assert ranked.evaluation.status == Evaluation.Status.DECIDED
    assert ranked.evaluation.decision_note == "Best value."
    assert (ranked.acme.status, ranked.globex.status) == (
        Proposal.Status.SHORTLISTED,
        Proposal.Status.NOT_SELECTED,
    )
    assert ranked.globex.status_reason == "Ranked 2 of 2."
    assert audited(ranked.evaluation, "decide").get().metadata["shortlisted"] == [ranked.acme.pk]


def test_deciding_is_refused_to_anyone_but_the_owner(ranked, frank):
    with pytest.raises(PermissionDenied):
        services.evaluation_decide(evaluation=ranked.evaluation, actor=frank)
    assert_stays(ranked, "ranked")
    assert ranked.acme.status == Proposal.Status.QUALIFIED


def test_deciding_before_ranking_is_refused(prices_opened, alice):
    with pytest.raises(TransitionRefused, match="not possible while the evaluation is Prices"):
        services.evaluation_decide(evaluation=prices_opened.evaluation, actor=alice)
    assert_stays(prices_opened, "prices_opened")


def test_deciding_needs_a_shortlist_of_at_least_one(ranked, alice):
    with pytest.raises(InvalidInput, match="Shortlist at least one"):
        services.evaluation_decide(evaluation=ranked.evaluation, actor=alice, shortlist_size=0)
    assert_stays(ranked, "ranked")


def test_each_person_is_offered_only_their_own_steps(submitted, alice, frank, grace, root):
    evaluation = submitted.evaluation
    assert allowed_transitions(evaluation, alice) == ["open_consensus"]
    assert allowed_transitions(evaluation, frank) == ["open_consensus"]
    assert allowed_transitions(evaluation, grace) == []
    assert allowed_transitions(evaluation, root) == []
