"""The owner's decision on each response question the data governance record proposes: add it
as is, edit it then add it, dismiss it, or offer a dismissed one again (docs/data-governance.md).
They live on the page of the questions vendors answer (views.response_questions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import InvalidInput, TransitionRefused

from . import governance_proposals as proposals
from .forms import ResponseQuestionForm, apply_service_errors
from .views import _refused, _response_questions_challenge, _to_response_questions


@require_POST
@login_required
def accept(request, reference, key):
    challenge = _response_questions_challenge(request, reference)
    try:
        question = proposals.response_question_accept_proposal(
            challenge=challenge, actor=request.user, key=key
        )
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
        return _to_response_questions(challenge, "proposed-questions")
    messages.success(request, _("Question added. Every vendor will answer it in its proposal."))
    return _to_response_questions(challenge, f"response-question-{question.pk}")


@login_required
def edit_then_accept(request, reference, key):
    """GET: the proposal in the question form, to edit; POST: add it as edited."""
    challenge = _response_questions_challenge(request, reference)
    proposal = next(
        (p for p in proposals.challenge_question_proposals(challenge=challenge) if p.key == key),
        None,
    )
    if proposal is None:
        raise Http404
    if request.method == "POST":
        form = ResponseQuestionForm(request.POST)
        if form.is_valid():
            try:
                question = proposals.response_question_accept_proposal(
                    challenge=challenge, actor=request.user, key=key, **form.cleaned_data
                )
            except InvalidInput as exc:
                apply_service_errors(form, exc)
            except TransitionRefused as exc:
                _refused(request, exc)
                return _to_response_questions(challenge, "proposed-questions")
            else:
                messages.success(
                    request, _("Question added. Every vendor will answer it in its proposal.")
                )
                return _to_response_questions(challenge, f"response-question-{question.pk}")
    else:
        form = ResponseQuestionForm(
            initial={"prompt": proposal.prompt, "guidance": proposal.guidance, "required": True}
        )
    context = {"challenge": challenge, "proposal": proposal, "form": form}
    return render(request, "challenges/proposed_question_form.html", context)


@require_POST
@login_required
def dismiss(request, reference, key):
    challenge = _response_questions_challenge(request, reference)
    try:
        proposals.response_question_dismiss_proposal(
            challenge=challenge, actor=request.user, key=key
        )
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("Proposal dismissed. The approver will see that it was dismissed.")
        )
    return _to_response_questions(challenge, "proposed-questions")


@require_POST
@login_required
def restore(request, reference, key):
    challenge = _response_questions_challenge(request, reference)
    try:
        proposals.response_question_restore_proposal(
            challenge=challenge, actor=request.user, key=key
        )
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The proposal is offered again."))
    return _to_response_questions(challenge, "proposed-questions")
