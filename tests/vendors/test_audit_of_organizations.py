"""A vendor organization's details, invitations and members are recorded in the audit trail;
an invitation's token never is, and a refused change leaves nothing."""

import pytest

from core.errors import PermissionDenied
from core.models import AuditEntry
from tests.factories import UserFactory
from tests.vendors.test_registration import registration
from vendors import services

pytestmark = pytest.mark.django_db


def changes(entry):
    return entry.metadata["changes"]


def test_registering_and_editing_an_organization_is_recorded(rita):
    vendor = services.vendor_register(actor=rita, **registration())
    services.vendor_update(vendor=vendor, actor=rita, operating_name="Maritime Energy")

    registered, owner, updated = AuditEntry.objects.order_by("sequence")
    assert (registered.actor, registered.transition, registered.object_id) == (
        rita,
        "create",
        str(vendor.pk),
    )
    assert changes(registered)["legal_name"] == {
        "before": None,
        "after": "Maritime Home Energy Inc.",
    }
    assert (owner.content_type.model, changes(owner)["role"]["after"]) == (
        "vendormembership",
        "owner",
    )
    assert changes(updated) == {"operating_name": {"before": "MHE", "after": "Maritime Energy"}}


def test_an_invitation_and_its_acceptance_are_recorded_without_the_token(acme, dave):
    mia = UserFactory(username="mia", email="mia@example.org")
    invitation = services.vendor_invite(vendor=acme, actor=dave, email="mia@example.org")
    services.invitation_accept(token=invitation.token, actor=mia)

    invited, accepted, joined = AuditEntry.objects.order_by("sequence")
    assert (invited.actor, invited.transition) == (dave, "create")
    assert (accepted.actor, accepted.transition) == (mia, "accept")
    assert (joined.actor, changes(joined)["user"]["after"]) == (mia, mia.pk)
    everything = str([e.metadata for e in (invited, accepted, joined)])
    assert invitation.token not in everything
    assert invitation.token_digest not in everything


def test_a_role_change_is_recorded_and_a_refused_one_is_not(acme, dave, erin):
    membership = acme.memberships.get(user=dave)
    other = services.vendor_invite(vendor=acme, actor=dave, email=erin.email)
    services.invitation_accept(token=other.token, actor=erin)
    joined = acme.memberships.get(user=erin)
    before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        services.membership_change_role(membership=membership, actor=erin, role="member")
    assert AuditEntry.objects.count() == before

    services.membership_change_role(membership=joined, actor=dave, role="owner")
    entry = AuditEntry.objects.latest("sequence")
    assert (entry.actor, changes(entry)) == (dave, {"role": {"before": "member", "after": "owner"}})
