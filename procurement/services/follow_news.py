"""News of a challenge to its followers (docs/engagement.md, "Follow a challenge").

A challenge's followers are told when it is published, when the winner is chosen (the award is
notified: the letters go out and the award is public on the outcomes page and in open data),
when the pilot starts, at each milestone done and when the outcomes are published (the pilot
ends: adopted, concluded or terminated, when the outcomes page shows its lessons).

Rows first, then messages: in the transaction of the event, one `FollowNotice` per confirmed,
subscribed follower is inserted with ON CONFLICT DO NOTHING ... RETURNING, so only the rows this
transaction wrote come back, and only those followers get a message. A repeated run, or another
worker writing the same event at the same time (its insert waits for ours, then conflicts),
sends nothing twice. Messages are written in each follower's language; they leave after commit
through the outboxes (services.notifications).
"""

from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from challenges.follow_services import absolute_url, unsubscribe_headers, unsubscribe_url
from challenges.models import Challenge, Follow
from core.timefmt import format_local

from ..message import Message
from ..models import FollowNotice, Notification, OutgoingEmail, PersonPreferences
from .notifications import Draft, drafts_write, enqueue_on_commit

Event = FollowNotice.Event
DEDUPE_PREFIX = "challenge_news"


def _notices_new(*, challenge: Challenge, event: str, event_key: str) -> list[int]:
    """Write a notice of this event for every active follower who has none; the follows of the
    notices written here (not those another run wrote)."""
    notice_table = connection.ops.quote_name(FollowNotice._meta.db_table)
    follow_table = connection.ops.quote_name(Follow._meta.db_table)
    with connection.cursor() as cursor:
        # Django's bulk_create(ignore_conflicts=True) returns no rows on conflict; RETURNING
        # says which rows this statement wrote (PostgreSQL, and SQLite 3.35+).
        cursor.execute(
            f"INSERT INTO {notice_table} (follow_id, event, event_key, created_at) "  # noqa: S608
            f"SELECT id, %s, %s, %s FROM {follow_table} "
            "WHERE challenge_id = %s AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL "
            "ORDER BY id "
            "ON CONFLICT (follow_id, event, event_key) DO NOTHING RETURNING follow_id",
            [event, event_key, timezone.now(), challenge.pk],
        )
        return sorted(row[0] for row in cursor.fetchall())


def follow_news(
    *, challenge: Challenge, event: str, message: Callable[[], Message], event_key: str = ""
) -> int:
    """Tell every follower of `challenge` of `event`, once each; `message` is called with the
    follower's language active. Returns how many followers were told now."""
    follow_ids = _notices_new(challenge=challenge, event=event, event_key=str(event_key))
    if not follow_ids:
        return 0
    follows = list(Follow.objects.filter(pk__in=follow_ids).select_related("user", "challenge"))
    by_account = [f for f in follows if f.user_id is not None]
    by_email = [f for f in follows if f.user_id is None]
    if by_account:
        _tell_accounts(by_account, event=event, event_key=event_key, message=message)
    if by_email:
        _tell_addresses(by_email, message=message)
    return len(follows)


def _stop_line(follow: Follow) -> str:
    return _("To stop following this challenge: %(url)s") % {
        "url": absolute_url(unsubscribe_url(follow))
    }


def _tell_accounts(follows: list[Follow], *, event, event_key, message) -> None:
    """An inbox notification each, e-mailed as their preferences say. A person who never set a
    language hears in the one they used when they followed."""
    PersonPreferences.objects.bulk_create(
        [PersonPreferences(user_id=f.user_id, language=f.language) for f in follows],
        ignore_conflicts=True,
    )

    def worded(follow):
        def words():
            text = message()
            return Message(
                title=text.title, body=f"{text.body}\n\n{_stop_line(follow)}", link=text.link
            )

        return words

    drafts_write(
        [
            Draft(
                recipient=follow.user,
                kind=Notification.Kind.CHALLENGE_NEWS,
                message=worded(follow),
                dedupe_key=f"{DEDUPE_PREFIX}:{follow.pk}:{event}:{event_key}",
            )
            for follow in follows
        ]
    )


def _tell_addresses(follows: list[Follow], *, message) -> None:
    """One outbox e-mail each, with the one-click unsubscribe headers (RFC 8058)."""
    rows = []
    for follow in follows:
        with translation.override(follow.language):
            text = message()
            parts = [str(text.body)]
            if text.link:
                parts.append(absolute_url(text.link))
            parts.append(_stop_line(follow))
            rows.append(
                OutgoingEmail(
                    to=follow.email,
                    subject=f"[{settings.MUNICIPALITY_NAME}] {text.title}"[:300],
                    body="\n\n".join(parts),
                    headers=unsubscribe_headers(follow),
                )
            )
    from ..tasks import outgoing_email_send

    for row in OutgoingEmail.objects.bulk_create(rows):
        enqueue_on_commit(outgoing_email_send, row.pk)


def notification_headers(notification: Notification) -> dict[str, str]:
    """The unsubscribe headers of a follower's notification e-mail; none for other kinds."""
    if notification.kind != Notification.Kind.CHALLENGE_NEWS or not notification.dedupe_key:
        return {}
    prefix, _sep, rest = notification.dedupe_key.partition(":")
    follow_id = rest.partition(":")[0]
    if prefix != DEDUPE_PREFIX or not follow_id.isdigit():
        return {}
    follow = Follow.objects.filter(pk=int(follow_id)).first()
    return unsubscribe_headers(follow) if follow else {}


# The events ----------------------------------------------------------------------------------


def challenge_published(*, instance, actor):
    challenge = instance
    follow_news(
        challenge=challenge,
        event=Event.PUBLISHED,
        message=lambda: Message(
            title=_("%(reference)s is published") % {"reference": challenge.reference},
            body=_("%(challenge)s is published: vendors may send proposals until %(deadline)s.")
            % {
                "challenge": f"{challenge.reference} {challenge.title}",
                "deadline": format_local(challenge.submission_deadline),
            },
            link=challenge.get_absolute_url(),
        ),
    )


def _outcomes_url(challenge) -> str:
    return reverse("procurement:outcomes", kwargs={"reference": challenge.reference})


def winner_chosen(*, instance, actor):
    """When the award is notified: the moment the winner is public (DESIGN.md §3)."""
    award = instance
    challenge = award.challenge
    vendor = award.proposal.vendor
    follow_news(
        challenge=challenge,
        event=Event.WINNER_CHOSEN,
        event_key=str(award.pk),
        message=lambda: Message(
            title=_("The winner of %(reference)s is chosen") % {"reference": challenge.reference},
            body=_(
                "%(vendor)s was chosen for %(challenge)s. The award becomes final after the "
                "standstill period, during which the other vendors may ask for a debrief."
            )
            % {"vendor": vendor, "challenge": f"{challenge.reference} {challenge.title}"},
            link=_outcomes_url(challenge),
        ),
    )


def pilot_started(*, instance, actor):
    pilot = instance
    challenge = pilot.challenge
    follow_news(
        challenge=challenge,
        event=Event.PILOT_STARTED,
        message=lambda: Message(
            title=_("The pilot of %(reference)s started") % {"reference": challenge.reference},
            body=_(
                "The pilot of %(challenge)s started. Its milestones and measures are on the "
                "outcomes page."
            )
            % {"challenge": f"{challenge.reference} {challenge.title}"},
            link=_outcomes_url(challenge),
        ),
    )


def milestone_done(*, milestone) -> None:
    """Called by `milestone_mark_done`, in its transaction."""
    challenge = milestone.pilot.challenge
    follow_news(
        challenge=challenge,
        event=Event.MILESTONE,
        event_key=str(milestone.pk),
        message=lambda: Message(
            title=_("Pilot milestone of %(reference)s: %(milestone)s")
            % {"reference": challenge.reference, "milestone": milestone.title},
            body=_("The pilot of %(challenge)s reached a milestone: %(milestone)s.")
            % {
                "challenge": f"{challenge.reference} {challenge.title}",
                "milestone": milestone.title,
            },
            link=_outcomes_url(challenge),
        ),
    )


def outcomes_published(*, instance, actor):
    pilot = instance
    challenge = pilot.challenge
    follow_news(
        challenge=challenge,
        event=Event.OUTCOMES,
        message=lambda: Message(
            title=_("The outcomes of %(reference)s are published")
            % {"reference": challenge.reference},
            body=_(
                "The pilot of %(challenge)s ended (%(result)s). Its outcomes and lessons learned "
                "are published."
            )
            % {
                "challenge": f"{challenge.reference} {challenge.title}",
                "result": pilot.get_status_display(),
            },
            link=_outcomes_url(challenge),
        ),
    )


def register_follow_news() -> None:
    from ..notifications import register_event

    register_event("challenges.Challenge", "publish", challenge_published)
    register_event("procurement.Award", "notify", winner_chosen)
    register_event("procurement.Pilot", "start", pilot_started)
    for ending in ("adopt", "conclude", "terminate"):
        register_event("procurement.Pilot", ending, outcomes_published)
