"""Receipts and invitations go through the e-mail outbox: a mail server outage delays them,
never loses them (DESIGN.md §4)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from procurement.models import OutgoingEmail
from procurement.services.notifications import outbox_sweep, outgoing_email_send
from tests.vendors.conftest import (  # noqa: F401  (fixtures)
    acme,
    draft,
    questions,
)
from vendors import services

pytestmark = pytest.mark.django_db

BROKEN = "tests.procurement.mail_backends.BrokenBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


def test_a_receipt_and_an_invitation_survive_a_mail_outage_and_go_out_on_retry(
    draft,  # noqa: F811
    acme,  # noqa: F811
    dave,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = BROKEN
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_submit(proposal=draft, actor=dave)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.vendor_invite(vendor=acme, actor=dave, email="mia@example.org")

    # The action succeeded; both messages wait in the outbox, tried once each.
    draft.refresh_from_db()
    assert draft.status == "submitted"
    kept = OutgoingEmail.objects.order_by("pk")
    assert [(e.to, e.email_status, e.email_attempts) for e in kept] == [
        ("dave@example.org", "pending", 1),
        ("mia@example.org", "pending", 1),
    ]
    assert mail.outbox == []

    settings.EMAIL_BACKEND = WORKING
    assert outbox_sweep(now=timezone.now() + timedelta(hours=1)) == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["dave@example.org", "mia@example.org"]
    receipt = next(m for m in mail.outbox if m.to == ["dave@example.org"])
    assert draft.receipt_digest in receipt.body
    invited = next(m for m in mail.outbox if m.to == ["mia@example.org"])
    assert f"/vendors/invitations/{invitation.token}/" in invited.body
    assert {e.email_status for e in OutgoingEmail.objects.all()} == {"sent"}
    # Sent once: a later sweep or a repeated task sends nothing more.
    assert outbox_sweep(now=timezone.now() + timedelta(hours=2)) == 0
    assert outgoing_email_send(email_id=kept[0].pk) == "done"
    assert len(mail.outbox) == 2


def test_nothing_is_kept_for_an_action_that_rolled_back(acme, erin):  # noqa: F811
    from core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.vendor_invite(vendor=acme, actor=erin, email="mia@example.org")

    assert not OutgoingEmail.objects.exists()
