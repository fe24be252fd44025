"""Submitting and withdrawing a proposal ask first: the unconfirmed post shows what will happen
and what cannot be undone and changes nothing; the confirmed post acts; people outside the vendor
are refused either way."""

import pytest
from django.urls import reverse

from vendors.models import Proposal

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirmed": "yes"}


def url(name, proposal, *args):
    return reverse(f"vendors:{name}", args=[proposal.public_id, *args])


def state(proposal):
    proposal.refresh_from_db()
    return proposal.status, proposal.receipts.count()


def test_an_unconfirmed_submission_shows_what_happens_and_submits_nothing(client, dave, draft):
    client.force_login(dave)

    response = client.post(url("submit", draft))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Submit your proposal to {draft.challenge.reference}?" in html
    assert "What will happen" in html and "What cannot be undone" in html
    assert "The time of submission and its receipt are kept for good." in html
    assert 'name="confirmed" value="yes"' in html
    assert state(draft) == (Proposal.Status.DRAFT, 0)


def test_the_confirmed_submission_submits_with_a_receipt(client, dave, draft):
    client.force_login(dave)

    response = client.post(url("submit", draft), CONFIRMED)

    assert response.status_code == 302
    assert state(draft) == (Proposal.Status.SUBMITTED, 1)


def test_the_submit_page_asks_and_posts_the_confirmation(client, dave, draft):
    client.force_login(dave)

    html = client.get(url("submit", draft)).content.decode()

    assert "Yes, submit the proposal</button>" in html
    assert 'name="confirmed" value="yes"' in html


@pytest.mark.parametrize("persona", ["erin", "alice", "rita"])
def test_only_the_vendors_members_are_asked_to_submit(client, request, draft, persona):
    client.force_login(request.getfixturevalue(persona))

    unconfirmed = client.post(url("submit", draft))
    confirmed = client.post(url("submit", draft), CONFIRMED)

    assert unconfirmed.status_code in (403, 404)
    assert confirmed.status_code == unconfirmed.status_code
    assert state(draft) == (Proposal.Status.DRAFT, 0)


def test_withdrawing_asks_first_repeating_the_reason_then_withdraws(client, dave, submitted):
    client.force_login(dave)

    asked = client.post(url("step", submitted, "withdraw"), {"reason": "Pricing error."})

    html = asked.content.decode()
    assert asked.status_code == 200
    assert [t.name for t in asked.templates][0] == "core/confirm.html"
    assert f"Withdraw your proposal to {submitted.challenge.reference}?" in html
    assert "Pricing error." in html
    assert "its time of submission cannot be restored" in html
    assert state(submitted)[0] == Proposal.Status.SUBMITTED

    client.post(url("step", submitted, "withdraw"), {"reason": "Pricing error.", **CONFIRMED})

    assert state(submitted)[0] == Proposal.Status.WITHDRAWN


@pytest.mark.parametrize("persona", ["erin", "alice"])
def test_only_the_vendors_members_are_asked_to_withdraw(client, request, submitted, persona):
    client.force_login(request.getfixturevalue(persona))

    unconfirmed = client.post(url("step", submitted, "withdraw"))
    confirmed = client.post(url("step", submitted, "withdraw"), CONFIRMED)

    assert unconfirmed.status_code in (403, 404)
    assert confirmed.status_code == unconfirmed.status_code
    assert state(submitted)[0] == Proposal.Status.SUBMITTED


def test_a_withdrawal_that_would_be_refused_is_refused_not_confirmed(client, dave, draft):
    client.force_login(dave)

    response = client.post(url("step", draft, "withdraw"), follow=True)

    assert "core/confirm.html" not in [t.name for t in response.templates]
    assert list(response.context["messages"])
    assert state(draft)[0] == Proposal.Status.DRAFT


def test_the_proposal_page_offers_withdrawing_with_its_dialog(client, dave, submitted):
    client.force_login(dave)

    html = client.get(url("proposal", submitted)).content.decode()

    assert 'data-confirm="confirm-vendors-withdraw"' in html
    assert '<dialog id="confirm-vendors-withdraw"' in html
