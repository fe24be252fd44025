from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from core.errors import InvalidInput, PermissionDenied
from core.roles import group_names
from tests.factories import UserFactory
from vendors import services
from vendors.models import VendorInvitation, VendorMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(acme, dave, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.vendor_invite(vendor=acme, actor=dave, email="Mia@Example.org")


@pytest.fixture
def mia(db):
    return UserFactory(username="mia", email="mia@example.org")


def test_it_emails_an_invitation_with_the_accept_link(invitation):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Mia@Example.org"]
    assert invitation.token in message.body
    assert f"/vendors/invitations/{invitation.token}/" in message.body
    stored = VendorInvitation.objects.get()
    assert stored.token_digest != invitation.token
    assert invitation.token not in stored.token_digest
    assert stored.expires_at - stored.created_at == timedelta(days=14)


def test_it_sends_nothing_when_the_invitation_is_refused(
    acme, erin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.vendor_invite(vendor=acme, actor=erin, email="mia@example.org")
    assert mail.outbox == []
    assert not VendorInvitation.objects.exists()


def test_it_refuses_an_invalid_email_or_role(acme, dave):
    with pytest.raises(InvalidInput) as refused:
        services.vendor_invite(vendor=acme, actor=dave, email="not-an-email", role="boss")
    assert set(refused.value.field_errors) == {"email", "role"}


def test_it_refuses_to_invite_a_member(acme, dave):
    with pytest.raises(InvalidInput):
        services.vendor_invite(vendor=acme, actor=dave, email="DAVE@example.org")


def test_the_invited_person_joins_with_a_matching_email_in_any_case(invitation, mia, acme):
    membership = services.invitation_accept(token=invitation.token, actor=mia)

    assert (membership.vendor, membership.user, membership.role) == (acme, mia, "member")
    stored = VendorInvitation.objects.get()
    assert stored.accepted_by == mia and stored.accepted_at is not None
    mia.refresh_from_db()
    assert "vendor" in group_names(mia)


def test_someone_else_cannot_use_the_invitation(invitation, erin):
    with pytest.raises(PermissionDenied, match="different email address"):
        services.invitation_accept(token=invitation.token, actor=erin)
    assert not VendorMembership.objects.filter(user=erin, vendor=invitation.vendor).exists()
    assert VendorInvitation.objects.get().accepted_at is None


def test_an_anonymous_visitor_is_asked_to_sign_in(invitation):
    with pytest.raises(PermissionDenied, match="Sign in"):
        services.invitation_accept(token=invitation.token, actor=AnonymousUser())


def test_a_used_invitation_gives_a_clear_error(invitation, mia):
    services.invitation_accept(token=invitation.token, actor=mia)

    with pytest.raises(InvalidInput, match="already used"):
        services.invitation_accept(token=invitation.token, actor=mia)
    assert VendorMembership.objects.filter(user=mia).count() == 1


def test_an_expired_invitation_gives_a_clear_error(invitation, mia):
    with (
        time_machine.travel(invitation.expires_at + timedelta(seconds=1), tick=False),
        pytest.raises(InvalidInput, match="expired on"),
    ):
        services.invitation_accept(token=invitation.token, actor=mia)
    assert not VendorMembership.objects.filter(user=mia).exists()


def test_an_unknown_token_gives_a_clear_error(mia):
    with pytest.raises(InvalidInput, match="not valid"):
        services.invitation_accept(token="made-up", actor=mia)


def test_a_new_invitation_replaces_the_pending_one(invitation, acme, dave, mia):
    services.vendor_invite(vendor=acme, actor=dave, email="mia@example.org")

    with pytest.raises(InvalidInput, match="expired"):
        services.invitation_accept(token=invitation.token, actor=mia)


def test_a_person_may_belong_to_several_vendors(acme, globex, dave, erin):
    invitation = services.vendor_invite(vendor=globex, actor=erin, email=dave.email, role="owner")
    services.invitation_accept(token=invitation.token, actor=dave)

    assert set(dave.vendor_memberships.values_list("vendor__legal_name", "role")) == {
        (acme.legal_name, "owner"),
        (globex.legal_name, "owner"),
    }


def test_an_owner_removes_a_member_who_then_loses_the_vendor_role(invitation, mia, dave):
    membership = services.invitation_accept(token=invitation.token, actor=mia)

    services.membership_remove(membership=membership, actor=dave)

    assert not VendorMembership.objects.filter(pk=membership.pk).exists()
    mia.refresh_from_db()
    assert "vendor" not in group_names(mia)


def test_a_member_cannot_remove_another_member(invitation, mia, acme, dave):
    services.invitation_accept(token=invitation.token, actor=mia)
    owner = VendorMembership.objects.get(vendor=acme, user=dave)

    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=owner, actor=mia)
    assert VendorMembership.objects.filter(pk=owner.pk).exists()


def test_the_last_owner_cannot_leave(acme, dave):
    owner = VendorMembership.objects.get(vendor=acme, user=dave)

    with pytest.raises(InvalidInput, match="at least one owner"):
        services.membership_remove(membership=owner, actor=dave)
    assert VendorMembership.objects.filter(pk=owner.pk).exists()


def test_an_owner_can_hand_over_and_leave(invitation, mia, acme, dave):
    membership = services.invitation_accept(token=invitation.token, actor=mia)
    services.membership_change_role(membership=membership, actor=dave, role="owner")
    owner = VendorMembership.objects.get(vendor=acme, user=dave)

    services.membership_remove(membership=owner, actor=dave)

    assert list(acme.memberships.values_list("user__username", "role")) == [("mia", "owner")]
