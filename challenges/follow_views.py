"""Pages to follow a challenge and to stop (docs/engagement.md, "Follow a challenge")."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import InvalidInput
from core.throttling import attempt_allowed
from core.views import _too_many

from . import follow_services as services
from .follow_forms import FollowByEmailForm
from .views import visible_challenge

FOLLOW_EMAIL_WINDOW_SECONDS = 3600


@require_POST
@login_required
def follow(request, reference):
    challenge = visible_challenge(request.user, reference)
    services.follow_challenge(challenge=challenge, actor=request.user, language=get_language())
    messages.success(
        request,
        _(
            "You follow this challenge: you will be told when it moves on, in your inbox and by "
            "e-mail as your preferences say."
        ),
    )
    return redirect(challenge.get_absolute_url() + "#follow")


@require_POST
@login_required
def unfollow(request, reference):
    challenge = visible_challenge(request.user, reference)
    services.unfollow_challenge(challenge=challenge, actor=request.user)
    messages.success(request, _("You no longer follow this challenge."))
    return redirect(challenge.get_absolute_url() + "#follow")


@require_http_methods(["GET", "POST"])
def follow_by_email(request, reference):
    """Anyone gives an address; the same answer whether it already follows or not."""
    challenge = visible_challenge(request.user, reference)
    if not challenge.is_public:
        raise Http404
    if request.method == "POST":
        if not attempt_allowed(
            request,
            "follow-email",
            settings.FOLLOW_EMAIL_LIMIT_PER_HOUR,
            FOLLOW_EMAIL_WINDOW_SECONDS,
        ):
            return _too_many(
                request,
                _(
                    "Too many requests to follow challenges came from your network in the last "
                    "hour. Wait an hour and try again."
                ),
                retry_after=FOLLOW_EMAIL_WINDOW_SECONDS,
            )
        form = FollowByEmailForm(request.POST)
        if form.is_valid():
            try:
                services.follow_by_email(
                    challenge=challenge,
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                )
            except InvalidInput as error:
                form.add_error(None, " ".join(error.messages))
            else:
                return render(
                    request, "challenges/follow/email_sent.html", {"challenge": challenge}
                )
    else:
        form = FollowByEmailForm(initial={"language": (get_language() or "en")[:2]})
    return render(
        request, "challenges/follow/email_form.html", {"challenge": challenge, "form": form}
    )


@require_http_methods(["GET", "POST"])
def follow_confirm(request, token):
    """A GET only shows the button: mail scanners open links, and must not confirm for you."""
    follow = services.follow_by_token(token)
    if follow is None:
        return render(request, "challenges/follow/link_unknown.html", status=404)
    if request.method == "POST":
        follow = services.follow_confirm(token=token)
        return render(request, "challenges/follow/confirmed.html", {"follow": follow})
    return render(request, "challenges/follow/confirm.html", {"follow": follow})


# The one-click POST (RFC 8058) comes from a mail provider, without a session or CSRF token: the
# secret in the address is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unfollow_link(request, pk, token):
    """GET shows one button; POST (the button, or a mail provider's one-click) unsubscribes."""
    follow = services.follow_by_unsubscribe_token(pk, token)
    if follow is None:
        return render(request, "challenges/follow/link_unknown.html", status=404)
    if request.method == "POST":
        follow = services.follow_unsubscribe(follow=follow)
        return render(request, "challenges/follow/unsubscribed.html", {"follow": follow})
    return render(request, "challenges/follow/unsubscribe.html", {"follow": follow})
