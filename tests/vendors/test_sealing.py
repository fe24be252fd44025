"""Sealing: before closing nobody but the vendor learns anything, not even a count (§3)."""

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tests.vendors.conftest import close
from vendors import selectors, services

pytestmark = pytest.mark.django_db

EVERYONE = ["dave", "erin", "alice", "bob", "carol", "frank", "rita", "root", "anonymous"]
# Who sees Acme's proposal and its documents (never its price, except Acme itself).
SEES_BEFORE_CLOSING = {"dave"}
SEES_AFTER_CLOSING = {"dave", "alice", "bob", "carol"}


def persona(request, who):
    return AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)


@pytest.fixture
def sealed(submitted, globex, erin, questions):
    """Acme submitted; Globex has a draft it never submits."""
    other = services.proposal_start(challenge=submitted.challenge, vendor=globex, actor=erin)
    services.proposal_save_answers(
        proposal=other, actor=erin, answers={questions[0].pk: "Globex's idea"}
    )
    return submitted, other


@pytest.fixture
def unsealed(sealed):
    proposal, _other = sealed
    with time_machine.travel(proposal.challenge.submission_deadline, tick=False):
        close(proposal.challenge)
    return sealed


def check_visibility(user, proposal, sees: bool, *, sees_price: bool):
    document = proposal.documents.get()
    if sees:
        assert selectors.proposal_for_user(public_id=proposal.public_id, user=user) == proposal
        assert selectors.document_for_download(public_id=document.public_id, user=user) == document
        assert selectors.proposal_answers(proposal=proposal, user=user).count() == 2
        assert list(selectors.proposal_documents(proposal=proposal, user=user)) == [document]
    else:
        with pytest.raises(Http404):
            selectors.proposal_for_user(public_id=proposal.public_id, user=user)
        with pytest.raises(Http404):
            selectors.document_for_download(public_id=document.public_id, user=user)
        assert not selectors.proposal_answers(proposal=proposal, user=user).exists()
        assert not selectors.proposal_documents(proposal=proposal, user=user).exists()
    price = selectors.price_envelope_for(proposal=proposal, user=user)
    assert (price is not None) == sees_price
    assert selectors.proposal_receipts(proposal=proposal, user=user).exists() == sees_price


@pytest.mark.parametrize("who", EVERYONE)
def test_before_closing_only_the_vendor_sees_its_proposal(sealed, who, request):
    proposal, _other = sealed
    user = persona(request, who)

    check_visibility(user, proposal, who in SEES_BEFORE_CLOSING, sees_price=who == "dave")
    received = selectors.proposals_received_for_challenge(challenge=proposal.challenge, user=user)
    assert received.count() == 0
    assert list(received) == []


@pytest.mark.parametrize("who", EVERYONE)
def test_after_closing_staff_see_what_was_received_but_not_the_price(unsealed, who, request):
    proposal, _other = unsealed
    proposal.refresh_from_db()
    user = persona(request, who)

    check_visibility(user, proposal, who in SEES_AFTER_CLOSING, sees_price=who == "dave")
    received = selectors.proposals_received_for_challenge(challenge=proposal.challenge, user=user)
    if who in {"alice", "bob", "carol"}:
        assert list(received) == [proposal]
    else:
        assert received.count() == 0


@pytest.mark.parametrize("who", ["alice", "bob", "root", "frank", "dave"])
def test_a_draft_that_lapsed_stays_sealed_from_everyone_but_its_vendor(unsealed, who, request):
    _proposal, lapsed = unsealed
    lapsed.refresh_from_db()
    assert lapsed.status == "lapsed"
    user = persona(request, who)

    with pytest.raises(Http404):
        selectors.proposal_for_user(public_id=lapsed.public_id, user=user)
    assert not selectors.proposal_answers(proposal=lapsed, user=user).exists()


def test_the_vendor_still_sees_its_lapsed_draft(unsealed, erin):
    _proposal, lapsed = unsealed
    assert selectors.proposal_for_user(public_id=lapsed.public_id, user=erin) == lapsed


def test_each_vendor_lists_only_its_own_proposals(sealed, dave, erin, alice, root):
    proposal, other = sealed
    assert list(selectors.proposals_for_vendor_user(dave)) == [proposal]
    assert list(selectors.proposals_for_vendor_user(erin)) == [other]
    assert list(selectors.proposals_for_vendor_user(alice)) == []
    assert list(selectors.proposals_for_vendor_user(root)) == []
    assert list(selectors.proposals_for_vendor_user(AnonymousUser())) == []


def test_a_superseded_document_stays_sealed_after_closing(draft, dave, alice):
    from tests.vendors.conftest import pdf

    old = draft.documents.get()
    services.document_upload(
        proposal=draft, actor=dave, title="work plan", upload=pdf(content=b"%PDF-1.7 v2")
    )
    services.proposal_submit(proposal=draft, actor=dave)
    with time_machine.travel(draft.challenge.submission_deadline, tick=False):
        close(draft.challenge)

    with pytest.raises(Http404):
        selectors.document_for_download(public_id=old.public_id, user=alice)
    assert selectors.document_for_download(public_id=old.public_id, user=dave) == old


def test_an_unknown_id_is_a_404_for_everyone(dave):
    import uuid

    with pytest.raises(Http404):
        selectors.proposal_for_user(public_id=uuid.uuid4(), user=dave)
    with pytest.raises(Http404):
        selectors.document_for_download(public_id=uuid.uuid4(), user=dave)


def test_members_list_is_for_members_only(acme, dave, erin):
    assert [m.user for m in selectors.vendor_members(vendor=acme, user=dave)] == [dave]
    assert not selectors.vendor_members(vendor=acme, user=erin).exists()
    assert list(selectors.vendors_for_user(dave)) == [acme]
    assert not selectors.vendors_for_user(erin).exists()
