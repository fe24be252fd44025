"""Two envelopes: prices stay sealed from everyone but the vendor until `open_prices`.

Through vendors.selectors.price_envelope_for (the one read of a price), the evaluation's own
selectors and the CSV rows.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from evaluation import selectors
from evaluation.models import EvaluationPlan
from tests.factories import UserFactory
from vendors.selectors import price_envelope_for

pytestmark = pytest.mark.django_db

STAGES_BEFORE = ["closed", "screening", "scoring", "submitted", "consensus", "locked"]


@pytest.fixture
def everyone(alice, bob, carol, frank, grace, dave, erin, rita, root):
    return {
        "alice (owner)": alice,
        "bob (staff)": bob,
        "carol (approver)": carol,
        "frank (chair)": frank,
        "grace (evaluator)": grace,
        "ursula (unassigned evaluator)": UserFactory(username="ursula", roles=["evaluator"]),
        "erin (competitor)": erin,
        "rita (resident)": rita,
        "root (admin)": root,
        "anonymous": AnonymousUser(),
    }


def proposals_of(field):
    if isinstance(field, tuple):  # the `closed` fixture: (challenge, acme, globex)
        return field[1], field[2]
    return field.acme, field.globex


@pytest.mark.parametrize("stage", STAGES_BEFORE)
def test_nobody_but_the_vendor_reads_a_price_before_prices_are_opened(
    stage, request, everyone, dave
):
    acme, globex = proposals_of(request.getfixturevalue(stage))
    if stage != "closed":
        request.getfixturevalue("panel")

    for name, user in everyone.items():
        assert price_envelope_for(proposal=acme, user=user) is None, name
    assert price_envelope_for(proposal=acme, user=dave).amount == Decimal("100000.00")
    assert price_envelope_for(proposal=globex, user=dave) is None


@pytest.mark.parametrize("stage", ["consensus", "locked"])
def test_no_evaluation_selector_shows_prices_before_they_are_opened(stage, request, everyone):
    field = request.getfixturevalue(stage)
    for name, user in everyone.items():
        assert selectors.opened_prices(evaluation=field.evaluation, user=user) == [], name
        assert selectors.ranking_rows(evaluation=field.evaluation, user=user) == [], name


def test_after_opening_the_owner_and_the_chair_read_prices_and_nobody_else(prices_opened, everyone):
    readers = {
        name
        for name, user in everyone.items()
        if price_envelope_for(proposal=prices_opened.acme, user=user) is not None
    }
    assert readers == {"alice (owner)", "frank (chair)"}
    rows = selectors.opened_prices(
        evaluation=prices_opened.evaluation, user=everyone["frank (chair)"]
    )
    assert sorted((r["price"], r["meets_minimum"]) for r in rows) == [
        (Decimal("80000.00"), True),
        (Decimal("100000.00"), True),
    ]


def test_a_proposal_below_the_technical_minimum_keeps_its_price_sealed(locked, alice, frank):
    # Globex's consensus is 6 on both criteria: 24 + 18 = 42 of 70, below a minimum of 50.
    EvaluationPlan.objects.filter(pk=locked.evaluation.plan_id).update(
        minimum_technical_score=Decimal("50")
    )
    from evaluation import services

    evaluation = services.prices_open(evaluation=locked.evaluation, actor=alice)

    for user in (alice, frank):
        assert price_envelope_for(proposal=locked.globex, user=user) is None
        assert price_envelope_for(proposal=locked.acme, user=user).amount == Decimal("100000.00")
    rows = {r["proposal_id"]: r for r in selectors.opened_prices(evaluation=evaluation, user=alice)}
    assert rows[locked.globex.pk]["price"] is None
    assert rows[locked.globex.pk]["meets_minimum"] is False
