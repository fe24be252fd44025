"""Following a challenge (docs/engagement.md, "Follow a challenge").

A person with an account follows in one click; anyone else gives an e-mail address and confirms
it by a link (double opt-in), so nobody is subscribed by someone else. The confirmation link's
secret is kept only as its SHA-256 (core.tokens). The unsubscribe links of later e-mails are an
HMAC of that digest under the site's secret key: they can be made again for every e-mail without
keeping the secret, and a copy of the database alone hands out no working link.

Audit entries never hold the address: the trail is append-only and an address is personal data.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_change, audit_created, audit_deleted
from core.errors import InvalidInput
from core.outbox import email_send_later
from core.permissions import require
from core.tokens import new_token, token_digest

from .models import Challenge, Follow

FOLLOW_DENIED = gettext_lazy("Only a published or public challenge can be followed.")
LANGUAGES = {code for code, _name in settings.LANGUAGES}
# At most one confirmation e-mail per address and challenge in this time, however often the form
# is sent: the form cannot be used to flood someone's mailbox.
CONFIRMATION_RESEND_SECONDS = 3600
_UNSUBSCRIBE_SALT = "challenges.follow.unsubscribe"


def _language(language: str | None) -> str:
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def _audit(follow: Follow, *, actor, action: str, changes: dict) -> None:
    audit_change(obj=follow, actor=actor, action=action, changes=changes)


def follow_challenge(*, challenge: Challenge, actor, language: str | None = None) -> Follow:
    """`actor` follows `challenge` with their account; following again after unfollowing
    resumes. Confirmed at once: the person is signed in."""
    require(actor, "challenges.follow_challenge", challenge, str(FOLLOW_DENIED))
    language = _language(language)
    with transaction.atomic():
        follow = Follow.objects.select_for_update().filter(challenge=challenge, user=actor).first()
        now = timezone.now()
        if follow is None:
            follow = Follow(
                challenge=challenge,
                user=actor,
                language=language,
                token_digest=token_digest(new_token()),
                confirmed_at=now,
            )
            try:
                with transaction.atomic():
                    follow.save()
            except IntegrityError:
                # A second click at the same moment made it first.
                return Follow.objects.get(challenge=challenge, user=actor)
            audit_created(obj=follow, actor=actor, fields=("challenge", "user", "language"))
            return follow
        if follow.unsubscribed_at is not None or follow.language != language:
            changes = {}
            if follow.unsubscribed_at is not None:
                changes["unsubscribed_at"] = (follow.unsubscribed_at.isoformat(), None)
            if follow.language != language:
                changes["language"] = (follow.language, language)
            follow.unsubscribed_at = None
            follow.language = language
            follow.confirmed_at = follow.confirmed_at or now
            follow.save(update_fields=["unsubscribed_at", "language", "confirmed_at"])
            _audit(follow, actor=actor, action="follow", changes=changes)
        return follow


def unfollow_challenge(*, challenge: Challenge, actor) -> Follow | None:
    """`actor` stops following `challenge`; nothing happens if they did not follow it."""
    with transaction.atomic():
        follow = (
            Follow.objects.select_for_update()
            .filter(challenge=challenge, user=actor, unsubscribed_at__isnull=True)
            .first()
        )
        if follow is None:
            return None
        return _unsubscribe(follow, actor=actor)


def _unsubscribe(follow: Follow, *, actor) -> Follow:
    follow.unsubscribed_at = timezone.now()
    follow.save(update_fields=["unsubscribed_at"])
    _audit(
        follow,
        actor=actor,
        action="unfollow",
        changes={"unsubscribed_at": (None, follow.unsubscribed_at.isoformat())},
    )
    return follow


def follow_by_email(*, challenge: Challenge, email: str, language: str | None = None) -> None:
    """Ask `email` to confirm that it follows `challenge`.

    Returns nothing, and behaves the same whether the address already follows or not, so the
    form tells no one who follows what. An address that already follows gets no e-mail; one
    not yet confirmed (or unsubscribed since) gets a new confirmation link, at most once an hour.
    """
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        message = _("Enter a valid e-mail address, such as name@example.org.")
        raise InvalidInput(message, field_errors={"email": [message]}) from None
    if not challenge.is_public:
        raise InvalidInput(FOLLOW_DENIED)
    language = _language(language)
    with transaction.atomic():
        follow = (
            Follow.objects.select_for_update()
            .annotate(address=Lower("email"))
            .filter(challenge=challenge, address=email.lower())
            .first()
        )
        if follow is not None and follow.is_active:
            return
        cooldown_key = f"follow-confirm:{challenge.pk}:{token_digest(email.lower())}"
        if not cache.add(cooldown_key, 1, timeout=CONFIRMATION_RESEND_SECONDS):
            return
        token = new_token()
        if follow is None:
            follow = Follow(challenge=challenge, email=email, language=language, token_digest="")
        else:
            # Asking again makes the earlier links stop working; it is confirmed anew.
            follow.confirmed_at = None
        follow.language = language
        follow.token_digest = token_digest(token)
        try:
            with transaction.atomic():
                follow.save()
        except IntegrityError:
            return  # the same address at the same moment: that request sends the link
        audit_created(obj=follow, actor=None, fields=("challenge", "language"))
        _send_confirmation(follow, token)


def confirm_url(token: str) -> str:
    return reverse("challenges:follow_confirm", kwargs={"token": token})


def _send_confirmation(follow: Follow, token: str) -> None:
    challenge = follow.challenge
    with translation.override(follow.language):
        subject = _("[%(site)s] Confirm that you follow %(reference)s") % {
            "site": settings.MUNICIPALITY_NAME,
            "reference": challenge.reference,
        }
        body = _(
            "Someone, probably you, asked to be told by e-mail how this challenge moves on: "
            "%(challenge)s.\n\nTo confirm, open this link and press the button:\n%(url)s\n\n"
            "If you did not ask, ignore this e-mail: you will get nothing else from us."
        ) % {
            "challenge": f"{challenge.reference} {challenge.title}",
            "url": absolute_url(confirm_url(token)),
        }
    email_send_later(to=[follow.email], subject=subject, body=body)


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def follow_by_token(token: str) -> Follow | None:
    """The e-mail follow whose confirmation link carries `token`, or None."""
    if not token:
        return None
    return (
        Follow.objects.select_related("challenge")
        .filter(token_digest=token_digest(token), user__isnull=True)
        .first()
    )


def follow_confirm(*, token: str) -> Follow | None:
    """Confirm the follow of this link; None if the link is unknown (or was replaced)."""
    with transaction.atomic():
        follow = (
            Follow.objects.select_for_update()
            .filter(token_digest=token_digest(token), user__isnull=True)
            .first()
            if token
            else None
        )
        if follow is None:
            return None
        if follow.confirmed_at is None or follow.unsubscribed_at is not None:
            changes = {"confirmed_at": (None, "now")}
            if follow.unsubscribed_at is not None:
                changes["unsubscribed_at"] = (follow.unsubscribed_at.isoformat(), None)
            follow.confirmed_at = timezone.now()
            follow.unsubscribed_at = None
            follow.save(update_fields=["confirmed_at", "unsubscribed_at"])
            _audit(follow, actor=None, action="confirm", changes=changes)
        return follow


# Unsubscribing by link ------------------------------------------------------------------------


def unsubscribe_token(follow: Follow) -> str:
    return salted_hmac(_UNSUBSCRIBE_SALT, follow.token_digest, algorithm="sha256").hexdigest()


def unsubscribe_url(follow: Follow) -> str:
    """The page with one button (a GET changes nothing: mail scanners open links) that is also
    the RFC 8058 one-click endpoint (a POST unsubscribes)."""
    return reverse(
        "challenges:unfollow_link", kwargs={"pk": follow.pk, "token": unsubscribe_token(follow)}
    )


def unsubscribe_headers(follow: Follow) -> dict[str, str]:
    """The List-Unsubscribe headers (RFC 2369, RFC 8058) of an e-mail to this follower."""
    return {
        "List-Unsubscribe": f"<{absolute_url(unsubscribe_url(follow))}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def follow_by_unsubscribe_token(pk: int, token: str) -> Follow | None:
    follow = Follow.objects.select_related("challenge").filter(pk=pk).first()
    if follow is None or not constant_time_compare(unsubscribe_token(follow), token or ""):
        return None
    return follow


def follow_unsubscribe(*, follow: Follow) -> Follow:
    """Unsubscribe the follower of an unsubscribe link; doing it twice changes nothing."""
    with transaction.atomic():
        follow = Follow.objects.select_for_update().get(pk=follow.pk)
        if follow.unsubscribed_at is not None:
            return follow
        return _unsubscribe(follow, actor=None)


def follows_unconfirmed_delete(*, now=None) -> int:
    """Delete e-mail follows never confirmed within FOLLOW_UNCONFIRMED_DAYS: the form promises
    that an address nobody confirmed is not kept."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FOLLOW_UNCONFIRMED_DAYS)
    with transaction.atomic():
        stale = list(
            Follow.objects.select_for_update(skip_locked=True).filter(
                user__isnull=True, confirmed_at__isnull=True, created_at__lt=cutoff
            )
        )
        for follow in stale:
            audit_deleted(obj=follow, actor=None, fields=("challenge", "language"))
        Follow.objects.filter(pk__in=[f.pk for f in stale]).delete()
    return len(stale)
