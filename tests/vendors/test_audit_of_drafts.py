"""A draft's writes are recorded in the audit trail (started, answers, price, documents) without
what was written, and staff screens show none of them before the challenge closes. A refused
write leaves nothing."""

import pytest
import time_machine

from core.audit import audit_entries_visible
from core.errors import InvalidInput, PermissionDenied
from core.models import AuditEntry
from tests.vendors.conftest import close, fill_in
from vendors import services

pytestmark = pytest.mark.django_db


def proposal_entries(proposal):
    return list(
        AuditEntry.objects.filter(
            content_type__app_label="vendors",
            content_type__model="proposal",
            object_id=str(proposal.pk),
        ).order_by("sequence")
    )


def test_each_write_to_a_draft_is_recorded_by_its_author(
    published_challenge, acme, dave, questions
):
    proposal = services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)
    fill_in(proposal, dave, questions)
    document = proposal.documents.get()
    services.document_remove(document=document, actor=dave)

    entries = proposal_entries(proposal)
    assert [(e.actor, e.transition) for e in entries] == [
        (dave, "create"),
        (dave, "save_answers"),
        (dave, "add_document"),
        (dave, "save_price"),
        (dave, "remove_document"),
    ]
    assert entries[0].metadata["changes"]["vendor"] == {"before": None, "after": acme.pk}
    assert entries[1].metadata["questions"] == sorted(q.pk for q in questions[:2])
    assert all(e.metadata["challenge_id"] == published_challenge.pk for e in entries)


def test_what_a_vendor_wrote_never_goes_into_the_trail(published_challenge, acme, dave, questions):
    proposal = services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)
    fill_in(proposal, dave, questions, amount="98765.43", approach="Geothermal loops under parks.")

    trail = str([e.metadata for e in AuditEntry.objects.all()])
    assert "98765" not in trail
    assert "Geothermal loops" not in trail
    assert "Work plan" not in trail
    changed = [e.metadata["changes"] for e in proposal_entries(proposal)[1:]]
    assert changed == [
        {"answers": {"withheld": True}},
        {"documents": {"withheld": True}},
        {"price": {"withheld": True}},
    ]


def test_staff_screens_show_a_drafts_writes_only_once_the_challenge_closed(submitted):
    written = {e.pk for e in proposal_entries(submitted)}
    assert written
    assert not written & set(audit_entries_visible().values_list("pk", flat=True))

    with time_machine.travel(submitted.challenge.submission_deadline, tick=False):
        close(submitted.challenge)
    assert written <= set(audit_entries_visible().values_list("pk", flat=True))


def test_a_refused_write_records_nothing(draft, erin, questions):
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput):
        services.price_envelope_save(proposal=draft, actor=draft.created_by, amount="-5")
    with pytest.raises(PermissionDenied):
        services.proposal_save_answers(
            proposal=draft, actor=erin, answers={questions[0].pk: "Not mine."}
        )
    assert AuditEntry.objects.count() == before
