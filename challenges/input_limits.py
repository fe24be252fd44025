"""How often one client may send residents' input: no account and no third-party service, so a
limit per client address (kept only as a keyed digest) per challenge and over all challenges."""

from django.conf import settings
from django.utils.translation import ngettext

from core.throttling import attempt_allowed


def _window_seconds() -> int:
    return settings.INPUT_LIMIT_WINDOW_MINUTES * 60


def input_allowed(request, challenge) -> bool:
    """Count one attempt to give input from this client; False past either limit. Every attempt
    counts, sent or not, so that trying again and again is what is limited."""
    window = _window_seconds()
    return attempt_allowed(
        request, f"input:{challenge.pk}", settings.INPUT_LIMIT_PER_CHALLENGE, window
    ) and attempt_allowed(request, "input:all", settings.INPUT_LIMIT_PER_CLIENT, window)


def input_limit_message() -> str:
    minutes = settings.INPUT_LIMIT_WINDOW_MINUTES
    return ngettext(
        "You have sent a lot of input in a short time, so we did not receive this one. Please "
        "wait %(minutes)d minute and send it again.",
        "You have sent a lot of input in a short time, so we did not receive this one. Please "
        "wait %(minutes)d minutes and send it again.",
        minutes,
    ) % {"minutes": minutes}
