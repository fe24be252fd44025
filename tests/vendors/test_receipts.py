"""The receipt digest is deterministic and covers every part of the proposal."""

import hashlib
from datetime import UTC, datetime

import pytest

from tests.vendors.conftest import PDF_BYTES, pdf
from vendors import services

pytestmark = pytest.mark.django_db

AT = datetime(2027, 3, 1, 15, 30, tzinfo=UTC)


def digest(proposal):
    proposal.refresh_from_db()
    return services.receipt_digest(services.receipt_payload(proposal, submitted_at=AT))


def test_the_digest_is_the_same_for_the_same_content_and_time(draft):
    assert digest(draft) == digest(draft)
    assert len(digest(draft)) == 64


def test_the_payload_names_every_part_of_the_proposal(draft):
    payload = services.receipt_payload(draft, submitted_at=AT)
    document = draft.documents.get()
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()

    assert payload["challenge"] == draft.challenge.reference
    assert payload["vendor"] == {
        "legal_name": "Acme Heat Solutions Ltd.",
        "business_number": draft.vendor.business_number,
    }
    assert [a["text"] for a in payload["answers"]] == ["Heat pumps for all.", "Five engineers."]
    assert payload["documents"] == [
        {
            "title": "Work plan",
            "name": "work-plan.pdf",
            "sha256": document.sha256,
            "size": len(PDF_BYTES),
        }
    ]
    assert payload["price"] == {"amount": "98000.00", "currency": "CAD", "breakdown": []}
    assert payload["submitted_at"] == "2027-03-01T15:30:00+00:00"


def test_the_digest_changes_with_an_answer(draft, dave, questions):
    before = digest(draft)
    services.proposal_save_answers(
        proposal=draft, actor=dave, answers={questions[1].pk: "Six engineers."}
    )
    assert digest(draft) != before


def test_the_digest_changes_with_a_document(draft, dave):
    before = digest(draft)
    services.document_upload(
        proposal=draft, actor=dave, title="Work plan", upload=pdf(content=b"%PDF-1.7 changed")
    )
    after_replace = digest(draft)
    services.document_upload(proposal=draft, actor=dave, title="Letters", upload=pdf())
    assert len({before, after_replace, digest(draft)}) == 3


def test_the_digest_changes_with_the_price_or_its_breakdown(draft, dave):
    before = digest(draft)
    services.price_envelope_save(proposal=draft, actor=dave, amount="98000.01")
    changed_amount = digest(draft)
    services.price_envelope_save(
        proposal=draft,
        actor=dave,
        amount="98000.01",
        breakdown=[{"label": "All", "amount": "98000.01"}],
    )
    assert len({before, changed_amount, digest(draft)}) == 3


def test_the_digest_changes_with_the_submission_time(draft):
    other_time = services.receipt_payload(draft, submitted_at=AT.replace(second=1))
    assert services.receipt_digest(other_time) != digest(draft)


def test_a_stored_receipt_still_matches_until_the_content_changes(submitted):
    assert services.receipt_matches(submitted)
    answer = submitted.answers.first()
    answer.text = "Tampered"
    answer.save()
    assert not services.receipt_matches(submitted)


def test_a_receipt_digest_cannot_be_matched_by_guessing_the_price_without_the_salt(submitted):
    submitted.refresh_from_db()
    assert len(submitted.receipt_salt) == 32
    unsalted = services.receipt_payload(submitted, submitted_at=submitted.submitted_at, salt="")
    assert services.receipt_digest(unsalted) != submitted.receipt_digest
    assert services.receipt_matches(submitted)
    assert submitted.receipts.get().salt == submitted.receipt_salt


def test_the_salt_stays_out_of_the_audit_trail(submitted):
    from core.models import AuditEntry

    submitted.refresh_from_db()
    entry = AuditEntry.objects.filter(transition="submit").latest("sequence")
    assert submitted.receipt_salt not in str(entry.metadata)
