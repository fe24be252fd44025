"""Every write to challenges, co-design, questions and addenda (DESIGN.md §2).

One atomic function per user action; views, API and tasks call these, never transitions directly.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_change, audit_created, audit_deleted, audit_diff, audit_values
from core.errors import InvalidInput, TransitionRefused
from core.languages import in_both_languages, strip_translations, unwritten_errors
from core.permissions import require
from core.predicates import is_staff_member
from core.timefmt import format_local
from core.validation import full_clean_or_invalid
from core.workflow import transition_run

from .documents.services import addendum_documents_delete
from .models import (
    ActivityReach,
    Addendum,
    Challenge,
    ChallengePartner,
    CommunityInput,
    EngagementActivity,
    PriorityGroup,
    Question,
    ReferenceCounter,
    ResponseQuestion,
)
from .selectors import challenge_response_questions
from .signals import addendum_issued

# The statement's texts written in English, French or both (challenges/translation.py). Each can
# be given as `<field>_en` and `<field>_fr`, or as `<field>`: the text in the reader's language.
STATEMENT_TRANSLATED = (
    "title",
    "summary",
    "problem",
    "context",
    "desired_outcomes",
    "success_measures",
)
CHALLENGE_EDITABLE_FIELDS = (
    "title",
    "summary",
    "department",
    "problem",
    "context",
    "desired_outcomes",
    "constraints",
    "success_measures",
    "affected_communities",
    "budget_min",
    "budget_max",
    "questions_deadline",
    "submission_deadline",
)
# What is recorded: each translated text in each language, not the one a reader happens to see.
CHALLENGE_AUDITED_FIELDS = (
    *(name for name in CHALLENGE_EDITABLE_FIELDS if name not in STATEMENT_TRANSLATED),
    *in_both_languages(*STATEMENT_TRANSLATED),
)
CHALLENGE_INPUT_FIELDS = (*CHALLENGE_EDITABLE_FIELDS, *in_both_languages(*STATEMENT_TRANSLATED))

RESPONSE_QUESTION_FIELDS = ("prompt", "guidance", "required", "max_words")
MOVE_DIRECTIONS = ("up", "down")

RESPONSE_QUESTIONS_DENIED = gettext_lazy(
    "Only the challenge's owner can change the questions vendors answer, and only in draft or "
    "co-design: they are part of the statement, fixed when it goes to review."
)


def _next_reference() -> str:
    prefix = settings.CHALLENGE_REFERENCE_PREFIX
    year = timezone.localdate().year
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{counter.last_number:03d}"


def _check_translations(instance, translated, required, exclude=()) -> None:
    """Trim each translated text; refuse a required one written in no language, with every
    other problem of the row, each on its field."""
    strip_translations(instance, translated)
    errors = unwritten_errors(instance, required)
    try:
        full_clean_or_invalid(instance, exclude=[*exclude, *required, *errors])
    except InvalidInput as exc:
        if not exc.field_errors:
            raise
        for name, messages in exc.field_errors.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise InvalidInput(
            [m for messages in errors.values() for m in messages], field_errors=errors
        )


def _assign(instance, data: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be set here: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    for name, value in data.items():
        setattr(instance, name, value)


@transaction.atomic
def challenge_create(*, actor, owner=None, **data) -> Challenge:
    require(
        actor,
        "challenges.add_challenge",
        message=_("Only municipal staff can create challenges."),
    )
    owner = owner or actor
    # The owner runs the challenge's steps, which only staff may do.
    if not is_staff_member(owner):
        raise InvalidInput(
            _("Choose a member of municipal staff as the challenge's owner."),
            field_errors={"owner": [_("The owner must be a member of municipal staff.")]},
        )
    challenge = Challenge(owner=owner)
    _assign(challenge, data, CHALLENGE_INPUT_FIELDS)
    _check_translations(challenge, STATEMENT_TRANSLATED, ("title",), exclude=["reference"])
    challenge.reference = _next_reference()
    challenge.save()
    audit_created(obj=challenge, actor=actor, fields=("owner", *CHALLENGE_AUDITED_FIELDS))
    return challenge


@transaction.atomic
def challenge_update(*, challenge: Challenge, actor, **data) -> Challenge:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    require(
        actor,
        "challenges.change_challenge",
        challenge,
        _(
            "Only the owner can edit this statement, and only before review. "
            "After publication, issue an addendum."
        ),
    )
    before = audit_values(challenge, CHALLENGE_AUDITED_FIELDS)
    _assign(challenge, data, CHALLENGE_INPUT_FIELDS)
    _check_translations(challenge, STATEMENT_TRANSLATED, ("title",))
    challenge.save()
    audit_change(obj=challenge, actor=actor, action="update", changes=audit_diff(before, challenge))
    return challenge


@transaction.atomic
def challenge_schedule(
    *, challenge: Challenge, actor, questions_deadline, submission_deadline
) -> Challenge:
    """Set the timeline; allowed until publication, even after approval (dates slip)."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    require(
        actor,
        "challenges.schedule_challenge",
        challenge,
        _(
            "Only the owner can set the timeline, and only until publication. "
            "After publication, issue an addendum."
        ),
    )
    before = audit_values(challenge, ("questions_deadline", "submission_deadline"))
    challenge.questions_deadline = questions_deadline
    challenge.submission_deadline = submission_deadline
    full_clean_or_invalid(challenge)
    challenge.save(update_fields=["questions_deadline", "submission_deadline", "updated_at"])
    audit_change(
        obj=challenge, actor=actor, action="schedule", changes=audit_diff(before, challenge)
    )
    return challenge


def challenge_transition(
    *, challenge: Challenge, actor, name: str, reason: str = "", locked: bool = False
) -> Challenge:
    """Run one of the challenge's transitions (open_co_design, submit_for_review, approve, ...).
    `locked`: the caller holds the row's lock already (core.workflow.transition_run)."""
    return transition_run(instance=challenge, name=name, actor=actor, reason=reason, locked=locked)


ACTIVITY_FIELDS = (
    "kind",
    "held_on",
    "stage",
    "participants",
    "groups_reached",
    "summary",
    "summary_en",
    "summary_fr",
)
ACTIVITY_DENIED = gettext_lazy(
    "Engagement activities are recorded by the challenge's owner or its invited partners, "
    "from co-design until the pilot ends."
)


@transaction.atomic
def engagement_activity_add(
    *, challenge: Challenge, actor, reach=None, partners=None, **data
) -> EngagementActivity:
    """Record an activity: `reach` maps each priority group to its participants (None: not
    recorded); `partners` are the co-hosts among the challenge's partner organizations."""
    from .reach import default_stage, stage_problems

    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    require(actor, "challenges.add_engagementactivity", challenge, str(ACTIVITY_DENIED))
    activity = EngagementActivity(challenge=challenge, recorded_by=actor)
    _assign(activity, data, ACTIVITY_FIELDS)
    if not data.get("stage"):
        activity.stage = default_stage(challenge)
    for name in ("summary_en", "summary_fr", "groups_reached"):
        if isinstance(getattr(activity, name), str):
            setattr(activity, name, getattr(activity, name).strip())
    errors: dict[str, list[str]] = {}
    if not (activity.summary_en or activity.summary_fr):
        errors["summary"] = [_("Write the summary in English, in French or in both.")]
    errors_stage = stage_problems(challenge, activity.stage)
    if errors_stage:
        errors["stage"] = errors_stage
    reach_rows, partner_rows = _activity_reach(challenge, reach, partners, errors)
    try:
        full_clean_or_invalid(activity, exclude=list(errors))
    except InvalidInput as exc:
        for name, messages in exc.field_errors.items():
            errors.setdefault(name, []).extend(messages)
        if not exc.field_errors:
            errors.setdefault("__all__", []).extend(exc.messages)
    if errors:
        raise InvalidInput(
            [m for messages in errors.values() for m in messages], field_errors=errors
        )
    activity.save()
    for row in reach_rows:
        row.activity = activity
    ActivityReach.objects.bulk_create(reach_rows)
    activity.partners.set(partner_rows)
    audit_created(
        obj=activity,
        actor=actor,
        fields=(
            "kind",
            "held_on",
            "stage",
            "participants",
            "groups_reached",
            "summary_en",
            "summary_fr",
        ),
        metadata={
            "challenge_id": challenge.pk,
            "reach": {str(row.group_id): row.participants for row in reach_rows},
            "partners": partner_rows,
        },
    )
    return activity


def _activity_reach(challenge, reach, partners, errors):
    """The per-group rows and co-hosts of a new activity, checked; problems go in `errors`."""
    reach_rows, seen = [], set()
    for group, participants in (reach or {}).items():
        if not isinstance(group, PriorityGroup):
            group = PriorityGroup.objects.filter(pk=group).first()
            if group is None:
                errors.setdefault("reach", []).append(_("Choose priority groups from the list."))
                continue
        if participants is not None and (
            isinstance(participants, bool) or not isinstance(participants, int) or participants < 0
        ):
            errors.setdefault("reach", []).append(
                _(
                    "Participants of a group are a whole number, 0 or more; leave it empty if not "
                    "recorded."
                )
            )
            continue
        if group.pk not in seen:
            seen.add(group.pk)
            reach_rows.append(ActivityReach(group=group, participants=participants))
    partner_rows = list(partners or [])
    if partner_rows:
        linked = set(
            ChallengePartner.objects.filter(challenge=challenge).values_list(
                "partner_id", flat=True
            )
        )
        if any(getattr(p, "pk", p) not in linked for p in partner_rows):
            errors.setdefault("partners", []).append(
                _("Co-hosts are chosen among the challenge's partner organizations.")
            )
        partner_rows = [getattr(p, "pk", p) for p in partner_rows]
    return reach_rows, partner_rows


def community_input_moderate(
    *, community_input: CommunityInput, actor, publish: bool, reason: str = ""
) -> CommunityInput:
    return transition_run(
        instance=community_input,
        name="publish" if publish else "reject",
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def question_ask(*, challenge: Challenge, actor, body: str) -> Question:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    require(
        actor,
        "challenges.ask_question",
        challenge,
        _("Questions are asked by registered vendors while the challenge is open."),
    )
    if challenge.questions_deadline and timezone.now() >= challenge.questions_deadline:
        raise InvalidInput(
            _("The questions deadline passed at %(deadline)s; questions can no longer be asked.")
            % {"deadline": format_local(challenge.questions_deadline)}
        )
    question = Question(challenge=challenge, asked_by=actor, body=(body or "").strip())
    full_clean_or_invalid(question)
    question.save()
    audit_created(obj=question, actor=actor, fields=("body",))
    return question


def question_answer(
    *, question: Question, actor, answer: str = "", answer_en=None, answer_fr=None
) -> Question:
    """Publish the answer: `answer_en` and `answer_fr` (at least one), or `answer` in the
    reader's language."""
    # Only what was given is passed on: the history records it as the step's details.
    given = {"answer_en": answer_en, "answer_fr": answer_fr}
    texts = {name: value for name, value in given.items() if value is not None}
    if not texts:
        texts = {"answer": answer}
    return transition_run(instance=question, name="publish_answer", actor=actor, **texts)


def question_dismiss(*, question: Question, actor, reason: str) -> Question:
    return transition_run(instance=question, name="dismiss", actor=actor, reason=reason)


ADDENDUM_TRANSLATED = ("title", "body")
ADDENDUM_FIELDS = (
    *in_both_languages(*ADDENDUM_TRANSLATED),
    "changes_terms",
    "new_questions_deadline",
    "new_submission_deadline",
)
# An addendum's title and body may also be given in the reader's language alone.
ADDENDUM_INPUT_FIELDS = (*ADDENDUM_TRANSLATED, *ADDENDUM_FIELDS)


@transaction.atomic
def addendum_create(*, challenge: Challenge, actor, **data) -> Addendum:
    require(
        actor,
        "challenges.add_addendum",
        challenge,
        _("Addenda are written by the challenge's owner while it is open for proposals."),
    )
    addendum = Addendum(challenge=challenge, created_by=actor)
    _assign(addendum, data, ADDENDUM_INPUT_FIELDS)
    _check_translations(addendum, ADDENDUM_TRANSLATED, ADDENDUM_TRANSLATED, exclude=["number"])
    addendum.save()
    audit_created(obj=addendum, actor=actor, fields=ADDENDUM_FIELDS)
    return addendum


def _locked_draft_addendum(addendum: Addendum, actor, permission: str) -> Addendum:
    """The addendum, locked, if it is still a draft: an issued addendum is published record and
    never changes (a later addendum corrects it); issuing takes the same lock, so an edit and an
    issue cannot both win."""
    locked = (
        Addendum.objects.select_for_update().select_related("challenge").filter(pk=addendum.pk)
    ).first()
    if locked is None:
        raise TransitionRefused(
            _("This draft addendum was deleted in the meantime; reload the page.")
        )
    if locked.status != Addendum.Status.DRAFT:
        raise TransitionRefused(
            _(
                "Addendum %(number)s is issued: it cannot be changed or deleted. "
                "Issue another addendum to correct it."
            )
            % {"number": locked.number}
        )
    require(
        actor,
        permission,
        locked,
        _("Only the challenge's owner changes or deletes its draft addenda."),
    )
    return locked


@transaction.atomic
def addendum_update(*, addendum: Addendum, actor, **data) -> Addendum:
    """Change a draft addendum before it is issued."""
    addendum = _locked_draft_addendum(addendum, actor, "challenges.change_addendum")
    before = audit_values(addendum, ADDENDUM_FIELDS)
    _assign(addendum, data, ADDENDUM_INPUT_FIELDS)
    _check_translations(addendum, ADDENDUM_TRANSLATED, ADDENDUM_TRANSLATED, exclude=["number"])
    addendum.save(update_fields=[*ADDENDUM_TRANSLATED, *ADDENDUM_FIELDS])
    audit_change(obj=addendum, actor=actor, action="update", changes=audit_diff(before, addendum))
    return addendum


@transaction.atomic
def addendum_delete(*, addendum: Addendum, actor) -> None:
    """Delete a draft addendum; it was never published, and the history keeps what it said."""
    addendum = _locked_draft_addendum(addendum, actor, "challenges.delete_addendum")
    audit_deleted(obj=addendum, actor=actor, fields=ADDENDUM_FIELDS)
    # Its draft documents go with it, each in the history.
    addendum_documents_delete(addendum=addendum, actor=actor)
    addendum.delete()


def addendum_issue(*, addendum: Addendum, actor) -> Addendum:
    """Issue a draft addendum: number it, apply its new dates, tell the higher apps."""
    with transaction.atomic():
        # Lock the challenge first: numbering and new deadlines must not race another addendum.
        challenge = Challenge.objects.select_for_update().get(pk=addendum.challenge_id)
        number = (challenge.addenda.aggregate(last=Max("number"))["last"] or 0) + 1
        addendum = transition_run(instance=addendum, name="issue", actor=actor, number=number)
        before = audit_values(challenge, ("questions_deadline", "submission_deadline"))
        changed = []
        if addendum.new_questions_deadline:
            challenge.questions_deadline = addendum.new_questions_deadline
            changed.append("questions_deadline")
        if addendum.new_submission_deadline:
            challenge.submission_deadline = addendum.new_submission_deadline
            changed.append("submission_deadline")
        if changed:
            challenge.save(update_fields=[*changed, "updated_at"])
            audit_change(
                obj=challenge,
                actor=actor,
                action="schedule",
                changes=audit_diff(before, challenge),
                reason=f"Addendum {number}",
            )
        transaction.on_commit(lambda: addendum_issued.send(sender=Addendum, addendum=addendum))
    return addendum


# Response questions: what every vendor answers in its technical envelope. They are part of the
# statement, so they change under the same permission and in the same states.


def lock_for_response_questions(challenge: Challenge, actor) -> Challenge:
    # The challenge's row is the lock: two owners' tabs reordering at once must not interleave.
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    require(actor, "challenges.change_challenge", challenge, str(RESPONSE_QUESTIONS_DENIED))
    return challenge


def _locked_response_question(question: ResponseQuestion, actor) -> ResponseQuestion:
    challenge = lock_for_response_questions(question.challenge, actor)
    locked = ResponseQuestion.objects.filter(pk=question.pk, challenge=challenge).first()
    if locked is None:
        raise TransitionRefused(
            _("This question was removed in the meantime; reload the page to see the questions.")
        )
    locked.challenge = challenge
    return locked


def _clean_response_question(question: ResponseQuestion) -> None:
    """Model validation, with the word limit's own sentence on the word limit field (the
    database constraint would report it for the row as a whole)."""
    for name in ("prompt", "guidance"):
        value = getattr(question, name)
        if isinstance(value, str):
            setattr(question, name, value.strip())
    errors: dict[str, list[str]] = {}
    max_words = question.max_words
    if isinstance(max_words, int) and not isinstance(max_words, bool) and max_words < 1:
        errors["max_words"] = [_("A word limit is at least one word; leave it empty for no limit.")]
    try:
        full_clean_or_invalid(question, exclude=list(errors))
    except InvalidInput as exc:
        for name, messages in exc.field_errors.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise InvalidInput(
            [m for messages in errors.values() for m in messages], field_errors=errors
        )


@transaction.atomic
def response_question_add(*, challenge: Challenge, actor, **data) -> ResponseQuestion:
    """Add a question at the end of the list: prompt (required), guidance, required, max_words
    (empty for no limit)."""
    challenge = lock_for_response_questions(challenge, actor)
    return response_question_append(challenge=challenge, actor=actor, data=data)


def response_question_append(
    *, challenge: Challenge, actor, data: dict, governance_key: str = ""
) -> ResponseQuestion:
    """The write behind adding a question, for a challenge already locked and checked."""
    last = challenge.response_questions.aggregate(last=Max("order"))["last"]
    question = ResponseQuestion(
        challenge=challenge, order=(last or 0) + 1, governance_key=governance_key
    )
    _assign(question, data, RESPONSE_QUESTION_FIELDS)
    _clean_response_question(question)
    question.save()
    fields = (*RESPONSE_QUESTION_FIELDS, "order", *(("governance_key",) if governance_key else ()))
    audit_created(obj=question, actor=actor, fields=fields)
    return question


@transaction.atomic
def response_question_change(*, question: ResponseQuestion, actor, **data) -> ResponseQuestion:
    """Change the fields given; its place in the list stays (see response_question_move)."""
    question = _locked_response_question(question, actor)
    before = audit_values(question, RESPONSE_QUESTION_FIELDS)
    _assign(question, data, RESPONSE_QUESTION_FIELDS)
    _clean_response_question(question)
    question.save()
    audit_change(obj=question, actor=actor, action="update", changes=audit_diff(before, question))
    return question


@transaction.atomic
def response_question_remove(*, question: ResponseQuestion, actor) -> None:
    question = _locked_response_question(question, actor)
    audit_deleted(obj=question, actor=actor, fields=(*RESPONSE_QUESTION_FIELDS, "order"))
    try:
        # Answers hold on to their question (PROTECT): a vendor's work is never lost silently.
        # Vendors answer only once the challenge is published, when the questions are fixed
        # anyway, so this is a safety net rather than a path anyone should meet.
        question.delete()
    except ProtectedError as exc:
        raise TransitionRefused(
            _(
                "Vendors have already answered this question, so it cannot be removed. "
                "Change its wording instead, or leave it as it is."
            )
        ) from exc
    _renumber(list(challenge_response_questions(challenge=question.challenge)))


@transaction.atomic
def response_question_move(
    *, question: ResponseQuestion, actor, direction: str
) -> ResponseQuestion:
    """Swap the question with the one before it ("up") or after it ("down").

    The list is renumbered 1, 2, 3... on the way (as after a removal), so questions that share
    a position (rows written by hand or by an import) end up in a definite order.
    """
    question = _locked_response_question(question, actor)
    if direction not in MOVE_DIRECTIONS:
        raise InvalidInput(
            _("Choose whether to move the question up or down."),
            field_errors={"direction": [_("Choose “up” or “down”.")]},
        )
    questions = list(challenge_response_questions(challenge=question.challenge))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(questions):
        message = (
            _("This is already the first question; it cannot move up.")
            if direction == "up"
            else _("This is already the last question; it cannot move down.")
        )
        raise InvalidInput(message, field_errors={"direction": [message]})
    questions[index], questions[target] = questions[target], questions[index]
    before = audit_values(question, ("order",))
    _renumber(questions)
    moved = next(row for row in questions if row.pk == question.pk)
    audit_change(obj=moved, actor=actor, action="move", changes=audit_diff(before, moved))
    return moved


def _renumber(questions: list[ResponseQuestion]) -> None:
    """Number the questions 1, 2, 3... in the order given, writing only the rows that change."""
    changed = []
    for position, row in enumerate(questions, start=1):
        if row.order != position:
            row.order = position
            changed.append(row)
    ResponseQuestion.objects.bulk_update(changed, ["order"])
