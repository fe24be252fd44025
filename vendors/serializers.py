"""API input and output shapes for vendors, members, invitations and sealed proposals.

Inputs only check shape and types; the services decide (and say) what is allowed. Outputs never
carry the price: it has its own endpoint, for the vendor's members only. Fields that only the
vendor's own members may see (what is missing, the receipt digest) are left out for anyone else.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.permissions import can
from core.workflow import allowed_transitions

from . import selectors
from .models import (
    PriceEnvelope,
    Proposal,
    ProposalDocument,
    ProposalReceipt,
    Province,
    VendorInvitation,
    VendorMembership,
    VendorOrganization,
)

# The proposal steps the API offers; evaluation's steps come with the evaluation API.
API_TRANSITIONS = ("submit", "withdraw", "revise", "reconfirm")

# Vendor organizations


class VendorOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    business_number = serializers.CharField(source="formatted_business_number", read_only=True)
    province_display = serializers.CharField(source="get_province_display", read_only=True)
    size_display = serializers.CharField(source="get_size_display", read_only=True)

    class Meta:
        model = VendorOrganization
        fields = [
            "id",
            "legal_name",
            "operating_name",
            "business_number",
            "street_address",
            "city",
            "province",
            "province_display",
            "postal_code",
            "website",
            "size",
            "size_display",
            "is_local_business",
            *VendorOrganization.SOCIAL_ATTRIBUTES,
            "created_at",
            "updated_at",
        ]


class VendorInput(serializers.Serializer):
    """Registration, or (partial) changes by an owner. The service normalises and checks."""

    legal_name = serializers.CharField(max_length=200)
    operating_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    business_number = serializers.CharField(
        max_length=30,
        help_text=_("The 9-digit CRA business number, optionally with a program account."),
    )
    street_address = serializers.CharField(max_length=200)
    city = serializers.CharField(max_length=100)
    province = serializers.ChoiceField(choices=Province.choices)
    postal_code = serializers.CharField(max_length=10)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    size = serializers.ChoiceField(choices=VendorOrganization.Size.choices)
    is_local_business = serializers.BooleanField(required=False)
    indigenous_owned = serializers.BooleanField(required=False)
    women_owned = serializers.BooleanField(required=False)
    black_owned = serializers.BooleanField(required=False)
    lgbtq_owned = serializers.BooleanField(required=False)
    disability_owned = serializers.BooleanField(required=False)
    social_enterprise = serializers.BooleanField(required=False)


class MemberOutput(serializers.ModelSerializer):
    username = serializers.CharField(source="user.get_username", read_only=True)
    name = serializers.CharField(source="user.get_full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = VendorMembership
        fields = ["id", "username", "name", "email", "role", "created_at"]


class MemberRoleInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=VendorMembership.Role.choices)


class InvitationOutput(serializers.ModelSerializer):
    invited_by = serializers.CharField(source="invited_by.get_username", read_only=True)

    class Meta:
        model = VendorInvitation
        fields = ["id", "email", "role", "invited_by", "created_at", "expires_at"]


class InvitationInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(
        choices=VendorMembership.Role.choices, default=VendorMembership.Role.MEMBER
    )


class InvitationAcceptInput(serializers.Serializer):
    token = serializers.CharField(max_length=200, help_text=_("The token from the email's link."))


class MembershipOutput(serializers.ModelSerializer):
    """The organization the user just joined, and their role in it."""

    vendor = VendorOutput(read_only=True)

    class Meta:
        model = VendorMembership
        fields = ["vendor", "role", "created_at"]


# Proposals


class VendorSummaryOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = VendorOrganization
        fields = ["id", "name", "legal_name"]


class ProposalListOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    challenge_title = serializers.CharField(source="challenge.title", read_only=True)
    submission_deadline = serializers.DateTimeField(
        source="challenge.submission_deadline", read_only=True, allow_null=True
    )
    vendor = VendorSummaryOutput(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "challenge",
            "challenge_title",
            "submission_deadline",
            "vendor",
            "status",
            "status_display",
            "submitted_at",
            "created_at",
            "updated_at",
        ]


class DocumentOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ProposalDocument
        fields = [
            "id",
            "title",
            "name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, document) -> str:
        return reverse("document-download", kwargs={"id": document.public_id})


class DocumentInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    # Empty files and wrong types are the service's to refuse, in its own words.
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class ProposalAnswerOutput(serializers.Serializer):
    question = serializers.IntegerField()
    prompt = serializers.CharField()
    required = serializers.BooleanField()
    max_words = serializers.IntegerField(allow_null=True)
    text = serializers.CharField(help_text=_("The vendor's answer; empty when not answered."))


class ProposalDetailOutput(ProposalListOutput):
    """A proposal's technical envelope and state. The price is never part of it."""

    answers = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField(
        help_text=_("What must be done before submitting; for the vendor's members only.")
    )
    receipt_digest = serializers.SerializerMethodField(
        help_text=_("SHA-256 of the last submission; for the vendor's members only.")
    )
    allowed_transitions = serializers.SerializerMethodField(
        help_text=_("The steps the requesting user may take now.")
    )

    class Meta(ProposalListOutput.Meta):
        fields = [
            *ProposalListOutput.Meta.fields,
            "status_reason",
            "answers",
            "documents",
            "missing",
            "receipt_digest",
            "allowed_transitions",
        ]

    def _user(self):
        return getattr(self.context.get("request"), "user", None)

    def _is_member(self, proposal) -> bool:
        return can(self._user(), "vendors.view_receipt", proposal)

    @extend_schema_field(ProposalAnswerOutput(many=True))
    def get_answers(self, proposal):
        texts = {
            a.question_id: a.text
            for a in selectors.proposal_answers(proposal=proposal, user=self._user())
        }
        # In their order (the model's); read with the proposal when it was read for its page.
        questions = proposal.challenge.response_questions.all()
        return [
            {
                "question": q.pk,
                "prompt": q.prompt,
                "required": q.required,
                "max_words": q.max_words,
                "text": texts.get(q.pk, ""),
            }
            for q in questions
        ]

    @extend_schema_field(DocumentOutput(many=True))
    def get_documents(self, proposal):
        documents = selectors.proposal_documents(proposal=proposal, user=self._user())
        return DocumentOutput(documents, many=True, context=self.context).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing(self, proposal) -> list[str]:
        editable = (Proposal.Status.DRAFT, Proposal.Status.NEEDS_RECONFIRMATION)
        if proposal.status not in editable or not self._is_member(proposal):
            return []
        return [str(problem) for problem in proposal.completeness_problems()]

    @extend_schema_field(serializers.CharField(allow_blank=True))
    def get_receipt_digest(self, proposal) -> str:
        # Staff may not see it: with everything else in the proposal known to them, a digest
        # over the price is a way to guess the price.
        return proposal.receipt_digest if self._is_member(proposal) else ""

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, proposal) -> list[str]:
        return [
            name for name in allowed_transitions(proposal, self._user()) if name in API_TRANSITIONS
        ]


class ProposalStartInput(serializers.Serializer):
    challenge = serializers.CharField(
        max_length=32, help_text=_("The challenge's reference, e.g. RVB-2026-001.")
    )
    vendor = serializers.UUIDField(help_text=_("The id of one of your organizations."))


class ProposalAnswerInput(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    text = serializers.CharField(
        allow_blank=True, max_length=50000, help_text=_("An empty text removes the answer.")
    )


class ProposalAnswersInput(serializers.Serializer):
    answers = serializers.ListField(child=ProposalAnswerInput(), max_length=200, allow_empty=False)

    def validate_answers(self, answers):
        questions = [answer["question"] for answer in answers]
        if len(questions) != len(set(questions)):
            raise serializers.ValidationError(_("Answer each question at most once."))
        return answers


class PriceBreakdownLine(serializers.Serializer):
    label = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class PriceInput(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text=_("The total price in Canadian dollars."),
    )
    breakdown = serializers.ListField(
        child=PriceBreakdownLine(), max_length=100, required=False, default=list
    )


class PriceOutput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    currency = serializers.ChoiceField(choices=PriceEnvelope.Currency.choices)
    breakdown = PriceBreakdownLine(many=True)
    updated_at = serializers.DateTimeField(allow_null=True)


class ReceiptDocumentOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)

    class Meta:
        model = ProposalDocument
        fields = ["title", "name", "size", "sha256"]


class ReceiptOutput(serializers.ModelSerializer):
    submitted_by = serializers.CharField(source="submitted_by.get_username", read_only=True)
    documents = ReceiptDocumentOutput(many=True, read_only=True)

    class Meta:
        model = ProposalReceipt
        fields = ["submitted_at", "digest", "submitted_by", "documents"]
        extra_kwargs = {
            "submitted_at": {
                "help_text": _(
                    "When the submission reached the server; it counts against the deadline."
                )
            }
        }


class ReceivedProposalOutput(serializers.ModelSerializer):
    """A proposal the municipality received: who sent it and when, never the price."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    vendor = VendorSummaryOutput(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "vendor", "status", "status_display", "submitted_at"]
