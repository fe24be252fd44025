"""The outcome indicators of the earlier pilot, offered to a challenge started from an earlier
one (challenges.copying) once its own pilot is planned.

Nothing is stored at copy time: the new challenge has no pilot yet, and `copied_from` already
says where to look. Name, unit and success measure carry over; the baseline and the target
describe the earlier place and time, so they are shown for reference and the owner enters this
pilot's own values before the indicator is added.
"""

from .models import OutcomeIndicator, Pilot


def origin_indicators(pilot: Pilot) -> list[OutcomeIndicator]:
    """The earlier pilot's indicators this pilot does not have yet (by name), in their order."""
    origin_id = pilot.challenge.copied_from_id
    if origin_id is None or pilot.status != Pilot.Status.PLANNED:
        return []
    taken = set(pilot.indicators.values_list("name", flat=True))
    return [
        indicator
        for indicator in OutcomeIndicator.objects.filter(pilot__challenge_id=origin_id).order_by(
            "pk"
        )
        if indicator.name not in taken
    ]
