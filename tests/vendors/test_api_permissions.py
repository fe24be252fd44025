"""The vendor API's permission matrix: every endpoint for every persona (DESIGN.md §9).

dave owns Acme (vendor A), maya is a plain member of Acme, erin owns Globex (vendor B), alice is
staff (before, and once more after, the challenge closes), frank evaluates, root is the admin.
A refusal changes nothing. Sealing: before closing, another vendor's proposal answers exactly like
an id that does not exist, for everyone, admins included, and nothing tells how many there are.
"""

import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from core.models import AuditEntry
from tests.factories import (
    ChallengeFactory,
    EngagementActivityFactory,
    UserFactory,
    VendorMembershipFactory,
    set_status,
    valid_business_number,
)
from tests.vendors.conftest import close, pdf
from vendors import services
from vendors.models import (
    PriceEnvelope,
    Proposal,
    ProposalAnswer,
    ProposalDocument,
    ProposalReceipt,
    VendorInvitation,
    VendorMembership,
    VendorOrganization,
)

PERSONAS = ["anonymous", "dave", "maya", "erin", "alice", "alice_after_closing", "frank", "root"]


@pytest.fixture
def maya(acme):
    user = UserFactory(username="maya", roles=["vendor"])
    VendorMembershipFactory(vendor=acme, user=user, role="member")
    return user


@pytest.fixture
def world(draft, acme, globex, maya, dave, erin, alice, frank, root, department, questions):
    """Acme's complete draft and Globex's draft to one published challenge, a second published
    challenge to start a proposal for, and an invitation from Acme to erin."""
    other = services.proposal_start(challenge=draft.challenge, vendor=globex, actor=erin)
    services.proposal_save_answers(
        proposal=other, actor=erin, answers={questions[0].pk: "Globex's approach"}
    )
    second = ChallengeFactory(owner=alice, department=department)
    EngagementActivityFactory(challenge=second)
    set_status(second, "published")
    invitation = services.vendor_invite(vendor=acme, actor=dave, email=erin.email)
    return {
        "proposal": draft,
        "other": other,
        "challenge": draft.challenge,
        "second": second,
        "acme": acme,
        "maya": VendorMembership.objects.get(vendor=acme, user=maya),
        "token": invitation.token,
        "document": draft.documents.get(),
    }


def prepare(world, state, *, closed):
    """Put Acme's proposal in `state` through the services; or submit it and close."""
    proposal, dave = world["proposal"], world["proposal"].created_by
    if closed:
        services.proposal_submit(proposal=proposal, actor=dave)
        with time_machine.travel(world["challenge"].submission_deadline, tick=False):
            close(world["challenge"])
        return
    if state in ("submitted", "withdrawn", "needs_reconfirmation"):
        services.proposal_submit(proposal=proposal, actor=dave)
    if state == "withdrawn":
        services.proposal_withdraw(proposal=proposal, actor=dave)
    if state == "needs_reconfirmation":
        # The system's step after a material addendum (tested in the domain suite).
        set_status(proposal, "needs_reconfirmation")


def _p(w, suffix=""):
    return f"/api/proposals/{w['proposal'].public_id}/{suffix}"


def _v(w, suffix=""):
    return f"/api/vendors/{w['acme'].public_id}/{suffix}"


def _d(w, suffix=""):
    return f"/api/documents/{w['document'].public_id}/{suffix}"


VENDOR = {
    "legal_name": "Brightwater Analytics Ltd.",
    "business_number": valid_business_number(4242),
    "street_address": "9 King Street",
    "city": "Moncton",
    "province": "NB",
    "postal_code": "E1C 4M2",
    "size": "micro",
}

ALL = [200] * 8
# Columns: anonymous, dave, maya, erin, alice, alice after closing, frank, root.
MEMBERS_ONLY_READ = [403, 200, 200, 404, 404, 404, 404, 404]
TECHNICAL_READ = [403, 200, 200, 404, 404, 200, 404, 404]
MEMBERS_ACT = [403, 200, 200, 404, 404, 403, 404, 404]

# endpoint: (method, url, body, state of Acme's proposal, expected status per persona)
ENDPOINTS = {
    "list your organizations": ("get", lambda w: "/api/vendors/", None, "draft", [403] + ALL[1:]),
    "register an organization": (
        "post",
        lambda w: "/api/vendors/",
        lambda w: VENDOR,
        "draft",
        # Municipal staff cannot act for a vendor (test_staff_conflict.py).
        [403, 201, 201, 201, 403, 403, 201, 201],
    ),
    "read an organization": (
        "get",
        _v,
        None,
        "draft",
        [403, 200, 200, 404, 200, 200, 404, 404],
    ),
    "edit an organization": (
        "patch",
        _v,
        lambda w: {"website": "https://acme.example.org"},
        "draft",
        [403, 200, 403, 404, 403, 403, 404, 404],
    ),
    "list members": ("get", lambda w: _v(w, "members/"), None, "draft", MEMBERS_ONLY_READ),
    "change a member's role": (
        "patch",
        lambda w: _v(w, f"members/{w['maya'].pk}/"),
        lambda w: {"role": "owner"},
        "draft",
        [403, 200, 403, 404, 404, 404, 404, 404],
    ),
    "remove a member (or leave)": (
        "delete",
        lambda w: _v(w, f"members/{w['maya'].pk}/"),
        None,
        "draft",
        [403, 204, 204, 404, 404, 404, 404, 404],
    ),
    "list invitations": (
        "get",
        lambda w: _v(w, "invitations/"),
        None,
        "draft",
        [403, 200, 403, 404, 404, 404, 404, 404],
    ),
    "invite someone": (
        "post",
        lambda w: _v(w, "invitations/"),
        lambda w: {"email": "new.colleague@example.org"},
        "draft",
        [403, 201, 403, 404, 404, 404, 404, 404],
    ),
    "accept an invitation (sent to erin)": (
        "post",
        lambda w: "/api/invitations/accept/",
        lambda w: {"token": w["token"]},
        "draft",
        [403, 403, 403, 200, 403, 403, 403, 403],
    ),
    "list your proposals": ("get", lambda w: "/api/proposals/", None, "draft", [403] + ALL[1:]),
    "start a proposal": (
        "post",
        lambda w: "/api/proposals/",
        lambda w: {"challenge": w["second"].reference, "vendor": str(w["acme"].public_id)},
        "draft",
        [403, 201, 201, 400, 400, 400, 400, 400],
    ),
    "read a proposal": ("get", _p, None, "draft", TECHNICAL_READ),
    "save answers": (
        "patch",
        _p,
        lambda w: {
            "answers": [
                {
                    "question": w["challenge"].response_questions.first().pk,
                    "text": "District heating.",
                }
            ]
        },
        "draft",
        MEMBERS_ACT,
    ),
    "read the price": ("get", lambda w: _p(w, "price/"), None, "draft", MEMBERS_ONLY_READ),
    "set the price": (
        "put",
        lambda w: _p(w, "price/"),
        lambda w: {"amount": "91000.00"},
        "draft",
        MEMBERS_ONLY_READ,
    ),
    "list documents": ("get", lambda w: _p(w, "documents/"), None, "draft", TECHNICAL_READ),
    "upload a document": (
        "post",
        lambda w: _p(w, "documents/"),
        lambda w: {"title": "Budget", "file": pdf("budget.pdf")},
        "draft",
        [403, 201, 201, 404, 404, 403, 404, 404],
    ),
    "read a document": ("get", _d, None, "draft", TECHNICAL_READ),
    "download a document": ("get", lambda w: _d(w, "download/"), None, "draft", TECHNICAL_READ),
    "remove a document": (
        "delete",
        _d,
        None,
        "draft",
        [403, 204, 204, 404, 404, 403, 404, 404],
    ),
    "list receipts": ("get", lambda w: _p(w, "receipts/"), None, "submitted", MEMBERS_ONLY_READ),
    "submit": ("post", lambda w: _p(w, "submit/"), None, "draft", MEMBERS_ACT),
    "withdraw": ("post", lambda w: _p(w, "withdraw/"), None, "submitted", MEMBERS_ACT),
    "revise": ("post", lambda w: _p(w, "revise/"), None, "withdrawn", MEMBERS_ACT),
    "reconfirm": (
        "post",
        lambda w: _p(w, "reconfirm/"),
        None,
        "needs_reconfirmation",
        MEMBERS_ACT,
    ),
    "list received proposals (staff)": (
        "get",
        lambda w: f"/api/challenges/{w['challenge'].reference}/proposals/",
        None,
        "draft",
        [403, 404, 404, 404, 404, 200, 404, 404],
    ),
}

MODELS = [
    VendorOrganization,
    VendorMembership,
    VendorInvitation,
    Proposal,
    ProposalAnswer,
    ProposalDocument,
    PriceEnvelope,
    ProposalReceipt,
    AuditEntry,
]


def snapshot():
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}
    media = Path(settings.MEDIA_ROOT)
    rows["files"] = sorted(str(p) for p in media.rglob("*")) if media.exists() else []
    return rows


def send(client, method, url, body):
    if body is None:
        return getattr(client, method)(url)
    if isinstance(body, dict) and "file" in body:
        return getattr(client, method)(url, body, format="multipart")
    return getattr(client, method)(url, body, format="json")


def persona_user(request, persona):
    if persona == "anonymous":
        return None
    return request.getfixturevalue(persona.removesuffix("_after_closing"))


CASES = [
    pytest.param(endpoint, persona, expected[i], id=f"{endpoint} as {persona}")
    for endpoint, (_m, _u, _b, _s, expected) in ENDPOINTS.items()
    for i, persona in enumerate(PERSONAS)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "persona", "expected"), CASES)
def test_it_answers_each_persona_as_the_rules_say(
    request, api_as, world, endpoint, persona, expected
):
    method, url, body, state, _expected = ENDPOINTS[endpoint]
    prepare(world, state, closed=persona.endswith("_after_closing"))
    user = persona_user(request, persona)
    before = snapshot()

    response = send(api_as(user), method, url(world), body and body(world))

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert snapshot() == before
        assert "detail" in response.json()
    elif method != "get":
        assert snapshot() != before


def _random_twins(w):
    """Each proposal and document endpoint, for Acme's ids and for ids that do not exist."""
    fake = {
        "proposal": type("P", (), {"public_id": uuid.uuid4()}),
        "document": type("D", (), {"public_id": uuid.uuid4()}),
        "challenge": type("C", (), {"reference": "RVB-2099-999"}),
    }
    return w, {**w, **fake}


SEALED_ENDPOINTS = [
    name
    for name in ENDPOINTS
    if name
    in {
        "read a proposal",
        "save answers",
        "read the price",
        "set the price",
        "list documents",
        "upload a document",
        "read a document",
        "download a document",
        "remove a document",
        "list receipts",
        "submit",
        "withdraw",
        "revise",
        "reconfirm",
        "list received proposals (staff)",
    }
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["erin", "alice", "frank", "root"])
@pytest.mark.parametrize("endpoint", SEALED_ENDPOINTS)
def test_before_closing_a_foreign_proposal_answers_exactly_like_a_random_id(
    request, api_as, world, endpoint, persona
):
    method, url, body, state, _expected = ENDPOINTS[endpoint]
    prepare(world, state, closed=False)
    client = api_as(request.getfixturevalue(persona))
    real, fake = _random_twins(world)
    before = snapshot()

    answers = [send(client, method, url(w), body and body(world)) for w in (real, fake)]

    assert answers[0].status_code == answers[1].status_code == 404
    assert answers[0].json() == answers[1].json()
    assert answers[0].headers.get("Content-Type") == answers[1].headers.get("Content-Type")
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "frank", "root", "erin"])
def test_before_closing_no_list_tells_how_many_proposals_exist(request, api_as, world, persona):
    client = api_as(request.getfixturevalue(persona))

    mine = client.get("/api/proposals/", {"challenge": world["challenge"].reference})
    received = client.get(f"/api/challenges/{world['challenge'].reference}/proposals/")
    unknown = client.get("/api/challenges/RVB-2099-999/proposals/")

    assert mine.status_code == 200
    own = {
        str(p.public_id)
        for p in Proposal.objects.filter(vendor__memberships__user__username=persona)
    }
    assert {row["id"] for row in mine.json()["results"]} == own
    assert mine.json()["count"] == len(own)
    assert str(world["proposal"].public_id) not in mine.content.decode()
    assert received.status_code == unknown.status_code == 404
    assert received.json() == unknown.json()


@pytest.mark.django_db
def test_each_vendor_member_lists_only_its_own_organizations_and_proposals(
    api_as, world, dave, erin
):
    for user, vendor, proposal in [
        (dave, world["acme"], world["proposal"]),
        (erin, world["other"].vendor, world["other"]),
    ]:
        client = api_as(user)
        vendors = client.get("/api/vendors/").json()
        proposals = client.get("/api/proposals/").json()

        assert [row["id"] for row in vendors["results"]] == [str(vendor.public_id)]
        assert vendors["count"] == 1
        assert [row["id"] for row in proposals["results"]] == [str(proposal.public_id)]
        assert proposals["count"] == 1


@pytest.mark.django_db
def test_after_closing_staff_see_the_technical_envelope_but_never_the_price(api_as, world, alice):
    prepare(world, "draft", closed=True)
    client = api_as(alice)

    listing = client.get(f"/api/challenges/{world['challenge'].reference}/proposals/")
    detail = client.get(_p(world))
    price = client.get(_p(world, "price/"))

    assert listing.status_code == 200
    # Globex's draft lapsed: never received, never shown.
    assert [row["id"] for row in listing.json()["results"]] == [str(world["proposal"].public_id)]
    assert listing.json()["count"] == 1
    body = detail.json()
    assert detail.status_code == 200
    assert body["status"] == "received"
    assert [a["text"] for a in body["answers"]] == ["Heat pumps for all.", "Five engineers."]
    assert [d["title"] for d in body["documents"]] == ["Work plan"]
    assert body["missing"] == [] and body["receipt_digest"] == ""
    assert body["allowed_transitions"] == []
    for text in (listing.content, detail.content):
        assert b"98000" not in text and b"amount" not in text
    assert price.status_code == 404
    lapsed = client.get(f"/api/proposals/{world['other'].public_id}/")
    assert lapsed.status_code == 404
