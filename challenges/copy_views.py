"""Start a new challenge from an earlier one (challenges.copying): from the earlier challenge's
page ("Start a new challenge from this one") or from the new-challenge page ("Start from")."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .copying import challenge_copy
from .models import Challenge
from .views import require_to, visible_challenge

# The choice on the new-challenge page lists the most recent challenges first.
ORIGIN_CHOICES_LIMIT = 200


class StartFromForm(forms.Form):
    origin = forms.ModelChoiceField(
        label=gettext_lazy("Start from"),
        queryset=Challenge.objects.none(),
        to_field_name="reference",
        empty_label=gettext_lazy("A blank statement"),
        required=False,
        help_text=gettext_lazy(
            "Starting from an earlier challenge copies its statement, the questions vendors "
            "answer, its evaluation plan and its data governance record; never dates, proposals, "
            "scores or anything personal."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].queryset = Challenge.objects.order_by("-created_at", "-pk")
        choices = Challenge.objects.order_by("-created_at", "-pk").values_list(
            "reference", "title"
        )[:ORIGIN_CHOICES_LIMIT]
        self.fields["origin"].choices = [
            ("", self.fields["origin"].empty_label),
            *((reference, f"{reference} {title}") for reference, title in choices),
        ]


def start_from_form() -> StartFromForm:
    return StartFromForm(auto_id="id_start_%s")


def _copied(request, origin):
    copy = challenge_copy(origin=origin, actor=request.user)
    messages.success(
        request,
        _(
            "New draft %(reference)s started from %(origin)s. Review every part before you "
            "consult or submit it: nothing was sent anywhere."
        )
        % {"reference": copy.reference, "origin": origin.reference},
    )
    return redirect(reverse("challenges:edit", args=[copy.reference]))


@login_required
def copy_challenge(request, reference):
    """GET: what starting from this challenge copies, and what it never does; POST: do it."""
    origin = visible_challenge(request.user, reference)
    require_to(request.user, "challenges.copy_challenge", origin)
    if request.method == "POST":
        return _copied(request, origin)
    return render(request, "challenges/copy_confirm.html", {"challenge": origin})


@require_POST
@login_required
def start_from(request):
    """The new-challenge page's "Start from" choice: a blank statement, or an earlier challenge."""
    require_to(request.user, "challenges.add_challenge")
    form = StartFromForm(request.POST, auto_id="id_start_%s")
    if not form.is_valid():
        messages.error(request, _("Choose an earlier challenge from the list, or start blank."))
        return redirect("challenges:create")
    origin = form.cleaned_data["origin"]
    if origin is None:
        return redirect("challenges:create")
    require_to(request.user, "challenges.copy_challenge", origin)
    return _copied(request, origin)
