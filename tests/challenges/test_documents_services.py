"""Attaching, deleting and withdrawing the municipality's documents (docs/documents.md)."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from challenges.documents import services
from challenges.models import Document
from core.errors import InvalidInput, TransitionRefused
from core.models import AuditEntry
from tests.factories import AddendumFactory, ChallengeFactory, DocumentFactory, set_status

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="plan.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content)


def attach(challenge, actor, upload=None, **fields):
    values = {
        "attached_to": "challenge",
        "title": "Traffic counts",
        "kind": Document.Kind.BACKGROUND,
        "language": "en",
        "upload": upload if upload is not None else pdf(),
        **fields,
    }
    return services.document_attach(challenge=challenge, actor=actor, **values)


def entries(document, action):
    return AuditEntry.objects.filter(
        content_type__model="document", object_id=str(document.pk), transition=action
    )


def test_the_owner_attaches_a_checked_file_with_its_digest(challenge, alice):
    document = attach(challenge, alice)

    document.refresh_from_db()
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF_BYTES)
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert document.uploaded_by == alice
    assert document.file.name.startswith(f"documents/{challenge.reference}/")
    assert "plan" not in document.file.name
    entry = entries(document, "create").get()
    assert entry.actor == alice
    assert entry.metadata["changes"]["sha256"]["after"] == document.sha256
    assert entry.metadata["challenge_id"] == challenge.pk


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "frank", "rita"])
def test_nobody_but_the_owner_attaches(request, challenge, who):
    with pytest.raises(PermissionDenied):
        attach(challenge, request.getfixturevalue(who))
    assert not Document.objects.exists()


def test_a_renamed_executable_is_refused(challenge, alice):
    with pytest.raises(InvalidInput) as exc:
        attach(challenge, alice, SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 60))
    assert "not an accepted type" in exc.value.field_errors["file"][0]
    assert not Document.objects.exists()


def test_an_oversized_file_is_refused(challenge, alice, settings):
    settings.VENDOR_DOCUMENT_MAX_BYTES = 16
    with pytest.raises(InvalidInput) as exc:
        attach(challenge, alice)
    assert "at most" in exc.value.field_errors["file"][0]


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("counts.csv", b"street,count\nKing,120\nQueen,80\n", "text/csv"),
        ("counts.csv", "\ufeffrue,nombre\nRoyale,12\n".encode(), "text/csv"),
        ("counts.json", b'{"streets": [{"name": "King", "count": 120}]}', "application/json"),
        (
            "wards.geojson",
            b'{"type": "FeatureCollection", "features": []}',
            "application/geo+json",
        ),
    ],
)
def test_data_files_that_parse_are_accepted(challenge, alice, name, content, content_type):
    document = attach(challenge, alice, SimpleUploadedFile(name, content))
    assert document.content_type == content_type


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("counts.csv", b'street,count\n"King,120\n', "cannot be read"),
        ("counts.csv", b"street,count\nKing,120,extra\n", "different number of columns"),
        ("counts.csv", b"\xff\xfe\x00bad", "not an accepted type"),
        ("counts.json", b'{"streets": [', "not valid JSON"),
        ("wards.geojson", b'{"streets": []}', "not GeoJSON"),
    ],
)
def test_data_files_that_do_not_parse_are_refused(challenge, alice, name, content, message):
    with pytest.raises(InvalidInput) as exc:
        attach(challenge, alice, SimpleUploadedFile(name, content))
    assert message in exc.value.field_errors["file"][0]


def test_bad_fields_are_reported_by_field(challenge, alice):
    with pytest.raises(InvalidInput) as exc:
        attach(challenge, alice, title=" ", kind="nonsense", language="xx", confidential=True)
    assert set(exc.value.field_errors) == {"title", "kind", "language", "confidential_reason"}


def test_challenge_documents_are_attached_only_while_the_statement_is_editable(challenge, alice):
    set_status(challenge, "in_review")
    with pytest.raises(TransitionRefused, match="addendum"):
        attach(challenge, alice)


def test_an_addendum_takes_documents_while_it_is_a_draft(published_challenge, alice):
    addendum = AddendumFactory(challenge=published_challenge)
    document = attach(published_challenge, alice, attached_to="addendum", addendum=addendum)
    assert document.addendum == addendum

    set_status(addendum, "issued", number=1)
    with pytest.raises(TransitionRefused, match="issued"):
        attach(published_challenge, alice, attached_to="addendum", addendum=addendum)


def test_an_addendum_of_another_challenge_is_refused(challenge, alice):
    other = AddendumFactory(challenge=set_status(ChallengeFactory(owner=alice), "published"))
    with pytest.raises(InvalidInput) as exc:
        attach(challenge, alice, attached_to="addendum", addendum=other)
    assert "addendum" in exc.value.field_errors


def test_the_governance_record_is_fixed_at_review_except_the_privacy_assessment(challenge, alice):
    set_status(challenge, "published")
    with pytest.raises(TransitionRefused, match="privacy impact assessment"):
        attach(challenge, alice, attached_to="governance")

    document = attach(
        challenge,
        alice,
        attached_to="governance",
        kind=Document.Kind.PRIVACY_ASSESSMENT,
        confidential=True,
        confidential_reason="Names residents interviewed",
    )
    assert document.attached_to == "governance"


def test_no_contract_or_pilot_documents_before_they_exist(challenge, alice):
    for place in ("contract", "pilot"):
        with pytest.raises(TransitionRefused):
            attach(challenge, alice, attached_to=place)


def test_a_draft_document_is_deleted_with_its_file_and_the_history_keeps_its_facts(
    challenge, alice, django_capture_on_commit_callbacks
):
    document = attach(challenge, alice)
    pk, storage, name = document.pk, document.file.storage, document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.document_remove(document=document, actor=alice)

    assert not Document.objects.filter(pk=pk).exists()
    assert not storage.exists(name)
    entry = AuditEntry.objects.get(
        content_type__model="document", object_id=str(pk), transition="delete"
    )
    assert entry.metadata["changes"]["sha256"]["before"] == hashlib.sha256(PDF_BYTES).hexdigest()


def test_a_public_document_is_withdrawn_not_deleted(published_challenge, alice):
    document = DocumentFactory(challenge=published_challenge)

    with pytest.raises(InvalidInput) as exc:
        services.document_remove(document=document, actor=alice)
    assert "reason" in exc.value.field_errors

    services.document_remove(document=document, actor=alice, reason="Wrong year's counts")

    document.refresh_from_db()
    assert document.withdrawn_at is not None
    assert document.withdrawal_reason == "Wrong year's counts"
    assert document.file.storage.exists(document.file.name)
    assert entries(document, "withdraw").get().reason == "Wrong year's counts"
    with pytest.raises(TransitionRefused, match="already withdrawn"):
        services.document_remove(document=document, actor=alice, reason="again")


def test_a_document_fixed_with_the_statement_cannot_be_removed_before_publication(challenge, alice):
    document = DocumentFactory(challenge=challenge)
    set_status(challenge, "in_review")
    with pytest.raises(TransitionRefused):
        services.document_remove(document=document, actor=alice, reason="x")
    assert Document.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "frank", "rita"])
def test_nobody_but_the_owner_removes(request, published_challenge, who):
    document = DocumentFactory(challenge=published_challenge)
    with pytest.raises(PermissionDenied):
        services.document_remove(document=document, actor=request.getfixturevalue(who), reason="x")
    document.refresh_from_db()
    assert document.withdrawn_at is None


def test_a_deleted_draft_addendum_takes_its_documents_with_it_into_the_history(
    published_challenge, alice, django_capture_on_commit_callbacks
):
    from challenges import services as challenge_services

    addendum = AddendumFactory(challenge=published_challenge)
    document = attach(published_challenge, alice, attached_to="addendum", addendum=addendum)
    pk, storage, name = document.pk, document.file.storage, document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        challenge_services.addendum_delete(addendum=addendum, actor=alice)

    assert not Document.objects.filter(pk=pk).exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.filter(
        content_type__model="document", object_id=str(pk), transition="delete"
    ).exists()
