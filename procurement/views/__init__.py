"""Procurement pages. The challenge history lives here because it reads the audit trail, which
`challenges` may not import (imports run one way, DESIGN.md §2)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from challenges.views import visible_challenge
from core.audit import audit_history
from core.permissions import require
from core.tokens import token_digest

from .. import calendar, selectors
from ..forms import PreferencesForm
from ..models import Notification, PersonPreferences
from ..services import (
    calendar_token_regenerate,
    notification_mark_read,
    notifications_mark_all_read,
    preferences_for,
    preferences_update,
)

INBOX_PAGE_SIZE = 25


@login_required
def challenge_history(request, reference):
    challenge = visible_challenge(request.user, reference)
    require(
        request.user,
        "challenges.view_challenge_history",
        challenge,
        _("A challenge's history is for municipal staff."),
    )
    entries = audit_history(obj=challenge, include_related_to_challenge=True)
    return render(
        request,
        "procurement/challenge_history.html",
        {"challenge": challenge, "entries": entries},
    )


# The inbox, preferences and the private calendar feed --------------------------------------------


@login_required
def inbox(request):
    if request.method == "POST":
        if request.POST.get("all"):
            count = notifications_mark_all_read(actor=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)d notification marked as read.",
                    "%(count)d notifications marked as read.",
                    count,
                )
                % {"count": count},
            )
        else:
            try:
                public_id = uuid.UUID(str(request.POST.get("notification") or ""))
            except ValueError as exc:
                raise Http404 from exc
            notification = get_object_or_404(
                Notification, public_id=public_id, recipient=request.user
            )
            notification_mark_read(notification=notification, actor=request.user)
            if request.POST.get("open") and url_has_allowed_host_and_scheme(
                notification.link, allowed_hosts={request.get_host()}
            ):
                return redirect(notification.link or "procurement:inbox")
        return redirect("procurement:inbox")
    page = Paginator(selectors.inbox(user=request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "procurement/inbox.html", {"page": page})


@login_required
def preferences(request):
    current = preferences_for(request.user)
    feed_url = ""
    if request.method == "POST" and request.POST.get("regenerate"):
        had_address = current.calendar_token_digest is not None
        current, token = calendar_token_regenerate(actor=request.user)
        # Only the digest is stored, so this answer is the one time the address can be shown.
        feed_url = request.build_absolute_uri(
            reverse("procurement:calendar_feed", kwargs={"token": token})
        )
        if had_address:
            messages.success(
                request, _("Your calendar has a new address. The old address no longer works.")
            )
    if request.method == "POST" and not feed_url:
        form = PreferencesForm(request.POST)
        if form.is_valid():
            preferences_update(
                actor=request.user,
                language=form.cleaned_data["language"],
                email_kinds=form.cleaned_data["email_kinds"],
            )
            messages.success(request, _("Your preferences are saved."))
            return redirect("procurement:preferences")
    else:
        form = PreferencesForm(
            initial={
                "language": current.language,
                "email_kinds": [k for k in Notification.Kind.values if current.wants_email(k)],
            }
        )
    response = render(
        request,
        "procurement/preferences.html",
        {
            "form": form,
            "feed_url": feed_url,
            "has_calendar": current.calendar_token_digest is not None,
        },
    )
    if feed_url:
        response["Cache-Control"] = "private, no-store"
    return response


def calendar_feed(request, token):
    """No sign-in: calendar programs cannot sign in. The long random token is the secret."""
    preferences = get_object_or_404(
        PersonPreferences.objects.select_related("user"), calendar_token_digest=token_digest(token)
    )
    if not preferences.user.is_active:
        raise Http404
    with translation.override(preferences.language):
        body = calendar.calendar_feed(preferences.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
