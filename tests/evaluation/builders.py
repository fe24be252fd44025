"""Ranking inputs written straight to the database (bulk), for ranking tests and properties.

The services are tested elsewhere; here only the stored inputs matter.
"""

import itertools
from decimal import Decimal

from evaluation.models import (
    ConsensusScore,
    Criterion,
    Evaluation,
    PanelAssignment,
    Score,
)
from tests.factories import (
    DEFAULT_RATED,
    ChallengeFactory,
    UserFactory,
    complete_plan,
    set_status,
)
from vendors.models import PriceEnvelope, Proposal, VendorOrganization

_numbers = itertools.count(1)


def vendors(count: int) -> list[VendorOrganization]:
    rows = []
    for _ in range(count):
        n = next(_numbers)
        rows.append(
            VendorOrganization(
                legal_name=f"Ranked Vendor {n}",
                business_number=f"{700000000 + n:09d}",
                street_address="1 King Street",
                city="Fredericton",
                province="NB",
                postal_code="E3B 1A1",
                size="small",
            )
        )
    return VendorOrganization.objects.bulk_create(rows)


def ranking_field(
    specs,
    *,
    combination="consensus",
    minimum="0",
    tie_break_order=("technical", "price", "draw"),
    rated=DEFAULT_RATED,
    price_weight=30,
    evaluators=1,
    status="prices_opened",
    owner=None,
):
    """An evaluation in `status` with one qualified proposal per spec, in the order given.

    A spec is (points per rated criterion, price): consensus scores, or with "average" each of
    `evaluators` submitted evaluators gives those points (a list of lists gives each its own).
    Returns (evaluation, proposals in spec order).
    """
    challenge = ChallengeFactory(**({"owner": owner} if owner else {}))
    set_status(challenge, "evaluating")
    plan = complete_plan(
        challenge,
        rated=rated,
        price_weight=price_weight,
        combination=combination,
        minimum_technical_score=Decimal(minimum),
        tie_break_order=tie_break_order,
    )
    evaluation = set_status(Evaluation.objects.create(challenge=challenge, plan=plan), status)
    criteria = list(plan.criteria.filter(kind=Criterion.Kind.RATED).order_by("order"))
    creator = challenge.owner
    proposals = Proposal.objects.bulk_create(
        Proposal(challenge=challenge, vendor=vendor, created_by=creator, status="qualified")
        for vendor in vendors(len(specs))
    )
    PriceEnvelope.objects.bulk_create(
        PriceEnvelope(proposal=p, amount=Decimal(str(price)), updated_by=creator)
        for p, (_points, price) in zip(proposals, specs, strict=True)
    )
    if combination == "consensus":
        ConsensusScore.objects.bulk_create(
            ConsensusScore(
                evaluation=evaluation,
                proposal=p,
                criterion=c,
                points=Decimal(str(value)),
                max_points=c.max_points,
                rationale="Agreed.",
                recorded_by=creator,
            )
            for p, (points, _price) in zip(proposals, specs, strict=True)
            for c, value in zip(criteria, points, strict=True)
        )
    else:
        assignments = PanelAssignment.objects.bulk_create(
            PanelAssignment(
                evaluation=evaluation,
                evaluator=UserFactory(roles=["evaluator"]),
                is_chair=i == 0,
                due_at=challenge.submission_deadline,
                assigned_by=creator,
                status="submitted",
            )
            for i in range(evaluators)
        )
        scores = []
        for p, (points, _price) in zip(proposals, specs, strict=True):
            for i, assignment in enumerate(assignments):
                mine = points[i] if isinstance(points[0], list | tuple) else points
                for c, value in zip(criteria, mine, strict=True):
                    scores.append(
                        Score(
                            assignment=assignment,
                            proposal=p,
                            criterion=c,
                            points=Decimal(str(value)),
                            max_points=c.max_points,
                            rationale="Scored.",
                        )
                    )
        Score.objects.bulk_create(scores)
    return evaluation, proposals
