"""The documents page, the challenge page's documents and the download, for every role."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from challenges.models import Document
from tests.factories import AddendumFactory, DocumentFactory, set_status

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ["visitor", "dave", "frank", "bob", "alice", "carol"]


def client_as(client, request, who):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    return client


def page_url(challenge):
    return reverse("challenges:documents", args=[challenge.reference])


def test_the_owner_attaches_a_document_from_the_page(client, alice, challenge):
    client.force_login(alice)
    response = client.post(
        page_url(challenge),
        {
            "place": "challenge",
            "title": "Traffic counts",
            "kind": Document.Kind.BACKGROUND,
            "language": "fr",
            "file": SimpleUploadedFile("counts.pdf", PDF_BYTES),
        },
    )

    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#document-{document.public_id}")
    page = client.get(page_url(challenge)).content.decode()
    assert hashlib.sha256(PDF_BYTES).hexdigest() in page
    assert "Traffic counts" in page and "alice" in page


def test_a_refused_file_is_shown_on_its_field(client, alice, challenge):
    client.force_login(alice)
    response = client.post(
        page_url(challenge),
        {
            "place": "challenge",
            "title": "Setup",
            "kind": Document.Kind.OTHER,
            "language": "en",
            "file": SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + b"\x00" * 40),
        },
    )
    assert response.status_code == 400
    assert "not an accepted type" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "who, status", [("dave", 404), ("frank", 404), ("bob", 403), ("carol", 403), ("alice", 200)]
)
def test_only_the_owner_opens_the_documents_page(client, request, challenge, who, status):
    client_as(client, request, who)
    assert client.get(page_url(challenge)).status_code == status


def test_a_visitor_is_asked_to_sign_in(client, challenge):
    response = client.get(page_url(challenge))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("who", ROLES)
def test_public_documents_of_a_published_challenge_are_for_everyone(
    client, request, published_challenge, who
):
    public = DocumentFactory(challenge=published_challenge, title="Public counts")
    secret = DocumentFactory(
        challenge=published_challenge,
        title="Resident interviews",
        confidential=True,
        confidential_reason="Personal information",
    )
    client_as(client, request, who)

    page = client.get(published_challenge.get_absolute_url()).content.decode()
    assert "Public counts" in page
    assert client.get(public.get_download_url()).status_code == 200
    internal = who in ("bob", "alice", "carol")
    assert ("Resident interviews" in page) == internal
    assert client.get(secret.get_download_url()).status_code == (200 if internal else 404)


@pytest.mark.parametrize("who", ROLES)
def test_documents_of_an_unpublished_challenge_are_for_staff(client, request, challenge, who):
    set_status(challenge, "co_design")
    document = DocumentFactory(challenge=challenge, title="Draft counts")
    client_as(client, request, who)

    page = client.get(challenge.get_absolute_url()).content.decode()
    internal = who in ("bob", "alice", "carol")
    assert ("Draft counts" in page) == internal
    assert client.get(document.get_download_url()).status_code == (200 if internal else 404)


def test_the_download_is_an_attachment_that_browsers_do_not_run(client, published_challenge):
    document = DocumentFactory(challenge=published_challenge, original_name="counts 2025.pdf")
    response = client.get(document.get_download_url())
    assert response["Content-Disposition"].startswith("attachment;")
    assert "counts 2025.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_withdrawn_document_stays_listed_as_withdrawn(client, alice, published_challenge):
    document = DocumentFactory(challenge=published_challenge, title="Old counts")
    client.force_login(alice)
    url = reverse(
        "challenges:document_remove", args=[published_challenge.reference, document.public_id]
    )

    asked = client.post(url, {"reason": "Wrong year"})
    assert asked.status_code == 200 and "Withdraw the document" in asked.content.decode()
    client.post(url, {"reason": "Wrong year", "confirmed": "yes"})

    document.refresh_from_db()
    assert document.withdrawal_reason == "Wrong year"
    client.logout()
    page = client.get(published_challenge.get_absolute_url()).content.decode()
    assert "Old counts" in page and "Wrong year" in page
    assert client.get(document.get_download_url()).status_code == 404


def test_an_issued_addendum_shows_its_documents(client, published_challenge):
    addendum = AddendumFactory(challenge=published_challenge)
    DocumentFactory(
        challenge=published_challenge, attached_to="addendum", addendum=addendum, title="New map"
    )
    assert "New map" not in client.get(published_challenge.get_absolute_url()).content.decode()
    set_status(addendum, "issued", number=1)
    assert "New map" in client.get(published_challenge.get_absolute_url()).content.decode()


def test_deleting_a_draft_document_asks_first(client, alice, challenge):
    document = DocumentFactory(challenge=challenge, title="Early draft")
    client.force_login(alice)
    url = reverse("challenges:document_remove", args=[challenge.reference, document.public_id])

    asked = client.post(url)
    assert asked.status_code == 200 and "Delete the document" in asked.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()

    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()


def test_an_issued_addendum_takes_no_new_document_from_the_page(client, alice, published_challenge):
    addendum = AddendumFactory(challenge=published_challenge)
    set_status(addendum, "issued", number=1)
    client.force_login(alice)
    page = client.get(page_url(published_challenge)).content.decode()
    assert f'value="addendum-{addendum.pk}"' not in page
