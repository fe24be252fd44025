"""Community partners and input gathered offline (docs/engagement.md): the owner links partner
organizations to a challenge, a partner's contact records what residents said on paper, by phone
or at a pop-up, and everyone sees the partners on the challenge page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from challenges import partner_services
from challenges.input_services import community_input_record_offline
from challenges.models import ChallengePartner, CommunityInput, PartnerOrganization
from core.errors import InvalidInput
from core.models import AuditEntry
from tests.factories import (
    ChallengePartnerFactory,
    EngagementActivityFactory,
    PartnerOrganizationFactory,
    PriorityGroupFactory,
    UserFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

PAPER = {"source": "paper", "body": "The bus stop has no shelter; seniors wait in the cold."}


@pytest.fixture
def tenants(co_design_challenge, rita):
    """rita is the contact of the tenants' association on alice's challenge in co-design."""
    return ChallengePartnerFactory(
        challenge=co_design_challenge,
        partner=PartnerOrganizationFactory(name="Northside Tenants"),
        contact_user=rita,
    )


# --- recording offline input --------------------------------------------------------------------


def test_a_partner_contact_records_input_for_their_organization(co_design_challenge, rita, tenants):
    group = PriorityGroupFactory(slug="test-seniors", name_en="Seniors")

    item = community_input_record_offline(
        challenge=co_design_challenge,
        actor=rita,
        author_name="Mrs. Tremblay",
        neighbourhood="Northside",
        groups=[group],
        consent_to_publish=True,
        **PAPER,
    )

    item.refresh_from_db()
    assert (item.source, item.stage, item.status) == ("paper", "co_design", "pending")
    assert (item.recorded_by, item.author, item.partner) == (rita, None, tenants.partner)
    assert (item.author_name, list(item.groups.all())) == ("Mrs. Tremblay", [group])
    entry = AuditEntry.objects.get(object_id=str(item.pk), transition="create")
    assert entry.actor == rita
    assert entry.metadata["changes"]["source"]["after"] == "paper"


def test_the_owner_records_input_and_may_name_the_partner_who_gathered_it(
    co_design_challenge, alice, tenants
):
    own = community_input_record_offline(
        challenge=co_design_challenge, actor=alice, source="phone", body="Call about drafts."
    )
    theirs = community_input_record_offline(
        challenge=co_design_challenge, actor=alice, partner=tenants.partner, **PAPER
    )

    assert (own.recorded_by, own.partner, own.source) == (alice, None, "phone")
    assert theirs.partner == tenants.partner
    assert not own.consent_to_publish  # unless the resident agreed


@pytest.mark.parametrize("persona", ["rita", "dave", "bob"])
def test_only_the_owner_and_partner_contacts_record_offline_input(
    co_design_challenge, persona, request
):
    with pytest.raises(PermissionDenied, match="contact person of one of its community partners"):
        community_input_record_offline(
            challenge=co_design_challenge, actor=request.getfixturevalue(persona), **PAPER
        )

    assert not CommunityInput.objects.exists()


def test_offline_input_is_refused_once_input_is_closed(co_design_challenge, rita, tenants):
    set_status(co_design_challenge, "published")

    with pytest.raises(PermissionDenied, match="nothing was received"):
        community_input_record_offline(challenge=co_design_challenge, actor=rita, **PAPER)

    assert not CommunityInput.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": "online"}, "source"),
        ({"source": "telepathy"}, "source"),
        ({"body": "   "}, "body"),
    ],
)
def test_bad_offline_input_is_refused_and_nothing_is_kept(
    co_design_challenge, alice, changes, field
):
    with pytest.raises(InvalidInput) as refused:
        community_input_record_offline(
            challenge=co_design_challenge, actor=alice, **{**PAPER, **changes}
        )

    assert field in refused.value.field_errors
    assert not CommunityInput.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_contact_cannot_record_in_another_partners_name(co_design_challenge, rita, tenants):
    other = ChallengePartnerFactory(challenge=co_design_challenge).partner

    with pytest.raises(InvalidInput, match="among this challenge's partners"):
        community_input_record_offline(
            challenge=co_design_challenge, actor=rita, partner=other, **PAPER
        )


def test_recorded_input_is_moderated_like_any_other(
    client, co_design_challenge, rita, alice, tenants
):
    client.force_login(rita)
    form_url = reverse("challenges:offline_input", args=[co_design_challenge.reference])
    page = client.get(form_url)
    sent = client.post(form_url, {**PAPER, "kind": "comment", "language": "fr"}, follow=True)

    item = CommunityInput.objects.get()
    assert page.status_code == 200
    assert "You record as the contact of Northside Tenants." in page.content.decode()
    assert 'name="partner"' not in page.content.decode()
    assert any("awaits moderation" in str(m) for m in sent.context["messages"])
    assert (item.language, item.partner, item.status) == ("fr", tenants.partner, "pending")
    client.logout()
    assert PAPER["body"] not in client.get(co_design_challenge.get_absolute_url()).content.decode()
    client.force_login(alice)
    staff_page = client.get(co_design_challenge.get_absolute_url()).content.decode()
    assert "Paper form" in staff_page
    # Without the resident's agreement, the owner may only keep it unpublished.
    assert f'id="input-{item.pk}"' in staff_page


def test_the_offline_form_shows_errors_and_keeps_nothing(client, co_design_challenge, alice):
    client.force_login(alice)
    url = reverse("challenges:offline_input", args=[co_design_challenge.reference])

    response = client.post(
        url, {"source": "online", "kind": "comment", "body": "", "language": "en"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"source", "body"}
    assert not CommunityInput.objects.exists()


@pytest.mark.parametrize("persona", ["rita", "dave", "bob"])
def test_the_offline_form_is_refused_to_others(client, co_design_challenge, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("challenges:offline_input", args=[co_design_challenge.reference]))

    assert response.status_code == 403


# --- the API ------------------------------------------------------------------------------------


def offline_url(challenge):
    return f"/api/challenges/{challenge.reference}/community-input/offline/"


def test_a_partner_contact_records_through_the_api(api_as, co_design_challenge, rita, tenants):
    response = api_as(rita).post(
        offline_url(co_design_challenge),
        {**PAPER, "author_name": "Ali", "consent_to_publish": True, "stage": "pilot"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["stage"], body["status"], body["author_name"]) == ("co_design", "pending", "Ali")
    item = CommunityInput.objects.get(pk=body["id"])
    assert (item.source, item.recorded_by, item.partner) == ("paper", rita, tenants.partner)


@pytest.mark.parametrize(("persona", "code"), [(None, 403), ("rita", 403), ("dave", 403)])
def test_the_api_refuses_others(api_as, co_design_challenge, request, persona, code):
    user = request.getfixturevalue(persona) if persona else None

    response = api_as(user).post(offline_url(co_design_challenge), PAPER, format="json")

    assert response.status_code == code
    assert not CommunityInput.objects.exists()


def test_the_api_refuses_online_as_a_source(api_as, co_design_challenge, alice):
    response = api_as(alice).post(
        offline_url(co_design_challenge), {**PAPER, "source": "online"}, format="json"
    )

    assert response.status_code == 400
    assert not CommunityInput.objects.exists()


# --- partners of a challenge --------------------------------------------------------------------


def test_the_owner_adds_a_partner_with_a_contact_by_e_mail(co_design_challenge, alice, rita):
    rita.email = "rita@example.org"
    rita.save()
    centre = PartnerOrganizationFactory(name="Seniors' Centre", kind="seniors")

    partnership = partner_services.challenge_partner_add(
        challenge=co_design_challenge,
        actor=alice,
        partner=centre,
        role="outreach",
        role_note="Runs the coffee mornings.",
        contact_email="RITA@example.org",
    )

    assert (partnership.contact_user, partnership.invited_by) == (rita, alice)
    assert AuditEntry.objects.filter(
        object_id=str(partnership.pk), transition="create", actor=alice
    ).exists()


def test_a_contact_needs_an_existing_account(co_design_challenge, alice):
    with pytest.raises(InvalidInput) as refused:
        partner_services.challenge_partner_add(
            challenge=co_design_challenge,
            actor=alice,
            partner=PartnerOrganizationFactory(),
            role="co_host",
            contact_email="nobody@example.org",
        )

    assert "Ask the contact to sign up" in refused.value.field_errors["contact_email"][0]
    assert not ChallengePartner.objects.exists()


def test_a_partner_is_added_once(co_design_challenge, alice, tenants):
    with pytest.raises(InvalidInput, match="already a partner"):
        partner_services.challenge_partner_add(
            challenge=co_design_challenge, actor=alice, partner=tenants.partner, role="advisor"
        )


@pytest.mark.parametrize("persona", ["bob", "rita", "carol"])
def test_only_the_owner_links_partners(co_design_challenge, persona, request, tenants):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied, match="Only the challenge's owner links"):
        partner_services.challenge_partner_add(
            challenge=co_design_challenge,
            actor=actor,
            partner=PartnerOrganizationFactory(),
            role="co_host",
        )
    with pytest.raises(PermissionDenied):
        partner_services.challenge_partner_remove(partnership=tenants, actor=actor)

    assert ChallengePartner.objects.count() == 1


def test_removing_a_partner_ends_its_contacts_recording(co_design_challenge, alice, rita, tenants):
    partner_services.challenge_partner_remove(partnership=tenants, actor=alice)

    assert not ChallengePartner.objects.exists()
    assert AuditEntry.objects.filter(transition="delete", actor=alice).exists()
    with pytest.raises(PermissionDenied):
        community_input_record_offline(challenge=co_design_challenge, actor=rita, **PAPER)


def test_the_partners_page_adds_and_removes(client, co_design_challenge, alice, rita):
    rita.email = "rita@example.org"
    rita.save()
    centre = PartnerOrganizationFactory(name="Seniors' Centre", kind="seniors")
    client.force_login(alice)
    url = reverse("challenges:partners", args=[co_design_challenge.reference])

    unknown = client.post(
        url, {"partner": centre.pk, "role": "outreach", "contact_email": "x@example.org"}
    )
    added = client.post(
        url, {"partner": centre.pk, "role": "outreach", "contact_email": "rita@example.org"}
    )
    page = client.get(url).content.decode()
    partnership = ChallengePartner.objects.get()
    client.post(
        reverse("challenges:partner_remove", args=[co_design_challenge.reference, partnership.pk])
    )

    assert unknown.status_code == 200 and "No single account uses" in unknown.content.decode()
    assert added.status_code == 302
    assert "Seniors&#x27; Centre" in page and "rita@example.org" in page
    assert not ChallengePartner.objects.exists()


@pytest.mark.parametrize(("persona", "code"), [("bob", 403), ("rita", 403)])
def test_the_partners_page_is_the_owners(client, co_design_challenge, persona, code, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("challenges:partners", args=[co_design_challenge.reference]))

    assert response.status_code == code


def test_staff_add_an_organization_to_the_shared_list(client, bob):
    client.force_login(bob)
    url = reverse("challenges:organization_add")

    client.post(url, {"name": "Maison des nouveaux arrivants", "kind": "newcomer"})
    twice = client.post(url, {"name": "maison des nouveaux arrivants", "kind": "newcomer"})

    organization = PartnerOrganization.objects.get()
    assert organization.kind == "newcomer"
    assert "already exists" in twice.content.decode()
    assert AuditEntry.objects.filter(object_id=str(organization.pk), actor=bob).exists()


@pytest.mark.parametrize("persona", ["rita", "dave"])
def test_only_staff_add_organizations(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("challenges:organization_add"), {"name": "X", "kind": "other"})

    assert response.status_code == 403
    assert not PartnerOrganization.objects.exists()


# --- what the public and the contact see ---------------------------------------------------------


def test_the_challenge_page_shows_its_partners_what_they_serve_and_co_hosted(
    client, co_design_challenge, tenants
):
    tenants.partner.groups_served.add(PriorityGroupFactory(slug="test-renters", name_en="Renters"))
    activity = EngagementActivityFactory(challenge=co_design_challenge, kind="pop_up")
    activity.partners.add(tenants.partner)

    page = client.get(co_design_challenge.get_absolute_url()).content.decode()

    assert 'id="community-partners"' in page
    assert "Northside Tenants" in page and "Renters" in page and "Pop-up" in page
    assert "rita" not in page  # the contact person is not published


def test_a_challenge_without_partners_has_no_partners_section(client, co_design_challenge):
    page = client.get(co_design_challenge.get_absolute_url()).content.decode()

    assert 'id="community-partners"' not in page


def test_a_contact_finds_the_challenges_they_record_for(client, co_design_challenge, rita, tenants):
    closed = ChallengePartnerFactory(contact_user=rita)
    set_status(closed.challenge, "published")
    client.force_login(rita)

    page = client.get(reverse("challenges:my_partnerships")).content.decode()

    assert co_design_challenge.reference in page and closed.challenge.reference in page
    assert reverse("challenges:offline_input", args=[co_design_challenge.reference]) in page
    assert reverse("challenges:offline_input", args=[closed.challenge.reference]) not in page
    assert "Input is closed for this challenge now." in page


def test_a_contact_finds_the_page_in_their_preferences(client, rita, tenants):
    client.force_login(rita)

    page = client.get(reverse("procurement:preferences")).content.decode()

    assert "You are the contact of a community partner on one challenge." in page
    assert reverse("challenges:my_partnerships") in page


def test_preferences_say_nothing_of_partners_to_someone_who_is_no_contact(client):
    client.force_login(UserFactory(username="zoe"))

    page = client.get(reverse("procurement:preferences")).content.decode()

    assert reverse("challenges:my_partnerships") not in page


def test_someone_without_partnerships_is_told_how_to_get_one(client):
    client.force_login(UserFactory(username="zoe"))

    page = client.get(reverse("challenges:my_partnerships")).content.decode()

    assert "You are not the contact of a community partner" in page


def test_the_api_refuses_a_nul_in_a_group_without_failing(api_as, co_design_challenge, alice):
    response = api_as(alice).post(
        offline_url(co_design_challenge), {**PAPER, "groups": ["sen\x00iors"]}, format="json"
    )

    assert response.status_code == 400
    assert not CommunityInput.objects.exists()
