"""Procurement pages. The challenge history lives here because it reads the audit trail, which
`challenges` may not import (imports run one way, DESIGN.md §2)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from challenges.views import visible_challenge
from core.permissions import require

from .selectors import audit_history


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
