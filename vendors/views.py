"""Vendor pages: registration, the portal, invitations, the proposal editor, submission and
receipts, document downloads, and the staff list of proposals received at closing.

Views read through selectors, write through services and redirect after a successful POST.
Sealing: a proposal, document or receipt a person may not see answers 404 exactly like one that
does not exist, so nobody learns that another vendor has a proposal, or how many there are.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from challenges import selectors as challenge_selectors
from challenges.models import Challenge
from core.confirm import confirmation_needed, confirmation_page, one_way_step
from core.errors import InvalidInput, TransitionRefused
from core.files import document_response
from core.middleware import arrival_time
from core.pagination import paginate
from core.permissions import can, require
from core.timefmt import format_local, format_local_exact
from core.workflow import allowed_transitions, transition_check, transition_problems

from . import selectors, services
from .forms import (
    DocumentForm,
    InviteForm,
    ProposalForm,
    ReasonForm,
    RoleForm,
    StartProposalForm,
    VendorRegistrationForm,
    apply_service_errors,
)
from .models import Proposal, VendorMembership
from .proposal_page import proposal_notices
from .rules import (
    MUNICIPAL_CANNOT_JOIN,
    MUNICIPAL_CANNOT_REGISTER,
    is_municipal,
    is_vendor_member,
    members_only,
    remember_vendor_roles,
)

# The vendor-side steps offered as buttons on the proposal page, with their services.
VENDOR_STEPS = {
    "withdraw": _lazy("Withdraw"),
    "revise": _lazy("Revise"),
    "reconfirm": _lazy("Re-confirm"),
}


def _refused(request, exc) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _visible_challenge(user, reference: str) -> Challenge:
    challenge = get_object_or_404(Challenge, reference=reference)
    if not can(user, "challenges.view_challenge", challenge):
        raise Http404
    return challenge


def _is_member(user, proposal) -> bool:
    return can(user, "vendors.submit_proposal", proposal)


def _member_proposal(user, public_id, *, read=selectors.proposal_for_user) -> Proposal:
    """A proposal its vendor's members act on; 404 for whoever may not see it at all, 403 with a
    sentence for staff who may read it after closing but not act for the vendor."""
    proposal = read(public_id=public_id, user=user)
    require(user, "vendors.submit_proposal", proposal, members_only(user, proposal))
    return proposal


def _proposal_url(proposal, anchor: str = "") -> str:
    url = reverse("vendors:proposal", args=[proposal.public_id])
    return f"{url}#{anchor}" if anchor else url


# --- registration and the portal ---------------------------------------------------------------


@login_required
def register(request):
    if not can(request.user, "vendors.add_vendororganization"):
        context = {"form": None, "refusal": MUNICIPAL_CANNOT_REGISTER}
        return render(request, "vendors/register.html", context, status=403)
    form = VendorRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vendor = services.vendor_register(actor=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(vendor)s is registered and you are its owner. Invite your colleagues below.")
                % {"vendor": vendor},
            )
            return redirect("vendors:portal")
    return render(request, "vendors/register.html", {"form": form})


# The portal's lists grow with every proposal and every challenge: each is shown a page at a time.
PORTAL_PROPOSALS_PER_PAGE = 20
PORTAL_CHALLENGES_PER_PAGE = 10


def _open_challenges(user):
    return challenge_selectors.challenge_board(user=user, status=Challenge.Status.PUBLISHED).filter(
        submission_deadline__gt=timezone.now()
    )


@login_required
def portal(request):
    return _render_portal(request)


def _render_portal(request, *, invite_forms=None, status=200):
    user = remember_vendor_roles(request.user)
    invite_forms = invite_forms or {}
    organizations = []
    for vendor in selectors.vendors_for_user(user):
        members = list(selectors.vendor_members(vendor=vendor, user=user))
        mine = next((m for m in members if m.user_id == user.pk), None)
        is_owner = mine is not None and mine.role == VendorMembership.Role.OWNER
        for member in members:
            member.role_form = RoleForm(
                initial={"role": member.role}, auto_id=f"id_member_{member.pk}_%s"
            )
        organizations.append(
            {
                "vendor": vendor,
                "members": members,
                "is_owner": is_owner,
                "invitations": list(selectors.vendor_pending_invitations(vendor=vendor, user=user))
                if is_owner
                else [],
                "invite_form": invite_forms.get(vendor.pk)
                or InviteForm(auto_id=f"id_invite_{vendor.public_id.hex}_%s"),
            }
        )
    proposals_pager = paginate(
        request,
        selectors.proposals_for_vendor_user(user),
        per_page=PORTAL_PROPOSALS_PER_PAGE,
        param="proposals_page",
    )
    vendors = [o["vendor"] for o in organizations]
    # Every organization listed is the user's own, so one check covers them all.
    acts_for_vendors = not is_municipal(user)
    open_challenges, challenges_pager = [], None
    if vendors and acts_for_vendors:
        challenges_pager = paginate(
            request,
            _open_challenges(user),
            per_page=PORTAL_CHALLENGES_PER_PAGE,
            param="challenges_page",
        )
        open_challenges = list(challenges_pager["page"].object_list)
        # The organizations' proposals to the challenges of this page, to offer "continue".
        existing = {
            (p.challenge_id, p.vendor_id): p
            for p in selectors.proposals_for_vendor_user(user).filter(
                challenge__in=[c.pk for c in open_challenges]
            )
        }
        for challenge in open_challenges:
            challenge.responses = [
                {"vendor": v, "proposal": existing.get((challenge.pk, v.pk))} for v in vendors
            ]
    context = {
        "organizations": organizations,
        "proposals": list(proposals_pager["page"].object_list),
        "proposals_pager": proposals_pager,
        "open_challenges": open_challenges,
        "challenges_pager": challenges_pager,
        "may_register": can(user, "vendors.add_vendororganization"),
        "acts_for_vendors": acts_for_vendors,
    }
    return render(request, "vendors/portal.html", context, status=status)


@require_POST
@login_required
def member_invite(request, public_id):
    vendor = selectors.vendor_for_user(public_id=public_id, user=request.user)
    require(
        request.user,
        "vendors.invite_member",
        vendor,
        _("Only an owner of the organization can invite people to it."),
    )
    form = InviteForm(request.POST, auto_id=f"id_invite_{vendor.public_id.hex}_%s")
    if form.is_valid():
        try:
            invitation = services.vendor_invite(
                vendor=vendor, actor=request.user, **form.cleaned_data
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. It expires on %(date)s.")
                % {"email": invitation.email, "date": format_local(invitation.expires_at)},
            )
            return redirect(f"{reverse('vendors:portal')}#vendor-{vendor.public_id}")
    return _render_portal(request, invite_forms={vendor.pk: form})


def _membership(request, pk) -> VendorMembership:
    membership = get_object_or_404(VendorMembership.objects.select_related("vendor", "user"), pk=pk)
    if not can(request.user, "vendors.view_members", membership.vendor):
        raise Http404
    return membership


@require_POST
@login_required
def member_remove(request, pk):
    membership = _membership(request, pk)
    leaving = membership.user_id == request.user.pk
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except InvalidInput as exc:
        _refused(request, exc)
    else:
        if leaving:
            messages.success(request, _("You left %(vendor)s.") % {"vendor": membership.vendor})
        else:
            messages.success(
                request,
                _("%(person)s no longer acts for %(vendor)s.")
                % {"person": membership.user.get_username(), "vendor": membership.vendor},
            )
    return redirect("vendors:portal")


@require_POST
@login_required
def member_role(request, pk):
    membership = _membership(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose owner or member."))
        return redirect("vendors:portal")
    try:
        membership = services.membership_change_role(
            membership=membership, actor=request.user, role=form.cleaned_data["role"]
        )
    except InvalidInput as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("%(person)s is now %(role)s.")
            % {
                "person": membership.user.get_username(),
                "role": membership.get_role_display().lower(),
            },
        )
    return redirect("vendors:portal")


# --- invitations ---------------------------------------------------------------------------------


def _invitation_problem(invitation, user) -> tuple[str, int]:
    """Why this person cannot accept now, as the service would say it, and the page's status."""
    if not can(user, "vendors.accept_invitation"):
        return str(MUNICIPAL_CANNOT_JOIN), 403
    if invitation is None:
        return (
            _(
                "This invitation link is not valid. Check that you copied all of it, or ask the "
                "organization's owner to invite you again."
            ),
            404,
        )
    if invitation.accepted_at is not None:
        return (
            _(
                "This invitation was already used on %(date)s. Ask the organization's owner for "
                "a new one if you still need to join."
            )
            % {"date": format_local(invitation.accepted_at)},
            200,
        )
    if timezone.now() >= invitation.expires_at:
        return (
            _(
                "This invitation expired on %(date)s. Ask the organization's owner to invite you "
                "again."
            )
            % {"date": format_local(invitation.expires_at)},
            200,
        )
    if (user.email or "").strip().casefold() != invitation.email.strip().casefold():
        return (
            _(
                "This invitation was sent to a different email address. Sign in with the account "
                "for that address, or ask the owner to invite %(email)s."
            )
            % {"email": user.email or _("your address")},
            403,
        )
    return "", 200


@login_required
def invitation_accept(request, token):
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, actor=request.user)
        except InvalidInput as exc:
            context = {"invitation": None, "problem": " ".join(exc.messages)}
            return render(request, "vendors/invitation.html", context)
        else:
            messages.success(
                request,
                _("Welcome to %(vendor)s. You can now work on its proposals.")
                % {"vendor": membership.vendor},
            )
            return redirect(f"{reverse('vendors:portal')}#vendor-{membership.vendor.public_id}")
    invitation = selectors.invitation_for_token(token=token)
    problem, status = _invitation_problem(invitation, request.user)
    context = {"invitation": None if problem else invitation, "problem": problem}
    return render(request, "vendors/invitation.html", context, status=status)


# --- proposals -----------------------------------------------------------------------------------


@require_POST
@login_required
def proposal_start(request, reference):
    challenge = _visible_challenge(request.user, reference)
    form = StartProposalForm(request.POST, vendors=selectors.vendors_for_user(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your organizations."))
        return redirect("vendors:portal")
    try:
        proposal = services.proposal_start(
            challenge=challenge, vendor=form.cleaned_data["vendor"], actor=request.user
        )
    except InvalidInput as exc:
        _refused(request, exc)
        return redirect("vendors:portal")
    messages.success(
        request,
        _("Proposal started as a draft. Save it as often as you like; submit it before %(date)s.")
        % {"date": format_local(challenge.submission_deadline)},
    )
    return redirect(_proposal_url(proposal))


def _editor_context(request, proposal, *, form=None, document_form=None):
    user = request.user
    # The questions as read with the proposal (`selectors.proposal_for_editor`), in their order.
    questions = list(proposal.challenge.response_questions.all())
    answers = {
        a.question_id: a.text for a in selectors.proposal_answers(proposal=proposal, user=user)
    }
    envelope = selectors.price_envelope_for(proposal=proposal, user=user)
    editable = (
        proposal.status == Proposal.Status.DRAFT
        and can(user, "vendors.change_proposal", proposal)
        and not proposal.submission_period_problems()
    )
    if form is None:
        form = ProposalForm(questions=questions, answers=answers, envelope=envelope)
    allowed = allowed_transitions(proposal, user)
    problems = []
    if proposal.status == Proposal.Status.DRAFT:
        problems = transition_problems(proposal, "submit")
    elif proposal.status == Proposal.Status.NEEDS_RECONFIRMATION:
        problems = transition_problems(proposal, "reconfirm")
    return {
        "proposal": proposal,
        "challenge": proposal.challenge,
        "questions": [{"question": q, "answer": answers.get(q.pk, "")} for q in questions],
        "form": form,
        "document_form": document_form or DocumentForm(),
        "documents": list(selectors.proposal_documents(proposal=proposal, user=user)),
        "envelope": envelope,
        "editable": editable,
        "can_submit": "submit" in allowed,
        "problems": problems,
        "steps": [
            {"name": name, "label": VENDOR_STEPS[name], "form": ReasonForm(auto_id=f"id_{name}_%s")}
            for name in allowed
            if name in VENDOR_STEPS
        ],
        "latest_receipt": selectors.proposal_receipts(proposal=proposal, user=user).first(),
        "notices": proposal_notices(request=request, proposal=proposal),
    }


@login_required
def proposal_edit(request, public_id):
    remember_vendor_roles(request.user)
    proposal = selectors.proposal_for_editor(public_id=public_id, user=request.user)
    if not _is_member(request.user, proposal):
        if is_vendor_member(request.user, proposal):
            # A member who became municipal staff keeps reading, and is told why no more than that.
            messages.info(request, members_only(request.user, proposal))
        # Staff reading a received proposal see its technical envelope only.
        return redirect("vendors:technical", public_id=proposal.public_id)
    context = _editor_context(request, proposal)
    if request.method != "POST":
        return render(request, "vendors/proposal.html", context)

    form = ProposalForm(
        request.POST,
        questions=[q["question"] for q in context["questions"]],
        answers={q["question"].pk: q["answer"] for q in context["questions"]},
        envelope=context["envelope"],
    )
    if form.is_valid():
        try:
            # One "Save draft": the price is not kept if the answers are refused, nor the reverse.
            with transaction.atomic():
                services.proposal_save_answers(
                    proposal=proposal, actor=request.user, answers=form.answers()
                )
                if form.price_given():
                    services.price_envelope_save(
                        proposal=proposal,
                        actor=request.user,
                        amount=form.cleaned_data["amount"],
                        breakdown=form.breakdown(),
                    )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        except TransitionRefused as exc:
            _refused(request, exc)
            return redirect(_proposal_url(proposal))
        else:
            messages.success(request, _("Draft saved. It is not submitted yet."))
            return redirect(_proposal_url(proposal))
    context = _editor_context(request, proposal, form=form)
    return render(request, "vendors/proposal.html", context)


@require_POST
@login_required
def document_upload(request, public_id):
    proposal = _member_proposal(request.user, public_id)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.document_upload(
                proposal=proposal,
                actor=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        except TransitionRefused as exc:
            _refused(request, exc)
            return redirect(_proposal_url(proposal, "documents"))
        else:
            messages.success(
                request,
                _("“%(title)s” uploaded (%(name)s).")
                % {"title": document.title, "name": document.original_name},
            )
            return redirect(_proposal_url(proposal, "documents"))
    context = _editor_context(request, proposal, document_form=form)
    return render(request, "vendors/proposal.html", context)


@require_POST
@login_required
def document_remove(request, public_id, document_id):
    proposal = _member_proposal(request.user, public_id)
    document = get_object_or_404(proposal.documents, public_id=document_id)
    try:
        services.document_remove(document=document, actor=request.user)
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("“%(title)s” removed.") % {"title": document.title})
    return redirect(_proposal_url(proposal, "documents"))


@login_required
def document_download(request, public_id):
    document = selectors.document_for_download(public_id=public_id, user=request.user)
    return document_response(document)


@login_required
def proposal_submit(request, public_id):
    """GET (or a post without the confirmation) shows what is submitted and asks to confirm; the
    confirmed post submits."""
    confirmed = request.method == "POST" and not confirmation_needed(request)
    if not confirmed:
        # Reading the page: the person's roles and the proposal's answers are read once.
        remember_vendor_roles(request.user)
    read = selectors.proposal_for_user if confirmed else selectors.proposal_for_editor
    proposal = _member_proposal(request.user, public_id, read=read)
    if confirmed:
        try:
            proposal = services.proposal_submit(
                proposal=proposal, actor=request.user, arrived_at=arrival_time(request)
            )
        except (InvalidInput, TransitionRefused) as exc:
            _refused(request, exc)
            return redirect(_proposal_url(proposal))
        messages.success(
            request,
            _("Your proposal is submitted. Keep this receipt; we also emailed it to you."),
        )
        return redirect("vendors:receipt_latest", public_id=proposal.public_id)
    if proposal.status == Proposal.Status.CANCELLED:
        messages.info(
            request, _("The municipality cancelled this challenge; there is nothing to submit.")
        )
        return redirect(_proposal_url(proposal))
    if proposal.status != Proposal.Status.DRAFT:
        messages.info(
            request,
            _("This proposal is %(state)s; there is nothing to submit.")
            % {"state": proposal.get_status_display().lower()},
        )
        return redirect(_proposal_url(proposal))
    context = _editor_context(request, proposal)
    context["step"] = one_way_step("vendors.submit").describe(proposal)
    return render(request, "vendors/submit.html", context)


@require_POST
@login_required
def proposal_step(request, public_id, name):
    if name not in VENDOR_STEPS:
        raise Http404
    proposal = _member_proposal(request.user, public_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        if name == "withdraw" and confirmation_needed(request):
            transition_check(instance=proposal, name=name, actor=request.user)
            return confirmation_page(
                request,
                "vendors.withdraw",
                proposal,
                back_url=_proposal_url(proposal),
                shown=[(_("Your reason"), form.cleaned_data.get("reason", ""))],
                context={"challenge": proposal.challenge},
            )
        if name == "withdraw":
            proposal = services.proposal_withdraw(
                proposal=proposal, actor=request.user, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(
                request,
                _(
                    "Your proposal is withdrawn. Revise it and submit it again before the "
                    "deadline if you want it evaluated."
                ),
            )
        elif name == "revise":
            proposal = services.proposal_revise(proposal=proposal, actor=request.user)
            messages.success(request, _("Your proposal is a draft again; submit it once revised."))
        else:
            proposal = services.proposal_reconfirm(
                proposal=proposal, actor=request.user, arrived_at=arrival_time(request)
            )
            messages.success(request, _("Your proposal is re-confirmed; a new receipt is issued."))
            return redirect("vendors:receipt_latest", public_id=proposal.public_id)
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    return redirect(_proposal_url(proposal))


@login_required
def proposal_technical(request, public_id):
    """The technical envelope, read-only: answers and documents, never the price."""
    remember_vendor_roles(request.user)
    proposal = selectors.proposal_for_user(public_id=public_id, user=request.user)
    context = {
        "proposal": proposal,
        "challenge": proposal.challenge,
        "answers": selectors.proposal_answers(proposal=proposal, user=request.user),
        "documents": selectors.proposal_documents(proposal=proposal, user=request.user),
        "is_member": _is_member(request.user, proposal),
    }
    return render(request, "vendors/technical.html", context)


# --- receipts ------------------------------------------------------------------------------------


def _receipt(request, public_id, number):
    """The proposal and its `number`th receipt (1 is the first; None is the latest).

    Numbered per proposal rather than by database id, which would reveal how many receipts the
    whole site has issued."""
    remember_vendor_roles(request.user)
    proposal = selectors.proposal_for_user(public_id=public_id, user=request.user)
    receipts = list(selectors.proposal_receipts(proposal=proposal, user=request.user))
    if not receipts:
        raise Http404
    if number is None:
        number = len(receipts)
    if not 1 <= number <= len(receipts):
        raise Http404
    receipt = receipts[len(receipts) - number]
    return proposal, receipt, number, len(receipts)


@login_required
def receipt(request, public_id, number=None):
    proposal, found, number, total = _receipt(request, public_id, number)
    context = {
        "proposal": proposal,
        "challenge": proposal.challenge,
        "receipt": found,
        "number": number,
        "total": total,
        "documents": sorted(found.documents.all(), key=lambda d: d.title.lower()),
    }
    return render(request, "vendors/receipt.html", context)


@login_required
def receipt_download(request, public_id, number=None):
    proposal, found, number, _total = _receipt(request, public_id, number)
    challenge = proposal.challenge
    data = {
        "receipt": number,
        "challenge": challenge.reference,
        "challenge_title": challenge.title,
        "vendor": proposal.vendor.legal_name,
        "proposal": str(proposal.public_id),
        "submitted_at": found.submitted_at.isoformat(),
        "submitted_at_local": format_local_exact(found.submitted_at),
        "digest_algorithm": "SHA-256",
        "digest": found.digest,
        "documents": [
            {"title": d.title, "name": d.original_name, "size": d.size, "sha256": d.sha256}
            for d in sorted(found.documents.all(), key=lambda d: d.title.lower())
        ],
    }
    # While the proposal is as submitted, include the content the digest covers, so the vendor
    # can check it: SHA-256 of this object as canonical JSON (sorted keys, no spaces).
    content = services.receipt_payload(proposal, submitted_at=found.submitted_at, salt=found.salt)
    if services.receipt_digest(content) == found.digest:
        data["content"] = content
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    filename = f"receipt-{challenge.reference}-{number}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- staff: proposals received ---------------------------------------------------------------


@login_required
def received_proposals(request, reference):
    challenge = _visible_challenge(request.user, reference)
    # Before closing this page does not exist for anyone, so it cannot hint at a count.
    if not can(request.user, "vendors.view_received_proposals", challenge):
        raise Http404
    proposals = selectors.proposals_received_for_challenge(challenge=challenge, user=request.user)
    return render(
        request,
        "vendors/received.html",
        {"challenge": challenge, "proposals": list(proposals)},
    )
