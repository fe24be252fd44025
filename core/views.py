from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import services
from .errors import InvalidInput, PermissionDenied
from .forms import ApiTokenForm, SignUpForm
from .models import ApiToken
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


@login_required
def api_tokens(request):
    """Your personal API tokens: make one (shown once, here) or revoke one."""
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.cleaned_data["expires_at"],
            )
        except InvalidInput as exc:
            for field, errors in (exc.field_errors or {}).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request,
                _("Token “%(name)s” made. Copy it now: it is shown only once.")
                % {"name": token.name},
            )
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created")
    response = render(
        request,
        "core/api_tokens.html",
        {"form": form, "tokens": tokens, "secret": secret},
    )
    # The page may show a token: never kept by a browser or a proxy.
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def api_token_revoke(request, token_id):
    token = ApiToken.objects.filter(pk=token_id).first()
    # Another person's token answers like one that does not exist.
    if token is None or token.user_id != request.user.pk:
        raise Http404
    try:
        services.api_token_revoke(token=token, actor=request.user)
    except (InvalidInput, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name},
        )
    return redirect("api_tokens")
