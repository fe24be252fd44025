"""An evaluation in a real browser, one context per person: an evaluator declares no conflict,
scores two proposals and submits, then reads the chair's scores; the chair records the consensus
and locks it; the owner opens the price envelopes and reads the ranking.

The starting point (a closed challenge with two received proposals, screened, the panel
assigned, the chair's scores submitted) is built through the services, not the pages.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from challenges import services as challenge_services
from evaluation import services
from evaluation.models import ConsensusScore, Criterion, Evaluation, PanelAssignment, Score
from tests.e2e.conftest import confirm, sign_in
from tests.factories import (
    PASSWORD,
    ChallengeFactory,
    EngagementActivityFactory,
    ResponseQuestionFactory,
    VendorMembershipFactory,
    complete_plan,
    set_status,
)
from tests.vendors.conftest import fill_in
from vendors import services as vendor_services

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the flush after the test would drop the role groups migrations made.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Cut heat loss in older social housing"
ACME = "Acme Heat Solutions Ltd."
GLOBEX = "Globex Retrofit Co-operative"
CHAIR_RATIONALE = "Chair: a credible plan with named installers."


def expect_status(page, text):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _submitted_proposal(challenge, user, legal_name, questions, amount):
    vendor = VendorMembershipFactory(user=user, vendor__legal_name=legal_name, role="owner").vendor
    proposal = vendor_services.proposal_start(challenge=challenge, vendor=vendor, actor=user)
    fill_in(proposal, user, questions, amount=amount)
    return vendor_services.proposal_submit(proposal=proposal, actor=user)


def evaluation_in_scoring(alice, dave, erin, frank, grace) -> Evaluation:
    challenge = ChallengeFactory(owner=alice, title=TITLE)
    complete_plan(challenge)
    EngagementActivityFactory(challenge=challenge)
    set_status(challenge, "approved")
    challenge_services.challenge_transition(challenge=challenge, actor=alice, name="publish")
    challenge.refresh_from_db()
    questions = [
        ResponseQuestionFactory(challenge=challenge, order=1, prompt="Approach", required=True),
        ResponseQuestionFactory(challenge=challenge, order=2, prompt="Team", required=False),
    ]
    proposals = [
        _submitted_proposal(challenge, dave, ACME, questions, "100000.00"),
        _submitted_proposal(challenge, erin, GLOBEX, questions, "80000.00"),
    ]
    with time_machine.travel(challenge.submission_deadline, tick=False):
        challenge_services.challenge_transition(challenge=challenge, actor=alice, name="close")
    challenge_services.challenge_transition(
        challenge=challenge, actor=alice, name="start_evaluation"
    )
    evaluation = Evaluation.objects.get(challenge=challenge)
    mandatory = evaluation.plan.criteria.filter(kind=Criterion.Kind.MANDATORY)
    for proposal in proposals:
        proposal.refresh_from_db()
        services.screening_record(
            evaluation=evaluation,
            proposal=proposal,
            actor=alice,
            results={c.pk: {"passed": True, "note": "Data stays in Canada."} for c in mandatory},
        )
    due = timezone.now() + timedelta(days=14)
    chair = services.panel_assign(
        evaluation=evaluation, actor=alice, evaluator=frank, due_at=due, is_chair=True
    )
    services.panel_assign(evaluation=evaluation, actor=alice, evaluator=grace, due_at=due)
    services.assignment_accept(
        assignment=chair, actor=frank, signature="Frank Fournier", no_conflict=True
    )
    services.evaluation_transition(evaluation=evaluation, actor=alice, name="start_scoring")
    rated = evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED)
    for proposal in proposals:
        services.scores_save(
            assignment=chair,
            actor=frank,
            proposal=proposal,
            scores={c.pk: {"points": "8", "rationale": CHAIR_RATIONALE} for c in rated},
        )
    services.assignment_submit(assignment=chair, actor=frank)
    return evaluation


def test_an_evaluation_goes_from_scoring_to_a_ranking(new_page, alice, dave, erin, frank, grace):
    evaluation = evaluation_in_scoring(alice, dave, erin, frank, grace)
    reference = evaluation.challenge.reference
    criteria = list(evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED))

    # The evaluator finds the panel, reads anonymised proposals, and declares no conflict.
    evaluator = new_page()
    sign_in(evaluator, "grace", PASSWORD)
    evaluator.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My evaluations"
    ).click()
    evaluator.get_by_role("link", name=f"Declare conflicts for {reference}").click()
    expect(evaluator.get_by_role("heading", level=1)).to_have_text(
        "Conflict of interest declaration"
    )
    expect(evaluator.get_by_role("listitem").filter(has_text=ACME)).to_be_visible()
    evaluator.get_by_label("I have no conflict of interest with any vendor listed.").check()
    evaluator.get_by_label("Signature (your full name)").fill("Grace Gagnon")
    evaluator.get_by_role("button", name="Sign the declaration").click()
    expect_status(evaluator, "Your declaration is signed.")

    # Scores both proposals with the rubric beside the technical envelope, then submits.
    for label, points in (("Proposal A", "7"), ("Proposal B", "6.5")):
        evaluator.get_by_role("link", name=label, exact=True).click()
        expect(evaluator.get_by_role("heading", name="Technical envelope")).to_be_visible()
        expect(evaluator.get_by_role("heading", name="Rubric and your scores")).to_be_visible()
        for criterion in criteria:
            evaluator.get_by_label(re.compile(f"^Points for .{criterion.name}.")).fill(points)
            evaluator.get_by_label(f"Rationale for “{criterion.name}”").fill(
                f"Grace: {criterion.name} is convincing."
            )
        evaluator.get_by_role("button", name="Save draft").click()
        expect_status(evaluator, "Draft saved.")
        evaluator.get_by_role("link", name=f"Scoring workspace for {reference}").click()
    expect(evaluator.get_by_text(CHAIR_RATIONALE)).to_have_count(0)
    evaluator.get_by_role("button", name="Submit all my scores").click()
    expect_status(evaluator, "Your scores are submitted.")
    assignment = PanelAssignment.objects.get(evaluation=evaluation, evaluator=grace)
    assert assignment.status == PanelAssignment.Status.SUBMITTED
    assert Score.objects.filter(assignment=assignment).count() == 2 * len(criteria)

    # Having submitted, the evaluator reads the chair's scores.
    evaluator.get_by_role("link", name="Proposal A", exact=True).click()
    expect(evaluator.get_by_text(CHAIR_RATIONALE).first).to_be_visible()

    # The chair opens the consensus, records it for every proposal and criterion, and locks.
    chair = new_page()
    sign_in(chair, "frank", PASSWORD)
    chair.get_by_role("link", name="My evaluations").click()
    chair.get_by_role("link", name=f"Open the workspace for {reference}").click()
    chair.get_by_role("link", name="Evaluation overview").click()
    chair.get_by_role("button", name="Open consensus").click()
    expect(chair.get_by_role("heading", level=1, name="Consensus sheet")).to_be_visible()
    for label in ("Proposal A", "Proposal B"):
        # One form per proposal: every criterion in one submit.
        button = chair.get_by_role("button", name=f"Record the consensus for {label}")
        form = chair.locator("form").filter(has=button)
        for criterion in criteria:
            form.get_by_label(f"Consensus points for “{criterion.name}” (0 to 10)").fill("7.5")
            form.get_by_label(f"Rationale for “{criterion.name}”").fill(
                "Agreed after discussing both readings."
            )
        button.click()
        expect_status(chair, f"{len(criteria)} consensus scores recorded.")
    assert ConsensusScore.objects.filter(evaluation=evaluation).count() == 2 * len(criteria)
    chair.get_by_role("button", name="Lock consensus").click()
    confirm(chair, "Yes, lock the consensus")
    expect_status(chair, "The consensus is locked.")
    evaluation.refresh_from_db()
    assert evaluation.consensus_locked_at is not None

    # The owner opens the price envelopes, ranks and reads the results.
    owner = new_page()
    sign_in(owner, "alice", PASSWORD)
    owner.goto(evaluation.challenge.get_absolute_url())
    owner.get_by_role("link", name="Evaluation", exact=True).click()
    owner.get_by_role("button", name="Open the price envelopes").click()
    confirm(owner, "Yes, open the price envelopes")
    expect_status(owner, "The evaluation is now “Prices opened”.")
    owner.get_by_role("link", name="Opened prices").click()
    prices = owner.get_by_role("table")
    expect(prices).to_contain_text("$100,000")
    expect(prices).to_contain_text("$80,000")
    owner.get_by_role("button", name="Compute the ranking").click()
    expect(owner.get_by_role("heading", level=1, name="Ranking")).to_be_visible()
    ranking = owner.get_by_role("table", name="Ranking, best first")
    # Equal technical scores: the lower price (Globex) earns more price points.
    expect(ranking.get_by_role("row").nth(1)).to_contain_text(GLOBEX)
    expect(owner.get_by_role("img", name=re.compile("Combined points"))).to_be_visible()
    expect(owner.get_by_role("table", name=re.compile("chart's data"))).to_be_visible()
    with owner.expect_download() as download:
        owner.get_by_role("link", name="Download the ranking (CSV)").click()
    assert download.value.suggested_filename == f"ranking-{reference}.csv"
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.RANKED
