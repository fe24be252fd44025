"""API authentication: DRF's, hardened against credentials the database cannot look up."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions


class BasicAuthentication(authentication.BasicAuthentication):
    """HTTP Basic that refuses NUL characters, which PostgreSQL rejects in a query (a 500)."""

    def authenticate_credentials(self, userid, password, request=None):
        if "\x00" in userid or "\x00" in password:
            raise exceptions.AuthenticationFailed(_("Invalid username/password."))
        return super().authenticate_credentials(userid, password, request)
