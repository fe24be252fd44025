"""Every vendor page and form endpoint × every persona, before and after closing: the status each
gets, and that a refused request changes nothing.

"ok" is 200 for a page, or a redirect (not to the sign-in page) after a POST that did its work;
"moved" a redirect elsewhere; "login" a redirect to the sign-in page; 403 and 404 are refusals.
Before closing, another vendor's proposal answers 404 exactly like a proposal that does not exist.
"""

import re
import uuid
from dataclasses import dataclass, field

import pytest
import time_machine
from django.urls import reverse

from core.workflow import transition_run
from tests.factories import UserFactory, VendorMembershipFactory
from tests.vendors.conftest import close, pdf
from vendors import services
from vendors.models import (
    PriceEnvelope,
    Proposal,
    ProposalAnswer,
    ProposalDocument,
    VendorInvitation,
    VendorMembership,
)

pytestmark = pytest.mark.django_db

# dave owns Acme (vendor A), dan is a plain member of Acme, erin owns Globex (vendor B), alice is
# staff and owns the challenge, frank evaluates, root is the admin.
PERSONAS = ("anonymous", "dave", "dan", "erin", "alice", "frank", "root")
ACME = ("dave", "dan")


def expect(ok=(), forbidden=(), moved=(), anonymous="login"):
    outcome = {"anonymous": anonymous}
    for persona in PERSONAS[1:]:
        if persona in ok:
            outcome[persona] = "ok"
        elif persona in forbidden:
            outcome[persona] = 403
        elif persona in moved:
            outcome[persona] = "moved"
        else:
            outcome[persona] = 404
    return outcome


@pytest.fixture
def dan(acme):
    return VendorMembershipFactory(
        vendor=acme, user=UserFactory(username="dan", roles=["vendor"]), role="member"
    ).user


@pytest.fixture
def world(draft, dave, dan, globex, erin, questions):
    """Acme's complete draft (with a document) and Globex's own draft on the same challenge."""
    services.proposal_start(challenge=draft.challenge, vendor=globex, actor=erin)
    return draft


def in_state(proposal, state):
    actor = proposal.created_by
    if state in ("submitted", "withdrawn", "needs_reconfirmation"):
        services.proposal_submit(proposal=proposal, actor=actor)
    if state == "withdrawn":
        services.proposal_withdraw(proposal=proposal, actor=actor)
    if state == "needs_reconfirmation":
        transition_run(instance=proposal, name="require_reconfirmation", actor=None)
    proposal.refresh_from_db()
    return proposal


def sign_in(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def assert_outcome(response, outcome, *, method):
    if outcome == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif outcome == "moved":
        assert response.status_code == 302
        assert not response.url.startswith(reverse("login"))
    elif outcome == "ok":
        assert response.status_code == (200 if method == "get" else 302)
        if method == "post":
            assert not response.url.startswith(reverse("login"))
    else:
        assert response.status_code == outcome


def snapshot(proposal):
    """What a refused request must leave as it was."""
    proposal.refresh_from_db()
    return {
        "status": proposal.status,
        "digest": proposal.receipt_digest,
        "answers": sorted(ProposalAnswer.objects.values_list("pk", "text")),
        "price": list(PriceEnvelope.objects.values_list("pk", "amount", "breakdown")),
        "documents": sorted(ProposalDocument.objects.values_list("pk", "removed_at")),
        "proposals": Proposal.objects.count(),
        "members": sorted(VendorMembership.objects.values_list("pk", "role")),
        "invitations": sorted(VendorInvitation.objects.values_list("pk", "accepted_at")),
    }


@dataclass
class Case:
    method: str
    url: object  # (proposal, context) -> url
    outcome: dict
    state: str = "draft"
    data: object = field(default=None)  # (proposal, context) -> dict


# What the confirmation of a one-way step posts (tests/vendors/test_one_way_steps.py asks first).
CONFIRMED = {"confirmed": "yes"}


def _p(name, *extra):
    return lambda proposal, ctx: reverse(f"vendors:{name}", args=[proposal.public_id, *extra])


def _document(proposal, ctx):
    return reverse("vendors:document_download", args=[proposal.documents.get().public_id])


def _remove_document(proposal, ctx):
    document = proposal.documents.get()
    return reverse("vendors:document_remove", args=[proposal.public_id, document.public_id])


def _save_data(proposal, ctx):
    question = proposal.challenge.response_questions.order_by("order").first()
    return {f"answer_{question.pk}": "Changed answer.", "amount": "1.00"}


BEFORE_CLOSING = {
    "portal": Case("get", lambda p, c: reverse("vendors:portal"), expect(ok=PERSONAS)),
    # Municipal staff cannot act for a vendor (test_staff_conflict.py).
    "register": Case(
        "get",
        lambda p, c: reverse("vendors:register"),
        expect(ok=tuple(p for p in PERSONAS if p != "alice"), forbidden=("alice",)),
    ),
    "editor": Case("get", _p("proposal"), expect(ok=ACME)),
    "technical": Case("get", _p("technical"), expect(ok=ACME)),
    "submit-page": Case("get", _p("submit"), expect(ok=ACME)),
    "receipt": Case("get", _p("receipt_latest"), expect(ok=ACME), state="submitted"),
    "receipt-1": Case("get", _p("receipt", 1), expect(ok=ACME), state="submitted"),
    "receipt-download": Case("get", _p("receipt_download", 1), expect(ok=ACME), state="submitted"),
    "document": Case("get", _document, expect(ok=ACME)),
    "received": Case(
        "get",
        lambda p, c: reverse("vendors:received_proposals", args=[p.challenge.reference]),
        expect(),
    ),
    "save-draft": Case("post", _p("proposal"), expect(ok=ACME), data=_save_data),
    "upload": Case(
        "post",
        _p("document_upload"),
        expect(ok=ACME),
        data=lambda p, c: {"title": "Annex", "file": pdf("annex.pdf")},
    ),
    "remove-document": Case("post", _remove_document, expect(ok=ACME)),
    "submit": Case("post", _p("submit"), expect(ok=ACME), data=lambda p, c: CONFIRMED),
    "withdraw": Case(
        "post",
        _p("step", "withdraw"),
        expect(ok=ACME),
        state="submitted",
        data=lambda p, c: CONFIRMED,
    ),
    "revise": Case("post", _p("step", "revise"), expect(ok=ACME), state="withdrawn"),
    "reconfirm": Case(
        "post", _p("step", "reconfirm"), expect(ok=ACME), state="needs_reconfirmation"
    ),
    "start": Case(
        "post",
        lambda p, c: reverse("vendors:proposal_start", args=[c["open"].reference]),
        # Someone outside Acme cannot pick it: the form refuses and the portal says so.
        expect(ok=ACME, moved=("erin", "alice", "frank", "root")),
        data=lambda p, c: {"vendor": str(p.vendor.public_id)},
    ),
    "invite": Case(
        "post",
        lambda p, c: reverse("vendors:member_invite", args=[p.vendor.public_id]),
        # Staff may look an organization up, so they are told why they cannot invite.
        expect(ok=("dave",), forbidden=("dan", "alice")),
        data=lambda p, c: {"email": "new@example.org", "role": "member"},
    ),
    "change-role": Case(
        "post",
        lambda p, c: reverse("vendors:member_role", args=[c["mia"].pk]),
        expect(ok=("dave",), forbidden=("dan",)),
        data=lambda p, c: {"role": "owner"},
    ),
    "remove-member": Case(
        "post",
        lambda p, c: reverse("vendors:member_remove", args=[c["mia"].pk]),
        expect(ok=("dave",), forbidden=("dan",)),
    ),
    "invitation-page": Case(
        "get",
        lambda p, c: reverse("vendors:invitation_accept", args=[c["invitation"].token]),
        expect(forbidden=PERSONAS[1:]),
    ),
    "invitation-accept": Case(
        "post",
        lambda p, c: reverse("vendors:invitation_accept", args=[c["invitation"].token]),
        expect(forbidden=PERSONAS[1:]),
    ),
}


@pytest.fixture
def context(world, acme, dave, published_challenge):
    from tests.factories import ChallengeFactory, set_status

    mia = VendorMembershipFactory(
        vendor=acme, user=UserFactory(username="mia", roles=["vendor"]), role="member"
    )
    invitation = services.vendor_invite(vendor=acme, actor=dave, email="zoe@example.org")
    other = set_status(ChallengeFactory(owner=published_challenge.owner), "published")
    return {"mia": mia, "invitation": invitation, "open": other}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case_name", BEFORE_CLOSING)
def test_before_closing(client, request, world, context, case_name, persona):
    case = BEFORE_CLOSING[case_name]
    proposal = in_state(world, case.state)
    target = case.url(proposal, context)
    data = case.data(proposal, context) if case.data else {}
    before = snapshot(proposal)
    sign_in(client, request, persona)

    response = getattr(client, case.method)(target, data)

    outcome = case.outcome[persona]
    assert_outcome(response, outcome, method=case.method)
    if case.method == "post" and outcome != "ok":
        assert snapshot(proposal) == before
    if case.method == "post" and outcome == "ok":
        assert snapshot(proposal) != before
    if outcome in (403, 404) and persona not in ACME:
        body = response.content.decode()
        assert "Heat pumps for all." not in body and "98,000" not in body


@pytest.fixture
def closed(world, dave, erin, published_challenge):
    """Acme submitted, Globex never did; the challenge closed at its deadline."""
    services.proposal_submit(proposal=world, actor=dave)
    with time_machine.travel(published_challenge.submission_deadline, tick=False):
        close(published_challenge)
    world.refresh_from_db()
    assert world.status == Proposal.Status.RECEIVED
    return world


STAFF_READERS = ("alice",)

AFTER_CLOSING = {
    "received": Case(
        "get",
        lambda p, c: reverse("vendors:received_proposals", args=[p.challenge.reference]),
        expect(ok=STAFF_READERS),
    ),
    "technical": Case("get", _p("technical"), expect(ok=(*ACME, *STAFF_READERS))),
    "editor": Case("get", _p("proposal"), expect(ok=ACME, moved=STAFF_READERS)),
    "document": Case("get", _document, expect(ok=(*ACME, *STAFF_READERS))),
    "receipt": Case("get", _p("receipt_latest"), expect(ok=ACME)),
    "receipt-download": Case("get", _p("receipt_download", 1), expect(ok=ACME)),
    "submit-page": Case("get", _p("submit"), expect(moved=ACME, forbidden=STAFF_READERS)),
    # Staff who post to the editor are sent to the technical envelope, nothing saved.
    "save-draft": Case("post", _p("proposal"), expect(moved=(*ACME, "alice")), data=_save_data),
    "withdraw": Case(
        "post",
        _p("step", "withdraw"),
        expect(moved=ACME, forbidden=STAFF_READERS),
        data=lambda p, c: CONFIRMED,
    ),
    "submit": Case(
        "post",
        _p("submit"),
        expect(moved=ACME, forbidden=STAFF_READERS),
        data=lambda p, c: CONFIRMED,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case_name", AFTER_CLOSING)
def test_after_closing(client, request, closed, case_name, persona):
    case = AFTER_CLOSING[case_name]
    target = case.url(closed, {})
    data = case.data(closed, {}) if case.data else {}
    before = snapshot(closed)
    sign_in(client, request, persona)

    response = getattr(client, case.method)(target, data)

    outcome = case.outcome[persona]
    assert_outcome(response, outcome, method=case.method)
    if case.method == "post":
        assert snapshot(closed) == before
    body = response.content.decode() if not hasattr(response, "streaming_content") else ""
    if persona not in ACME:
        assert "98,000" not in body and "98000" not in body


# --- a hidden proposal looks exactly like one that does not exist ---------------------------------

HIDDEN_PAGES = {
    "editor": ("vendors:proposal", ()),
    "technical": ("vendors:technical", ()),
    "submit": ("vendors:submit", ()),
    "receipt": ("vendors:receipt_latest", ()),
    "receipt-1": ("vendors:receipt", (1,)),
    "download": ("vendors:receipt_download", (1,)),
}


def _without(body: str, *ids) -> str:
    for value in ids:
        body = body.replace(str(value), "ID")
    # CSRF tokens are masked afresh for every response.
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "", body)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


@pytest.mark.parametrize("persona", ["erin", "alice", "frank", "root"])
@pytest.mark.parametrize("page", HIDDEN_PAGES)
def test_another_vendors_proposal_answers_like_a_random_id(
    client, request, world, dave, persona, page
):
    services.proposal_submit(proposal=world, actor=dave)
    name, extra = HIDDEN_PAGES[page]
    random_id = uuid.uuid4()
    sign_in(client, request, persona)

    hidden = client.get(reverse(name, args=[world.public_id, *extra]))
    missing = client.get(reverse(name, args=[random_id, *extra]))

    assert hidden.status_code == missing.status_code == 404
    assert _without(hidden.content.decode(), world.public_id) == _without(
        missing.content.decode(), random_id
    )


@pytest.mark.parametrize("persona", ["erin", "alice", "frank", "root"])
def test_another_vendors_document_answers_like_a_random_id(client, request, world, persona):
    document = world.documents.get()
    random_id = uuid.uuid4()
    sign_in(client, request, persona)

    hidden = client.get(reverse("vendors:document_download", args=[document.public_id]))
    missing = client.get(reverse("vendors:document_download", args=[random_id]))

    assert hidden.status_code == missing.status_code == 404
    assert _without(hidden.content.decode(), document.public_id) == _without(
        missing.content.decode(), random_id
    )


@pytest.mark.parametrize("persona", ["alice", "root", "frank", "erin"])
def test_before_closing_the_received_list_is_the_same_with_or_without_proposals(
    client, request, world, dave, persona, alice
):
    from tests.factories import ChallengeFactory, set_status

    services.proposal_submit(proposal=world, actor=dave)
    empty = set_status(ChallengeFactory(owner=alice), "published")
    sign_in(client, request, persona)

    with_proposals = client.get(
        reverse("vendors:received_proposals", args=[world.challenge.reference])
    )
    without = client.get(reverse("vendors:received_proposals", args=[empty.reference]))

    assert with_proposals.status_code == without.status_code == 404
    assert _without(with_proposals.content.decode(), world.challenge.reference) == _without(
        without.content.decode(), empty.reference
    )
