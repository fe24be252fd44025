"""REST API for the contract of a final award (docs/award-pilot-and-open-data.md).

/api/contracts/<reference>/: municipal staff read it from its draft, everyone once it is signed
(without its confidential terms); only the challenge's owner drafts, edits and signs it. Errors
as everywhere (core.api): 404 not visible, 403 not permitted, 400 bad input, 409 refused.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from challenges.api import REFERENCE_PATTERN
from challenges.models import Challenge
from core.api import ReasonInput, error_responses, transition_action
from core.permissions import can, require

from .models import Contract, ContractTerm
from .serializers import (
    ContractCreateInput,
    ContractOutput,
    ContractTermChangeInput,
    ContractTermInput,
    ContractUpdateInput,
)
from .services import contract as contract_services
from .services.award import live_award
from .services.contract import MANAGE_ONLY

TAGS = ["contract"]


def _fresh(contract: Contract) -> Contract:
    return Contract.objects.select_related("challenge", "award__proposal__vendor").get(
        pk=contract.pk
    )


def _sign(*, obj, actor, name, reason=""):
    return _fresh(contract_services.contract_sign(contract=obj, actor=actor, reason=reason))


@extend_schema_view(
    retrieve=extend_schema(
        summary=gettext_lazy("A challenge's contract: value, period, signing and terms"),
        tags=TAGS,
        responses={200: ContractOutput, **error_responses(bad_input=False, forbidden=False)},
    ),
)
class ContractViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The contract of an awarded challenge, by the challenge's reference."""

    queryset = Contract.objects.none()
    serializer_class = ContractOutput
    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends = []
    lookup_field = "challenge__reference"
    lookup_url_kwarg = "reference"
    lookup_value_regex = REFERENCE_PATTERN

    def get_object(self) -> Contract:
        contract = Contract.objects.filter(challenge__reference=self.kwargs["reference"]).first()
        if contract is None or not can(self.request.user, "procurement.view_contract", contract):
            raise Http404
        return _fresh(contract)

    def _output(self, contract, code=status.HTTP_200_OK):
        output = ContractOutput(_fresh(contract), context=self.get_serializer_context())
        return Response(output.data, status=code)

    def _managed(self, request) -> Contract:
        contract = self.get_object()
        require(request.user, "procurement.manage_contract", contract, str(MANAGE_ONLY))
        return contract

    @extend_schema(
        summary=gettext_lazy(
            "Draft the contract of a final award, its terms from the data governance record (owner)"
        ),
        tags=TAGS,
        request=ContractCreateInput,
        responses={201: ContractOutput, **error_responses(conflict=True)},
    )
    def create(self, request, *args, **kwargs):
        serializer = ContractCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        challenge = Challenge.objects.filter(
            reference=serializer.validated_data["challenge"]
        ).first()
        award = live_award(challenge) if challenge is not None else None
        # Whoever may not follow the award learns nothing about it.
        if award is None or not can(request.user, "procurement.follow_award", award):
            raise Http404
        contract = contract_services.contract_create(award=award, actor=request.user)
        return self._output(contract, status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Change the value, period or signing date of a draft (owner)"),
        tags=TAGS,
        request=ContractUpdateInput,
        responses={200: ContractOutput, **error_responses(conflict=True)},
    )
    def partial_update(self, request, *args, **kwargs):
        contract = self._managed(request)
        serializer = ContractUpdateInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contract_services.contract_update(
            contract=contract, actor=request.user, **serializer.validated_data
        )
        return self._output(contract)

    sign = transition_action(
        "sign",
        run=_sign,
        output=ContractOutput,
        input_serializer=ReasonInput,
        summary=gettext_lazy(
            "Record the contract as signed: value, period, signing date and signed copy needed "
            "(owner)"
        ),
        tags=TAGS,
    )

    @extend_schema(
        summary=gettext_lazy("Add a term to a draft (owner)"),
        tags=TAGS,
        request=ContractTermInput,
        responses={201: ContractOutput, **error_responses(conflict=True)},
    )
    @action(detail=True, methods=["post"], url_path="terms", url_name="terms")
    def terms(self, request, *args, **kwargs):
        contract = self._managed(request)
        serializer = ContractTermInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        contract_services.contract_term_add(
            contract=contract, actor=request.user, **serializer.validated_data
        )
        return self._output(contract, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary=gettext_lazy("Change a term of a draft (owner)"),
        tags=TAGS,
        request=ContractTermChangeInput,
        responses={200: ContractOutput, **error_responses(conflict=True)},
    )
    @extend_schema(
        methods=["DELETE"],
        summary=gettext_lazy("Remove a term from a draft (owner)"),
        tags=TAGS,
        request=None,
        responses={200: ContractOutput, **error_responses(bad_input=False, conflict=True)},
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"terms/(?P<term_id>[0-9]{1,9})",
        url_name="term",
    )
    def term(self, request, *args, term_id, **kwargs):
        contract = self._managed(request)
        term = ContractTerm.objects.filter(pk=term_id, contract=contract).first()
        if term is None:
            raise Http404
        if request.method == "DELETE":
            contract_services.contract_term_remove(term=term, actor=request.user)
            return self._output(contract)
        serializer = ContractTermChangeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        contract_services.contract_term_change(
            term=term, actor=request.user, **serializer.validated_data
        )
        return self._output(contract)
