"""Debriefs after the result letters: the challenge's owner schedules the meeting a vendor asked
for (and may move it), then records that it was held. Each step is a transition of the debrief
request (audited by core), and the vendor is told of the date and place."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidInput
from core.timefmt import format_local
from core.workflow import transition_run

from ..message import Message
from ..models import DebriefRequest, Notification
from .notifications import notifications_create

LOCATION_LIMIT = 500
NOTE_LIMIT = 5000


def _schedule_errors(scheduled_for, location: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if scheduled_for is None:
        errors["scheduled_for"] = [_("Give the date and time of the debrief.")]
    elif scheduled_for <= timezone.now():
        errors["scheduled_for"] = [_("Choose a date and time in the future.")]
    if not location:
        errors["location"] = [
            _("Say where the debrief takes place: a room and address, or a video call link.")
        ]
    elif len(location) > LOCATION_LIMIT:
        errors["location"] = [
            _("Keep the place or link to %(limit)d characters or fewer.")
            % {"limit": LOCATION_LIMIT}
        ]
    return errors


def debrief_schedule(
    *, debrief: DebriefRequest, actor, scheduled_for, location: str
) -> DebriefRequest:
    """Set (or move) the date, time and place of a requested debrief; the vendor is told."""
    location = (location or "").strip()
    errors = _schedule_errors(scheduled_for, location)
    if errors:
        raise InvalidInput([m for ms in errors.values() for m in ms], field_errors=errors)
    with transaction.atomic():
        debrief = transition_run(
            instance=debrief,
            name="schedule",
            actor=actor,
            scheduled_for=scheduled_for,
            location=location,
        )
        challenge = debrief.award.challenge
        notifications_create(
            recipients=[debrief.requested_by],
            kind=Notification.Kind.DEBRIEF_SCHEDULED,
            message=lambda: Message(
                title=_("Your debrief on %(reference)s is scheduled")
                % {"reference": challenge.reference},
                body=_("The municipality will meet you on %(when)s: %(where)s.")
                % {"when": format_local(debrief.scheduled_for), "where": debrief.location},
                link=reverse(
                    "procurement:result_letter", kwargs={"reference": challenge.reference}
                ),
            ),
            dedupe_prefix=f"debrief_scheduled:{debrief.pk}:{debrief.scheduled_at.isoformat()}",
        )
    return debrief


def debrief_record_held(*, debrief: DebriefRequest, actor, note: str = "") -> DebriefRequest:
    """Record that a scheduled debrief took place, with optional notes for the file."""
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise InvalidInput(
            _("Keep the notes to %(limit)d characters or fewer.") % {"limit": NOTE_LIMIT},
            field_errors={"note": [_("Too long.")]},
        )
    return transition_run(instance=debrief, name="record_held", actor=actor, note=note)
