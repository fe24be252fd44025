"""Request middleware of the platform."""

from datetime import datetime

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _


class ArrivalTimeMiddleware:
    """Note when the request reached the server, as `request.arrived_at` (DESIGN.md §4).

    First of the middleware, so the time is taken before anything that may wait: the password
    check, a row lock, another request holding the chain head. A submission is on time when it
    arrived before the deadline, however long it then waits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.arrived_at = timezone.now()
        response = self.get_response(request)
        # Said back, so a client can see when the site received its request (a vendor whose
        # submission was refused as late, say).
        response["Arrived-At"] = request.arrived_at.isoformat()
        return response


def arrival_time(request) -> datetime:
    """When `request` reached the server (now, for a request that skipped the middleware)."""
    return getattr(request, "arrived_at", None) or timezone.now()


class RequestBodyLimitMiddleware:
    """Answer 413 to a request whose declared body is over REQUEST_BODY_MAX_BYTES.

    It looks at Content-Length only, before any middleware or view reads the body, so an
    oversized upload is refused without being received. Django reads no more than the declared
    length, so a body without one (or longer than it) cannot slip past.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_BODY_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return self.refuse(request, limit)
        return self.get_response(request)

    @staticmethod
    def refuse(request, limit):
        message = _(
            "The request is larger than %(limit)s, so nothing was received or saved. Send less: "
            "a document may be at most %(document)s."
        ) % {
            "limit": filesizeformat(limit),
            "document": filesizeformat(settings.VENDOR_DOCUMENT_MAX_BYTES),
        }
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)
        return render(request, "413.html", {"message": message}, status=413)
