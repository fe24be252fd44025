"""What every evaluation page shares: finding the challenge and the evaluation as the user may
see them (404 otherwise, as for something that does not exist), and showing refusals."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from challenges.models import Challenge
from core.confirm import confirmation_page
from core.permissions import can

from .. import selectors
from ..rules import ACTIVE, Viewer, viewer_of


def visible_challenge(user, reference: str) -> Challenge:
    challenge = get_object_or_404(
        Challenge.objects.select_related("owner", "department"), reference=reference
    )
    if not can(user, "challenges.view_challenge", challenge):
        raise Http404
    return challenge


def visible_evaluation(user, reference: str):
    """The evaluation for staff and panel members who have not recused; 404 for the rest."""
    evaluation = selectors.evaluation_by_reference(reference=reference, user=user)
    if evaluation is None:
        raise Http404
    return evaluation


def staff_or_chair(user, reference: str):
    """The evaluation for municipal staff and the panel's chair (the overview)."""
    evaluation = visible_evaluation(user, reference)
    viewer, _assignment = viewer_of(evaluation, user)
    if viewer not in (Viewer.STAFF, Viewer.CHAIR):
        raise Http404
    return evaluation, viewer


def panel_member(user, reference: str, *, declared=False):
    """(evaluation, assignment) for a panel member who has not recused; with `declared`, only
    once they have declared no conflict."""
    evaluation = visible_evaluation(user, reference)
    _viewer, assignment = viewer_of(evaluation, user)
    if assignment is None or (declared and assignment.status not in ACTIVE):
        raise Http404
    return evaluation, assignment


def refused(request, exc) -> None:
    for message in exc.messages:
        messages.error(request, message)


def back(name: str, reference: str, anchor: str = "", **kwargs):
    url = reverse(f"evaluation:{name}", kwargs={"reference": reference, **kwargs})
    return redirect(f"{url}#{anchor}" if anchor else url)


def ask_first(request, key: str, evaluation, *, back_to: str = "overview"):
    """The page that asks to confirm a one-way step of the evaluation (core/confirm.py)."""
    reference = evaluation.challenge.reference
    return confirmation_page(
        request,
        key,
        evaluation,
        back_url=reverse(f"evaluation:{back_to}", kwargs={"reference": reference}),
        context={"challenge": evaluation.challenge},
    )
