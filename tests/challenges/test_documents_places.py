"""The contract and the pilot take documents once they exist and make them public once signed or
started (procurement tells the challenges app, which cannot import it); open data reads
`documents_public`."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from challenges.documents import services
from challenges.documents.selectors import challenge_documents_for, documents_public
from challenges.models import Document
from core.errors import TransitionRefused
from procurement.models import Contract
from tests.factories import DocumentFactory, set_status
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attach(challenge, actor, attached_to, **fields):
    return services.document_attach(
        challenge=challenge,
        actor=actor,
        attached_to=attached_to,
        title=fields.pop("title", "Report"),
        kind=fields.pop("kind", Document.Kind.PROGRESS_REPORT),
        language="en",
        upload=SimpleUploadedFile("report.pdf", PDF_BYTES),
        **fields,
    )


def test_pilot_documents_are_public_once_the_pilot_starts(pilot, alice, rita):
    challenge = pilot.challenge
    document = attach(challenge, alice, "pilot")
    assert document not in challenge_documents_for(challenge=challenge, user=rita)
    assert document not in documents_public(challenge)

    set_status(pilot, "active", started_at=timezone.now())

    assert document in challenge_documents_for(challenge=challenge, user=rita)
    assert list(documents_public(challenge).filter(attached_to="pilot")) == [document]


def test_contract_documents_wait_for_the_contract_and_its_signature(final_award, alice, rita):
    challenge = final_award.challenge
    with pytest.raises(TransitionRefused, match="no contract"):
        attach(challenge, alice, "contract")

    contract = Contract.objects.create(challenge=challenge, award=final_award, created_by=alice)
    document = attach(challenge, alice, "contract", kind=Document.Kind.CONTRACT_SIGNED)
    assert document not in challenge_documents_for(challenge=challenge, user=rita)

    set_status(contract, "signed", signed_at=timezone.now())
    assert document in challenge_documents_for(challenge=challenge, user=rita)
    assert document in documents_public(challenge)


def test_open_data_gets_neither_confidential_nor_withdrawn_documents(published_challenge):
    public = DocumentFactory(challenge=published_challenge)
    DocumentFactory(challenge=published_challenge, confidential=True, confidential_reason="x")
    DocumentFactory(
        challenge=published_challenge, withdrawn_at=timezone.now(), withdrawal_reason="Old"
    )

    assert list(documents_public(published_challenge)) == [public]
    assert public.get_download_url().endswith(f"/documents/{public.public_id}/")
    assert public.kind == "x_backgroundData"
