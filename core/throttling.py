"""Limits on guessing passwords, on creating accounts and on other forms anyone may send.

Failed sign-ins (the sign-in page, the admin's and HTTP Basic on the API) are counted by
django-axes per username and client address; see `LockoutBackend`. Account creation, residents'
input and following by e-mail are counted per client here, in the cache (Redis in production, so
every web process shares it), under a keyed digest of the address, never the address itself.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT reverse proxies in front,
    the address the outermost of them saw (X-Forwarded-For, counted from the right, because a
    client can write anything at its left)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def lockout_minutes() -> int:
    cool_off = settings.AXES_COOLOFF_TIME
    return max(1, round(cool_off / timedelta(minutes=1)))


def lockout_message() -> str:
    minutes = lockout_minutes()
    return ngettext(
        "Too many failed sign-in attempts for this account from your network. Signing in is "
        "paused for %(minutes)d minute; then try again, or reset your password if you forgot it.",
        "Too many failed sign-in attempts for this account from your network. Signing in is "
        "paused for %(minutes)d minutes; then try again, or reset your password if you forgot it.",
        minutes,
    ) % {"minutes": minutes}


SIGNUP_WINDOW_SECONDS = 3600


def signup_allowed(request) -> bool:
    """Count one attempt to create an account from this client; False past the hourly limit."""
    return attempt_allowed(
        request, "signup-attempts", settings.SIGNUP_LIMIT_PER_HOUR, SIGNUP_WINDOW_SECONDS
    )


def attempt_allowed(request, scope: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt at `scope` from this client; False once `limit` is passed within the
    window (no limit when `limit` is 0)."""
    return attempt_counted(
        f"{scope}:{client_digest(request)}", limit=limit, window_seconds=window_seconds
    )


def client_digest(request) -> str:
    """The client's address as a keyed digest: counters are kept per client without the cache
    ever holding an address."""
    return salted_hmac("core.throttling.client", client_ip(request)).hexdigest()[:32]


def attempt_counted(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; False past `limit` in the window (0: no limit). The window
    starts with the first attempt and is not extended by later ones."""
    if not limit:
        return True
    cache.add(key, 0, timeout=window_seconds)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        attempts = 1
    return attempts <= limit
