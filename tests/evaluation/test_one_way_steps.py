"""Locking the consensus and opening the prices ask first: the unconfirmed post says what will
happen and what cannot be undone and changes nothing; the confirmed post acts; whoever may not
take the step is refused either way."""

import pytest
from django.urls import reverse

from tests.evaluation.conftest import record_consensus

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirmed": "yes"}


def lock_url(field):
    return reverse("evaluation:consensus_lock", kwargs={"reference": field.challenge.reference})


def open_prices_url(field):
    return reverse(
        "evaluation:transition",
        kwargs={"reference": field.challenge.reference, "name": "open_prices"},
    )


def stage(field):
    field.evaluation.refresh_from_db()
    evaluation = field.evaluation
    return evaluation.status, evaluation.consensus_locked_at, evaluation.prices_opened_at


@pytest.fixture
def agreed(consensus, frank):
    record_consensus(consensus, frank, {consensus.acme: "8", consensus.globex: "6"})
    return consensus


def assert_asks(response, *sentences):
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "core/confirm.html"
    html = response.content.decode()
    assert 'name="confirmed" value="yes"' in html
    for sentence in ("What will happen", "What cannot be undone", *sentences):
        assert sentence in html
    return html


def test_locking_the_consensus_asks_first_then_locks(client, frank, agreed):
    client.force_login(frank)
    before = stage(agreed)

    asked = client.post(lock_url(agreed))

    html = assert_asks(
        asked,
        f"Lock the consensus of {agreed.challenge.reference}?",
        "Once locked, no score or consensus score can change",
    )
    assert f'action="{lock_url(agreed)}"' in html
    assert stage(agreed) == before

    done = client.post(lock_url(agreed), CONFIRMED)

    assert done.status_code == 302
    assert stage(agreed)[1] is not None


@pytest.mark.parametrize("persona", ["alice", "bob", "grace"])
def test_only_the_chair_is_asked_to_lock(client, request, agreed, persona):
    client.force_login(request.getfixturevalue(persona))
    before = stage(agreed)

    unconfirmed = client.post(lock_url(agreed))
    confirmed = client.post(lock_url(agreed), CONFIRMED)

    assert unconfirmed.status_code in (403, 404)
    assert confirmed.status_code == unconfirmed.status_code
    assert stage(agreed) == before


def test_a_lock_that_would_be_refused_is_refused_not_confirmed(client, frank, consensus):
    client.force_login(frank)

    response = client.post(lock_url(consensus), follow=True)

    assert "core/confirm.html" not in [t.name for t in response.templates]
    assert "still missing" in response.content.decode()
    assert stage(consensus)[1] is None


def test_opening_the_prices_asks_first_then_opens(client, alice, locked):
    client.force_login(alice)
    before = stage(locked)

    asked = client.post(open_prices_url(locked))

    assert_asks(
        asked,
        f"Open the price envelopes of {locked.challenge.reference}?",
        "Opened envelopes cannot be sealed again",
    )
    assert stage(locked) == before
    prices = reverse("evaluation:prices", kwargs={"reference": locked.challenge.reference})
    assert client.get(prices).status_code == 404

    done = client.post(open_prices_url(locked), CONFIRMED)

    assert done.status_code == 302
    assert stage(locked)[0] == "prices_opened"
    assert client.get(prices).status_code == 200


@pytest.mark.parametrize("persona", ["bob", "frank", "grace", "dave"])
def test_only_the_owner_is_asked_to_open_the_prices(client, request, locked, persona):
    client.force_login(request.getfixturevalue(persona))
    before = stage(locked)

    unconfirmed = client.post(open_prices_url(locked))
    confirmed = client.post(open_prices_url(locked), CONFIRMED)

    assert unconfirmed.status_code in (403, 404)
    assert confirmed.status_code == unconfirmed.status_code
    assert "What cannot be undone" not in unconfirmed.content.decode()
    assert stage(locked) == before


def test_the_pages_offer_the_steps_with_their_dialog(client, alice, frank, agreed):
    client.force_login(frank)
    consensus_page = client.get(
        reverse("evaluation:consensus", kwargs={"reference": agreed.challenge.reference})
    ).content.decode()

    assert 'data-confirm="confirm-evaluation-lock-consensus"' in consensus_page
    assert '<dialog id="confirm-evaluation-lock-consensus"' in consensus_page


def test_the_confirmation_is_in_french(client, alice, locked):
    client.force_login(alice)

    response = client.post(open_prices_url(locked), HTTP_ACCEPT_LANGUAGE="fr")

    html = response.content.decode()
    assert "Ce qui ne pourra pas être annulé" in html
    assert "Oui, ouvrir les enveloppes de prix" in html
