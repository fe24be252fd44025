"""After closing, staff list what the challenge received and read technical envelopes; never a
price. Before closing, nothing about proposals shows on the challenge page."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import VendorMembershipFactory
from tests.vendors.conftest import close, fill_in
from vendors import services
from vendors.models import Proposal

pytestmark = pytest.mark.django_db


def received_url(challenge):
    return reverse("vendors:received_proposals", args=[challenge.reference])


def submit_for_new_vendor(challenge, questions, *, amount="123456.00"):
    membership = VendorMembershipFactory()
    proposal = services.proposal_start(
        challenge=challenge, vendor=membership.vendor, actor=membership.user
    )
    fill_in(proposal, membership.user, questions, amount=amount)
    return services.proposal_submit(proposal=proposal, actor=membership.user)


def close_now(challenge):
    with time_machine.travel(challenge.submission_deadline, tick=False):
        close(challenge)
    challenge.refresh_from_db()
    return challenge


def test_staff_see_received_proposals_with_time_and_digest_but_no_price(
    client, alice, submitted, globex, erin
):
    services.proposal_start(challenge=submitted.challenge, vendor=globex, actor=erin)
    challenge = close_now(submitted.challenge)
    client.force_login(alice)

    response = client.get(received_url(challenge))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["proposals"] == [Proposal.objects.get(pk=submitted.pk)]
    assert "Acme Heat Solutions Ltd." in html
    assert submitted.receipt_digest in html
    assert reverse("vendors:technical", args=[submitted.public_id]) in html
    # Globex never submitted: its lapsed draft is not listed.
    assert "Globex" not in html
    assert "98,000" not in html and "98000" not in html


def test_the_technical_envelope_shows_answers_and_documents_never_the_price(
    client, alice, submitted
):
    close_now(submitted.challenge)
    client.force_login(alice)

    response = client.get(reverse("vendors:technical", args=[submitted.public_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Heat pumps for all." in html and "Five engineers." in html
    document = submitted.documents.get()
    assert reverse("vendors:document_download", args=[document.public_id]) in html
    assert "98,000" not in html and "98000" not in html
    assert "price_envelope" not in response.context and "envelope" not in response.context


def test_staff_download_a_received_document_as_an_attachment(client, alice, submitted):
    close_now(submitted.challenge)
    document = submitted.documents.get()
    client.force_login(alice)

    response = client.get(reverse("vendors:document_download", args=[document.public_id]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="work-plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_challenge_page_links_the_received_list_for_staff_only_after_closing(
    client, alice, submitted
):
    challenge = submitted.challenge
    client.force_login(alice)

    before = client.get(challenge.get_absolute_url()).content.decode()
    close_now(challenge)
    after = client.get(challenge.get_absolute_url()).content.decode()

    assert received_url(challenge) not in before
    assert received_url(challenge) in after


def test_the_challenge_page_invites_vendors_to_respond_while_it_is_open(
    client, dave, acme, published_challenge
):
    client.force_login(dave)

    html = client.get(published_challenge.get_absolute_url()).content.decode()

    assert "Respond to this challenge" in html
    assert f"{reverse('vendors:portal')}#challenge-{published_challenge.reference}" in html


def _received_queries(client, challenge):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(received_url(challenge))
    assert response.status_code == 200
    return len(queries), len(response.context["proposals"])


def test_the_received_list_query_count_does_not_grow_with_proposals(
    client, alice, published_challenge, questions, acme, dave
):
    from tests.factories import ChallengeFactory, ResponseQuestionFactory, set_status

    few_challenge = published_challenge
    submit_for_new_vendor(few_challenge, questions)
    many_challenge = set_status(ChallengeFactory(owner=alice), "published")
    many_questions = [
        ResponseQuestionFactory(challenge=many_challenge, order=1, required=True),
        ResponseQuestionFactory(challenge=many_challenge, order=2, required=False),
    ]
    for _ in range(6):
        submit_for_new_vendor(many_challenge, many_questions)
    close_now(few_challenge)
    close_now(many_challenge)
    client.force_login(alice)

    few, few_rows = _received_queries(client, few_challenge)
    many, many_rows = _received_queries(client, many_challenge)

    assert (few_rows, many_rows) == (1, 6)
    assert many == few
