"""Conflict of interest: municipal staff and approvers never act for a vendor.

alice is staff, paula approves (and nothing else), carol is both: none of them may register an
organization or join one. rita (a resident), frank (an evaluator, who may be an outside expert)
and dave (a vendor) may. Someone who becomes municipal while a member keeps the membership and
can read, but can no longer start or submit a proposal: pages, API and services all refuse.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse

from core.errors import PermissionDenied
from core.permissions import can
from core.roles import group_names
from tests.factories import (
    ChallengeFactory,
    EngagementActivityFactory,
    UserFactory,
    set_status,
    valid_business_number,
)
from vendors import services
from vendors.models import Proposal, VendorInvitation, VendorMembership, VendorOrganization

pytestmark = pytest.mark.django_db

MUNICIPAL = ("alice", "paula", "carol")
NOT_MUNICIPAL = ("rita", "frank", "dave")
REFUSAL = "Municipal staff cannot act for a vendor;"
REGISTER = "/vendors/register/"
PORTAL = "/vendors/"


@pytest.fixture
def paula(db):
    return UserFactory(username="paula", roles=["approver"])


def persona(request, name):
    return request.getfixturevalue(name)


def vendor_data(number=4242, legal_name="Brightwater Analytics Ltd."):
    return {
        "legal_name": legal_name,
        "business_number": valid_business_number(number),
        "street_address": "9 King Street",
        "city": "Moncton",
        "province": "NB",
        "postal_code": "E1C 4M2",
        "size": "micro",
    }


def become(user, *role_names):
    """The administrator gives `user` municipal roles; memberships stay as they were."""
    user.groups.add(*Group.objects.filter(name__in=role_names))
    user.__dict__.pop("_role_names", None)
    return user


# --- the rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", MUNICIPAL)
def test_municipal_people_may_neither_register_nor_accept_an_invitation(request, name):
    user = persona(request, name)

    assert not can(user, "vendors.add_vendororganization")
    assert not can(user, "vendors.accept_invitation")


@pytest.mark.parametrize("name", NOT_MUNICIPAL)
def test_residents_evaluators_and_vendors_may_register_and_accept(request, name):
    user = persona(request, name)

    assert can(user, "vendors.add_vendororganization")
    assert can(user, "vendors.accept_invitation")


def test_anonymous_visitors_may_do_neither():
    assert not can(AnonymousUser(), "vendors.add_vendororganization")
    assert not can(AnonymousUser(), "vendors.accept_invitation")


# --- registering an organization -----------------------------------------------------------------


@pytest.mark.parametrize("name", MUNICIPAL)
def test_the_service_refuses_to_register_for_municipal_people(request, name):
    user = persona(request, name)

    with pytest.raises(PermissionDenied) as refused:
        services.vendor_register(actor=user, **vendor_data())

    assert str(refused.value).startswith(REFUSAL)
    assert "cannot register an organization" in str(refused.value)
    assert not VendorOrganization.objects.exists()
    assert not VendorMembership.objects.exists()
    user.refresh_from_db()
    assert "vendor" not in group_names(user)


@pytest.mark.parametrize("name", NOT_MUNICIPAL)
def test_the_service_registers_for_residents_evaluators_and_vendors(request, name):
    user = persona(request, name)

    vendor = services.vendor_register(actor=user, **vendor_data())

    assert VendorMembership.objects.get(vendor=vendor, user=user).role == "owner"


@pytest.mark.parametrize("name", MUNICIPAL)
def test_the_registration_page_refuses_municipal_people_and_stores_nothing(client, request, name):
    client.force_login(persona(request, name))

    page = client.get(REGISTER)
    posted = client.post(REGISTER, vendor_data())

    for response in (page, posted):
        assert response.status_code == 403
        body = response.content.decode()
        assert REFUSAL in body
        assert 'name="legal_name"' not in body
    assert not VendorOrganization.objects.exists()


@pytest.mark.parametrize("name", ("rita", "frank"))
def test_the_registration_page_registers_residents_and_evaluators(client, request, name):
    user = persona(request, name)
    client.force_login(user)

    page = client.get(REGISTER)
    response = client.post(REGISTER, vendor_data())

    assert page.status_code == 200 and 'name="legal_name"' in page.content.decode()
    assert response.status_code == 302 and response.url == PORTAL
    assert VendorMembership.objects.get(user=user).vendor.legal_name == (
        "Brightwater Analytics Ltd."
    )


@pytest.mark.parametrize("name", MUNICIPAL)
def test_the_api_refuses_to_register_for_municipal_people(api_as, request, name):
    response = api_as(persona(request, name)).post("/api/vendors/", vendor_data(), format="json")

    assert response.status_code == 403
    assert response.json()["detail"].startswith(REFUSAL)
    assert not VendorOrganization.objects.exists()


@pytest.mark.parametrize("name", NOT_MUNICIPAL)
def test_the_api_registers_for_residents_evaluators_and_vendors(api_as, request, name):
    response = api_as(persona(request, name)).post("/api/vendors/", vendor_data(), format="json")

    assert response.status_code == 201
    assert VendorOrganization.objects.filter(legal_name="Brightwater Analytics Ltd.").exists()


# --- accepting an invitation ---------------------------------------------------------------------


def invite(acme, dave, user):
    return services.vendor_invite(vendor=acme, actor=dave, email=user.email)


def accept_url(invitation):
    return reverse("vendors:invitation_accept", args=[invitation.token])


def assert_not_joined(invitation, user):
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and invitation.accepted_by is None
    assert not VendorMembership.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert "vendor" not in group_names(user)


@pytest.mark.parametrize("name", MUNICIPAL)
def test_the_service_refuses_an_invitation_to_municipal_people(request, acme, dave, name):
    user = persona(request, name)
    invitation = invite(acme, dave, user)

    with pytest.raises(PermissionDenied) as refused:
        services.invitation_accept(token=invitation.token, actor=user)

    assert str(refused.value).startswith(REFUSAL)
    assert "cannot join an organization" in str(refused.value)
    assert_not_joined(invitation, user)


@pytest.mark.parametrize("name", ("rita", "frank", "erin"))
def test_residents_evaluators_and_vendors_accept_an_invitation(request, acme, dave, name):
    user = persona(request, name)
    invitation = invite(acme, dave, user)

    membership = services.invitation_accept(token=invitation.token, actor=user)

    assert (membership.vendor, membership.user, membership.role) == (acme, user, "member")
    user.refresh_from_db()
    assert "vendor" in group_names(user)


@pytest.mark.parametrize("name", MUNICIPAL)
def test_the_invitation_page_refuses_municipal_people(client, request, acme, dave, name):
    user = persona(request, name)
    invitation = invite(acme, dave, user)
    client.force_login(user)

    page = client.get(accept_url(invitation))
    posted = client.post(accept_url(invitation))

    for response in (page, posted):
        assert response.status_code == 403
        assert REFUSAL in response.content.decode()
    main = page.content.split(b"<main")[1].split(b"</main>")[0]
    assert b"<button" not in main
    assert_not_joined(invitation, user)


def test_the_invitation_page_lets_an_evaluator_join(client, acme, dave, frank):
    invitation = invite(acme, dave, frank)
    client.force_login(frank)

    page = client.get(accept_url(invitation))
    response = client.post(accept_url(invitation))

    assert page.status_code == 200 and REFUSAL not in page.content.decode()
    assert response.status_code == 302
    assert VendorMembership.objects.filter(vendor=acme, user=frank).exists()


@pytest.mark.parametrize("name", MUNICIPAL)
def test_the_api_refuses_an_invitation_to_municipal_people(api_as, request, acme, dave, name):
    user = persona(request, name)
    invitation = invite(acme, dave, user)

    response = api_as(user).post(
        "/api/invitations/accept/", {"token": invitation.token}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"].startswith(REFUSAL)
    assert_not_joined(invitation, user)


def test_the_api_lets_a_resident_accept(api_as, acme, dave, rita):
    invitation = invite(acme, dave, rita)

    response = api_as(rita).post(
        "/api/invitations/accept/", {"token": invitation.token}, format="json"
    )

    assert response.status_code == 200
    assert VendorMembership.objects.filter(vendor=acme, user=rita).exists()


def test_becoming_staff_after_the_invitation_was_sent_still_refuses_it(acme, dave, rita):
    invitation = invite(acme, dave, rita)
    become(rita, "staff")

    with pytest.raises(PermissionDenied):
        services.invitation_accept(token=invitation.token, actor=rita)

    assert_not_joined(invitation, rita)
    assert VendorInvitation.objects.get(pk=invitation.pk).accepted_at is None


# --- a member who becomes municipal --------------------------------------------------------------

ROLE_SETS = [("staff",), ("approver",), ("staff", "approver")]


@pytest.fixture
def second(alice, department):
    """Another published challenge, open for proposals, that Acme has not answered."""
    challenge = ChallengeFactory(owner=alice, department=department)
    EngagementActivityFactory(challenge=challenge)
    return set_status(challenge, "published")


@pytest.mark.parametrize("role_names", ROLE_SETS)
def test_a_member_who_becomes_municipal_keeps_the_membership_but_cannot_act(
    draft, acme, dave, role_names
):
    become(dave, *role_names)

    assert VendorMembership.objects.filter(vendor=acme, user=dave, role="owner").exists()
    assert can(dave, "vendors.view_proposal", draft)
    assert can(dave, "vendors.view_members", acme)
    assert not can(dave, "vendors.start_proposal", acme)
    assert not can(dave, "vendors.change_proposal", draft)
    assert not can(dave, "vendors.submit_proposal", draft)


@pytest.mark.parametrize("role_names", ROLE_SETS)
def test_the_services_refuse_to_start_or_submit_for_a_municipal_member(
    draft, second, acme, dave, role_names
):
    become(dave, *role_names)

    with pytest.raises(PermissionDenied) as start_refused:
        services.proposal_start(challenge=second, vendor=acme, actor=dave)
    with pytest.raises(PermissionDenied) as submit_refused:
        services.proposal_submit(proposal=draft, actor=dave)

    for refused in (start_refused, submit_refused):
        assert str(refused.value).startswith(REFUSAL)
        assert "Acme Heat Solutions Ltd." in str(refused.value)
    assert not Proposal.objects.filter(challenge=second).exists()
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT and not draft.receipt_digest


def test_the_services_refuse_a_municipal_member_every_other_vendor_step(draft, dave, questions):
    services.proposal_submit(proposal=draft, actor=dave)
    become(dave, "staff")

    with pytest.raises(PermissionDenied) as refused:
        services.proposal_withdraw(proposal=draft, actor=dave)
    with pytest.raises(PermissionDenied):
        services.proposal_save_answers(
            proposal=draft, actor=dave, answers={questions[0].pk: "Changed."}
        )

    assert str(refused.value).startswith(REFUSAL)
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.SUBMITTED


@pytest.mark.parametrize("role_names", ROLE_SETS)
def test_the_pages_refuse_to_start_or_submit_for_a_municipal_member(
    client, draft, second, acme, dave, role_names
):
    become(dave, *role_names)
    client.force_login(dave)

    start = client.post(
        reverse("vendors:proposal_start", args=[second.reference]),
        {"vendor": str(acme.public_id)},
    )
    submit = client.post(reverse("vendors:submit", args=[draft.public_id]))

    for response in (start, submit):
        assert response.status_code == 403
        assert REFUSAL in response.content.decode()
    assert not Proposal.objects.filter(challenge=second).exists()
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_a_municipal_member_is_sent_to_the_read_only_envelope_and_told_why(client, draft, dave):
    become(dave, "staff")
    client.force_login(dave)

    response = client.get(reverse("vendors:proposal", args=[draft.public_id]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("vendors:technical", args=[draft.public_id])
    assert response.status_code == 200
    assert any(str(m).startswith(REFUSAL) for m in response.context["messages"])


@pytest.mark.parametrize("role_names", ROLE_SETS)
def test_the_api_refuses_to_start_or_submit_for_a_municipal_member(
    api_as, draft, second, acme, dave, role_names
):
    become(dave, *role_names)
    client = api_as(dave)

    start = client.post(
        "/api/proposals/",
        {"challenge": second.reference, "vendor": str(acme.public_id)},
        format="json",
    )
    submit = client.post(f"/api/proposals/{draft.public_id}/submit/", format="json")

    for response in (start, submit):
        assert response.status_code == 403, response.content
        assert response.json()["detail"].startswith(REFUSAL)
    assert not Proposal.objects.filter(challenge=second).exists()
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_the_api_still_lets_a_municipal_member_read_the_proposal(api_as, draft, dave):
    become(dave, "staff")

    response = api_as(dave).get(f"/api/proposals/{draft.public_id}/")

    assert response.status_code == 200
    assert response.json()["id"] == str(draft.public_id)


def test_other_members_still_act_when_one_becomes_staff(draft, second, acme, dave, erin):
    invitation = services.vendor_invite(vendor=acme, actor=dave, email=erin.email)
    services.invitation_accept(token=invitation.token, actor=erin)
    become(dave, "staff")

    submitted = services.proposal_submit(proposal=draft, actor=erin)
    started = services.proposal_start(challenge=second, vendor=acme, actor=erin)

    assert submitted.status == Proposal.Status.SUBMITTED
    assert started.status == Proposal.Status.DRAFT


def test_a_municipal_member_may_still_hand_over_and_leave(acme, dave, erin):
    invitation = services.vendor_invite(vendor=acme, actor=dave, email=erin.email)
    services.invitation_accept(token=invitation.token, actor=erin)
    become(dave, "staff")
    erin_membership = VendorMembership.objects.get(vendor=acme, user=erin)

    services.membership_change_role(membership=erin_membership, actor=dave, role="owner")
    services.membership_remove(
        membership=VendorMembership.objects.get(vendor=acme, user=dave), actor=dave
    )

    assert list(acme.memberships.values_list("user__username", "role")) == [("erin", "owner")]


# --- what the portal and the challenge page offer ------------------------------------------------


@pytest.mark.parametrize("name", MUNICIPAL)
def test_the_portal_offers_municipal_people_no_registration(client, request, name):
    client.force_login(persona(request, name))

    response = client.get(PORTAL)

    body = response.content.decode()
    assert response.status_code == 200
    assert REGISTER not in body
    assert "Register an organization" not in body
    assert "cannot register or join an organization" in body


@pytest.mark.parametrize("name", ("rita", "frank", "dave"))
def test_the_portal_offers_registration_to_others(client, request, name):
    client.force_login(persona(request, name))

    response = client.get(PORTAL)

    assert REGISTER in response.content.decode()


def test_the_portal_offers_a_municipal_member_no_start_button(client, acme, dave, second):
    become(dave, "approver")
    client.force_login(dave)

    response = client.get(PORTAL)

    body = response.content.decode()
    assert "Acme Heat Solutions Ltd." in body
    assert REFUSAL in body
    assert reverse("vendors:proposal_start", args=[second.reference]) not in body


def test_the_portal_offers_a_vendor_the_start_button(client, acme, dave, second):
    client.force_login(dave)

    response = client.get(PORTAL)

    assert reverse("vendors:proposal_start", args=[second.reference]) in response.content.decode()


@pytest.mark.parametrize(("name", "offered"), [("paula", False), ("alice", False), ("rita", True)])
def test_the_challenge_page_offers_registration_only_to_non_municipal_people(
    client, request, published_challenge, name, offered
):
    client.force_login(persona(request, name))

    response = client.get(published_challenge.get_absolute_url())

    assert response.status_code == 200
    assert ("Register your organization to respond" in response.content.decode()) is offered
