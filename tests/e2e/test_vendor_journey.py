"""A vendor's journey in a real browser, one context per person: sign up, register, invite a
colleague, draft, submit, keep the receipt, withdraw, re-submit, and re-confirm after an addendum.

Locators go by role and label, as in the challenge journey.
"""

import hashlib
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from challenges.models import Addendum, Challenge
from core.models import AuditEntry
from tests.e2e.conftest import confirm, local_input, sign_in
from tests.factories import (
    PASSWORD,
    ChallengeFactory,
    ResponseQuestionFactory,
    UserFactory,
    VendorMembershipFactory,
    complete_plan,
    set_status,
    valid_business_number,
)
from vendors.models import Proposal, VendorMembership, VendorOrganization

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the flush after the test would drop the role groups migrations made.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VENDOR = "Tidewater Mobility Cooperative Ltd."
APPROACH = "How will residents using wheelchairs reach their bus stop after a storm?"
TEAM = "Who on your team has done this before?"
FIRST_ANSWER = "Sensor-equipped sidewalk tractors clear priority curb cuts within 12 hours."
REVISED_ANSWER = "Sensor-equipped sidewalk tractors clear priority curb cuts within 8 hours."
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def expect_status(page, text):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def canonical_sha256(content: dict) -> str:
    """How the receipt says its digest is made: SHA-256 of sorted, compact JSON."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def open_challenge(alice):
    challenge = ChallengeFactory(owner=alice, title="Keep curb cuts clear after snowstorms")
    ResponseQuestionFactory(challenge=challenge, order=1, prompt=APPROACH, max_words=50)
    ResponseQuestionFactory(challenge=challenge, order=2, prompt=TEAM)
    complete_plan(challenge)
    return set_status(challenge, Challenge.Status.PUBLISHED)


def test_a_new_vendor_submits_withdraws_resubmits_and_reconfirms_after_an_addendum(
    new_page, alice, erin, open_challenge, tmp_path
):
    challenge = open_challenge
    colleague = UserFactory(username="sam", email="sam@tidewater.example")
    other_vendor = VendorMembershipFactory(user=erin).vendor

    # A visitor finds the challenge and creates an account to respond.
    vendor = new_page()
    vendor.goto(challenge.get_absolute_url())
    vendor.get_by_role("link", name="Create an account to respond").click()
    expect(vendor.get_by_role("heading", level=1, name="Create an account")).to_be_visible()
    vendor.get_by_label("Username").fill("nadia")
    vendor.get_by_label("Email address").fill("nadia@tidewater.example")
    vendor.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    vendor.get_by_label("Password confirmation").fill(PASSWORD)
    vendor.get_by_role("button", name="Create the account").click()
    expect_status(vendor, "Welcome! Your account is ready.")

    # The sign-up came from the challenge, so the registration form follows.
    expect(
        vendor.get_by_role("heading", level=1, name="Register your organization")
    ).to_be_visible()
    business_number = valid_business_number(4242)
    vendor.get_by_label("Legal name").fill(VENDOR)
    vendor.get_by_label("Business number").fill(f"{business_number} RT0001")
    vendor.get_by_label("Street address").fill("44 King Street")
    vendor.get_by_label("City or town").fill("Saint John")
    vendor.get_by_label("Province or territory").select_option(label="New Brunswick")
    vendor.get_by_label("Postal code").fill("e2l 1g4")
    vendor.get_by_label("Size").select_option(label="Micro (1 to 4 employees)")
    vendor.get_by_role("button", name="Register the organization").click()
    expect_status(vendor, f"{VENDOR} is registered and you are its owner.")
    expect(vendor.get_by_role("heading", level=1, name="Vendor portal")).to_be_visible()

    organization = VendorOrganization.objects.get(legal_name=VENDOR)
    assert organization.business_number == business_number
    assert organization.postal_code == "E2L 1G4"
    nadia = organization.memberships.get().user
    assert (nadia.username, nadia.email) == ("nadia", "nadia@tidewater.example")
    assert organization.memberships.get().role == VendorMembership.Role.OWNER

    # The owner invites a colleague; the link arrives by email.
    card = vendor.get_by_role("article", name=VENDOR)
    card.get_by_label("Email address").fill(colleague.email)
    card.get_by_role("button", name="Send the invitation").click()
    expect_status(vendor, f"Invitation sent to {colleague.email}.")
    expect(vendor.get_by_role("article", name=VENDOR)).to_contain_text(
        f"{colleague.email} as Member"
    )
    invitation_mail = next(m for m in mail.outbox if colleague.email in m.to)
    link = re.search(r"/vendors/invitations/[^/\s]+/", invitation_mail.body)
    assert link is not None, invitation_mail.body

    # The colleague, signed in with the invited address, joins.
    sam = new_page()
    sign_in(sam, "sam", PASSWORD)
    sam.goto(link.group(0))
    sam.get_by_role("button", name=f"Join {VENDOR}").click()
    expect_status(sam, f"Welcome to {VENDOR}.")
    expect(sam.get_by_role("article", name=VENDOR)).to_contain_text("sam (you)")
    assert organization.memberships.get(user=colleague).role == VendorMembership.Role.MEMBER

    # The owner starts a proposal from the portal.
    vendor.reload()
    listed = vendor.get_by_role("region", name="Challenges open for proposals")
    expect(listed.get_by_role("link", name=re.compile(challenge.title))).to_be_visible()
    listed.get_by_role("button", name="Start a proposal").click()
    expect_status(vendor, "Proposal started as a draft.")
    expect(
        vendor.get_by_role("heading", level=1, name=f"Proposal to {challenge.reference}")
    ).to_be_visible()
    proposal = Proposal.objects.get(challenge=challenge, vendor=organization)
    assert proposal.status == Proposal.Status.DRAFT

    # Answers and price, saved as a draft; the page lists nothing missing any more.
    missing = vendor.get_by_role("region", name="Before you can submit")
    expect(missing).to_contain_text(f"Answer the required question “{APPROACH}”.")
    expect(missing).to_contain_text("Enter your price in the price envelope.")
    expect(vendor.get_by_role("link", name="Review and submit")).to_have_count(0)
    vendor.get_by_label(APPROACH).fill(FIRST_ANSWER)
    vendor.get_by_label(TEAM).fill("Our crew cleared Saint John's uptown routes for four winters.")
    vendor.get_by_label("Total price (CAD)").fill("87500")
    vendor.get_by_label("Line 1: item").fill("Equipment and sensors")
    vendor.get_by_label("Line 1: amount (CAD)").fill("52500")
    vendor.get_by_label("Line 2: item").fill("Operations, one winter")
    vendor.get_by_label("Line 2: amount (CAD)").fill("35000")
    vendor.get_by_role("button", name="Save draft").click()
    expect_status(vendor, "Draft saved. It is not submitted yet.")
    expect(missing).to_have_count(0)

    # A small PDF as the work plan.
    vendor.get_by_label("Document title").fill("Work plan")
    vendor.get_by_label("File (required)", exact=True).set_input_files(
        {"name": "work-plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    vendor.get_by_role("button", name="Upload", exact=True).click()
    expect_status(vendor, "“Work plan” uploaded (work-plan.pdf).")
    documents = vendor.get_by_role("region", name="Documents")
    expect(documents.get_by_role("link", name="work-plan.pdf")).to_be_visible()

    # Submit through the confirmation page.
    vendor.get_by_role("link", name="Review and submit").click()
    expect(vendor.get_by_role("heading", level=1, name="Submit the proposal")).to_be_visible()
    summary = vendor.get_by_role("region", name="What you are submitting")
    expect(summary).to_contain_text("Total: $87,500")
    expect(summary).to_contain_text("work-plan.pdf")
    confirm(vendor, "Yes, submit the proposal")
    expect_status(vendor, "Your proposal is submitted.")
    expect(vendor.get_by_role("heading", level=1, name="Submission receipt")).to_be_visible()

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    first_receipt = proposal.receipts.get()
    assert first_receipt.digest == proposal.receipt_digest
    assert re.fullmatch(r"[0-9a-f]{64}", first_receipt.digest)
    main = vendor.get_by_role("main")
    expect(main).to_contain_text(first_receipt.digest)
    expect(main).to_contain_text("1 of 1")
    expect(main.get_by_role("cell", name="work-plan.pdf")).to_be_visible()
    expect(main.get_by_role("cell", name=hashlib.sha256(PDF).hexdigest())).to_be_visible()
    receipt_mail = next(m for m in mail.outbox if nadia.email in m.to and "Receipt" in m.subject)
    assert first_receipt.digest in receipt_mail.body

    # The downloaded receipt carries the stored digest, and the content it was computed from.
    with vendor.expect_download() as download_info:
        vendor.get_by_role("link", name="Download the receipt (JSON)").click()
    download = download_info.value
    assert download.suggested_filename == f"receipt-{challenge.reference}-1.json"
    saved = Path(tmp_path) / download.suggested_filename
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["digest_algorithm"] == "SHA-256"
    assert data["digest"] == first_receipt.digest
    assert canonical_sha256(data["content"]) == first_receipt.digest
    assert data["content"]["price"]["amount"] == "87500.00"
    assert [d["sha256"] for d in data["documents"]] == [hashlib.sha256(PDF).hexdigest()]

    # Another vendor cannot tell the proposal exists.
    outsider = new_page()
    sign_in(outsider, "erin", PASSWORD)
    for url in (
        f"/vendors/proposals/{proposal.public_id}/",
        f"/vendors/proposals/{proposal.public_id}/receipts/latest/download/",
    ):
        response = outsider.goto(url)
        assert response is not None and response.status == 404, url
    expect(outsider.get_by_role("main")).not_to_contain_text(VENDOR)

    # Withdraw, with a reason, then revise and submit again.
    vendor.get_by_role("link", name=f"Proposal to {challenge.reference}").click()
    vendor.get_by_label("Reason for withdrawing (optional)").fill("We can commit to 8 hours.")
    vendor.get_by_role("button", name="Withdraw").click()
    confirm(vendor, "Yes, withdraw the proposal")
    expect_status(vendor, "Your proposal is withdrawn.")
    expect(vendor.get_by_text("Reason: We can commit to 8 hours.")).to_be_visible()
    vendor.get_by_role("button", name="Revise").click()
    expect_status(vendor, "Your proposal is a draft again")
    expect(vendor.get_by_label(APPROACH)).to_have_value(FIRST_ANSWER)
    vendor.get_by_label(APPROACH).fill(REVISED_ANSWER)
    vendor.get_by_role("button", name="Save draft").click()
    expect_status(vendor, "Draft saved.")
    vendor.get_by_role("link", name="Review and submit").click()
    confirm(vendor, "Yes, submit the proposal")
    expect_status(vendor, "Your proposal is submitted.")
    expect(vendor.get_by_role("main")).to_contain_text("2 of 2")

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    second_receipt = proposal.receipts.first()
    assert second_receipt.digest == proposal.receipt_digest != first_receipt.digest
    expect(vendor.get_by_role("main")).to_contain_text(second_receipt.digest)

    # The owner issues a material addendum with a later deadline, from the challenge page.
    staff = new_page()
    sign_in(staff, "alice", PASSWORD)
    staff.goto(challenge.get_absolute_url())
    staff.get_by_role("link", name="Write an addendum").click()
    new_deadline = (timezone.now() + timedelta(days=45)).replace(second=0, microsecond=0)
    staff.get_by_label("Title in English").fill("Priority routes now include school zones")
    staff.get_by_label("What changes in English").fill(
        "Curb cuts within 300 m of a school are priority."
    )
    staff.get_by_label("Changes the terms").check()
    staff.get_by_label("New submission deadline").fill(local_input(new_deadline))
    staff.get_by_role("button", name="Save the draft").click()
    expect_status(staff, "Addendum saved as a draft.")
    staff.get_by_role("region", name="Draft addenda").get_by_role("button", name="Issue").click()
    confirm(staff, "Yes, issue the addendum")
    expect_status(staff, "Addendum 1 issued.")
    expect(
        staff.get_by_role("region", name="Addenda").get_by_role(
            "heading", name="Addendum 1: Priority routes now include school zones"
        )
    ).to_be_visible()

    # The vendor is asked to re-confirm, and does.
    vendor.get_by_role("link", name=f"Proposal to {challenge.reference}").click()
    expect(vendor.get_by_role("heading", name="Re-confirm your proposal")).to_be_visible()
    expect(vendor.get_by_text("Addendum 1 changed the terms or dates.")).to_be_visible()
    expect(vendor.get_by_text("Needs re-confirmation", exact=True)).to_be_visible()
    vendor.get_by_role("button", name="Re-confirm").click()
    expect_status(vendor, "Your proposal is re-confirmed; a new receipt is issued.")
    expect(vendor.get_by_role("main")).to_contain_text("3 of 3")

    challenge.refresh_from_db()
    assert challenge.submission_deadline == new_deadline
    addendum = Addendum.objects.get(challenge=challenge)
    assert (addendum.number, addendum.changes_terms, addendum.status) == (1, True, "issued")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.submitted_by == nadia
    assert proposal.submitted_at > addendum.issued_at
    receipts = list(proposal.receipts.all())
    assert len(receipts) == 3
    assert receipts[0].digest == proposal.receipt_digest
    assert len({r.digest for r in receipts}) == 3
    assert receipts[0].submitted_at == proposal.submitted_at
    assert proposal.answers.get(question__prompt=APPROACH).text == REVISED_ANSWER

    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Proposal), object_id=str(proposal.pk)
    ).exclude(target="")
    assert [(e.transition, e.source, e.target, e.actor) for e in entries] == [
        ("submit", "draft", "submitted", nadia),
        ("withdraw", "submitted", "withdrawn", nadia),
        ("revise", "withdrawn", "draft", nadia),
        ("submit", "draft", "submitted", nadia),
        ("require_reconfirmation", "submitted", "needs_reconfirmation", None),
        ("reconfirm", "needs_reconfirmation", "submitted", nadia),
    ]
    assert entries.get(transition="withdraw").reason == "We can commit to 8 hours."
    assert not other_vendor.proposals.exists()
