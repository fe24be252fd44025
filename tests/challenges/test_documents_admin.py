"""The admin finds documents and corrects how they are described; it never adds or deletes one."""

import pytest
from django.urls import reverse

from challenges.models import Document
from core.models import AuditEntry
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def test_the_admin_lists_and_searches_documents(client, root, published_challenge):
    DocumentFactory(challenge=published_challenge, title="Traffic counts")
    DocumentFactory(challenge=published_challenge, title="Ward map")
    client.force_login(root)

    page = client.get(reverse("admin:challenges_document_changelist"), {"q": "traffic"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "Traffic counts" in text and "Ward map" not in text


def test_a_corrected_title_is_audited_and_the_file_facts_stay(client, root, published_challenge):
    document = DocumentFactory(challenge=published_challenge, title="Trafic counts")
    client.force_login(root)
    url = reverse("admin:challenges_document_change", args=[document.pk])

    response = client.post(
        url,
        {"title": "Traffic counts", "kind": document.kind, "language": "en", "sha256": "0" * 64},
    )

    assert response.status_code == 302
    before = document.sha256
    document.refresh_from_db()
    assert document.title == "Traffic counts" and document.sha256 == before
    entry = AuditEntry.objects.get(content_type__model="document", transition="update")
    assert entry.metadata["changes"]["title"] == {
        "before": "Trafic counts",
        "after": "Traffic counts",
    }


def test_the_admin_neither_adds_nor_deletes(client, root, published_challenge):
    document = DocumentFactory(challenge=published_challenge)
    client.force_login(root)
    assert client.get(reverse("admin:challenges_document_add")).status_code == 403
    delete = reverse("admin:challenges_document_delete", args=[document.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()
