from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.errors import InvalidInput, PermissionDenied
from tests.factories import PriceEnvelopeFactory
from vendors import services
from vendors.models import PriceEnvelope

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(published_challenge, acme, dave):
    return services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)


def test_it_saves_a_price_in_canadian_dollars_with_a_breakdown(proposal, dave):
    services.price_envelope_save(
        proposal=proposal,
        actor=dave,
        amount="125,000.50",
        breakdown=[
            {"label": "Installation", "amount": "100000"},
            {"label": "Training", "amount": 25000.5},
        ],
    )

    envelope = PriceEnvelope.objects.get(proposal=proposal)
    assert envelope.amount == Decimal("125000.50")
    assert envelope.currency == "CAD"
    assert envelope.breakdown == [
        {"label": "Installation", "amount": "100000.00"},
        {"label": "Training", "amount": "25000.50"},
    ]


def test_saving_again_replaces_the_price(proposal, dave):
    services.price_envelope_save(proposal=proposal, actor=dave, amount="10")
    services.price_envelope_save(proposal=proposal, actor=dave, amount="12.5")
    assert list(PriceEnvelope.objects.values_list("amount", flat=True)) == [Decimal("12.50")]


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-1", "cannot be negative"),
        (Decimal("-0.01"), "cannot be negative"),
        ("twelve", "as a number of dollars"),
        ("NaN", "as a number of dollars"),
        ("Infinity", "as a number of dollars"),
        ("", "Enter the total price"),
        (None, "Enter the total price"),
        (True, "Enter the total price"),
        ("10.001", "at most two decimals"),
        ("1e15", "too large"),
    ],
)
def test_it_refuses_a_bad_amount_and_stores_nothing(proposal, dave, amount, message):
    with pytest.raises(InvalidInput, match=message) as refused:
        services.price_envelope_save(proposal=proposal, actor=dave, amount=amount)

    assert list(refused.value.field_errors) == ["amount"]
    assert not PriceEnvelope.objects.exists()


@pytest.mark.parametrize(
    "breakdown, message",
    [
        ("Installation: 100", "list of lines"),
        ([{"label": "", "amount": "100"}], "needs a label"),
        ([{"label": "Installation", "amount": "-100"}], "cannot be negative"),
        ([{"label": "Installation", "amount": "lots"}], "as a number of dollars"),
        ([{"label": "Installation", "amount": "60", "note": "x"}], "nothing else"),
        ([{"label": "Installation", "amount": "60"}], r"adds up to \$60 but the total price"),
    ],
)
def test_it_refuses_a_bad_breakdown_and_stores_nothing(proposal, dave, breakdown, message):
    with pytest.raises(InvalidInput, match=message) as refused:
        services.price_envelope_save(
            proposal=proposal, actor=dave, amount="100", breakdown=breakdown
        )

    assert list(refused.value.field_errors) == ["breakdown"]
    assert not PriceEnvelope.objects.exists()


def test_another_vendor_cannot_set_the_price(proposal, erin):
    with pytest.raises(PermissionDenied):
        services.price_envelope_save(proposal=proposal, actor=erin, amount="1")
    assert not PriceEnvelope.objects.exists()


def test_the_database_refuses_a_negative_price(proposal):
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceEnvelopeFactory(proposal=proposal, amount=Decimal("-1"))
    assert not PriceEnvelope.objects.exists()
