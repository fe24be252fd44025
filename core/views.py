from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from .forms import SignUpForm
from .throttling import SIGNUP_WINDOW_SECONDS, lockout_message, lockout_minutes, signup_allowed


def _too_many(request, message: str, *, retry_after: int):
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer (AXES_LOCKOUT_CALLABLE) to a sign-in attempt past the limit."""
    return _too_many(request, lockout_message(), retry_after=lockout_minutes() * 60)


@sensitive_post_parameters("password1", "password2")
def signup(request):
    """Anyone may create an account: residents to give input, vendors to register."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or "challenges:board")
    if request.method == "POST" and not signup_allowed(request):
        return _too_many(
            request,
            _(
                "Too many accounts were requested from your network in the last hour. Wait an "
                "hour and try again, or ask the city's procurement office to create the account."
            ),
            retry_after=SIGNUP_WINDOW_SECONDS,
        )
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(next_url or "challenges:board")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})
