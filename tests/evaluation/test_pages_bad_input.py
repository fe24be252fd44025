"""Bad input on the evaluation pages: the page says what is wrong, and nothing changes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation.models import (
    ConsensusScore,
    Criterion,
    EvaluationPlan,
    PanelAssignment,
    Score,
    ScoreRevision,
)
from tests.evaluation.builders import ranking_field
from tests.evaluation.conftest import assignment_of, score_everything
from vendors.models import Proposal

pytestmark = pytest.mark.django_db


def url(view, field, **kwargs):
    return reverse(f"evaluation:{view}", kwargs={"reference": field.challenge.reference, **kwargs})


def scores_of(field, points, rationale="Clear plan."):
    data = {}
    for criterion in field.criteria():
        data[f"points_{criterion.pk}"] = points
        data[f"rationale_{criterion.pk}"] = rationale
    return data


@pytest.mark.parametrize("points", ["11", "-1", "7.555", "seven"])
def test_out_of_range_points_are_refused_and_nothing_is_saved(client, grace, scoring, points):
    client.force_login(grace)
    response = client.post(
        url("score", scoring, public_id=scoring.acme.public_id), scores_of(scoring, points)
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Score.objects.filter(assignment__evaluator=grace).exists()


def test_a_score_without_a_rationale_is_refused(client, grace, scoring):
    client.force_login(grace)
    response = client.post(
        url("score", scoring, public_id=scoring.acme.public_id), scores_of(scoring, "7", "")
    )
    assert response.status_code == 200
    assert "a rationale is required" in response.content.decode()
    assert not Score.objects.filter(assignment__evaluator=grace).exists()


def test_scoring_a_proposal_of_another_challenge_is_not_found(client, grace, scoring):
    _evaluation, (elsewhere,) = ranking_field([((8, 8), 1000)], status="scoring")
    client.force_login(grace)
    response = client.post(
        url("score", scoring, public_id=elsewhere.public_id), scores_of(scoring, "7")
    )
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_scoring_a_disqualified_proposal_is_not_found(client, grace, scoring):
    Proposal.objects.filter(pk=scoring.acme.pk).update(status=Proposal.Status.DISQUALIFIED)
    client.force_login(grace)
    response = client.post(
        url("score", scoring, public_id=scoring.acme.public_id), scores_of(scoring, "7")
    )
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_submitting_twice_is_refused_with_the_first_submission_kept(client, grace, scoring):
    assignment = score_everything(scoring, grace, {scoring.acme: "7", scoring.globex: "6"})
    first = assignment.submitted_at
    revisions = ScoreRevision.objects.count()
    client.force_login(grace)
    response = client.post(url("submit", scoring), follow=True)
    assert "You already submitted your scores" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.submitted_at == first
    assert ScoreRevision.objects.count() == revisions


def test_submitting_with_scores_missing_is_refused(client, grace, scoring):
    client.force_login(grace)
    response = client.post(url("submit", scoring), follow=True)
    assert "scores are missing" in response.content.decode()
    assert assignment_of(scoring, grace).status == PanelAssignment.Status.ACCEPTED


def test_a_change_after_submission_without_a_reason_is_refused(client, grace, submitted):
    client.force_login(grace)
    response = client.post(
        url("score", submitted, public_id=submitted.acme.public_id), scores_of(submitted, "9")
    )
    assert response.status_code == 200
    assert "give a reason for the change" in response.content.decode()
    points = set(
        Score.objects.filter(assignment__evaluator=grace, proposal=submitted.acme).values_list(
            "points", flat=True
        )
    )
    assert points == {Decimal("7.00")}


def test_scores_cannot_change_once_the_consensus_is_locked(client, grace, locked):
    client.force_login(grace)
    page = client.get(url("score", locked, public_id=locked.acme.public_id)).content.decode()
    assert "Scores cannot be changed at this stage." in page
    data = {**scores_of(locked, "9"), "reason": "Late thought."}
    response = client.post(url("score", locked, public_id=locked.acme.public_id), data)
    assert response.status_code == 200
    assert "until the consensus is locked" in response.content.decode()
    assert not Score.objects.filter(assignment__evaluator=grace, points=Decimal("9")).exists()


def test_the_declaration_needs_the_box_ticked_and_a_signature(client, grace, panel, screening):
    client.force_login(grace)
    response = client.post(url("declare", screening), {"signature": ""})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Confirm that you have no conflict" in content
    assert "Sign with your full name" in content
    assert assignment_of(screening, grace).status == PanelAssignment.Status.INVITED


def test_recusing_needs_a_reason(client, grace, panel, screening):
    client.force_login(grace)
    response = client.post(url("recuse", screening), {"reason": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert assignment_of(screening, grace).status == PanelAssignment.Status.INVITED


def test_screening_needs_a_result_and_a_note_for_every_mandatory_criterion(
    client, alice, screening
):
    client.force_login(alice)
    response = client.post(url("screening_record", screening, public_id=screening.acme.public_id))
    assert response.status_code == 200
    assert "Say whether the proposal passed." in response.content.decode()
    screening.acme.refresh_from_db()
    assert screening.acme.status == Proposal.Status.RECEIVED


def test_inviting_someone_outside_the_evaluator_role_is_refused(client, alice, dave, screening):
    client.force_login(alice)
    response = client.post(
        url("panel_assign", screening), {"evaluator": dave.pk, "due_at": "2099-01-01T10:00"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not PanelAssignment.objects.filter(evaluation=screening.evaluation).exists()


def test_a_due_date_in_the_past_is_refused(client, alice, grace, screening):
    client.force_login(alice)
    response = client.post(
        url("panel_assign", screening), {"evaluator": grace.pk, "due_at": "2001-01-01T10:00"}
    )
    assert response.status_code == 200
    assert "Choose a due date in the future." in response.content.decode()
    assert not PanelAssignment.objects.filter(evaluation=screening.evaluation).exists()


def test_a_consensus_score_out_of_range_is_refused(client, frank, consensus):
    criterion = consensus.criteria()[0]
    client.force_login(frank)
    response = client.post(
        url(
            "consensus_record",
            consensus,
            proposal_id=consensus.acme.pk,
        ),
        {f"points_{criterion.pk}": "12", f"rationale_{criterion.pk}": "Agreed."},
    )
    assert response.status_code == 200
    assert "Give between 0 and 10 points" in response.content.decode()
    assert not ConsensusScore.objects.exists()


def test_locking_before_every_consensus_score_is_recorded_is_refused(client, frank, consensus):
    client.force_login(frank)
    response = client.post(url("consensus_lock", consensus), follow=True)
    assert "still missing" in response.content.decode()
    consensus.evaluation.refresh_from_db()
    assert consensus.evaluation.consensus_locked_at is None


def test_opening_prices_before_the_lock_is_refused(client, alice, consensus):
    client.force_login(alice)
    response = client.post(url("transition", consensus, name="open_prices"), follow=True)
    assert "Prices open only after the chair has locked the consensus." in (
        response.content.decode()
    )
    consensus.evaluation.refresh_from_db()
    assert consensus.evaluation.status == "consensus"
    assert consensus.evaluation.prices_opened_at is None


def test_an_unknown_step_is_not_found(client, alice, consensus):
    client.force_login(alice)
    assert client.post(url("transition", consensus, name="publish")).status_code == 404


# --- the frozen plan --------------------------------------------------------------------------


def _plan_state(challenge):
    plan = EvaluationPlan.objects.get(challenge=challenge)
    criteria = list(plan.criteria.values_list("pk", "name", "weight", "max_points"))
    return plan.minimum_technical_score, plan.combination, plan.tie_break_order, criteria


def test_the_frozen_plan_refuses_every_change(client, alice, published):
    before = _plan_state(published)
    criterion = Criterion.objects.filter(plan__challenge=published, kind="rated").first()
    client.force_login(alice)
    reference = {"reference": published.reference}

    response = client.post(
        reverse("evaluation:plan_settings", kwargs=reference),
        {"minimum_technical_score": "50", "combination": "average"},
    )
    assert response.status_code == 200
    assert "frozen at publication" in response.content.decode()

    response = client.post(
        reverse("evaluation:criterion_add", kwargs=reference),
        {"kind": "rated", "name": "Extra", "weight": "1", "max_points": "5"},
    )
    assert response.status_code == 200
    assert "frozen at publication" in response.content.decode()

    response = client.post(
        reverse("evaluation:criterion_edit", kwargs={**reference, "pk": criterion.pk}),
        {"kind": "rated", "name": "Renamed", "weight": "40", "max_points": "10"},
        follow=True,
    )
    assert response.status_code == 200
    assert "frozen at publication" in response.content.decode()

    response = client.post(
        reverse("evaluation:criterion_remove", kwargs={**reference, "pk": criterion.pk}),
        follow=True,
    )
    assert "frozen at publication" in response.content.decode()

    assert _plan_state(published) == before


def test_weights_above_100_are_refused(client, alice, challenge, plan):
    before = _plan_state(challenge)
    client.force_login(alice)
    response = client.post(
        reverse("evaluation:criterion_add", kwargs={"reference": challenge.reference}),
        {"kind": "rated", "name": "Extra", "weight": "5", "max_points": "5"},
    )
    assert response.status_code == 200
    assert "Lower this weight or another one." in response.content.decode()
    assert "The weights would add up to 105%" in response.content.decode()
    assert _plan_state(challenge) == before


def test_a_rated_criterion_needs_its_maximum_points(client, alice, challenge):
    client.force_login(alice)
    response = client.post(
        reverse("evaluation:criterion_add", kwargs={"reference": challenge.reference}),
        {"kind": "rated", "name": "Approach", "weight": "40"},
    )
    assert response.status_code == 200
    assert "Give the maximum points" in response.content.decode()
    assert not Criterion.objects.filter(plan__challenge=challenge).exists()


@pytest.mark.parametrize("points", ["11", "seven"])
def test_a_refused_change_still_shows_the_other_evaluators_scores(
    client, grace, frank, submitted, points
):
    client.force_login(grace)
    page = url("score", submitted, public_id=submitted.acme.public_id)
    before = client.get(page).content.decode()

    response = client.post(page, {**scores_of(submitted, points), "reason": "Second look."})

    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html
    assert "No other submitted score yet" not in html
    for criterion in submitted.criteria():
        assert f"8 for {criterion.name}." in html
        assert f"8 for {criterion.name}." in before
    assert set(
        Score.objects.filter(assignment__evaluator=grace, proposal=submitted.acme).values_list(
            "points", flat=True
        )
    ) == {Decimal("7")}


def test_before_submitting_a_refused_save_shows_no_other_scores(client, grace, frank, scoring):
    score_everything(scoring, frank, {scoring.acme: "8", scoring.globex: "6"})
    client.force_login(grace)

    response = client.post(
        url("score", scoring, public_id=scoring.acme.public_id), scores_of(scoring, "11")
    )

    html = response.content.decode()
    assert "error-summary" in html
    assert "8 for" not in html


def consensus_data(field, points, rationale="Agreed after discussion."):
    data = {}
    for criterion in field.criteria():
        data[f"points_{criterion.pk}"] = points
        data[f"rationale_{criterion.pk}"] = rationale
    return data


def test_the_chair_records_every_criterion_of_a_proposal_in_one_submit(client, frank, consensus):
    client.force_login(frank)

    response = client.post(
        url("consensus_record", consensus, proposal_id=consensus.acme.pk),
        consensus_data(consensus, "7.5"),
    )

    assert response.status_code == 302
    stored = ConsensusScore.objects.filter(proposal=consensus.acme)
    assert stored.count() == len(consensus.criteria()) == 2
    assert {s.points for s in stored} == {Decimal("7.5")}
    assert not ConsensusScore.objects.filter(proposal=consensus.globex).exists()


def test_a_refused_proposal_form_keeps_every_typed_value_and_saves_nothing(
    client, frank, consensus
):
    first, second = consensus.criteria()
    client.force_login(frank)
    data = {
        f"points_{first.pk}": "8.25",
        f"rationale_{first.pk}": "Strong delivery plan, agreed by all.",
        f"points_{second.pk}": "eleven",
        f"rationale_{second.pk}": "Costs look high.",
    }

    response = client.post(url("consensus_record", consensus, proposal_id=consensus.acme.pk), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html
    assert "Enter points as a number" in html
    assert 'value="8.25"' in html
    assert 'value="eleven"' in html
    assert "Strong delivery plan, agreed by all." in html
    assert "Costs look high." in html
    # All or nothing: the valid criterion is not recorded either.
    assert not ConsensusScore.objects.exists()


def test_a_missing_rationale_is_refused_on_its_own_criterion(client, frank, consensus):
    first, second = consensus.criteria()
    client.force_login(frank)
    data = {**consensus_data(consensus, "7"), f"rationale_{second.pk}": ""}

    response = client.post(url("consensus_record", consensus, proposal_id=consensus.acme.pk), data)

    html = response.content.decode()
    assert "Explain the score: a rationale is required." in html
    assert f'id="id_consensus_{consensus.acme.pk}_rationale_{second.pk}_error"' in html
    assert not ConsensusScore.objects.exists()


def test_an_empty_proposal_form_is_refused(client, frank, consensus):
    client.force_login(frank)

    response = client.post(
        url("consensus_record", consensus, proposal_id=consensus.acme.pk),
        consensus_data(consensus, "", ""),
    )

    assert response.status_code == 200
    assert "at least one criterion" in response.content.decode()
    assert not ConsensusScore.objects.exists()


def test_the_sheet_offers_one_form_per_proposal_with_recorded_values_filled_in(
    client, frank, consensus
):
    from tests.evaluation.conftest import record_consensus

    record_consensus(consensus, frank, {consensus.acme: "6"})
    client.force_login(frank)

    html = client.get(url("consensus", consensus)).content.decode()

    assert html.count('action="/evaluation/') - html.count("consensus/lock/") == 2
    assert "Record the consensus for Proposal A" in html
    assert "Record the consensus for Proposal B" in html
    assert html.count('value="6.00"') == 2


def test_an_evaluator_who_is_not_the_chair_cannot_record_a_proposals_consensus(
    client, grace, consensus
):
    client.force_login(grace)

    response = client.post(
        url("consensus_record", consensus, proposal_id=consensus.acme.pk),
        consensus_data(consensus, "7"),
    )

    assert response.status_code in (403, 404)
    assert not ConsensusScore.objects.exists()
