"""Reads of the municipality's documents: what a reader may see, and what is published."""

from django.db.models import QuerySet
from django.http import Http404

from core.permissions import can

from ..models import Addendum, Challenge, Document
from ..selectors import _sees_internal
from .attachments import AttachedTo, public_places


def _documents(challenge: Challenge) -> QuerySet[Document]:
    # The uploader is shown by name; their password hash is never loaded.
    return (
        Document.objects.filter(challenge=challenge)
        .select_related("challenge", "addendum", "uploaded_by")
        .defer("uploaded_by__password", "uploaded_by__last_login")
        .order_by("attached_to", "addendum__number", "uploaded_at", "pk")
    )


def challenge_documents_for(*, challenge: Challenge, user) -> QuerySet[Document]:
    """Every document of the challenge `user` may see listed (withdrawn ones included, marked)."""
    documents = _documents(challenge)
    if _sees_internal(user):
        return documents
    return documents.filter(public_places(), confidential=False)


def documents_public(challenge: Challenge) -> QuerySet[Document]:
    """What is published: documents anyone may read and download now, not withdrawn.

    For open data (OCDS `documents`): `kind` is the documentType code, `get_download_url()` the
    address (make it absolute with the request or the site's base URL)."""
    return (
        _documents(challenge)
        .filter(public_places(), confidential=False, withdrawn_at__isnull=True)
        .order_by("uploaded_at", "pk")
    )


def document_for_download(*, challenge: Challenge, public_id, user) -> Document:
    """The document, or 404 for whoever may not read it (a 403 would confirm it exists)."""
    document = _documents(challenge).filter(public_id=public_id).first()
    if document is None or not can(user, "challenges.download_document", document):
        raise Http404
    return document


def document_for_reader(*, challenge: Challenge, public_id, user) -> Document:
    document = _documents(challenge).filter(public_id=public_id).first()
    if document is None or not can(user, "challenges.view_document", document):
        raise Http404
    return document


def documents_by_place(documents, *, challenge: Challenge) -> list[dict]:
    """Documents grouped by where they hang, in a fixed order: the challenge, each addendum, the
    data governance record, the contract, the pilot. Only places with documents are returned."""
    groups: dict[tuple, dict] = {}
    order = {value: index for index, value in enumerate(AttachedTo.values)}
    for document in documents:
        if document.attached_to == AttachedTo.ADDENDUM:
            key = (order[AttachedTo.ADDENDUM], document.addendum.number or 0, document.addendum_id)
        else:
            key = (order[document.attached_to], 0, 0)
        group = groups.setdefault(
            key,
            {
                "attached_to": document.attached_to,
                "addendum": document.addendum,
                "documents": [],
            },
        )
        group["documents"].append(document)
    return [groups[key] for key in sorted(groups)]


def reader_documents(*, challenge: Challenge, user) -> list[Document]:
    """challenge_documents_for as a list, each marked `downloadable` for this reader (staff
    download withdrawn documents too; nobody else does)."""
    internal = _sees_internal(user)
    documents = list(challenge_documents_for(challenge=challenge, user=user))
    for document in documents:
        document.challenge = challenge
        document.downloadable = internal or document.withdrawn_at is None
    return documents


def documents_for_place(
    *, challenge: Challenge, user, attached_to: str, addendum: Addendum | None = None
) -> list[Document]:
    """The documents `user` may see on one place (the contract, the pilot, the data governance
    record, one addendum): what the include challenges/documents/_attached.html lists."""
    documents = challenge_documents_for(challenge=challenge, user=user).filter(
        attached_to=attached_to
    )
    if addendum is not None:
        documents = documents.filter(addendum=addendum)
    internal = _sees_internal(user)
    documents = list(documents)
    for document in documents:
        document.challenge = challenge
        document.downloadable = internal or document.withdrawn_at is None
    return documents
