"""API shapes of the municipality's documents."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Document


class MunicipalDocumentOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    addendum = serializers.IntegerField(source="addendum_id", allow_null=True, read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    kind = serializers.ChoiceField(
        choices=Document.Kind.choices,
        read_only=True,
        help_text=_("The OCDS documentType code where one fits; x_ codes are this site's own."),
    )
    download_url = serializers.SerializerMethodField(
        help_text=_("Absent once withdrawn, for readers outside municipal staff.")
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "challenge",
            "attached_to",
            "addendum",
            "title",
            "kind",
            "language",
            "confidential",
            "confidential_reason",
            "name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "withdrawn_at",
            "withdrawal_reason",
            "download_url",
        ]

    def get_download_url(self, document) -> str | None:
        if not getattr(document, "downloadable", True):
            return None
        return reverse(
            "challenge-document-download",
            kwargs={
                "challenge_reference": document.challenge.reference,
                "public_id": document.public_id,
            },
        )


class MunicipalDocumentInput(serializers.Serializer):
    attached_to = serializers.ChoiceField(choices=Document.AttachedTo.choices)
    addendum = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("The addendum's id; required when attached_to is addendum."),
    )
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    confidential = serializers.BooleanField(required=False, default=False)
    confidential_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    # Empty files and wrong types are the service's to refuse, in its own words.
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class DocumentWithdrawInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
