"""Registration, the vendor portal and invitations, through the pages."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import group_names
from core.timefmt import format_local
from tests.factories import (
    ChallengeFactory,
    UserFactory,
    VendorMembershipFactory,
    set_status,
    valid_business_number,
)
from vendors import services
from vendors.models import Proposal, VendorInvitation, VendorMembership, VendorOrganization

pytestmark = pytest.mark.django_db

REGISTER = "/vendors/register/"
PORTAL = "/vendors/"


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def registration(**changes):
    data = {
        "legal_name": "Maritime Heat Pumps Ltd.",
        "operating_name": "MHP",
        "business_number": "123 456 782 RT0001",
        "street_address": "10 King Street",
        "city": "Moncton",
        "province": "NB",
        "postal_code": "e1c 4m3",
        "website": "https://mhp.example.ca",
        "size": "small",
        "is_local_business": "on",
        "women_owned": "on",
    }
    data.update(changes)
    return data


# --- registration --------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client):
    response = client.get(REGISTER)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={REGISTER}"


def test_the_form_marks_the_social_attributes_optional_and_says_why(client, rita):
    client.force_login(rita)

    response = client.get(REGISTER)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Social procurement (optional)" in html
    assert "never used to evaluate your proposals" in html
    assert 'for="id_indigenous_owned"' in html and 'for="id_legal_name"' in html


def test_a_signed_in_person_registers_and_becomes_owner_with_the_vendor_role(client, rita):
    client.force_login(rita)

    response = client.post(REGISTER, registration())

    assert response.status_code == 302 and response.url == PORTAL
    vendor = VendorOrganization.objects.get()
    assert (vendor.legal_name, vendor.business_number, vendor.program_account) == (
        "Maritime Heat Pumps Ltd.",
        "123456782",
        "RT0001",
    )
    assert vendor.postal_code == "E1C 4M3"
    assert vendor.is_local_business and vendor.women_owned and not vendor.indigenous_owned
    assert VendorMembership.objects.get(vendor=vendor).user == rita
    assert VendorMembership.objects.get(vendor=vendor).role == "owner"
    rita.refresh_from_db()
    assert "vendor" in group_names(rita)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"business_number": "123456789"},
            "business_number",
            "This business number is not valid; check the digits against your CRA records.",
        ),
        (
            {"business_number": "12345"},
            "business_number",
            "Enter the 9-digit business number from the Canada Revenue Agency.",
        ),
        (
            {"postal_code": "M5V 2T6"},
            "postal_code",
            "This postal code is not in New Brunswick; check the code or the province.",
        ),
        ({"legal_name": ""}, "legal_name", "This field is required."),
    ],
)
def test_invalid_details_are_refused_on_their_field_and_nothing_is_stored(
    client, rita, changes, field, message
):
    client.force_login(rita)

    response = client.post(REGISTER, registration(**changes))

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert not VendorOrganization.objects.exists()
    rita.refresh_from_db()
    assert "vendor" not in group_names(rita)


@pytest.mark.parametrize(
    "changes, field",
    [
        (
            {"legal_name": "maritime heat pumps ltd.", "business_number": valid_business_number(7)},
            "legal_name",
        ),
        ({"legal_name": "Another Name Inc."}, "business_number"),
    ],
)
def test_a_duplicate_registration_is_refused(client, rita, erin, changes, field):
    client.force_login(erin)
    client.post(REGISTER, registration())
    client.force_login(rita)

    response = client.post(REGISTER, registration(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert VendorOrganization.objects.count() == 1
    assert not VendorMembership.objects.filter(user=rita).exists()


# --- the portal -----------------------------------------------------------------------------------


def test_the_portal_says_what_to_do_when_you_have_no_organization(client, rita):
    client.force_login(rita)

    response = client.get(PORTAL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "You do not act for an organization yet." in html
    assert REGISTER in html


def test_the_portal_lists_members_proposals_with_local_deadlines_and_open_challenges(
    client, dave, acme, submitted, published_challenge
):
    other = set_status(ChallengeFactory(owner=published_challenge.owner), "published")
    client.force_login(dave)

    response = client.get(PORTAL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Acme Heat Solutions Ltd." in html
    assert "dave@example.org" in html
    assert response.context["proposals"] == [submitted]
    assert "Submitted" in html
    assert format_local(published_challenge.submission_deadline) in html
    assert {c.reference for c in response.context["open_challenges"]} == {
        other.reference,
        published_challenge.reference,
    }
    assert reverse("vendors:proposal_start", args=[other.reference]) in html
    assert reverse("vendors:proposal_start", args=[published_challenge.reference]) not in html


def test_a_plain_member_sees_no_invitation_form_nor_role_controls(client, acme):
    member = VendorMembershipFactory(vendor=acme, role="member").user
    client.force_login(member)

    response = client.get(PORTAL)

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("vendors:member_invite", args=[acme.public_id]) not in html
    assert "Change role" not in html
    assert "Leave the organization" in html


def test_the_portal_never_shows_another_vendors_proposal(client, erin, globex, submitted):
    client.force_login(erin)

    response = client.get(PORTAL)

    assert response.context["proposals"] == []
    assert str(submitted.public_id) not in response.content.decode()
    assert "Acme" not in response.content.decode()


def _portal_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PORTAL)
    assert response.status_code == 200
    return len(queries)


def test_the_portal_query_count_does_not_grow_with_members_and_proposals(
    client, dave, acme, published_challenge
):
    def add_rows(count):
        for _ in range(count):
            VendorMembershipFactory(vendor=acme, role="member")
            challenge = set_status(ChallengeFactory(owner=published_challenge.owner), "published")
            services.proposal_start(challenge=challenge, vendor=acme, actor=dave)
        services.vendor_invite(vendor=acme, actor=dave, email=f"x{count}@example.org")

    add_rows(1)
    few = _portal_queries(client, dave)
    add_rows(8)
    many = _portal_queries(client, dave)

    assert Proposal.objects.filter(vendor=acme).count() == 9
    assert many == few


# --- members and invitations ---------------------------------------------------------------------


def test_an_owner_invites_a_colleague_who_is_emailed_the_link(
    client, dave, acme, django_capture_on_commit_callbacks
):
    client.force_login(dave)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("vendors:member_invite", args=[acme.public_id]),
            {"email": "mia@example.org", "role": "member"},
        )

    assert response.status_code == 302
    invitation = VendorInvitation.objects.get()
    assert invitation.email == "mia@example.org" and invitation.vendor == acme
    assert len(mail.outbox) == 1 and "/vendors/invitations/" in mail.outbox[0].body


def test_an_invalid_invitation_shows_the_error_on_the_portal(client, dave, acme):
    client.force_login(dave)

    response = client.post(
        reverse("vendors:member_invite", args=[acme.public_id]),
        {"email": "dave@example.org", "role": "member"},
    )

    assert response.status_code == 200
    assert "Already a member." in response.content.decode()
    assert not VendorInvitation.objects.exists()


def test_a_plain_member_cannot_invite(client, acme):
    member = VendorMembershipFactory(vendor=acme, role="member").user
    client.force_login(member)

    response = client.post(
        reverse("vendors:member_invite", args=[acme.public_id]), {"email": "mia@example.org"}
    )

    assert response.status_code == 403
    assert "Only an owner of the organization can invite people to it." in (
        response.content.decode()
    )
    assert not VendorInvitation.objects.exists()


def test_an_owner_changes_a_role_and_removes_a_member(client, dave, acme):
    membership = VendorMembershipFactory(vendor=acme, role="member")
    client.force_login(dave)

    client.post(reverse("vendors:member_role", args=[membership.pk]), {"role": "owner"})
    membership.refresh_from_db()
    assert membership.role == "owner"

    response = client.post(reverse("vendors:member_remove", args=[membership.pk]))

    assert response.status_code == 302
    assert not VendorMembership.objects.filter(pk=membership.pk).exists()


def test_the_last_owner_cannot_leave(client, dave, acme):
    client.force_login(dave)
    mine = VendorMembership.objects.get(vendor=acme, user=dave)

    response = client.post(reverse("vendors:member_remove", args=[mine.pk]), follow=True)

    assert messages_of(response) == [
        "An organization needs at least one owner; make someone else an owner first."
    ]
    assert VendorMembership.objects.filter(pk=mine.pk).exists()


@pytest.fixture
def invitation(acme, dave):
    return services.vendor_invite(vendor=acme, actor=dave, email="Mia@Example.org")


@pytest.fixture
def mia(db):
    return UserFactory(username="mia", email="mia@example.org")


def accept_url(invitation):
    return reverse("vendors:invitation_accept", args=[invitation.token])


def test_the_invitation_link_is_the_one_the_domain_emails(invitation):
    assert accept_url(invitation) == f"/vendors/invitations/{invitation.token}/"


def test_the_invited_person_sees_who_invites_and_joins(client, invitation, mia, acme):
    client.force_login(mia)

    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    assert "Acme Heat Solutions Ltd." in page.content.decode()

    response = client.post(accept_url(invitation))

    assert response.status_code == 302
    assert VendorMembership.objects.get(vendor=acme, user=mia).role == "member"
    invitation.refresh_from_db()
    assert invitation.accepted_by == mia


def test_an_anonymous_visitor_is_sent_to_sign_in_first(client, invitation):
    response = client.get(accept_url(invitation))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_someone_with_another_email_is_told_so_and_cannot_join(client, invitation, erin, acme):
    client.force_login(erin)

    page = client.get(accept_url(invitation))
    response = client.post(accept_url(invitation))

    for refused in (page, response):
        assert refused.status_code == 403
        assert "This invitation was sent to a different email address." in (
            refused.content.decode()
        )
        assert "Acme" not in refused.content.decode()
    assert not VendorMembership.objects.filter(vendor=acme, user=erin).exists()


def test_a_used_invitation_says_so(client, invitation, mia):
    services.invitation_accept(token=invitation.token, actor=mia)
    client.force_login(mia)

    response = client.get(accept_url(invitation))

    assert response.status_code == 200
    assert "This invitation was already used on" in response.content.decode()
    assert b"<button" not in response.content.split(b"<main")[1].split(b"</main>")[0]


def test_an_expired_invitation_says_so_and_refuses_a_post(client, invitation, mia, acme):
    with time_machine.travel(invitation.expires_at + timedelta(seconds=1), tick=False):
        client.force_login(mia)
        page = client.get(accept_url(invitation))
        response = client.post(accept_url(invitation))

    assert "This invitation expired on" in page.content.decode()
    assert "This invitation expired on" in response.content.decode()
    assert not VendorMembership.objects.filter(vendor=acme, user=mia).exists()


def test_an_unknown_invitation_link_is_not_found_with_a_sentence(client, mia):
    client.force_login(mia)

    response = client.get(reverse("vendors:invitation_accept", args=["made-up"]))

    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()


# --- the portal's lists, a page at a time ---------------------------------------------------------


def test_the_portal_shows_proposals_and_open_challenges_a_page_at_a_time(
    client, dave, acme, published_challenge
):
    from vendors.views import PORTAL_CHALLENGES_PER_PAGE, PORTAL_PROPOSALS_PER_PAGE

    def open_challenges_with_proposals(total):
        for _ in range(total - Proposal.objects.filter(vendor=acme).count()):
            challenge = set_status(ChallengeFactory(owner=published_challenge.owner), "published")
            services.proposal_start(challenge=challenge, vendor=acme, actor=dave)

    open_challenges_with_proposals(3)
    few = _portal_queries(client, dave)
    open_challenges_with_proposals(30)
    many = _portal_queries(client, dave)
    with CaptureQueriesContext(connection) as queries:
        later = client.get(PORTAL, {"proposals_page": 2, "challenges_page": 3})

    assert many == few == len(queries)
    first = client.get(PORTAL)
    assert len(first.context["proposals"]) == PORTAL_PROPOSALS_PER_PAGE
    assert len(first.context["open_challenges"]) == PORTAL_CHALLENGES_PER_PAGE
    assert len(later.context["proposals"]) == 30 - PORTAL_PROPOSALS_PER_PAGE
    # 31 open challenges (the fixture's and 30 more), 10 a page.
    assert len(later.context["open_challenges"]) == PORTAL_CHALLENGES_PER_PAGE
    text = first.content.decode()
    assert "proposals_page=2" in text and "challenges_page=2" in text
    # Each open challenge of the page offers to continue the proposal already started.
    for challenge in first.context["open_challenges"]:
        (response,) = challenge.responses
        assert (response["proposal"] is not None) == (challenge.pk != published_challenge.pk)
