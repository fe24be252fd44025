"""Vendors for the personas: dave owns Acme (vendor A), erin owns Globex (vendor B)."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import ResponseQuestionFactory, VendorMembershipFactory, set_status
from vendors import services

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def acme(dave):
    return VendorMembershipFactory(
        user=dave, vendor__legal_name="Acme Heat Solutions Ltd.", role="owner"
    ).vendor


@pytest.fixture
def globex(erin):
    return VendorMembershipFactory(
        user=erin, vendor__legal_name="Globex Retrofit Co-operative", role="owner"
    ).vendor


@pytest.fixture
def questions(published_challenge):
    """Two questions: one required with a 20-word limit, one optional."""
    return [
        ResponseQuestionFactory(
            challenge=published_challenge,
            order=1,
            prompt="Describe your approach",
            required=True,
            max_words=20,
        ),
        ResponseQuestionFactory(
            challenge=published_challenge,
            order=2,
            prompt="Describe your team",
            required=False,
        ),
    ]


def pdf(name="work-plan.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def office_file(name, main_part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/main.xml" '
            f'ContentType="{main_part}"/></Types>',
        )
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def open_document_file(name, mimetype):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def fill_in(proposal, user, questions, *, amount="98000.00", approach="Heat pumps for all."):
    """Complete a draft: required answer, optional answer, a document, a price."""
    services.proposal_save_answers(
        proposal=proposal,
        actor=user,
        answers={questions[0].pk: approach, questions[1].pk: "Five engineers."},
    )
    services.document_upload(proposal=proposal, actor=user, title="Work plan", upload=pdf())
    services.price_envelope_save(proposal=proposal, actor=user, amount=Decimal(amount))
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def draft(published_challenge, acme, dave, questions):
    """Acme's complete draft to the published challenge."""
    proposal = services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)
    return fill_in(proposal, dave, questions)


@pytest.fixture
def submitted(draft, dave):
    return services.proposal_submit(proposal=draft, actor=dave)


def close(challenge):
    """Move the deadline into the past and close the challenge through its service."""
    from challenges import services as challenge_services

    challenge.refresh_from_db()
    return challenge_services.challenge_transition(
        challenge=challenge, actor=challenge.owner, name="close"
    )


__all__ = ["close", "fill_in", "office_file", "open_document_file", "pdf", "set_status"]
