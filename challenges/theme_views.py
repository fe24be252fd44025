"""Pages of "you said, we did" (docs/engagement.md): the owner's page, where themes are written
and input grouped into them; the public part is a section of the challenge page
(challenges.theme_page) and of the outcomes page."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import InvalidInput, TransitionRefused
from core.permissions import can, require

from . import theme_services as services
from .forms import MoveForm, apply_service_errors
from .models import Challenge, CommunityInput, InputTheme
from .theme_forms import InputThemeChoiceForm, ThemeForm
from .theme_selectors import GROUPABLE, owner_themes, ungrouped_input


def _owned(request, reference) -> Challenge:
    """The challenge for its owner in a stage that takes themes; 404 for anyone who may not see
    it, 403 for anyone else."""
    challenge = get_object_or_404(
        Challenge.objects.select_related("department"), reference=reference
    )
    if not can(request.user, "challenges.view_challenge", challenge):
        raise Http404
    require(request.user, "challenges.change_inputtheme", challenge, str(services.THEME_DENIED))
    return challenge


def _theme(challenge, pk) -> InputTheme:
    theme = get_object_or_404(InputTheme, pk=pk, challenge=challenge)
    theme.challenge = challenge
    return theme


def _to_page(challenge, anchor: str = ""):
    url = reverse("challenges:themes", args=[challenge.reference])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refused(request, exc) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def themes_page(request, reference):
    """Every theme with the input it groups, and the input not grouped yet, each with a choice
    of theme."""
    challenge = _owned(request, reference)
    themes = owner_themes(challenge=challenge)
    ungrouped = list(ungrouped_input(challenge=challenge))
    for theme in themes:
        theme.pending_count = sum(
            1 for i in theme.grouped_inputs if i.status == CommunityInput.Status.PENDING
        )
    for item in [*ungrouped, *(i for t in themes for i in t.grouped_inputs)]:
        item.theme_form = InputThemeChoiceForm(
            themes=themes,
            initial={"theme": item.theme_id or ""},
            auto_id=f"id_input_{item.pk}_%s",
        )
    context = {
        "challenge": challenge,
        "themes": themes,
        "ungrouped": ungrouped,
        "grouped_count": sum(len(t.grouped_inputs) for t in themes),
    }
    return render(request, "challenges/themes/page.html", context)


def _theme_form_page(request, challenge, form, *, title, theme=None):
    context = {"challenge": challenge, "form": form, "title": title, "theme": theme}
    return render(request, "challenges/themes/form.html", context)


@login_required
def theme_add(request, reference):
    challenge = _owned(request, reference)
    form = ThemeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            theme = services.theme_create(
                challenge=challenge, actor=request.user, **form.cleaned_data
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Theme added."))
            return _to_page(challenge, f"theme-{theme.pk}")
    return _theme_form_page(request, challenge, form, title=_("Add a theme"))


@login_required
def theme_edit(request, reference, pk):
    challenge = _owned(request, reference)
    theme = _theme(challenge, pk)
    form = ThemeForm(request.POST if request.method == "POST" else None, instance=copy(theme))
    if form.is_bound and form.is_valid():
        try:
            services.theme_update(theme=theme, actor=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        except TransitionRefused as exc:
            _refused(request, exc)
            return _to_page(challenge)
        else:
            messages.success(request, _("Theme saved."))
            return _to_page(challenge, f"theme-{theme.pk}")
    return _theme_form_page(request, challenge, form, title=_("Edit a theme"), theme=theme)


@login_required
def theme_delete(request, reference, pk):
    """GET asks for confirmation; POST deletes (its input is ungrouped, not deleted)."""
    challenge = _owned(request, reference)
    theme = _theme(challenge, pk)
    if request.method != "POST":
        grouped = theme.inputs.filter(status__in=GROUPABLE).count()
        context = {"challenge": challenge, "theme": theme, "grouped": grouped}
        return render(request, "challenges/themes/delete.html", context)
    try:
        services.theme_delete(theme=theme, actor=request.user)
    except TransitionRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Theme deleted; its input is no longer grouped."))
    return _to_page(challenge, "themes")


@login_required
@require_POST
def theme_move(request, reference, pk):
    challenge = _owned(request, reference)
    theme = _theme(challenge, pk)
    form = MoveForm(request.POST)
    try:
        services.theme_move(
            theme=theme,
            actor=request.user,
            direction=form.data.get("direction", ""),
        )
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    return _to_page(challenge, f"theme-{theme.pk}")


@login_required
@require_POST
def input_theme(request, reference, pk):
    """Group one contribution under a theme, or under none."""
    challenge = _owned(request, reference)
    community_input = get_object_or_404(CommunityInput, pk=pk, challenge=challenge)
    chosen = request.POST.get("theme", "")
    try:
        if chosen:
            theme = (
                InputTheme.objects.filter(pk=chosen, challenge=challenge).first()
                if chosen.isdigit()
                else None
            )
            if theme is None:
                raise InvalidInput(_("Choose one of this challenge's themes, or no theme."))
            services.input_assign_theme(
                community_input=community_input, theme=theme, actor=request.user
            )
            messages.success(
                request, _("Input grouped under “%(theme)s”.") % {"theme": theme.title}
            )
        else:
            services.input_unassign_theme(community_input=community_input, actor=request.user)
            messages.success(request, _("Input no longer grouped under a theme."))
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    return _to_page(challenge, f"input-{community_input.pk}")
