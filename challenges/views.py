"""Challenge pages: the board, the challenge page and the forms that act on a challenge.

Views read through selectors, write through services and redirect after a successful POST.
Whoever may not see a challenge gets 404 rather than 403, so drafts do not leak.
"""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from core.confirm import confirmation_needed, confirmation_page, is_one_way
from core.errors import InvalidInput, TransitionRefused
from core.fragments import content_key
from core.pagination import paginate
from core.permissions import can, require
from core.workflow import (
    allowed_transitions,
    transition_check,
    transition_names,
    transition_problems,
)

from . import governance_proposals, selectors, services
from .documents.selectors import reader_documents
from .forms import (
    REASON_REQUIRED,
    TRANSITION_LABELS,
    AddendumForm,
    AnswerForm,
    BoardFilterForm,
    ChallengeStatementForm,
    EngagementActivityForm,
    ModerationForm,
    MoveForm,
    QuestionForm,
    ReasonForm,
    ResponseQuestionForm,
    TimelineForm,
    apply_service_errors,
)
from .input_forms import ResidentInputForm
from .input_stages import open_input_stage
from .models import Addendum, Challenge, CommunityInput, Document, Question, ResponseQuestion
from .sections import challenge_links, challenge_sections
from .services import ADDENDUM_FIELDS

BOARD_PAGE_SIZE = 12

# The step an owner works toward in each state; the page says what still blocks it.
NEXT_STEP = {
    Challenge.Status.DRAFT: "submit_for_review",
    Challenge.Status.CO_DESIGN: "submit_for_review",
    Challenge.Status.APPROVED: "publish",
    Challenge.Status.PUBLISHED: "close",
}

# Steps that stop the challenge for good: offered in their own section, last on the page.
STOPPING_STEPS = frozenset({"cancel"})

PAGE_PERMISSIONS = (
    "change_challenge",
    "schedule_challenge",
    "manage_challenge",
    "view_challenge_history",
    "add_engagementactivity",
    "add_communityinput",
    "moderate_communityinput",
    "view_pending_communityinput",
    "ask_question",
    "answer_question",
    "view_question_asker",
    "add_addendum",
    "issue_addendum",
    "manage_documents",
)


# What a refused person reads on the 403 page: who may do this, and when.
DENIED = {
    "challenges.add_challenge": _lazy("Only municipal staff can create challenges."),
    "challenges.change_challenge": _lazy(
        "Only the owner can edit the statement, and only before review. "
        "After publication, changes are made by addendum."
    ),
    "challenges.schedule_challenge": _lazy(
        "Only the owner can set the timeline, and only until publication. "
        "After publication, dates change by addendum."
    ),
    "challenges.add_engagementactivity": _lazy(
        "Engagement activities are recorded by the challenge's owner or its invited partners, "
        "from co-design until the pilot ends."
    ),
    "challenges.add_communityinput": _lazy(
        "Residents' input is open while the challenge is in co-design, and feedback while its "
        "pilot is running."
    ),
    "challenges.moderate_communityinput": _lazy(
        "Only the challenge's owner moderates its community input."
    ),
    "challenges.ask_question": _lazy(
        "Questions are asked by registered vendors while the challenge is open for proposals."
    ),
    "challenges.answer_question": _lazy(
        "Only the challenge's owner answers or dismisses its questions."
    ),
    "challenges.add_addendum": _lazy(
        "Addenda are written by the challenge's owner while it is open for proposals."
    ),
    "challenges.issue_addendum": _lazy("Only the challenge's owner issues its addenda."),
    "challenges.change_addendum": _lazy(
        "Only the challenge's owner changes a draft addendum; an issued addendum never changes "
        "(issue another one to correct it)."
    ),
    "challenges.delete_addendum": _lazy(
        "Only the challenge's owner deletes a draft addendum; an issued addendum is never deleted."
    ),
}


def require_to(user, perm: str, obj=None) -> None:
    require(user, perm, obj, str(DENIED[perm]) if perm in DENIED else None)


def visible_challenge(user, reference: str, *, queryset=None) -> Challenge:
    """The challenge, or 404 for anyone who may not see it (a 403 would confirm it exists)."""
    if queryset is None:
        queryset = Challenge.objects.select_related("department", "owner")
    challenge = get_object_or_404(queryset, reference=reference)
    if not can(user, "challenges.view_challenge", challenge):
        raise Http404
    return challenge


def _posted(request):
    return request.POST if request.method == "POST" else None


def _save(request, form, write, success: str):
    """Run `write(cleaned_data)` for a valid posted form; put a service's InvalidInput on it."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except InvalidInput as exc:
        apply_service_errors(form, exc)
        return None
    messages.success(request, success)
    return result


def _refused(request, exc) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _back(challenge, anchor: str = ""):
    return redirect(f"{challenge.get_absolute_url()}{'#' + anchor if anchor else ''}")


def board(request):
    form = BoardFilterForm(request.GET, user=request.user)
    filters = form.filters()
    pager = paginate(
        request, selectors.challenge_board(user=request.user, **filters), per_page=BOARD_PAGE_SIZE
    )
    page = pager["page"]
    # The counts are read for this page only, not joined into the query that pages and counts.
    page.object_list = selectors.challenge_list_counts(page.object_list)
    context = {
        "form": form,
        "page": page,
        # The page's content is cached under what it shows; nothing has to clear it.
        "content_key": content_key(
            form.content_key(),
            page.paginator.count,
            [
                (c, c.department, c.answered_question_count, c.issued_addendum_count)
                for c in page.object_list
            ],
        ),
        "pager": pager,
        "filtered": any(filters.values()),
    }
    return render(request, "challenges/board.html", context)


def detail(request, reference):
    # The page shows the department, never the owner's row.
    challenge = visible_challenge(
        request.user, reference, queryset=Challenge.objects.select_related("department")
    )
    return _render_detail(request, challenge)


def _render_detail(request, challenge, *, input_form=None, question_form=None):
    user = request.user
    may = {name: can(user, f"challenges.{name}", challenge) for name in PAGE_PERMISSIONS}
    allowed = allowed_transitions(challenge, user)

    blocked = None
    step = NEXT_STEP.get(challenge.status)
    if may["manage_challenge"] and step and step not in allowed:
        blocked = {
            "label": TRANSITION_LABELS[step],
            "problems": transition_problems(challenge, step),
        }

    # Every question this reader may see, read once: the answered ones (for everyone) are among
    # them.
    questions = list(selectors.challenge_questions_for(challenge=challenge, user=user))
    answered_questions = sorted(
        (q for q in questions if q.status == Question.Status.ANSWERED),
        key=lambda q: (q.answered_at, q.asked_at, q.pk),
    )
    open_questions, own_questions = [], []
    if may["view_question_asker"]:
        open_questions = [q for q in questions if q.status == Question.Status.SUBMITTED]
        for question in open_questions:
            question.answer_form = AnswerForm(auto_id=f"id_answer_{question.pk}_%s")
            question.dismiss_form = ReasonForm(auto_id=f"id_dismiss_{question.pk}_%s")
    elif user.is_authenticated:
        own_questions = [q for q in questions if q.asked_by_id == user.pk]

    # Staff read all input and all addenda in one query each, and the page splits them.
    pending_input = []
    if may["view_pending_communityinput"]:
        every_input = list(selectors.challenge_input_for(challenge=challenge, user=user))
        published_input = [i for i in every_input if i.status == CommunityInput.Status.PUBLISHED]
        pending_input = [i for i in every_input if i.status == CommunityInput.Status.PENDING]
        # Moderators see the groups residents gave; the published list never shows them.
        prefetch_related_objects(pending_input, "groups")
        for item in pending_input:
            item.moderation_form = ModerationForm(auto_id=f"id_input_{item.pk}_%s")
    else:
        published_input = selectors.challenge_published_input(challenge=challenge)

    draft_addenda = []
    if may["issue_addendum"]:
        every_addendum = list(selectors.challenge_addenda_for(challenge=challenge, user=user))
        addenda = [a for a in every_addendum if a.status == Addendum.Status.ISSUED]
        draft_addenda = [a for a in every_addendum if a.status == Addendum.Status.DRAFT]
        for addendum in draft_addenda:
            addendum.can_change = can(user, "challenges.change_addendum", addendum)
            addendum.can_delete = can(user, "challenges.delete_addendum", addendum)
            addendum.can_issue = "issue" in allowed_transitions(addendum, user)
            addendum.problems = [] if addendum.can_issue else transition_problems(addendum, "issue")
    else:
        addenda = selectors.challenge_issued_addenda(challenge=challenge)

    # The documents this reader may see, read once: the challenge's own here, each addendum's
    # in its card (the other places have their own pages).
    documents = reader_documents(challenge=challenge, user=user)
    for addendum in [*addenda, *draft_addenda]:
        addendum.attached_documents = [d for d in documents if d.addendum_id == addendum.pk]

    questions_closed = bool(
        challenge.status == Challenge.Status.PUBLISHED
        and challenge.questions_deadline
        and timezone.now() >= challenge.questions_deadline
    )
    if question_form is None and may["ask_question"] and not questions_closed:
        question_form = QuestionForm()
    input_stage = open_input_stage(challenge) if may["add_communityinput"] else None
    if input_form is None and input_stage:
        input_form = ResidentInputForm(stage=input_stage)

    transitions = [
        {
            "name": name,
            "label": TRANSITION_LABELS.get(name, name),
            "needs_reason": name in REASON_REQUIRED,
            "form": ReasonForm(auto_id=f"id_{name}_%s"),
            "confirm": f"challenges.{name}" if is_one_way(f"challenges.{name}") else "",
            "stops": name in STOPPING_STEPS,
        }
        for name in allowed
    ]
    activities = list(
        selectors.challenge_engagement_activities(challenge=challenge, with_reach=True)
    )
    response_questions = list(selectors.challenge_response_questions(challenge=challenge))
    context = {
        "challenge": challenge,
        "may": may,
        # Steps that stop the challenge are offered apart, after everything else.
        "transitions": [t for t in transitions if not t["stops"]],
        "stop_transitions": [t for t in transitions if t["stops"]],
        "blocked": blocked,
        "awaiting_approval": may["manage_challenge"]
        and challenge.status == Challenge.Status.IN_REVIEW,
        "activities": activities,
        "participants_total": sum(a.participants for a in activities),
        "published_input": published_input,
        "pending_input": pending_input,
        "answered_questions": answered_questions,
        "open_questions": open_questions,
        "own_questions": own_questions,
        "addenda": addenda,
        "challenge_documents": [
            d for d in documents if d.attached_to == Document.AttachedTo.CHALLENGE
        ],
        "response_questions": response_questions,
        # The parts every reader sees alike are cached under what they show (core.fragments).
        "fragment_keys": {
            "statement": content_key(challenge),
            "response_questions": content_key(
                challenge, response_questions, may["change_challenge"]
            ),
            "engagement": content_key(
                challenge.reference, activities, may["add_engagementactivity"]
            ),
        },
        "draft_addenda": draft_addenda,
        "questions_closed": questions_closed,
        "question_form": question_form,
        "input_form": input_form,
        "input_stage": input_stage,
        # What the apps above add: their links and sections, as their rules let this reader see.
        "links": challenge_links(user=user, challenge=challenge),
        "sections": challenge_sections(request=request, challenge=challenge),
    }
    return render(request, "challenges/detail.html", context)


@login_required
def challenge_create(request):
    require_to(request.user, "challenges.add_challenge")
    form = ChallengeStatementForm(_posted(request))
    challenge = _save(
        request,
        form,
        lambda data: services.challenge_create(actor=request.user, **data),
        _("Challenge created as a draft. Open co-design when you are ready to consult."),
    )
    if challenge:
        return redirect(challenge)
    from .copy_views import start_from_form  # it builds on this module

    context = {"form": form, "challenge": None, "start_from_form": start_from_form()}
    return render(request, "challenges/challenge_form.html", context)


@login_required
def challenge_edit(request, reference):
    challenge = visible_challenge(request.user, reference)
    require_to(request.user, "challenges.change_challenge", challenge)
    # A copy: validating the form writes to its instance, and the page header shows the original.
    form = ChallengeStatementForm(_posted(request), instance=copy(challenge))
    saved = _save(
        request,
        form,
        lambda data: services.challenge_update(challenge=challenge, actor=request.user, **data),
        _("Statement saved."),
    )
    if saved:
        return redirect(saved)
    return render(request, "challenges/challenge_form.html", {"form": form, "challenge": challenge})


@login_required
def challenge_timeline(request, reference):
    challenge = visible_challenge(request.user, reference)
    require_to(request.user, "challenges.schedule_challenge", challenge)
    form = TimelineForm(
        _posted(request),
        initial={
            "questions_deadline": challenge.questions_deadline,
            "submission_deadline": challenge.submission_deadline,
        },
    )
    saved = _save(
        request,
        form,
        lambda data: services.challenge_schedule(challenge=challenge, actor=request.user, **data),
        _("Timeline saved."),
    )
    if saved:
        for problem in saved.timeline_problems():
            messages.warning(request, _("Before publication: %(problem)s") % {"problem": problem})
        return _back(saved, "timeline")
    return render(request, "challenges/timeline_form.html", {"form": form, "challenge": challenge})


@require_POST
@login_required
def challenge_transition(request, reference, name):
    challenge = visible_challenge(request.user, reference)
    if name not in transition_names(Challenge):
        raise Http404
    form = ReasonForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    key = f"challenges.{name}"
    try:
        # A one-way step asks first; one that would be refused (no permission, a guard, a missing
        # reason) is refused straight away, without asking.
        if (
            is_one_way(key)
            and confirmation_needed(request)
            and (name not in REASON_REQUIRED or reason.strip())
        ):
            transition_check(instance=challenge, name=name, actor=request.user)
            return confirmation_page(
                request,
                key,
                challenge,
                back_url=challenge.get_absolute_url(),
                shown=[(_("Your reason"), reason)],
                context={"challenge": challenge},
            )
        challenge = services.challenge_transition(
            challenge=challenge, actor=request.user, name=name, reason=reason
        )
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("Done: %(step)s. The challenge is now “%(status)s”.")
            % {"step": TRANSITION_LABELS.get(name, name), "status": challenge.get_status_display()},
        )
    return _back(challenge)


@login_required
def activity_add(request, reference):
    challenge = visible_challenge(request.user, reference)
    require_to(request.user, "challenges.add_engagementactivity", challenge)
    form = EngagementActivityForm(_posted(request), challenge=challenge)
    activity = _save(
        request,
        form,
        lambda data: services.engagement_activity_add(
            challenge=challenge, actor=request.user, **form.service_data()
        ),
        _("Engagement activity recorded."),
    )
    if activity:
        return _back(challenge, "engagement")
    return render(request, "challenges/activity_form.html", {"form": form, "challenge": challenge})


@require_POST
@login_required
def input_moderate(request, reference, pk):
    challenge = visible_challenge(request.user, reference)
    community_input = get_object_or_404(CommunityInput, pk=pk, challenge=challenge)
    require_to(request.user, "challenges.moderate_communityinput", community_input)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to publish this input or not."))
        return _moderated(request, challenge)
    publish = form.cleaned_data["decision"] == ModerationForm.PUBLISH
    try:
        services.community_input_moderate(
            community_input=community_input,
            actor=request.user,
            publish=publish,
            reason=form.cleaned_data["reason"],
        )
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("Input published.") if publish else _("Input set aside; the reason is kept.")
        )
    return _moderated(request, challenge)


def _moderated(request, challenge):
    """Back to the list the moderator was reading (the challenge's, or the pilot's feedback)."""
    from .input_views import safe_next  # it builds on this module

    return redirect(safe_next(request, f"{challenge.get_absolute_url()}#pending-input"))


@require_POST
@login_required
def question_ask(request, reference):
    challenge = visible_challenge(request.user, reference)
    require_to(request.user, "challenges.ask_question", challenge)
    form = QuestionForm(request.POST)
    saved = _save(
        request,
        form,
        lambda data: services.question_ask(challenge=challenge, actor=request.user, **data),
        _("Question sent. Its answer will be published here for every vendor."),
    )
    if saved:
        return _back(challenge, "your-questions")
    return _render_detail(request, challenge, question_form=form)


def _question(request, reference, pk) -> Question:
    challenge = visible_challenge(request.user, reference)
    question = get_object_or_404(Question, pk=pk, challenge=challenge)
    require_to(request.user, "challenges.answer_question", question)
    return question


@require_POST
@login_required
def question_answer(request, reference, pk):
    question = _question(request, reference, pk)
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        services.question_answer(
            question=question,
            actor=request.user,
            answer_en=form.cleaned_data.get("answer_en") or "",
            answer_fr=form.cleaned_data.get("answer_fr") or "",
        )
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Answer published to everyone, without the asker's name."))
    return _back(question.challenge, "open-questions")


@require_POST
@login_required
def question_dismiss(request, reference, pk):
    question = _question(request, reference, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.question_dismiss(
            question=question, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Question dismissed."))
    return _back(question.challenge, "open-questions")


@login_required
def addendum_add(request, reference):
    challenge = visible_challenge(request.user, reference)
    require_to(request.user, "challenges.add_addendum", challenge)
    form = AddendumForm(_posted(request))
    addendum = _save(
        request,
        form,
        lambda data: services.addendum_create(challenge=challenge, actor=request.user, **data),
        _("Addendum saved as a draft. Issue it to publish it."),
    )
    if addendum:
        return _back(challenge, "draft-addenda")
    return render(request, "challenges/addendum_form.html", {"form": form, "challenge": challenge})


def _addendum_of(request, reference, pk) -> tuple[Challenge, Addendum]:
    challenge = visible_challenge(request.user, reference)
    addendum = get_object_or_404(Addendum, pk=pk, challenge=challenge)
    addendum.challenge = challenge
    return challenge, addendum


@login_required
def addendum_edit(request, reference, pk):
    challenge, addendum = _addendum_of(request, reference, pk)
    require_to(request.user, "challenges.change_addendum", addendum)
    form = AddendumForm(
        _posted(request), initial={name: getattr(addendum, name) for name in ADDENDUM_FIELDS}
    )
    try:
        saved = _save(
            request,
            form,
            lambda data: services.addendum_update(addendum=addendum, actor=request.user, **data),
            _("Draft addendum saved."),
        )
    except TransitionRefused as exc:
        _refused(request, exc)
        return _back(challenge, "addenda")
    if saved:
        return _back(challenge, "draft-addenda")
    context = {"form": form, "challenge": challenge, "addendum": addendum}
    return render(request, "challenges/addendum_form.html", context)


@require_POST
@login_required
def addendum_delete(request, reference, pk):
    challenge, addendum = _addendum_of(request, reference, pk)
    require_to(request.user, "challenges.delete_addendum", addendum)
    try:
        services.addendum_delete(addendum=addendum, actor=request.user)
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
        return _back(challenge, "addenda")
    messages.success(request, _("Draft addendum deleted."))
    return _back(challenge, "addenda")


@require_POST
@login_required
def addendum_issue(request, reference, pk):
    challenge = visible_challenge(request.user, reference)
    addendum = get_object_or_404(Addendum, pk=pk, challenge=challenge)
    require_to(request.user, "challenges.issue_addendum", addendum)
    try:
        if confirmation_needed(request):
            transition_check(instance=addendum, name="issue", actor=request.user)
            return confirmation_page(
                request,
                "challenges.addendum_issue",
                addendum,
                back_url=f"{challenge.get_absolute_url()}#draft-addenda",
                shown=[(_("What changes"), addendum.body)],
                context={"challenge": challenge},
            )
        addendum = services.addendum_issue(addendum=addendum, actor=request.user)
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Addendum %(number)s issued.") % {"number": addendum.number})
    return _back(challenge, "addenda")


# The questions every vendor answers: edited by the owner with the statement, before review.


def _response_questions_challenge(request, reference) -> Challenge:
    challenge = visible_challenge(request.user, reference)
    require(
        request.user,
        "challenges.change_challenge",
        challenge,
        str(services.RESPONSE_QUESTIONS_DENIED),
    )
    return challenge


def _response_question(request, reference, pk) -> ResponseQuestion:
    challenge = _response_questions_challenge(request, reference)
    question = get_object_or_404(ResponseQuestion, pk=pk, challenge=challenge)
    question.challenge = challenge
    return question


def _to_response_questions(challenge, anchor: str = "response-questions"):
    url = reverse("challenges:response_questions", args=[challenge.reference])
    return redirect(f"{url}#{anchor}")


@login_required
def response_questions(request, reference):
    """The owner's list of questions, in order, with the form that adds one at the end."""
    challenge = _response_questions_challenge(request, reference)
    form = ResponseQuestionForm(_posted(request))
    question = _save(
        request,
        form,
        lambda data: services.response_question_add(
            challenge=challenge, actor=request.user, **data
        ),
        _("Question added. Every vendor will answer it in its proposal."),
    )
    if question:
        return _to_response_questions(challenge, f"response-question-{question.pk}")
    record = governance_proposals.governance_record(challenge)
    context = {
        "challenge": challenge,
        "questions": list(selectors.challenge_response_questions(challenge=challenge)),
        "form": form,
        "has_record": record is not None,
        "proposals": governance_proposals.challenge_question_proposals(
            challenge=challenge, record=record
        ),
        "dismissed": governance_proposals.dismissed_question_proposals(record),
    }
    return render(request, "challenges/response_questions.html", context)


@login_required
def response_question_edit(request, reference, pk):
    question = _response_question(request, reference, pk)
    # A copy: validating the form writes to its instance, and the page shows the saved wording.
    form = ResponseQuestionForm(_posted(request), instance=copy(question))
    try:
        saved = _save(
            request,
            form,
            lambda data: services.response_question_change(
                question=question, actor=request.user, **data
            ),
            _("Question saved."),
        )
    except TransitionRefused as exc:
        # Removed in another tab meanwhile: there is nothing left to edit.
        _refused(request, exc)
        return _to_response_questions(question.challenge)
    if saved:
        return _to_response_questions(question.challenge, f"response-question-{saved.pk}")
    context = {"challenge": question.challenge, "question": question, "form": form}
    return render(request, "challenges/response_question_form.html", context)


@login_required
def response_question_remove(request, reference, pk):
    """GET asks for confirmation; POST removes."""
    question = _response_question(request, reference, pk)
    if request.method != "POST":
        context = {"challenge": question.challenge, "question": question}
        return render(request, "challenges/response_question_remove.html", context)
    try:
        services.response_question_remove(question=question, actor=request.user)
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Question removed."))
    return _to_response_questions(question.challenge)


@require_POST
@login_required
def response_question_move(request, reference, pk):
    question = _response_question(request, reference, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to move the question up or down."))
        return _to_response_questions(question.challenge)
    try:
        services.response_question_move(
            question=question, actor=request.user, direction=form.cleaned_data["direction"]
        )
    except (InvalidInput, TransitionRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Question moved."))
    return _to_response_questions(question.challenge, f"response-question-{question.pk}")
