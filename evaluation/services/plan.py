"""The evaluation plan: written with the statement, complete before review, fixed from review
on, its digest recorded at approval and frozen at publication."""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from challenges.models import Challenge
from core.audit import audit_change, audit_created, audit_deleted, audit_diff, audit_values
from core.errors import InvalidInput, TransitionRefused
from core.numfmt import format_score
from core.permissions import require
from core.timefmt import format_local

from ..models import Criterion, Evaluation, EvaluationPlan

DEFAULT_TIE_BREAK_ORDER = [
    EvaluationPlan.TieBreak.TECHNICAL.value,
    EvaluationPlan.TieBreak.PRICE.value,
    EvaluationPlan.TieBreak.DRAW.value,
]
# The criterion's position is a PositiveSmallIntegerField.
ORDER_LIMIT = 32767
CRITERION_FIELDS = ("kind", "name", "description", "weight", "max_points", "order")
MAX_POINTS_LIMIT = 1000
PLAN_FIELDS = ("minimum_technical_score", "combination", "tie_break_order")


def frozen_message(plan: EvaluationPlan) -> str:
    return _(
        "The evaluation plan was frozen at publication on %(date)s; it can no longer change."
    ) % {"date": format_local(plan.frozen_at)}


def plan_lock_reason(challenge: Challenge, plan: EvaluationPlan | None = None) -> str | None:
    """Why the plan cannot change now, or None while it may.

    The plan decides the winner, so the approver's four eyes cover it: it changes with the
    statement (draft, co-design) and is fixed from review on; only sending the challenge back
    opens it again.
    """
    if plan is not None and plan.is_frozen:
        return frozen_message(plan)
    if challenge.status in Challenge.EDITABLE_STATES:
        return None
    if challenge.status == Challenge.Status.IN_REVIEW:
        return _(
            "The evaluation plan is in review with the challenge and cannot change now. To "
            "change it, ask the approver to send the challenge back for changes."
        )
    if challenge.status == Challenge.Status.APPROVED:
        return _(
            "The evaluation plan was approved with the challenge and can no longer change; it "
            "is published as approved."
        )
    return _(
        "The evaluation plan changes only while the challenge is a draft or in co-design; it "
        "can no longer change."
    )


def plan_require_editable(*, challenge: Challenge, actor, plan: EvaluationPlan | None = None):
    """The one guard of every plan change, asked by the services and, before reading any
    input, by the API: PermissionDenied (403) or TransitionRefused (409), with a sentence."""
    require(
        actor,
        "evaluation.change_plan",
        challenge,
        _("Only the challenge's owner, a member of municipal staff, can change its plan."),
    )
    if plan is None:
        plan = EvaluationPlan.objects.filter(challenge_id=challenge.pk).first()
    reason = plan_lock_reason(challenge, plan)
    if reason:
        raise TransitionRefused(reason)


def _lock_plan(plan: EvaluationPlan) -> EvaluationPlan:
    # The challenge first, as its transitions do: a change cannot slip in while the challenge
    # goes to review (which checks the plan) or is approved (which records its digest).
    challenge = Challenge.objects.select_for_update().get(pk=plan.challenge_id)
    locked = EvaluationPlan.objects.select_for_update().get(pk=plan.pk)
    locked.challenge = challenge
    return locked


def _clean_plan_fields(minimum_technical_score, combination, tie_break_order) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    if minimum_technical_score is not None:
        try:
            value = Decimal(str(minimum_technical_score))
        except (InvalidOperation, ValueError):
            value = None
        if value is None or not value.is_finite() or value < 0 or value > 100:
            errors["minimum_technical_score"] = [
                _("Enter a minimum technical score between 0 and 100.")
            ]
        else:
            cleaned["minimum_technical_score"] = value.quantize(Decimal("0.01"))
    if combination is not None:
        if combination not in EvaluationPlan.Combination.values:
            errors["combination"] = [_("Choose consensus or average.")]
        else:
            cleaned["combination"] = combination
    if tie_break_order is not None:
        order = [str(key) for key in tie_break_order] if isinstance(tie_break_order, list) else []
        allowed = set(EvaluationPlan.TieBreak.values)
        if (
            not isinstance(tie_break_order, list)
            or len(set(order)) != len(order)
            or not set(order) <= allowed
        ):
            errors["tie_break_order"] = [
                _("List tie-breaks once each, from: technical score, price, recorded draw.")
            ]
        else:
            cleaned["tie_break_order"] = order
    if errors:
        raise InvalidInput([m for ms in errors.values() for m in ms], field_errors=errors)
    return cleaned


def _clean_criterion(data: Mapping, *, current: Criterion | None = None) -> dict:
    unknown = sorted(set(data) - set(CRITERION_FIELDS))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be set here: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    merged = {
        "kind": current.kind if current else None,
        "name": current.name if current else "",
        "description": current.description if current else "",
        "weight": current.weight if current else 0,
        "max_points": current.max_points if current else None,
        "order": current.order if current else None,
        **data,
    }
    errors: dict[str, list[str]] = {}
    kind = merged["kind"]
    if kind not in Criterion.Kind.values:
        errors["kind"] = [_("Choose mandatory, rated or price.")]
    name = " ".join(str(merged["name"] or "").split())
    if not name:
        errors["name"] = [_("Name the criterion.")]
    elif len(name) > 200:
        errors["name"] = [_("Keep the name to 200 characters or fewer.")]
    description = str(merged["description"] or "").strip()
    if len(description) > 5000:
        errors["description"] = [_("Keep the description to 5000 characters or fewer.")]

    def integer(key):
        value = merged[key]
        if value in (None, ""):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            errors[key] = [_("Enter a whole number.")]
            return None

    weight = integer("weight") or 0
    max_points = integer("max_points")
    order = integer("order")
    if order is not None and not 0 <= order <= ORDER_LIMIT:
        errors["order"] = [_("Give a position from 0 to %(limit)d.") % {"limit": ORDER_LIMIT}]
    if kind == Criterion.Kind.MANDATORY:
        weight, max_points = 0, None
    elif kind in (Criterion.Kind.RATED, Criterion.Kind.PRICE) and not 1 <= weight <= 100:
        errors.setdefault("weight", [_("Give a weight between 1 and 100 (%).")])
    if kind == Criterion.Kind.RATED and not (max_points and 1 <= max_points <= MAX_POINTS_LIMIT):
        errors.setdefault(
            "max_points",
            [_("Give the maximum points, from 1 to %(limit)d.") % {"limit": MAX_POINTS_LIMIT}],
        )
    if kind == Criterion.Kind.PRICE:
        max_points = None
    if errors:
        raise InvalidInput([m for ms in errors.values() for m in ms], field_errors=errors)
    return {
        "kind": kind,
        "name": name,
        "description": description,
        "weight": weight,
        "max_points": max_points,
        "order": order,
    }


def _check_fits_plan(plan: EvaluationPlan, criterion: Criterion, cleaned: dict) -> None:
    others = plan.criteria.exclude(pk=criterion.pk) if criterion.pk else plan.criteria.all()
    if (
        cleaned["kind"] == Criterion.Kind.PRICE
        and others.filter(kind=Criterion.Kind.PRICE).exists()
    ):
        raise InvalidInput(
            _("A plan has one price criterion; change the existing one instead."),
            field_errors={"kind": [_("The plan already has a price criterion.")]},
        )
    total = (others.aggregate(total=Sum("weight"))["total"] or 0) + cleaned["weight"]
    if total > 100:
        raise InvalidInput(
            _("The weights would add up to %(total)d%%; they must add up to 100%%.")
            % {"total": total},
            field_errors={"weight": [_("Lower this weight or another one.")]},
        )


def _save_criterion(plan: EvaluationPlan, criterion: Criterion, cleaned: dict) -> Criterion:
    _check_fits_plan(plan, criterion, cleaned)
    for name, value in cleaned.items():
        if name == "order" and value is None:
            value = criterion.order or (plan.criteria.count() + 1)
        setattr(criterion, name, value)
    criterion.save()
    return criterion


@transaction.atomic
def plan_save(
    *,
    challenge: Challenge,
    actor,
    minimum_technical_score=None,
    combination: str | None = None,
    tie_break_order: list[str] | None = None,
) -> EvaluationPlan:
    """Create the challenge's plan, or change its settings; None leaves a setting as it is.

    New plans default to consensus, a minimum of 0 and the tie-break order technical score,
    price, recorded draw. Refused from review on (TransitionRefused, nothing changed).
    """
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    plan = EvaluationPlan.objects.select_for_update().filter(challenge=challenge).first()
    plan_require_editable(challenge=challenge, actor=actor, plan=plan)
    cleaned = _clean_plan_fields(minimum_technical_score, combination, tie_break_order)
    before = audit_values(plan, PLAN_FIELDS) if plan is not None else None
    if plan is None:
        plan = EvaluationPlan(
            challenge=challenge, tie_break_order=list(DEFAULT_TIE_BREAK_ORDER), updated_by=actor
        )
    for name, value in cleaned.items():
        setattr(plan, name, value)
    plan.updated_by = actor
    plan.save()
    if before is None:
        audit_created(obj=plan, actor=actor, fields=PLAN_FIELDS)
    else:
        audit_change(obj=plan, actor=actor, action="update", changes=audit_diff(before, plan))
    return plan


@transaction.atomic
def criterion_add(*, plan: EvaluationPlan, actor, **data) -> Criterion:
    """Add a criterion: kind (mandatory | rated | price), name, description, weight (integer %,
    rated and price), max_points (rated), order. Field errors are keyed by those names."""
    plan = _lock_plan(plan)
    plan_require_editable(challenge=plan.challenge, actor=actor, plan=plan)
    criterion = _save_criterion(plan, Criterion(plan=plan), _clean_criterion(data))
    _audit_criterion_created(criterion, actor)
    return criterion


@transaction.atomic
def criterion_update(*, criterion: Criterion, actor, **data) -> Criterion:
    plan = _lock_plan(criterion.plan)
    plan_require_editable(challenge=plan.challenge, actor=actor, plan=plan)
    criterion = Criterion.objects.get(pk=criterion.pk, plan=plan)
    before = audit_values(criterion, CRITERION_FIELDS)
    criterion = _save_criterion(plan, criterion, _clean_criterion(data, current=criterion))
    audit_change(
        obj=criterion,
        actor=actor,
        action="update",
        changes=audit_diff(before, criterion),
        metadata={"challenge_id": plan.challenge_id},
    )
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: Criterion, actor) -> None:
    plan = _lock_plan(criterion.plan)
    plan_require_editable(challenge=plan.challenge, actor=actor, plan=plan)
    for removed in Criterion.objects.filter(pk=criterion.pk, plan=plan):
        _audit_criterion_deleted(removed, actor)
        removed.delete()


@transaction.atomic
def plan_define(
    *,
    challenge: Challenge,
    actor,
    criteria: Iterable[Mapping],
    minimum_technical_score=0,
    combination: str = EvaluationPlan.Combination.CONSENSUS,
    tie_break_order: list[str] | None = None,
) -> EvaluationPlan:
    """Set the whole plan at once, replacing its criteria (each a mapping as for criterion_add).

    Either everything is saved or nothing is.
    """
    plan = plan_save(
        challenge=challenge,
        actor=actor,
        minimum_technical_score=minimum_technical_score,
        combination=combination,
        tie_break_order=tie_break_order if tie_break_order is not None else DEFAULT_TIE_BREAK_ORDER,
    )
    for removed in plan.criteria.all():
        _audit_criterion_deleted(removed, actor)
    plan.criteria.all().delete()
    for position, data in enumerate(criteria, start=1):
        cleaned = _clean_criterion(data)
        if cleaned["order"] is None:
            cleaned["order"] = position
        _audit_criterion_created(_save_criterion(plan, Criterion(plan=plan), cleaned), actor)
    return plan


def _audit_criterion_created(criterion: Criterion, actor) -> None:
    audit_created(
        obj=criterion,
        actor=actor,
        fields=CRITERION_FIELDS,
        metadata={"challenge_id": criterion.plan.challenge_id},
    )


def _audit_criterion_deleted(criterion: Criterion, actor) -> None:
    audit_deleted(
        obj=criterion,
        actor=actor,
        fields=CRITERION_FIELDS,
        metadata={"challenge_id": criterion.plan.challenge_id},
    )


def _plan_problems(challenge: Challenge, missing: str) -> list[str]:
    plan = EvaluationPlan.objects.filter(challenge_id=challenge.pk).first()
    if plan is None:
        return [missing]
    problems = []
    criteria = list(plan.criteria.all())
    rated = [c for c in criteria if c.kind == Criterion.Kind.RATED]
    total = sum(c.weight for c in criteria)
    if total != 100:
        problems.append(
            _("The evaluation plan's weights add up to %(total)d%%; they must add up to 100%%.")
            % {"total": total}
        )
    if not rated:
        problems.append(_("Add at least one rated criterion to the evaluation plan."))
    rated_total = sum(c.weight for c in rated)
    if rated and plan.minimum_technical_score > rated_total:
        problems.append(
            _(
                "The minimum technical score (%(minimum)s) is above what the rated criteria can "
                "give (%(total)d); lower it."
            )
            % {"minimum": format_score(plan.minimum_technical_score), "total": rated_total}
        )
    if (
        not plan.is_frozen
        and plan.approved_digest
        and plan.compute_digest(criteria) != plan.approved_digest
    ):
        # Only a write around the services can do this; what was approved is what is published.
        problems.append(
            _(
                "The evaluation plan is no longer the one approved (its digest changed); the "
                "challenge cannot be published with it."
            )
        )
    return problems


def plan_review_problems(challenge: Challenge) -> list[str]:
    """The review check (registered with challenges.checks): the plan is fixed from review on,
    so it must be complete before the approver sees it."""
    return _plan_problems(
        challenge,
        _(
            "Define the evaluation plan (criteria, weights, minimum technical score, "
            "tie-breaks) before review."
        ),
    )


def plan_publication_problems(challenge: Challenge) -> list[str]:
    """The publication check (registered with challenges.checks): what the plan still lacks."""
    return _plan_problems(
        challenge,
        _(
            "Define the evaluation plan (criteria, weights, minimum technical score, "
            "tie-breaks) before publishing."
        ),
    )


def plan_freeze(*, plan: EvaluationPlan, frozen_at) -> EvaluationPlan:
    """Freeze the plan with its digest and open the evaluation in setup (no permission check:
    publication, which runs this, already checked it)."""
    plan = _lock_plan(plan)
    if not plan.is_frozen:
        plan.digest = plan.compute_digest()
        plan.frozen_at = frozen_at
        plan.save(update_fields=["digest", "frozen_at"])
    Evaluation.objects.get_or_create(challenge_id=plan.challenge_id, defaults={"plan": plan})
    return plan


def plan_record_approval(*, instance: Challenge, actor=None) -> None:
    """Effect of `Challenge.approve`, inside its transaction: the digest of the plan the
    approver approved, to be shown next to the one frozen at publication."""
    plan = EvaluationPlan.objects.select_for_update().filter(challenge_id=instance.pk).first()
    if plan is not None:
        plan.approved_digest = plan.compute_digest()
        plan.save(update_fields=["approved_digest"])


def plan_freeze_on_publication(*, instance: Challenge, actor=None) -> None:
    """Effect of `Challenge.publish`, inside its transaction."""
    plan = EvaluationPlan.objects.filter(challenge_id=instance.pk).first()
    if plan is not None:
        plan_freeze(plan=plan, frozen_at=instance.published_at)
