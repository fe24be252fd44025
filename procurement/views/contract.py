"""The contract of a final award: its value, period, signing date and terms grouped by topic,
each with where it came from in the data governance record. The owner drafts, edits and signs
it; municipal staff follow it; everyone reads it once signed, without its confidential terms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges.forms import apply_service_errors
from challenges.views import visible_challenge
from core.confirm import confirmation_needed, confirmation_page
from core.errors import InvalidInput, TransitionRefused
from core.permissions import can
from core.workflow import transition_check

from .. import selectors
from ..forms import ContractForm, ContractTermForm
from ..models import Award, Contract, ContractTerm
from ..services import contract as contract_services
from ..services.award import live_award

SIGN_STEP = "procurement.contract_sign"


def _refused(request, exc) -> None:
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc) or _("You may not take this step."))
        return
    for message in exc.messages:
        messages.error(request, message)


def _back(challenge):
    return redirect("procurement:contract", reference=challenge.reference)


def _final_award(challenge) -> Award | None:
    award = live_award(challenge)
    return award if award is not None and award.status == Award.Status.FINAL else None


def _managed_contract(user, reference) -> Contract:
    """The contract for its owner; 404 for everyone else (a 403 would confirm the forms exist)."""
    contract = selectors.challenge_contract(challenge=visible_challenge(user, reference))
    if contract is None or not can(user, "procurement.manage_contract", contract):
        raise Http404
    return contract


def _render(request, challenge, contract, *, details_form=None, term_form=None, bound=None):
    user = request.user
    context = {"challenge": challenge, "contract": contract}
    if contract is None:
        award = _final_award(challenge)
        context.update(
            {
                "award": award,
                "may_create": award is not None and can(user, "procurement.manage_contract", award),
            }
        )
        return render(request, "procurement/contract.html", context)
    may_manage = can(user, "procurement.manage_contract", contract)
    editable = may_manage and contract.status == Contract.Status.DRAFT
    terms = selectors.contract_terms(contract=contract, user=user)
    if editable:
        for term in terms:
            if bound and bound[0] == term.pk:
                term.form = bound[1]
            else:
                term.form = ContractTermForm(
                    auto_id=f"id_term{term.pk}_%s",
                    initial={
                        "topic": term.topic,
                        "text": term.text,
                        "confidential": term.confidential,
                    },
                )
    context.update(
        {
            "award": contract.award,
            "may_manage": may_manage,
            "editable": editable,
            "staff_view": can(user, "procurement.view_confidential_contract_terms", contract),
            "term_groups": selectors.terms_by_topic(terms),
            "details_form": details_form
            or (
                ContractForm(
                    auto_id="id_contract_%s",
                    initial={
                        "value": contract.value,
                        "starts_on": contract.starts_on,
                        "ends_on": contract.ends_on,
                        "signed_on": contract.signed_on,
                    },
                )
                if editable
                else None
            ),
            "term_form": term_form
            or (ContractTermForm(auto_id="id_new_term_%s") if editable else None),
            "sign_problems": contract.sign_problems() if editable else [],
            "sign_step": SIGN_STEP,
        }
    )
    return render(request, "procurement/contract.html", context)


def contract(request, reference):
    challenge = visible_challenge(request.user, reference)
    found = selectors.challenge_contract(challenge=challenge)
    if found is None:
        # Before the contract exists, only municipal staff learn that it is on its way.
        if not can(request.user, "procurement.follow_contract_stage", challenge):
            raise Http404
    elif not can(request.user, "procurement.view_contract", found):
        raise Http404
    return _render(request, challenge, found)


@require_POST
@login_required
def contract_create(request, reference):
    challenge = visible_challenge(request.user, reference)
    award = _final_award(challenge)
    if award is None or not can(request.user, "procurement.manage_contract", award):
        raise Http404
    try:
        contract_services.contract_create(award=award, actor=request.user)
    except (TransitionRefused, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _(
                "The contract is drafted with the terms of the data governance record. Review "
                "each term before it is signed."
            ),
        )
    return _back(challenge)


def _submit(request, contract, form, write, success, **render_kwargs):
    """Run `write(**cleaned_data)` for a valid form: back to the page with `success`, or the
    page again with the service's field errors; a refused step goes back with its reason."""
    if form.is_valid():
        try:
            write(**form.cleaned_data)
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        except (TransitionRefused, PermissionDenied) as exc:
            _refused(request, exc)
            return _back(contract.challenge)
        else:
            messages.success(request, success)
            return _back(contract.challenge)
    return _render(request, contract.challenge, contract, **render_kwargs)


@require_POST
@login_required
def contract_update(request, reference):
    contract = _managed_contract(request.user, reference)
    form = ContractForm(request.POST, auto_id="id_contract_%s")

    def write(**data):
        contract_services.contract_update(contract=contract, actor=request.user, **data)

    return _submit(
        request, contract, form, write, _("The contract's details are saved."), details_form=form
    )


@require_POST
@login_required
def term_add(request, reference):
    contract = _managed_contract(request.user, reference)
    form = ContractTermForm(request.POST, auto_id="id_new_term_%s")

    def write(**data):
        contract_services.contract_term_add(contract=contract, actor=request.user, **data)

    return _submit(request, contract, form, write, _("Term added."), term_form=form)


@require_POST
@login_required
def term_change(request, reference, term_id):
    contract = _managed_contract(request.user, reference)
    term = get_object_or_404(ContractTerm, pk=term_id, contract=contract)
    form = ContractTermForm(request.POST, auto_id=f"id_term{term.pk}_%s")

    def write(**data):
        contract_services.contract_term_change(term=term, actor=request.user, **data)

    return _submit(request, contract, form, write, _("Term saved."), bound=(term.pk, form))


@require_POST
@login_required
def term_remove(request, reference, term_id):
    contract = _managed_contract(request.user, reference)
    term = get_object_or_404(ContractTerm, pk=term_id, contract=contract)
    try:
        contract_services.contract_term_remove(term=term, actor=request.user)
    except (TransitionRefused, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Term removed."))
    return _back(contract.challenge)


@require_POST
@login_required
def contract_sign(request, reference):
    contract = _managed_contract(request.user, reference)
    try:
        if confirmation_needed(request):
            # A refused step is refused at once, never confirmed first.
            transition_check(instance=contract, name="sign", actor=request.user)
            return confirmation_page(
                request,
                SIGN_STEP,
                contract,
                back_url=reverse("procurement:contract", kwargs={"reference": reference}),
                context={"challenge": contract.challenge},
            )
        contract_services.contract_sign(contract=contract, actor=request.user)
    except (TransitionRefused, PermissionDenied) as exc:
        _refused(request, exc)
        return _back(contract.challenge)
    messages.success(request, _("The contract is recorded as signed and published."))
    return _back(contract.challenge)
