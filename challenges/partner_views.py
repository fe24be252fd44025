"""Pages of community partners and of input gathered offline (docs/engagement.md): the owner's
partners page, the form staff and partners' contacts record offline input with, the staff form
that adds an organization to the shared list, and a contact's list of challenges they record for.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import InvalidInput
from core.permissions import can, require

from . import partner_services as services
from .forms import apply_service_errors
from .input_services import community_input_record_offline, offline_input_denied_message
from .input_stages import open_input_stage
from .models import ChallengePartner, PartnerOrganization
from .partner_forms import ChallengePartnerForm, OfflineInputForm, PartnerOrganizationForm
from .partner_selectors import challenge_partnerships, partnerships_of_contact
from .views import visible_challenge


def _partners_page(challenge):
    return redirect(reverse("challenges:partners", args=[challenge.reference]))


@login_required
def offline_input(request, reference):
    challenge = visible_challenge(request.user, reference)
    require(
        request.user,
        "challenges.record_offline_input",
        challenge,
        offline_input_denied_message(challenge),
    )
    owner = can(request.user, "challenges.manage_partners", challenge)
    partners = (
        PartnerOrganization.objects.filter(partnerships__challenge=challenge) if owner else None
    )
    form = OfflineInputForm(
        request.POST if request.method == "POST" else None,
        partners=partners,
        initial={"language": request.LANGUAGE_CODE},
    )
    if form.is_bound and form.is_valid():
        try:
            community_input_record_offline(
                challenge=challenge, actor=request.user, **form.service_data()
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Input recorded. It awaits moderation, like input given online."),
            )
            return redirect(reverse("challenges:offline_input", args=[challenge.reference]))
    own = [
        p
        for p in challenge_partnerships(challenge=challenge)
        if p.contact_user_id == request.user.pk
    ]
    context = {"challenge": challenge, "form": form, "owner": owner, "own_partnerships": own}
    return render(request, "challenges/partners/offline_form.html", context)


@login_required
def partners(request, reference):
    challenge = visible_challenge(request.user, reference)
    require(request.user, "challenges.manage_partners", challenge, str(services.PARTNERS_DENIED))
    form = ChallengePartnerForm(
        request.POST if request.method == "POST" else None, challenge=challenge
    )
    if form.is_bound and form.is_valid():
        try:
            services.challenge_partner_add(
                challenge=challenge, actor=request.user, **form.cleaned_data
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Partner added to the challenge."))
            return _partners_page(challenge)
    context = {
        "challenge": challenge,
        "form": form,
        "partnerships": challenge_partnerships(challenge=challenge, with_contacts=True),
        "may_add_organization": can(request.user, "challenges.add_partnerorganization"),
    }
    return render(request, "challenges/partners/page.html", context)


@require_POST
@login_required
def partner_remove(request, reference, pk):
    challenge = visible_challenge(request.user, reference)
    require(request.user, "challenges.manage_partners", challenge, str(services.PARTNERS_DENIED))
    partnership = get_object_or_404(ChallengePartner, pk=pk, challenge=challenge)
    services.challenge_partner_remove(partnership=partnership, actor=request.user)
    messages.success(
        request,
        _("%(partner)s is no longer a partner of this challenge.")
        % {"partner": partnership.partner},
    )
    return _partners_page(challenge)


@login_required
def organization_add(request):
    require(
        request.user, "challenges.add_partnerorganization", None, str(services.ORGANIZATION_DENIED)
    )
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    form = PartnerOrganizationForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        groups = list(data.pop("groups_served"))
        try:
            organization = services.partner_organization_create(
                actor=request.user, groups_served=groups, **data
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(partner)s added to the partner organizations.") % {"partner": organization},
            )
            return redirect(back or reverse("challenges:board"))
    return render(
        request, "challenges/partners/organization_form.html", {"form": form, "next": back}
    )


@login_required
def my_partnerships(request):
    """The challenges this person records input for, as a partner's contact."""
    partnerships = partnerships_of_contact(user=request.user)
    for partnership in partnerships:
        # Their contact role is known from the row: only whether input is open remains.
        partnership.may_record = open_input_stage(partnership.challenge) is not None
    context = {"partnerships": partnerships}
    return render(request, "challenges/partners/mine.html", context)
