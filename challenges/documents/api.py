"""REST API for the municipality's documents: /api/challenges/<reference>/documents/.

Anyone who may see the challenge lists the documents they may read (404 for the others); its
owner uploads (multipart), deletes a document that was never public, and withdraws one that was.
"""

import uuid

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import error_responses
from core.errors import TransitionRefused
from core.files import DATA_DOCUMENT_TYPES, document_response
from core.permissions import require

from ..api import CHALLENGE_REFERENCE, ChallengeChildViewSet
from ..models import Addendum, Document
from . import selectors, services
from .serializers import DocumentWithdrawInput, MunicipalDocumentInput, MunicipalDocumentOutput

UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
DOCUMENT_ID = OpenApiParameter(
    "public_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description=_("The document's id.")
)
NOT_VISIBLE = error_responses(bad_input=False, forbidden=False)
DOWNLOAD_RESPONSES = {
    (200, content_type): OpenApiResponse(
        OpenApiTypes.BINARY, description=_("The file, as it was uploaded.")
    )
    for content_type in sorted({t.content_type for t in DATA_DOCUMENT_TYPES.values()})
}


def _uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


@extend_schema_view(
    list=extend_schema(
        summary=_("The challenge's documents you may read (withdrawn ones included, marked)"),
        tags=["documents"],
        parameters=[CHALLENGE_REFERENCE],
        responses={200: MunicipalDocumentOutput(many=True), **NOT_VISIBLE},
    ),
)
class ChallengeDocumentViewSet(mixins.RetrieveModelMixin, ChallengeChildViewSet):
    queryset = Document.objects.none()
    serializer_class = MunicipalDocumentOutput
    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self):
        challenge = self.get_challenge()
        documents = selectors.challenge_documents_for(challenge=challenge, user=self.request.user)
        return documents

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = self._mark(list(page if page is not None else self.get_queryset()))
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _mark(self, documents):
        challenge = self.get_challenge()
        internal = selectors._sees_internal(self.request.user)
        for document in documents:
            document.challenge = challenge
            document.downloadable = internal or document.withdrawn_at is None
        return documents

    def get_object(self):
        document = selectors.document_for_reader(
            challenge=self.get_challenge(),
            public_id=_uuid(self.kwargs["public_id"]),
            user=self.request.user,
        )
        return self._mark([document])[0]

    def _owned_document(self) -> Document:
        challenge = self.get_challenge()
        require(
            self.request.user,
            "challenges.manage_documents",
            challenge,
            str(services.MANAGE_DENIED),
        )
        return self.get_object()

    @extend_schema(
        summary=_("One document's facts"),
        tags=["documents"],
        parameters=[CHALLENGE_REFERENCE, DOCUMENT_ID],
        responses={200: MunicipalDocumentOutput, **NOT_VISIBLE},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("Attach a document (owner; multipart, checked by content)"),
        tags=["documents"],
        parameters=[CHALLENGE_REFERENCE],
        request={"multipart/form-data": MunicipalDocumentInput},
        responses={201: MunicipalDocumentOutput, **error_responses(conflict=True)},
    )
    def create(self, request, *args, **kwargs):
        challenge = self.get_challenge()
        # Whoever may not attach learns nothing from validation errors.
        require(request.user, "challenges.manage_documents", challenge, str(services.MANAGE_DENIED))
        serializer = MunicipalDocumentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        addendum_id = data.pop("addendum", None)
        addendum = Addendum(pk=addendum_id) if addendum_id else None
        upload = data.pop("file")
        document = services.document_attach(
            challenge=challenge, actor=request.user, addendum=addendum, upload=upload, **data
        )
        document = self._mark([document])[0]
        return Response(MunicipalDocumentOutput(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Delete a document that was never public (owner)"),
        description=_(
            "A document that could be read publicly is never deleted: withdraw it instead "
            "(409 here)."
        ),
        tags=["documents"],
        parameters=[CHALLENGE_REFERENCE, DOCUMENT_ID],
        responses={204: None, **error_responses(conflict=True)},
    )
    def destroy(self, request, *args, **kwargs):
        document = self._owned_document()
        if services.document_removal(document) == "withdraw":
            raise TransitionRefused(
                _("This document was public: it is never deleted. Withdraw it, with a reason.")
            )
        services.document_remove(document=document, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Withdraw a document that was public (owner, with a reason)"),
        description=_(
            "It stays listed as withdrawn, with the reason; its file is no longer public."
        ),
        tags=["documents"],
        parameters=[CHALLENGE_REFERENCE, DOCUMENT_ID],
        request=DocumentWithdrawInput,
        responses={200: MunicipalDocumentOutput, **error_responses(conflict=True)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        document = self._owned_document()
        if services.document_removal(document) == "delete":
            raise TransitionRefused(
                _("This document was never public: delete it instead of withdrawing it.")
            )
        serializer = DocumentWithdrawInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.document_remove(
            document=document, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(MunicipalDocumentOutput(self._mark([document])[0]).data)

    @extend_schema(
        summary=_("Download the file, as an attachment"),
        tags=["documents"],
        parameters=[CHALLENGE_REFERENCE, DOCUMENT_ID],
        responses={**DOWNLOAD_RESPONSES, **NOT_VISIBLE},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        document = selectors.document_for_download(
            challenge=self.get_challenge(),
            public_id=_uuid(self.kwargs["public_id"]),
            user=request.user,
        )
        return document_response(document)
