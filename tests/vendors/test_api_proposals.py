"""The vendor API end to end: organizations, members, proposals, documents, transitions."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import roles
from core.models import AuditEntry
from tests.factories import (
    ChallengeFactory,
    EngagementActivityFactory,
    ProposalFactory,
    ResponseQuestionFactory,
    UserFactory,
    VendorMembershipFactory,
    set_status,
    valid_business_number,
)
from tests.vendors.conftest import PDF_BYTES, close, fill_in, pdf
from vendors import services
from vendors.models import (
    Proposal,
    ProposalDocument,
    ProposalReceipt,
    VendorInvitation,
    VendorMembership,
    VendorOrganization,
)

pytestmark = pytest.mark.django_db


def _url(proposal, suffix=""):
    return f"/api/proposals/{proposal.public_id}/{suffix}"


# Organizations and members


def test_it_registers_an_organization_and_makes_the_registrant_its_owner(api_as, rita):
    response = api_as(rita).post(
        "/api/vendors/",
        {
            "legal_name": "  Brightwater   Analytics Ltd. ",
            "business_number": valid_business_number(7) + " rt 0001",
            "street_address": "9 King Street",
            "city": "Moncton",
            "province": "NB",
            "postal_code": "e1c4m2",
            "size": "micro",
            "is_local_business": True,
            "women_owned": True,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    vendor = VendorOrganization.objects.get()
    assert response.json()["id"] == str(vendor.public_id)
    assert (vendor.legal_name, vendor.postal_code, vendor.program_account) == (
        "Brightwater Analytics Ltd.",
        "E1C 4M2",
        "RT0001",
    )
    assert vendor.women_owned and vendor.is_local_business
    assert VendorMembership.objects.get(vendor=vendor).user == rita
    rita.refresh_from_db()
    assert rita.groups.filter(name=roles.VENDOR).exists()


def test_an_owner_changes_the_organization_but_not_its_unknown_fields(api_as, acme, dave):
    response = api_as(dave).patch(
        f"/api/vendors/{acme.public_id}/",
        {"city": "Saint John", "postal_code": "E2L 1A1", "created_at": "2001-01-01T00:00:00Z"},
        format="json",
    )

    assert response.status_code == 200, response.content
    acme.refresh_from_db()
    assert (acme.city, acme.postal_code) == ("Saint John", "E2L 1A1")
    assert acme.created_at.year != 2001


def test_an_owner_invites_a_colleague_who_accepts_with_the_emailed_token(
    api_as, acme, dave, rita, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invited = api_as(dave).post(
            f"/api/vendors/{acme.public_id}/invitations/",
            {"email": rita.email, "role": "member"},
            format="json",
        )

    assert invited.status_code == 201, invited.content
    assert "token" not in invited.json()
    pending = api_as(dave).get(f"/api/vendors/{acme.public_id}/invitations/").json()
    assert [row["email"] for row in pending["results"]] == [rita.email]
    invitation = VendorInvitation.objects.get()
    (message,) = mailoutbox
    token = message.body.split("/vendors/invitations/")[1].split("/")[0]
    assert VendorInvitation.for_token(token) == invitation

    accepted = api_as(rita).post("/api/invitations/accept/", {"token": token}, format="json")

    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["vendor"]["id"] == str(acme.public_id)
    assert accepted.json()["role"] == "member"
    assert VendorMembership.objects.filter(vendor=acme, user=rita, role="member").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == rita
    assert api_as(dave).get(f"/api/vendors/{acme.public_id}/invitations/").json()["count"] == 0
    again = api_as(rita).post("/api/invitations/accept/", {"token": token}, format="json")
    assert again.status_code == 400
    assert "already used" in again.json()["detail"]


def test_an_owner_promotes_a_member_and_the_last_owner_cannot_leave(api_as, acme, dave, rita):
    membership = VendorMembershipFactory(vendor=acme, user=rita, role="member")
    own = VendorMembership.objects.get(vendor=acme, user=dave)
    client = api_as(dave)

    promoted = client.patch(
        f"/api/vendors/{acme.public_id}/members/{membership.pk}/", {"role": "owner"}, format="json"
    )
    assert promoted.status_code == 200
    assert promoted.json()["role"] == "owner"
    membership.refresh_from_db()
    assert membership.role == "owner"

    client.delete(f"/api/vendors/{acme.public_id}/members/{membership.pk}/")
    refused = client.delete(f"/api/vendors/{acme.public_id}/members/{own.pk}/")

    assert refused.status_code == 400
    assert "at least one owner" in refused.json()["detail"]
    assert list(VendorMembership.objects.filter(vendor=acme).values_list("user", flat=True)) == [
        dave.pk
    ]


def test_a_member_cannot_remove_the_owner(api_as, acme, dave, rita):
    VendorMembershipFactory(vendor=acme, user=rita, role="member")
    own = VendorMembership.objects.get(vendor=acme, user=dave)

    response = api_as(rita).delete(f"/api/vendors/{acme.public_id}/members/{own.pk}/")

    assert response.status_code == 403
    assert VendorMembership.objects.filter(pk=own.pk).exists()


def test_a_membership_of_another_organization_is_not_found_through_this_one(
    api_as, acme, globex, dave, erin
):
    theirs = VendorMembership.objects.get(vendor=globex, user=erin)

    response = api_as(dave).delete(f"/api/vendors/{acme.public_id}/members/{theirs.pk}/")

    assert response.status_code == 404
    assert VendorMembership.objects.filter(pk=theirs.pk).exists()


# Proposals


def test_a_member_starts_a_proposal_and_sees_what_is_missing(
    api_as, published_challenge, acme, dave, questions
):
    response = api_as(dave).post(
        "/api/proposals/",
        {"challenge": published_challenge.reference, "vendor": str(acme.public_id)},
        format="json",
    )

    assert response.status_code == 201, response.content
    proposal = Proposal.objects.get()
    body = response.json()
    assert body["id"] == str(proposal.public_id)
    assert (body["status"], body["challenge"], body["vendor"]["id"]) == (
        "draft",
        published_challenge.reference,
        str(acme.public_id),
    )
    assert body["submission_deadline"] is not None
    assert body["missing"] == [
        "Answer the required question “Describe your approach”.",
        "Enter your price in the price envelope.",
    ]
    assert [a["question"] for a in body["answers"]] == [q.pk for q in questions]
    assert body["allowed_transitions"] == []
    assert (proposal.vendor, proposal.created_by) == (acme, dave)


def test_a_second_proposal_for_the_same_challenge_is_refused(api_as, draft, acme, dave):
    response = api_as(dave).post(
        "/api/proposals/",
        {"challenge": draft.challenge.reference, "vendor": str(acme.public_id)},
        format="json",
    )

    assert response.status_code == 400
    assert "already has a proposal" in response.json()["detail"]
    assert Proposal.objects.count() == 1


def test_a_proposal_cannot_start_before_the_challenge_is_published(api_as, challenge, acme, dave):
    response = api_as(dave).post(
        "/api/proposals/",
        {"challenge": challenge.reference, "vendor": str(acme.public_id)},
        format="json",
    )

    # A draft challenge is not visible to vendors: the reference is unknown to them.
    assert response.status_code == 400
    assert "challenge" in response.json()
    assert not Proposal.objects.exists()


def test_a_member_saves_answers_and_an_empty_text_removes_one(api_as, draft, dave, questions):
    response = api_as(dave).patch(
        _url(draft),
        {
            "answers": [
                {"question": questions[0].pk, "text": "  District heating.  "},
                {"question": questions[1].pk, "text": ""},
            ]
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert [a["text"] for a in response.json()["answers"]] == ["District heating.", ""]
    assert dict(draft.answers.values_list("question_id", "text")) == {
        questions[0].pk: "District heating."
    }


def test_a_member_sets_and_reads_the_price_with_a_breakdown(api_as, draft, dave):
    client = api_as(dave)

    put = client.put(
        _url(draft, "price/"),
        {
            "amount": "120000.50",
            "breakdown": [
                {"label": "Equipment", "amount": "100000"},
                {"label": "Installation", "amount": 20000.5},
            ],
        },
        format="json",
    )
    got = client.get(_url(draft, "price/"))

    assert put.status_code == 200, put.content
    assert got.json() == put.json()
    assert got.json()["amount"] == "120000.50"
    assert got.json()["breakdown"] == [
        {"label": "Equipment", "amount": "100000.00"},
        {"label": "Installation", "amount": "20000.50"},
    ]
    draft.price_envelope.refresh_from_db()
    assert str(draft.price_envelope.amount) == "120000.50"


def test_an_empty_price_envelope_reads_as_no_amount(api_as, published_challenge, acme, dave):
    proposal = services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)

    response = api_as(dave).get(_url(proposal, "price/"))

    assert response.status_code == 200
    assert response.json() == {
        "amount": None,
        "currency": "CAD",
        "breakdown": [],
        "updated_at": None,
    }


def test_a_breakdown_that_does_not_add_up_is_refused(api_as, draft, dave):
    response = api_as(dave).put(
        _url(draft, "price/"),
        {"amount": "100", "breakdown": [{"label": "All", "amount": "90"}]},
        format="json",
    )

    assert response.status_code == 400
    assert "adds up to" in response.json()["breakdown"][0]
    draft.price_envelope.refresh_from_db()
    assert str(draft.price_envelope.amount) == "98000.00"


def test_a_member_uploads_replaces_lists_and_removes_documents(api_as, draft, dave):
    client = api_as(dave)
    original = draft.documents.get()

    uploaded = client.post(
        _url(draft, "documents/"),
        {"title": "work plan", "file": pdf("plan-v2.pdf", PDF_BYTES + b"v2")},
        format="multipart",
    )

    assert uploaded.status_code == 201, uploaded.content
    body = uploaded.json()
    document = ProposalDocument.objects.get(public_id=body["id"])
    assert body["sha256"] == hashlib.sha256(PDF_BYTES + b"v2").hexdigest()
    assert (body["name"], body["content_type"], body["size"]) == (
        "plan-v2.pdf",
        "application/pdf",
        len(PDF_BYTES) + 2,
    )
    original.refresh_from_db()
    assert original.superseded_at is not None
    listed = client.get(_url(draft, "documents/")).json()
    assert [row["id"] for row in listed["results"]] == [str(document.public_id)]

    removed = client.delete(f"/api/documents/{document.public_id}/")

    assert removed.status_code == 204
    document.refresh_from_db()
    assert document.removed_at is not None
    assert client.get(_url(draft, "documents/")).json()["count"] == 0


def test_a_download_is_an_attachment_that_browsers_may_not_sniff(api_as, draft, dave):
    document = draft.documents.get()

    response = api_as(dave).get(f"/api/documents/{document.public_id}/download/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="work-plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_a_submission_answers_with_the_receipt_and_lists_it(
    api_as, draft, dave, mailoutbox, django_capture_on_commit_callbacks
):
    client = api_as(dave)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(draft, "submit/"))

    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.status == "submitted"
    body = response.json()
    assert body["status"] == "submitted"
    assert body["receipt_digest"] == draft.receipt_digest != ""
    assert body["allowed_transitions"] == ["withdraw"]
    receipts = client.get(_url(draft, "receipts/")).json()
    assert receipts["count"] == 1
    (receipt,) = receipts["results"]
    assert receipt["digest"] == draft.receipt_digest
    assert receipt["submitted_by"] == "dave"
    assert [d["title"] for d in receipt["documents"]] == ["Work plan"]
    (message,) = mailoutbox
    assert draft.receipt_digest in message.body


def test_an_incomplete_draft_is_refused_with_what_is_missing(
    api_as, published_challenge, acme, dave, questions
):
    proposal = services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)

    response = api_as(dave).post(_url(proposal, "submit/"))

    assert response.status_code == 409
    assert response.json()["errors"] == [
        "Answer the required question “Describe your approach”.",
        "Enter your price in the price envelope.",
    ]
    assert response.json()["allowed_transitions"] == []
    proposal.refresh_from_db()
    assert proposal.status == "draft"
    assert not ProposalReceipt.objects.exists()
    assert not AuditEntry.objects.filter(transition="submit").exists()


@pytest.mark.parametrize(
    ("name", "state"),
    [("withdraw", "draft"), ("revise", "submitted"), ("reconfirm", "draft")],
)
def test_a_step_that_does_not_fit_the_state_is_refused_with_the_allowed_ones(
    api_as, draft, dave, name, state
):
    if state == "submitted":
        services.proposal_submit(proposal=draft, actor=dave)
    entries = AuditEntry.objects.count()

    response = api_as(dave).post(_url(draft, f"{name}/"), {}, format="json")

    assert response.status_code == 409
    expected = ["submit"] if state == "draft" else ["withdraw"]
    assert response.json()["allowed_transitions"] == expected
    draft.refresh_from_db()
    assert draft.status == state
    assert AuditEntry.objects.count() == entries


def test_a_vendor_withdraws_with_a_reason_revises_and_submits_again(api_as, submitted, dave):
    client = api_as(dave)

    withdrawn = client.post(
        _url(submitted, "withdraw/"), {"reason": "We found a cheaper supplier."}, format="json"
    )
    submitted.refresh_from_db()
    assert withdrawn.status_code == 200
    assert (submitted.status, submitted.status_reason) == (
        "withdrawn",
        "We found a cheaper supplier.",
    )
    assert withdrawn.json()["allowed_transitions"] == ["revise"]

    revised = client.post(_url(submitted, "revise/"))
    submitted.refresh_from_db()
    assert revised.status_code == 200
    assert (submitted.status, submitted.receipt_digest) == ("draft", "")

    again = client.post(_url(submitted, "submit/"))
    submitted.refresh_from_db()
    assert again.status_code == 200
    assert submitted.status == "submitted"
    assert ProposalReceipt.objects.filter(proposal=submitted).count() == 2
    assert list(
        # Its steps; the draft's own writes are recorded too (tests/vendors/test_audit_of_drafts).
        AuditEntry.objects.filter(object_id=str(submitted.pk), content_type__model="proposal")
        .exclude(target="")
        .order_by("sequence")
        .values_list("transition", flat=True)
    ) == ["submit", "withdraw", "revise", "submit"]


def test_a_vendor_reconfirms_after_a_material_addendum(api_as, submitted, dave):
    set_status(submitted, "needs_reconfirmation")

    response = api_as(dave).post(_url(submitted, "reconfirm/"))

    assert response.status_code == 200, response.content
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert ProposalReceipt.objects.filter(proposal=submitted).count() == 2


def test_a_submitted_proposal_cannot_be_changed(api_as, submitted, dave, questions):
    client = api_as(dave)
    digest = submitted.receipt_digest

    answers = client.patch(
        _url(submitted),
        {"answers": [{"question": questions[0].pk, "text": "Something else."}]},
        format="json",
    )
    price = client.put(_url(submitted, "price/"), {"amount": "1.00"}, format="json")
    upload = client.post(
        _url(submitted, "documents/"), {"title": "Late", "file": pdf()}, format="multipart"
    )
    removal = client.delete(f"/api/documents/{submitted.documents.get().public_id}/")

    for response in (answers, price, upload, removal):
        assert response.status_code == 409, response.content
        assert response.json()["allowed_transitions"] == ["withdraw"]
    submitted.refresh_from_db()
    assert submitted.receipt_digest == digest
    assert submitted.answers.get(question=questions[0]).text == "Heat pumps for all."
    assert str(submitted.price_envelope.amount) == "98000.00"
    assert submitted.documents.get().removed_at is None


# The deadline, by the server's clock

DEADLINE = datetime(2027, 3, 3, 18, 0, tzinfo=UTC)


@pytest.fixture
def due_draft(draft):
    set_status(
        draft.challenge,
        "published",
        questions_deadline=DEADLINE - timedelta(days=10),
        submission_deadline=DEADLINE,
    )
    return draft


def test_the_api_accepts_a_submission_one_microsecond_before_the_deadline(api_as, due_draft, dave):
    with time_machine.travel(DEADLINE - timedelta(microseconds=1), tick=False):
        response = api_as(dave).post(_url(due_draft, "submit/"))

    assert response.status_code == 200, response.content
    due_draft.refresh_from_db()
    assert due_draft.status == "submitted"
    assert due_draft.submitted_at == DEADLINE - timedelta(microseconds=1)


def test_the_api_refuses_a_submission_at_the_deadline_naming_it(api_as, due_draft, dave):
    with time_machine.travel(DEADLINE, tick=False):
        response = api_as(dave).post(_url(due_draft, "submit/"))

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "The submission deadline passed at Mar 3, 2027, 2:00\u202fp.m. AST; "
        "proposals can no longer be submitted."
    )
    due_draft.refresh_from_db()
    assert (due_draft.status, due_draft.receipt_digest) == ("draft", "")
    assert not ProposalReceipt.objects.exists()


# Lists: filters and query counts


def test_it_filters_your_proposals_by_challenge_and_status(
    api_as, submitted, acme, dave, alice, department
):
    second = set_status(ChallengeFactory(owner=alice, department=department), "published")
    EngagementActivityFactory(challenge=second)
    other = services.proposal_start(challenge=second, vendor=acme, actor=dave)
    client = api_as(dave)

    by_challenge = client.get("/api/proposals/", {"challenge": second.reference}).json()
    by_status = client.get("/api/proposals/", {"status": "submitted"}).json()
    refused = client.get("/api/proposals/", {"status": "sealed"})

    assert [row["id"] for row in by_challenge["results"]] == [str(other.public_id)]
    assert [row["id"] for row in by_status["results"]] == [str(submitted.public_id)]
    assert refused.status_code == 400
    assert "status" in refused.json()


def _query_count(client, url, expected_count):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.json()["count"] == expected_count
    return len(queries)


def test_a_vendors_lists_take_the_same_number_of_queries_whatever_their_length(
    api_as, draft, acme, dave, alice, department
):
    def grow(total):
        while Proposal.objects.filter(vendor=acme).count() < total:
            challenge = set_status(
                ChallengeFactory(owner=alice, department=department), "published"
            )
            ProposalFactory(challenge=challenge, vendor=acme, created_by=dave)
        while VendorMembership.objects.filter(vendor=acme).count() < total:
            VendorMembershipFactory(vendor=acme, user=UserFactory(), role="member")
            VendorMembershipFactory(user=dave, role="member")
        while (current := draft.documents.filter(superseded_at__isnull=True).count()) < total:
            services.document_upload(
                proposal=draft, actor=dave, title=f"Annex {current}", upload=pdf()
            )
        # A fresh user each time: roles are cached per user object.
        return api_as(type(dave).objects.get(pk=dave.pk))

    urls = [
        "/api/proposals/",
        "/api/vendors/",
        f"/api/vendors/{acme.public_id}/members/",
        _url(draft, "documents/"),
    ]
    counts = {}
    for total in (2, 6):
        client = grow(total)
        counts[total] = [_query_count(client, url, total) for url in urls]

    assert counts[2] == counts[6]


def _closed_challenge_with_received(total, *, alice, department):
    challenge = set_status(ChallengeFactory(owner=alice, department=department), "published")
    questions = [ResponseQuestionFactory(challenge=challenge, order=n) for n in (1, 2)]
    for _n in range(total):
        member = UserFactory(roles=["vendor"])
        vendor = VendorMembershipFactory(user=member).vendor
        proposal = services.proposal_start(challenge=challenge, vendor=vendor, actor=member)
        fill_in(proposal, member, questions)
        services.proposal_submit(proposal=proposal, actor=member)
    with time_machine.travel(challenge.submission_deadline, tick=False):
        close(challenge)
    return challenge


def test_the_received_list_takes_the_same_number_of_queries_whatever_its_length(
    api_as, alice, department
):
    few = _closed_challenge_with_received(2, alice=alice, department=department)
    many = _closed_challenge_with_received(6, alice=alice, department=department)

    def count(challenge, total):
        client = api_as(type(alice).objects.get(pk=alice.pk))
        return _query_count(client, f"/api/challenges/{challenge.reference}/proposals/", total)

    assert count(few, 2) == count(many, 6)


def test_the_receipts_list_takes_the_same_number_of_queries_whatever_its_length(
    api_as, submitted, dave
):
    def count(total):
        while submitted.receipts.count() < total:
            services.proposal_withdraw(proposal=submitted, actor=dave)
            services.proposal_revise(proposal=submitted, actor=dave)
            services.document_upload(
                proposal=submitted, actor=dave, title=f"Annex {total}", upload=pdf()
            )
            services.proposal_submit(proposal=submitted, actor=dave)
        client = api_as(type(dave).objects.get(pk=dave.pk))
        return _query_count(client, _url(submitted, "receipts/"), total)

    assert count(2) == count(5)
