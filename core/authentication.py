"""Authentication: DRF's HTTP Basic, hardened, and the lockout after repeated failures."""

from axes.backends import AxesStandaloneBackend
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, status

from .throttling import lockout_message, lockout_minutes


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, first of the backends: a username locked out from this client is
    refused, right password or not. Every sign-in the site offers (the sign-in page, the admin,
    HTTP Basic) passes the request; a call without one (a shell, the test client's `login`)
    has no client to count and is left to the password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        super().__init__(lockout_message())
        # DRF's exception handler turns this into Retry-After.
        self.wait = lockout_minutes() * 60


class BasicAuthentication(authentication.BasicAuthentication):
    """HTTP Basic that refuses NUL characters, which PostgreSQL rejects in a query (a 500), and
    answers 429 with a sentence once the username is locked out from this client."""

    def authenticate_credentials(self, userid, password, request=None):
        if "\x00" in userid or "\x00" in password:
            raise exceptions.AuthenticationFailed(_("Invalid username/password."))
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            # django-axes marks the request when this failure reached the limit, or when the
            # username was locked out already.
            if getattr(request, "axes_locked_out", False):
                raise LockedOut() from None
            raise
