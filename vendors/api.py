"""REST API for vendor organizations and their sealed proposals (DESIGN.md §3, §6).

Thin views: they read through selectors, write through services and let `core.api` turn service
errors into status codes. Sealing: whatever a user may not see answers exactly like something that
does not exist (a bare 404, the same body), so an id never tells whether another vendor has a
proposal; lists hold only the user's own rows, and the staff list of received proposals does not
exist (404) until the challenge has closed, so no count leaks either.
"""

import uuid

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from challenges.models import Challenge
from core.api import ReasonInput, error_responses, transition_action
from core.errors import InvalidInput
from core.files import DOCUMENT_TYPES, document_response
from core.permissions import can, require

from . import selectors, services
from .filters import ProposalFilter
from .models import (
    Proposal,
    ProposalDocument,
    ProposalReceipt,
    VendorInvitation,
    VendorMembership,
    VendorOrganization,
)
from .rules import is_vendor_member, members_only, remember_vendor_roles
from .serializers import (
    DocumentInput,
    DocumentOutput,
    InvitationAcceptInput,
    InvitationInput,
    InvitationOutput,
    MemberOutput,
    MemberRoleInput,
    MembershipOutput,
    PriceInput,
    PriceOutput,
    ProposalAnswersInput,
    ProposalDetailOutput,
    ProposalListOutput,
    ProposalStartInput,
    ReceiptOutput,
    ReceivedProposalOutput,
    VendorInput,
    VendorOutput,
)

# A document is served with the content type it was stored with: one of the accepted types.
DOWNLOAD_RESPONSES = {
    (200, content_type): OpenApiResponse(
        OpenApiTypes.BINARY, description=gettext_lazy("The file, as it was uploaded.")
    )
    for content_type in sorted({t.content_type for t in DOCUMENT_TYPES.values()})
}

UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
ID_PATTERN = r"[0-9]{1,9}"
# Same as challenges.api.REFERENCE_PATTERN; repeated so the lower app's API is not imported.
REFERENCE_PATTERN = r"[A-Za-z0-9-]{1,32}"

VENDOR_ID = OpenApiParameter(
    "vendor_id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description=gettext_lazy("The organization's id."),
)
PROPOSAL_ID = OpenApiParameter(
    "proposal_id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description=gettext_lazy("The proposal's id."),
)
CHALLENGE_REFERENCE = OpenApiParameter(
    "challenge_reference",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=f"^{REFERENCE_PATTERN}$",
    description=gettext_lazy("The challenge's reference, e.g. RVB-2026-001."),
)
NOT_VISIBLE = error_responses(bad_input=False, forbidden=False)


def _uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


class VendorAPIViewSet(viewsets.GenericViewSet):
    """Everything here is for signed-in people; the rest is the rules' and services' call."""

    permission_classes = [IsAuthenticated]
    filter_backends = []


# Organizations


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Your organizations"), tags=["vendors"]),
    retrieve=extend_schema(
        summary=gettext_lazy("One organization (its members, and municipal staff)"),
        tags=["vendors"],
        responses={200: VendorOutput, **NOT_VISIBLE},
    ),
)
class VendorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VendorAPIViewSet):
    queryset = VendorOrganization.objects.none()
    serializer_class = VendorOutput
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self):
        return selectors.vendors_for_user(self.request.user)

    def get_object(self):
        return selectors.vendor_for_user(public_id=_uuid(self.kwargs["id"]), user=self.request.user)

    @extend_schema(
        summary=gettext_lazy("Register an organization; you become its owner"),
        tags=["vendors"],
        request=VendorInput,
        responses={201: VendorOutput, **error_responses()},
    )
    def create(self, request, *args, **kwargs):
        serializer = VendorInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        vendor = services.vendor_register(actor=request.user, **serializer.validated_data)
        return Response(VendorOutput(vendor).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Change the organization's details (owners)"),
        tags=["vendors"],
        request=VendorInput,
        responses={200: VendorOutput, **error_responses()},
    )
    def partial_update(self, request, *args, **kwargs):
        vendor = self.get_object()
        require(
            request.user,
            "vendors.change_vendororganization",
            vendor,
            _("Only an owner of the organization can change its details."),
        )
        serializer = VendorInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        vendor = services.vendor_update(
            vendor=vendor, actor=request.user, **serializer.validated_data
        )
        return Response(VendorOutput(vendor).data)


class VendorChildViewSet(VendorAPIViewSet):
    """Rows of one organization: /api/vendors/<vendor_id>/<things>/, for its members only."""

    def get_vendor(self) -> VendorOrganization:
        if not hasattr(self, "_vendor"):
            vendor = selectors.vendor_for_user(
                public_id=_uuid(self.kwargs["vendor_id"]), user=self.request.user
            )
            if not can(self.request.user, "vendors.view_members", vendor):
                raise Http404
            self._vendor = vendor
        return self._vendor


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Members of the organization"),
        tags=["vendors"],
        parameters=[VENDOR_ID],
        responses={200: MemberOutput(many=True), **NOT_VISIBLE},
    ),
)
class MemberViewSet(mixins.ListModelMixin, VendorChildViewSet):
    queryset = VendorMembership.objects.none()
    serializer_class = MemberOutput
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.vendor_members(vendor=self.get_vendor(), user=self.request.user)

    def get_object(self):
        membership = (
            self.get_vendor()
            .memberships.select_related("user", "vendor")
            .filter(pk=int(self.kwargs["pk"]))
            .first()
        )
        if membership is None:
            raise Http404
        return membership

    @extend_schema(
        summary=gettext_lazy("Change a member's role (owners)"),
        tags=["vendors"],
        parameters=[VENDOR_ID],
        request=MemberRoleInput,
        responses={200: MemberOutput, **error_responses()},
    )
    def partial_update(self, request, *args, **kwargs):
        membership = self.get_object()
        require(
            request.user,
            "vendors.invite_member",
            membership,
            _("Only an owner of the organization can change its members' roles."),
        )
        serializer = MemberRoleInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_change_role(
            membership=membership, actor=request.user, role=serializer.validated_data["role"]
        )
        return Response(MemberOutput(membership).data)

    @extend_schema(
        summary=gettext_lazy("Remove a member (owners), or leave the organization"),
        tags=["vendors"],
        parameters=[VENDOR_ID],
        responses={204: None, **error_responses()},
    )
    def destroy(self, request, *args, **kwargs):
        services.membership_remove(membership=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Pending invitations (owners)"),
        tags=["vendors"],
        parameters=[VENDOR_ID],
        responses={200: InvitationOutput(many=True), **error_responses(bad_input=False)},
    ),
)
class InvitationViewSet(mixins.ListModelMixin, VendorChildViewSet):
    queryset = VendorInvitation.objects.none()
    serializer_class = InvitationOutput

    def get_queryset(self):
        vendor = self.get_vendor()
        require(
            self.request.user,
            "vendors.invite_member",
            vendor,
            _("Only an owner of the organization can see its invitations."),
        )
        return selectors.vendor_pending_invitations(
            vendor=vendor, user=self.request.user
        ).select_related("invited_by")

    @extend_schema(
        summary=gettext_lazy("Invite someone by email (owners); the link goes to them only"),
        tags=["vendors"],
        parameters=[VENDOR_ID],
        request=InvitationInput,
        responses={201: InvitationOutput, **error_responses()},
    )
    def create(self, request, *args, **kwargs):
        vendor = self.get_vendor()
        require(
            request.user,
            "vendors.invite_member",
            vendor,
            _("Only an owner of the organization can invite people to it."),
        )
        serializer = InvitationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.vendor_invite(
            vendor=vendor, actor=request.user, **serializer.validated_data
        )
        return Response(InvitationOutput(invitation).data, status=status.HTTP_201_CREATED)


class InvitationAcceptViewSet(VendorAPIViewSet):
    serializer_class = InvitationAcceptInput

    @extend_schema(
        summary=gettext_lazy("Accept an invitation sent to your email address"),
        tags=["vendors"],
        request=InvitationAcceptInput,
        responses={200: MembershipOutput, **error_responses()},
    )
    def create(self, request, *args, **kwargs):
        serializer = InvitationAcceptInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.invitation_accept(
            token=serializer.validated_data["token"], actor=request.user
        )
        return Response(MembershipOutput(membership).data, status=status.HTTP_200_OK)


# Proposals


def _proposal_detail(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_related("challenge", "vendor").get(pk=proposal.pk)


def _submit(*, obj, actor, name, arrived_at):
    return _proposal_detail(
        services.proposal_submit(proposal=obj, actor=actor, arrived_at=arrived_at)
    )


def _withdraw(*, obj, actor, name, reason=""):
    return _proposal_detail(services.proposal_withdraw(proposal=obj, actor=actor, reason=reason))


def _revise(*, obj, actor, name):
    return _proposal_detail(services.proposal_revise(proposal=obj, actor=actor))


def _reconfirm(*, obj, actor, name, arrived_at):
    return _proposal_detail(
        services.proposal_reconfirm(proposal=obj, actor=actor, arrived_at=arrived_at)
    )


# The vendor-side transitions offered as actions on a proposal.
VENDOR_STEPS = ("submit", "withdraw", "revise", "reconfirm")


def _require_member(user, proposal: Proposal) -> None:
    # Before reading the input: whoever may not act learns nothing from validation errors.
    require(user, "vendors.submit_proposal", proposal, members_only(user, proposal))


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Your organizations' proposals"),
        tags=["proposals"],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("One proposal: answers, documents, state and what is missing"),
        tags=["proposals"],
        responses={200: ProposalDetailOutput, **NOT_VISIBLE},
    ),
)
class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VendorAPIViewSet):
    queryset = Proposal.objects.none()
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProposalFilter

    def get_queryset(self):
        return selectors.proposals_for_vendor_user(self.request.user)

    def get_object(self):
        # The person's roles are read once per request: every step, receipt and sealed read asks
        # them, and nothing on a proposal's URL changes them.
        remember_vendor_roles(self.request.user)
        read = selectors.proposal_for_user
        if self.request.method in ("GET", "HEAD"):
            # Reading: the proposal's answers are read once.
            read = selectors.proposal_for_editor
        proposal = read(public_id=_uuid(self.kwargs["id"]), user=self.request.user)
        self.check_object_permissions(self.request, proposal)
        if self.action in VENDOR_STEPS:
            # Before the transition's own refusal, which speaks of members only: a member who
            # became municipal staff is told why they may no longer act.
            _require_member(self.request.user, proposal)
        return proposal

    def filter_queryset(self, queryset):
        # The filters are list parameters; a proposal's own URL ignores them.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        return ProposalListOutput if self.action == "list" else ProposalDetailOutput

    def _detail(self, proposal, *, status_code=status.HTTP_200_OK):
        data = ProposalDetailOutput(
            _proposal_detail(proposal), context=self.get_serializer_context()
        ).data
        return Response(data, status=status_code)

    @extend_schema(
        summary=gettext_lazy("Start your organization's proposal to a published challenge"),
        tags=["proposals"],
        request=ProposalStartInput,
        responses={201: ProposalDetailOutput, **error_responses()},
    )
    def create(self, request, *args, **kwargs):
        serializer = ProposalStartInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        challenge = Challenge.objects.filter(reference=data["challenge"]).first()
        if challenge is None or not can(request.user, "challenges.view_challenge", challenge):
            message = _("No open challenge has this reference; check it on the challenge board.")
            raise InvalidInput(message, field_errors={"challenge": [message]})
        vendor = selectors.vendors_for_user(request.user).filter(public_id=data["vendor"]).first()
        if vendor is None:
            message = _("Choose one of the organizations you belong to.")
            raise InvalidInput(message, field_errors={"vendor": [message]})
        proposal = services.proposal_start(challenge=challenge, vendor=vendor, actor=request.user)
        return self._detail(proposal, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Save answers of a draft (an empty text removes one)"),
        tags=["proposals"],
        request=ProposalAnswersInput,
        responses={200: ProposalDetailOutput, **error_responses(conflict=True)},
    )
    def partial_update(self, request, *args, **kwargs):
        proposal = self.get_object()
        _require_member(request.user, proposal)
        serializer = ProposalAnswersInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        answers = {a["question"]: a["text"] for a in serializer.validated_data["answers"]}
        proposal = services.proposal_save_answers(
            proposal=proposal, actor=request.user, answers=answers
        )
        return self._detail(proposal)

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("The price envelope (the vendor's members only)"),
        tags=["proposals"],
        request=None,
        responses={200: PriceOutput, **NOT_VISIBLE},
    )
    @extend_schema(
        methods=["PUT"],
        summary=gettext_lazy("Set the price of a draft (the vendor's members only)"),
        tags=["proposals"],
        request=PriceInput,
        responses={200: PriceOutput, **error_responses(conflict=True)},
    )
    @action(detail=True, methods=["get", "put"])
    def price(self, request, *args, **kwargs):
        proposal = self.get_object()
        # Sealed from everyone else, staff included, until evaluation opens prices.
        is_member = is_vendor_member(request.user, proposal)
        if request.method == "PUT":
            if not is_member:
                raise Http404
            serializer = PriceInput(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            envelope = services.price_envelope_save(
                proposal=proposal,
                actor=request.user,
                amount=data["amount"],
                breakdown=[
                    {"label": line["label"], "amount": str(line["amount"])}
                    for line in data["breakdown"]
                ],
            )
        else:
            envelope = selectors.price_envelope_for(proposal=proposal, user=request.user)
            if envelope is None and not is_member:
                raise Http404
        if envelope is None:
            body = {"amount": None, "currency": "CAD", "breakdown": [], "updated_at": None}
        else:
            body = envelope
        return Response(PriceOutput(body).data)

    submit = transition_action(
        "submit",
        run=_submit,
        output=ProposalDetailOutput,
        input_serializer=None,
        summary=gettext_lazy("Submit before the deadline; answers with the receipt digest"),
        description=gettext_lazy(
            "On time when the request reached the server before the deadline, however long it "
            "then waits; `submitted_at` is that arrival time. A request that arrives at or after "
            "the deadline is refused with 409."
        ),
        tags=["proposals"],
        arrival=True,
    )
    withdraw = transition_action(
        "withdraw",
        run=_withdraw,
        output=ProposalDetailOutput,
        input_serializer=ReasonInput,
        summary=gettext_lazy("Withdraw a submitted proposal before the deadline"),
        tags=["proposals"],
    )
    revise = transition_action(
        "revise",
        run=_revise,
        output=ProposalDetailOutput,
        input_serializer=None,
        summary=gettext_lazy("Turn a withdrawn proposal back into a draft"),
        tags=["proposals"],
    )
    reconfirm = transition_action(
        "reconfirm",
        run=_reconfirm,
        output=ProposalDetailOutput,
        input_serializer=None,
        summary=gettext_lazy("Re-confirm a proposal after a material addendum"),
        tags=["proposals"],
        arrival=True,
    )


class ProposalChildViewSet(mixins.ListModelMixin, VendorAPIViewSet):
    """Rows of one proposal: /api/proposals/<proposal_id>/<things>/.

    `proposal_permission` narrows who sees them beyond who sees the proposal (404 otherwise).
    """

    proposal_permission = ""

    def get_proposal(self) -> Proposal:
        if not hasattr(self, "_proposal"):
            proposal = selectors.proposal_for_user(
                public_id=_uuid(self.kwargs["proposal_id"]), user=self.request.user
            )
            if self.proposal_permission and not can(
                self.request.user, self.proposal_permission, proposal
            ):
                raise Http404
            self._proposal = proposal
        return self._proposal


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Current documents of the technical envelope"),
        tags=["proposals"],
        parameters=[PROPOSAL_ID],
        responses={200: DocumentOutput(many=True), **NOT_VISIBLE},
    ),
)
class ProposalDocumentViewSet(ProposalChildViewSet):
    queryset = ProposalDocument.objects.none()
    serializer_class = DocumentOutput

    def get_queryset(self):
        return selectors.proposal_documents(proposal=self.get_proposal(), user=self.request.user)

    @extend_schema(
        summary=gettext_lazy("Upload a document to a draft (multipart: title and file)"),
        tags=["proposals"],
        parameters=[PROPOSAL_ID],
        request={"multipart/form-data": DocumentInput},
        responses={201: DocumentOutput, **error_responses(conflict=True)},
    )
    def create(self, request, *args, **kwargs):
        proposal = self.get_proposal()
        _require_member(request.user, proposal)
        serializer = DocumentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.document_upload(
            proposal=proposal,
            actor=request.user,
            title=serializer.validated_data["title"],
            upload=serializer.validated_data["file"],
        )
        return Response(DocumentOutput(document).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Receipts of each submission: time and digest (vendor's members)"),
        tags=["proposals"],
        parameters=[PROPOSAL_ID],
        responses={200: ReceiptOutput(many=True), **NOT_VISIBLE},
    ),
)
class ProposalReceiptViewSet(ProposalChildViewSet):
    queryset = ProposalReceipt.objects.none()
    serializer_class = ReceiptOutput
    proposal_permission = "vendors.view_receipt"

    def get_queryset(self):
        return selectors.proposal_receipts(
            proposal=self.get_proposal(), user=self.request.user
        ).select_related("submitted_by")


class DocumentViewSet(mixins.RetrieveModelMixin, VendorAPIViewSet):
    queryset = ProposalDocument.objects.none()
    serializer_class = DocumentOutput
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    def get_object(self):
        return selectors.document_for_download(
            public_id=_uuid(self.kwargs["id"]), user=self.request.user
        )

    @extend_schema(
        summary=gettext_lazy("One document's details"),
        tags=["proposals"],
        responses={200: DocumentOutput, **NOT_VISIBLE},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Take a document out of a draft (the stored version is kept)"),
        tags=["proposals"],
        responses={204: None, **error_responses(bad_input=True, conflict=True)},
    )
    def destroy(self, request, *args, **kwargs):
        services.document_remove(document=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=gettext_lazy("Download the file, as an attachment"),
        tags=["proposals"],
        responses={**DOWNLOAD_RESPONSES, **NOT_VISIBLE},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        return document_response(self.get_object())


# Staff, after closing: /api/challenges/<reference>/proposals/


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy(
            "Proposals received (staff, after closing; before that this list does not exist)"
        ),
        tags=["proposals"],
        parameters=[CHALLENGE_REFERENCE],
        responses={200: ReceivedProposalOutput(many=True), **NOT_VISIBLE},
    ),
)
class ReceivedProposalViewSet(mixins.ListModelMixin, VendorAPIViewSet):
    queryset = Proposal.objects.none()
    serializer_class = ReceivedProposalOutput

    def get_queryset(self):
        user = self.request.user
        challenge = Challenge.objects.filter(reference=self.kwargs["challenge_reference"]).first()
        # One answer for "no such challenge" and "not closed yet": a count of zero would
        # already tell something before the deadline.
        if challenge is None or not can(user, "vendors.view_received_proposals", challenge):
            raise Http404
        return selectors.proposals_received_for_challenge(challenge=challenge, user=user)
