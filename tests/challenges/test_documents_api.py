"""The documents API: list, upload (multipart), download, delete and withdraw, for every role."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from challenges.models import Document
from tests.factories import AddendumFactory, DocumentFactory, set_status

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ["visitor", "dave", "frank", "bob", "alice", "carol"]
INTERNAL = {"bob", "alice", "carol"}


def as_(api_as, request, who):
    return api_as(None if who == "visitor" else request.getfixturevalue(who))


def base(challenge):
    return f"/api/challenges/{challenge.reference}/documents/"


def upload_data(**fields):
    return {
        "attached_to": "challenge",
        "title": "Traffic counts",
        "kind": "x_backgroundData",
        "language": "en",
        "file": SimpleUploadedFile("counts.csv", b"street,count\nKing,120\n"),
        **fields,
    }


def test_the_owner_uploads_and_reads_back_the_digest(api_as, alice, challenge):
    response = api_as(alice).post(base(challenge), upload_data(), format="multipart")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(b"street,count\nKing,120\n").hexdigest()
    assert body["content_type"] == "text/csv" and body["kind"] == "x_backgroundData"
    download = api_as(alice).get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"street,count\nKing,120\n"


def test_bad_input_answers_400_with_field_errors(api_as, alice, challenge):
    response = api_as(alice).post(
        base(challenge),
        upload_data(file=SimpleUploadedFile("counts.json", b"{not json")),
        format="multipart",
    )
    assert response.status_code == 400
    assert "not valid JSON" in str(response.json())


def test_a_place_that_takes_no_documents_answers_409(api_as, alice, challenge):
    response = api_as(alice).post(
        base(challenge), upload_data(attached_to="contract"), format="multipart"
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    "who, status", [("visitor", 403), ("bob", 403), ("carol", 403), ("dave", 404), ("frank", 404)]
)
def test_nobody_but_the_owner_uploads(api_as, request, challenge, who, status):
    response = as_(api_as, request, who).post(base(challenge), upload_data(), format="multipart")
    assert response.status_code == status
    assert not Document.objects.exists()


@pytest.mark.parametrize("who", ROLES)
def test_the_list_holds_what_the_reader_may_see(api_as, request, published_challenge, who):
    public = DocumentFactory(challenge=published_challenge)
    secret = DocumentFactory(
        challenge=published_challenge, confidential=True, confidential_reason="Personal"
    )
    addendum = AddendumFactory(challenge=published_challenge)
    pending = DocumentFactory(
        challenge=published_challenge, attached_to="addendum", addendum=addendum
    )
    client = as_(api_as, request, who)

    ids = {row["id"] for row in client.get(base(published_challenge)).json()["results"]}

    expected = {str(public.public_id)}
    if who in INTERNAL:
        expected |= {str(secret.public_id), str(pending.public_id)}
    assert ids == expected
    for document in (secret, pending):
        url = f"{base(published_challenge)}{document.public_id}/download/"
        assert client.get(url).status_code == (200 if who in INTERNAL else 404)


@pytest.mark.parametrize("who", ROLES)
def test_nothing_of_an_unpublished_challenge_outside_staff(api_as, request, challenge, who):
    set_status(challenge, "co_design")
    document = DocumentFactory(challenge=challenge)
    client = as_(api_as, request, who)
    listing = client.get(base(challenge))
    download = client.get(f"{base(challenge)}{document.public_id}/download/")
    if who in INTERNAL:
        assert len(listing.json()["results"]) == 1
        assert download.status_code == 200
    else:
        assert listing.json()["results"] == []
        assert download.status_code == 404


def test_a_draft_document_is_deleted_and_a_public_one_withdrawn(api_as, alice, challenge):
    client = api_as(alice)
    draft = DocumentFactory(challenge=challenge)
    assert client.delete(f"{base(challenge)}{draft.public_id}/").status_code == 204
    assert not Document.objects.filter(pk=draft.pk).exists()

    set_status(challenge, "published")
    public = DocumentFactory(challenge=challenge)
    assert client.delete(f"{base(challenge)}{public.public_id}/").status_code == 409
    url = f"{base(challenge)}{public.public_id}/withdraw/"
    assert client.post(url, {}, format="json").status_code == 400
    response = client.post(url, {"reason": "Superseded"}, format="json")
    assert response.status_code == 200
    assert response.json()["withdrawal_reason"] == "Superseded"
    assert client.post(url, {"reason": "Again"}, format="json").status_code == 409


def test_a_withdrawn_document_is_listed_without_its_file_for_the_public(
    api_client, published_challenge
):
    document = DocumentFactory(
        challenge=published_challenge, withdrawn_at="2026-01-05T10:00Z", withdrawal_reason="Old"
    )
    row = api_client.get(base(published_challenge)).json()["results"][0]
    assert row["withdrawal_reason"] == "Old" and row["download_url"] is None
    url = f"{base(published_challenge)}{document.public_id}/download/"
    assert api_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "who, status", [("visitor", 403), ("bob", 403), ("carol", 403), ("dave", 403), ("frank", 403)]
)
def test_nobody_but_the_owner_withdraws(api_as, request, published_challenge, who, status):
    document = DocumentFactory(
        challenge=published_challenge, confidential=True, confidential_reason="x"
    )
    client = as_(api_as, request, who)
    url = f"{base(published_challenge)}{document.public_id}/withdraw/"
    assert client.post(url, {"reason": "x"}, format="json").status_code == status
    document.refresh_from_db()
    assert document.withdrawn_at is None
