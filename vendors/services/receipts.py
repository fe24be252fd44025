"""The submission receipt: a SHA-256 digest over a canonical JSON of the whole proposal.

The same proposal content and submission time always give the same digest; any change to an
answer, a document or the price gives another. Files enter through their stored SHA-256.

Each submission adds a random salt that only the vendor's receipt shows: after closing, staff
know everything in the payload but the price, and without the salt they cannot recover a
sealed price by hashing candidate amounts against the digest.
"""

import hashlib
import json
import secrets

from django.db.models import Prefetch
from django.db.models.functions import Lower

from ..models import PriceEnvelope, Proposal, ProposalAnswer, ProposalDocument, ProposalReceipt


def current_documents(proposal: Proposal):
    if hasattr(proposal, "current_documents"):
        return proposal.current_documents
    return ProposalDocument.objects.filter(
        proposal=proposal, superseded_at__isnull=True, removed_at__isnull=True
    ).order_by(Lower("title"), "sha256", "pk")


def with_receipt_content(proposals):
    """`proposals` (a queryset) with what a receipt covers read in a constant number of
    queries, in the receipt's order: answers with their questions, current documents
    (`current_documents`), the price envelope, the vendor."""
    return proposals.select_related("vendor", "price_envelope").prefetch_related(
        Prefetch(
            "answers",
            queryset=ProposalAnswer.objects.select_related("question").order_by(
                "question__order", "question_id"
            ),
        ),
        Prefetch(
            "documents",
            queryset=ProposalDocument.objects.filter(
                superseded_at__isnull=True, removed_at__isnull=True
            ).order_by(Lower("title"), "sha256", "pk"),
            to_attr="current_documents",
        ),
    )


def _answers(proposal: Proposal):
    if "answers" in getattr(proposal, "_prefetched_objects_cache", {}):
        return proposal.answers.all()
    return proposal.answers.select_related("question").order_by("question__order", "question_id")


def _price(proposal: Proposal):
    if "price_envelope" in proposal._state.fields_cache:
        return proposal._state.fields_cache["price_envelope"]
    return PriceEnvelope.objects.filter(proposal_id=proposal.pk).first()


def receipt_salt_new() -> str:
    return secrets.token_hex(16)


def receipt_payload(proposal: Proposal, *, submitted_at, salt: str | None = None) -> dict:
    challenge = proposal.challenge
    vendor = proposal.vendor
    answers = [
        {"question": answer.question.prompt, "question_id": answer.question_id, "text": answer.text}
        for answer in _answers(proposal)
    ]
    documents = [
        {"title": d.title, "name": d.original_name, "sha256": d.sha256, "size": d.size}
        for d in current_documents(proposal)
    ]
    envelope = _price(proposal)
    price = None
    if envelope is not None:
        price = {
            "amount": f"{envelope.amount:.2f}",
            "currency": envelope.currency,
            "breakdown": envelope.breakdown,
        }
    return {
        "challenge": challenge.reference,
        "proposal": str(proposal.public_id),
        "vendor": {"legal_name": vendor.legal_name, "business_number": vendor.business_number},
        "answers": answers,
        "documents": documents,
        "price": price,
        "submitted_at": submitted_at.isoformat(),
        "salt": proposal.receipt_salt if salt is None else salt,
    }


def receipt_digest(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def receipt_issue(*, proposal: Proposal, actor) -> ProposalReceipt:
    """Record the receipt of a submission that just happened; freezes the current documents."""
    receipt = ProposalReceipt.objects.create(
        proposal=proposal,
        digest=proposal.receipt_digest,
        salt=proposal.receipt_salt,
        submitted_at=proposal.submitted_at,
        submitted_by=actor,
    )
    # One insert: the receipt is new, so none of its documents is linked yet.
    through = ProposalReceipt.documents.through
    through.objects.bulk_create(
        [
            through(proposalreceipt_id=receipt.pk, proposaldocument_id=document.pk)
            for document in current_documents(proposal)
        ]
    )
    return receipt


def receipt_matches(proposal: Proposal) -> bool:
    """Whether the stored digest still matches the proposal's content (integrity check)."""
    if not proposal.receipt_digest or proposal.submitted_at is None:
        return False
    payload = receipt_payload(proposal, submitted_at=proposal.submitted_at)
    return receipt_digest(payload) == proposal.receipt_digest
