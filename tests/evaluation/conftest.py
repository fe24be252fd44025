"""An evaluation reached through the services: alice's challenge with a plan, published, two
proposals (Acme: dave, Globex: erin), closed, evaluation started. frank chairs, grace evaluates.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from challenges import services as challenge_services
from evaluation import services
from evaluation.models import Criterion, Evaluation, PanelAssignment
from tests.factories import (
    EngagementActivityFactory,
    ResponseQuestionFactory,
    VendorMembershipFactory,
    complete_plan,
    set_status,
)
from tests.vendors.conftest import fill_in
from vendors import services as vendor_services


@dataclass
class Field:
    evaluation: Evaluation
    acme: object  # Acme's proposal
    globex: object  # Globex's proposal

    @property
    def challenge(self):
        return self.evaluation.challenge

    def criteria(self, kind="rated"):
        return list(self.evaluation.plan.criteria.filter(kind=kind).order_by("order"))

    def refresh(self):
        for obj in (self.evaluation, self.acme, self.globex):
            obj.refresh_from_db()
        return self


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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


@pytest.fixture
def plan(challenge):
    return complete_plan(challenge)


@pytest.fixture
def published(challenge, plan, alice):
    EngagementActivityFactory(challenge=challenge)
    set_status(challenge, "approved")
    return challenge_services.challenge_transition(challenge=challenge, actor=alice, name="publish")


def _propose(challenge, vendor, user, questions, amount):
    proposal = vendor_services.proposal_start(challenge=challenge, vendor=vendor, actor=user)
    fill_in(proposal, user, questions, amount=amount)
    return vendor_services.proposal_submit(proposal=proposal, actor=user)


@pytest.fixture
def closed(published, acme, globex, dave, erin, alice):
    questions = [
        ResponseQuestionFactory(challenge=published, order=1, prompt="Approach", required=True),
        ResponseQuestionFactory(challenge=published, order=2, prompt="Team", required=False),
    ]
    acme_proposal = _propose(published, acme, dave, questions, "100000.00")
    globex_proposal = _propose(published, globex, erin, questions, "80000.00")
    with time_machine.travel(published.submission_deadline, tick=False):
        challenge_services.challenge_transition(challenge=published, actor=alice, name="close")
    acme_proposal.refresh_from_db()
    globex_proposal.refresh_from_db()
    return published, acme_proposal, globex_proposal


@pytest.fixture
def screening(closed, alice):
    """The challenge's evaluation started: the evaluation is in screening."""
    challenge, acme_proposal, globex_proposal = closed
    challenge_services.challenge_transition(
        challenge=challenge, actor=alice, name="start_evaluation"
    )
    return Field(Evaluation.objects.get(challenge=challenge), acme_proposal, globex_proposal)


def passes(field: Field) -> dict:
    return {c.pk: {"passed": True, "note": "Meets it."} for c in field.criteria("mandatory")}


def accept(assignment, user):
    return services.assignment_accept(
        assignment=assignment, actor=user, signature=user.get_username(), no_conflict=True
    )


@pytest.fixture
def panel(screening, alice, frank, grace):
    """frank (chair) and grace invited."""
    due = timezone.now() + timedelta(days=14)
    chair = services.panel_assign(
        evaluation=screening.evaluation, actor=alice, evaluator=frank, due_at=due, is_chair=True
    )
    member = services.panel_assign(
        evaluation=screening.evaluation, actor=alice, evaluator=grace, due_at=due
    )
    return chair, member


@pytest.fixture
def scoring(screening, panel, alice, frank, grace):
    """Both proposals qualified, both evaluators declared, scoring started."""
    for proposal in (screening.acme, screening.globex):
        services.screening_record(
            evaluation=screening.evaluation,
            proposal=proposal,
            actor=alice,
            results=passes(screening),
        )
    accept(panel[0], frank)
    accept(panel[1], grace)
    services.evaluation_transition(
        evaluation=screening.evaluation, actor=alice, name="start_scoring"
    )
    return screening.refresh()


def assignment_of(field: Field, user) -> PanelAssignment:
    return PanelAssignment.objects.get(evaluation=field.evaluation, evaluator=user)


def score_everything(field: Field, user, points: dict, *, submit=True):
    """Score every rated criterion: points = {proposal: value (same for each criterion)}."""
    assignment = assignment_of(field, user)
    for proposal, value in points.items():
        services.scores_save(
            assignment=assignment,
            actor=user,
            proposal=proposal,
            scores={
                c.pk: {"points": value, "rationale": f"{value} for {c.name}."}
                for c in field.criteria()
            },
        )
    if submit:
        services.assignment_submit(assignment=assignment, actor=user)
    assignment.refresh_from_db()
    return assignment


@pytest.fixture
def submitted(scoring, frank, grace):
    """frank and grace have submitted: Acme 8 and 7, Globex 6 and 6 on every criterion."""
    score_everything(scoring, frank, {scoring.acme: "8", scoring.globex: "6"})
    score_everything(scoring, grace, {scoring.acme: "7", scoring.globex: "6"})
    return scoring


@pytest.fixture
def consensus(submitted, frank):
    services.evaluation_transition(
        evaluation=submitted.evaluation, actor=frank, name="open_consensus"
    )
    return submitted.refresh()


def record_consensus(field: Field, chair, points: dict):
    for proposal, value in points.items():
        for criterion in field.criteria():
            services.consensus_record(
                evaluation=field.evaluation,
                actor=chair,
                proposal=proposal,
                criterion=criterion,
                points=value,
                rationale="Agreed after discussion.",
            )


@pytest.fixture
def locked(consensus, frank):
    record_consensus(consensus, frank, {consensus.acme: "8", consensus.globex: "6"})
    services.consensus_lock(evaluation=consensus.evaluation, actor=frank)
    return consensus.refresh()


@pytest.fixture
def prices_opened(locked, alice):
    services.prices_open(evaluation=locked.evaluation, actor=alice)
    return locked.refresh()


@pytest.fixture
def ranked(prices_opened, alice):
    services.evaluation_rank(evaluation=prices_opened.evaluation, actor=alice)
    return prices_opened.refresh()


__all__ = [
    "Criterion",
    "Decimal",
    "Field",
    "accept",
    "assignment_of",
    "passes",
    "record_consensus",
    "score_everything",
]
