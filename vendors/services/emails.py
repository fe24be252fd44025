"""Messages vendors receive. Each is written to the e-mail outbox (core.outbox) in the
transaction of the action: nothing is sent for a write that rolled back, sending (slow I/O)
never holds a row lock, and a mail server that is down delays the message, never loses it."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from core.outbox import email_send_later
from core.timefmt import format_local, format_local_exact

# Pages route the invitation link under this name (vendors/urls.py, built with the pages).
INVITATION_URL_NAME = "vendors:invitation_accept"


def invitation_accept_path(token: str) -> str:
    try:
        return reverse(INVITATION_URL_NAME, kwargs={"token": token})
    except NoReverseMatch:
        return f"/vendors/invitations/{token}/"


def _queue(subject: str, body: str, recipients: list[str]) -> None:
    email_send_later(to=recipients, subject=subject, body=body)


def queue_invitation(*, invitation, token: str) -> None:
    vendor = invitation.vendor
    subject = _("You are invited to join %(vendor)s") % {"vendor": vendor}
    body = _(
        "%(inviter)s invited you to act for %(vendor)s on %(site)s's procurement portal.\n\n"
        "Sign in with this email address and open this link to accept:\n%(path)s\n\n"
        "The invitation expires on %(expires)s."
    ) % {
        "inviter": invitation.invited_by.get_full_name() or invitation.invited_by.get_username(),
        "vendor": vendor,
        "site": settings.MUNICIPALITY_NAME,
        "path": invitation_accept_path(token),
        "expires": format_local(invitation.expires_at),
    }
    _queue(subject, body, [invitation.email])


def queue_receipt(*, proposal, receipt, user) -> None:
    challenge = proposal.challenge
    subject = _("Receipt for your proposal to %(reference)s") % {"reference": challenge.reference}
    body = _(
        "Your proposal to %(challenge)s was submitted for %(vendor)s: it reached our server at "
        "%(time)s, before the deadline of %(deadline)s.\n\n"
        "Receipt (SHA-256 of the proposal's content and files):\n%(digest)s\n\n"
        "Keep this receipt: it proves what you submitted and when."
    ) % {
        "challenge": challenge,
        "vendor": proposal.vendor,
        "time": format_local_exact(receipt.submitted_at),
        "deadline": format_local(challenge.submission_deadline),
        "digest": receipt.digest,
    }
    _queue(subject, body, [user.email])
