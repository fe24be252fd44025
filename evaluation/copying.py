"""The evaluation plan's part of starting a challenge from an earlier one (challenges.copying):
its criteria and settings, unfrozen, without digests, to be reviewed and approved again."""

from core.audit import audit_created

from .models import Criterion, EvaluationPlan
from .services.plan import CRITERION_FIELDS, PLAN_FIELDS


def plan_copy(*, origin, copy, actor) -> None:
    source = EvaluationPlan.objects.filter(challenge_id=origin.pk).first()
    if source is None:
        return
    plan = EvaluationPlan.objects.create(
        challenge=copy,
        minimum_technical_score=source.minimum_technical_score,
        combination=source.combination,
        tie_break_order=list(source.tie_break_order),
        updated_by=actor,
    )
    audit_created(obj=plan, actor=actor, fields=PLAN_FIELDS, metadata={"challenge_id": copy.pk})
    fields = (*CRITERION_FIELDS, "governance_key")
    for criterion in source.criteria.order_by("order", "pk"):
        row = Criterion.objects.create(
            plan=plan, **{name: getattr(criterion, name) for name in fields}
        )
        audit_created(obj=row, actor=actor, fields=fields, metadata={"challenge_id": copy.pk})
