"""The panel: assigning evaluators, declaring conflicts, recusing."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_change, audit_created, audit_deleted
from core.errors import InvalidInput, TransitionRefused
from core.permissions import require
from core.predicates import is_evaluator
from core.timefmt import format_local
from core.workflow import allowed_transitions, transition_run
from vendors.models import Proposal, VendorOrganization, challenge_is_closed

from ..models import Evaluation, PanelAssignment

PANEL_OPEN_STATES = (
    Evaluation.Status.SETUP,
    Evaluation.Status.SCREENING,
    Evaluation.Status.SCORING,
)
ASSIGNMENT_FIELDS = ("evaluator", "due_at", "is_chair")
OWNER_ONLY = gettext_lazy(
    "Only the challenge's owner, a member of municipal staff, can change the panel."
)


def _lock_evaluation(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("challenge").get(pk=evaluation.pk)


def _require_panel_open(evaluation: Evaluation) -> None:
    if problems := evaluation.cancellation_problems():
        raise TransitionRefused(problems)
    if evaluation.status not in PANEL_OPEN_STATES:
        raise InvalidInput(_("Scoring is over; the panel can no longer change."))


def takes_part_as_vendor(*, evaluation: Evaluation, user) -> bool:
    """Whether `user` belongs to a vendor with a proposal to this challenge (never both)."""
    return Proposal.objects.filter(
        challenge_id=evaluation.challenge_id, vendor__memberships__user_id=user.pk
    ).exists()


def declared_vendors(evaluation: Evaluation) -> list[str]:
    """The vendors an evaluator declares against: those whose proposals were received."""
    return sorted(
        VendorOrganization.objects.filter(
            proposals__challenge_id=evaluation.challenge_id,
            proposals__status__in=Proposal.RECEIVED_STATES,
        )
        .distinct()
        .values_list("legal_name", flat=True)
    )


def declaration_statement(*, signature: str, vendors: list[str]) -> str:
    return _(
        "I, %(signature)s, declare that I have no conflict of interest with any vendor listed: "
        "%(vendors)s. I will tell the challenge's owner at once if that changes."
    ) % {"signature": signature, "vendors": "; ".join(vendors) or _("(none)")}


@transaction.atomic
def panel_assign(
    *, evaluation: Evaluation, actor, evaluator, due_at, is_chair: bool = False
) -> PanelAssignment:
    """Invite an evaluator (a person in the "evaluator" group) with a due date; one chair.

    Field errors: `evaluator`, `due_at`, `is_chair`. Before the challenge closes, taking part as
    a vendor is not checked here (that would unseal who is bidding); acceptance checks it.
    """
    evaluation = _lock_evaluation(evaluation)
    require(actor, "evaluation.manage_panel", evaluation, OWNER_ONLY)
    _require_panel_open(evaluation)
    evaluator = get_user_model().objects.filter(pk=getattr(evaluator, "pk", evaluator)).first()
    errors: dict[str, list[str]] = {}
    if evaluator is None or not is_evaluator(evaluator):
        errors["evaluator"] = [_("Choose a person in the evaluator role.")]
    elif challenge_is_closed(evaluation.challenge) and takes_part_as_vendor(
        evaluation=evaluation, user=evaluator
    ):
        errors["evaluator"] = [
            _(
                "This person is a member of a vendor that took part in this challenge; they "
                "cannot evaluate it."
            )
        ]
    elif evaluation.assignments.filter(evaluator=evaluator).exists():
        errors["evaluator"] = [_("This person is already on the panel.")]
    if due_at is None or due_at <= timezone.now():
        errors["due_at"] = [_("Choose a due date in the future.")]
    if (
        is_chair
        and evaluation.assignments.filter(is_chair=True)
        .exclude(status=PanelAssignment.Status.RECUSED)
        .exists()
    ):
        errors["is_chair"] = [_("The panel already has a chair.")]
    if errors:
        raise InvalidInput([m for ms in errors.values() for m in ms], field_errors=errors)
    try:
        with transaction.atomic():
            assignment = PanelAssignment.objects.create(
                evaluation=evaluation,
                evaluator=evaluator,
                due_at=due_at,
                is_chair=bool(is_chair),
                assigned_by=actor,
            )
    except IntegrityError as exc:
        raise InvalidInput(_("The panel changed at the same time; reload and try again.")) from exc
    audit_created(obj=assignment, actor=actor, fields=ASSIGNMENT_FIELDS)
    return assignment


@transaction.atomic
def panel_unassign(*, assignment: PanelAssignment, actor) -> None:
    """Take back an invitation not yet answered (accepted or recused members stay on record)."""
    evaluation = _lock_evaluation(assignment.evaluation)
    require(actor, "evaluation.manage_panel", evaluation, OWNER_ONLY)
    assignment = PanelAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != PanelAssignment.Status.INVITED:
        raise InvalidInput(
            _("Only an invitation not yet answered can be taken back; this one was answered.")
        )
    audit_deleted(obj=assignment, actor=actor, fields=ASSIGNMENT_FIELDS)
    assignment.delete()


@transaction.atomic
def panel_set_chair(*, assignment: PanelAssignment, actor) -> PanelAssignment:
    """Make this member the chair (e.g. after the chair recused); the previous chair stays on
    the panel as an evaluator."""
    evaluation = _lock_evaluation(assignment.evaluation)
    require(actor, "evaluation.manage_panel", evaluation, OWNER_ONLY)
    _require_panel_open(evaluation)
    assignment = PanelAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == PanelAssignment.Status.RECUSED:
        raise InvalidInput(_("A member who recused cannot chair the panel."))
    previous_chairs = evaluation.assignments.exclude(pk=assignment.pk).filter(is_chair=True)
    previous_chairs = list(previous_chairs.exclude(status=PanelAssignment.Status.RECUSED))
    for previous in previous_chairs:
        audit_change(obj=previous, actor=actor, action="chair", changes={"is_chair": (True, False)})
    PanelAssignment.objects.filter(pk__in=[p.pk for p in previous_chairs]).update(is_chair=False)
    if not assignment.is_chair:
        audit_change(
            obj=assignment, actor=actor, action="chair", changes={"is_chair": (False, True)}
        )
    PanelAssignment.objects.filter(pk=assignment.pk).update(is_chair=True)
    assignment.refresh_from_db()
    return assignment


def assignment_accept(
    *, assignment: PanelAssignment, actor, signature: str, no_conflict: bool
) -> PanelAssignment:
    """Sign the declaration of no conflict with any vendor listed (`declared_vendors`).

    Field errors: `signature` (the evaluator's full name), `no_conflict` (must be confirmed).
    """
    signature = " ".join(str(signature or "").split())
    errors: dict[str, list[str]] = {}
    if not no_conflict:
        errors["no_conflict"] = [
            _("Confirm that you have no conflict with any vendor listed, or recuse yourself.")
        ]
    if not signature or len(signature) > 200:
        errors["signature"] = [_("Sign with your full name (200 characters at most).")]
    if errors:
        raise InvalidInput([m for ms in errors.values() for m in ms], field_errors=errors)
    with transaction.atomic():
        evaluation = _lock_evaluation(assignment.evaluation)
        vendors = declared_vendors(evaluation)
        return transition_run(
            instance=assignment,
            name="accept",
            actor=actor,
            statement=declaration_statement(signature=signature, vendors=vendors),
            vendors=vendors,
            signature=signature,
        )


def assignment_recuse(*, assignment: PanelAssignment, actor, reason: str) -> PanelAssignment:
    """Step off the panel with a reason (a conflict, or no time); the member then sees nothing."""
    return transition_run(instance=assignment, name="recuse", actor=actor, reason=reason)


def assignment_submit(*, assignment: PanelAssignment, actor) -> PanelAssignment:
    """Submit every score at once (all rated criteria × every proposal that passed screening).

    Each score's first version is kept (ScoreRevision 1); later changes need a reason.
    """
    from .scoring import snapshot_submitted_scores

    with transaction.atomic():
        locked = PanelAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status == PanelAssignment.Status.SUBMITTED and locked.evaluator_id == getattr(
            actor, "pk", None
        ):
            raise TransitionRefused(
                _(
                    "You already submitted your scores on %(date)s. To change a score, edit it "
                    "and give a reason."
                )
                % {"date": format_local(locked.submitted_at)},
                allowed=allowed_transitions(locked, actor),
            )
        locked = transition_run(instance=locked, name="submit", actor=actor)
        snapshot_submitted_scores(assignment=locked, actor=actor)
    return locked
