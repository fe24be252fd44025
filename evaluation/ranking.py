"""The ranking, computed in the database from stored inputs (DESIGN.md §3 Evaluation).

Per proposal that passed screening:
- combined score per rated criterion: the consensus score, or the average of the submitted
  evaluators' scores, as the plan says;
- technical = Σ combined / max points × weight (so out of the sum of the rated weights);
- price points = lowest price / bid price × price weight, only for proposals whose technical score
  meets the plan's minimum (the lowest price is taken among those proposals too); others get none;
- total = technical + price points; every figure rounded to 4 decimals before it is compared;
- rank = RANK() over total, then the plan's tie-break chain (technical score higher, price lower,
  recorded draw position lower). Proposals still tied share a rank.

The number of queries does not depend on the number of proposals: one for the plan's criteria,
one aggregate for the lowest eligible price, one for the ranked rows, and one more when a draw
is needed (the draw itself is stored by `services.ranking`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Rank, Round
from django.utils.translation import gettext as _

from vendors.models import Proposal

from .models import (
    PASSED_SCREENING,
    Criterion,
    DrawEntry,
    Evaluation,
    EvaluationPlan,
    PanelAssignment,
)

PLACES = 4
NUMBER = DecimalField(max_digits=20, decimal_places=PLACES)
ZERO = Value(Decimal("0"), output_field=NUMBER)
QUANTUM = Decimal(1).scaleb(-PLACES)

TIE_BREAK_LABELS = {
    EvaluationPlan.TieBreak.TECHNICAL: _("technical score"),
    EvaluationPlan.TieBreak.PRICE: _("price"),
    EvaluationPlan.TieBreak.DRAW: _("recorded draw"),
}


@dataclass
class RankRow:
    proposal_id: int
    criterion_scores: dict[str, Decimal]
    technical: Decimal
    meets_minimum: bool
    price: Decimal | None
    price_points: Decimal
    total: Decimal
    rank: int
    draw_position: int | None = None
    tie_break_applied: str = ""
    keys: tuple = field(default=(), repr=False)


@dataclass
class Ranking:
    rows: list[RankRow]
    # Groups of proposal ids the chain before "draw" leaves tied, when the plan ends in a draw.
    draw_groups: list[list[int]]


def _places(value: Decimal) -> Decimal:
    """The figure with its four places, as PostgreSQL returns it (SQLite drops trailing zeros)."""
    return value.quantize(QUANTUM)


def _rounded(expression):
    return Round(ExpressionWrapper(expression, output_field=NUMBER), PLACES, output_field=NUMBER)


def _combined(evaluation: Evaluation, plan: EvaluationPlan, criterion: Criterion):
    """An aggregate over the proposal's joined scores for one criterion (one GROUP BY for all
    criteria; the database computes identical aggregates once however often they are used)."""
    if plan.combination == EvaluationPlan.Combination.CONSENSUS:
        return Max(
            "consensus_scores__points",
            filter=Q(
                consensus_scores__criterion_id=criterion.pk,
                consensus_scores__evaluation_id=evaluation.pk,
            ),
        )
    return Avg(
        "evaluation_scores__points",
        filter=Q(
            evaluation_scores__criterion_id=criterion.pk,
            evaluation_scores__assignment__evaluation_id=evaluation.pk,
            evaluation_scores__assignment__status=PanelAssignment.Status.SUBMITTED,
        ),
    )


def _base(evaluation: Evaluation, plan: EvaluationPlan, criteria: list[Criterion]):
    rated = [c for c in criteria if c.kind == Criterion.Kind.RATED]
    qs = Proposal.objects.filter(challenge_id=evaluation.challenge_id, status__in=PASSED_SCREENING)
    annotations = {f"c{c.pk}": _rounded(_combined(evaluation, plan, c)) for c in rated}
    qs = qs.annotate(**annotations)
    terms = [
        _Flat(
            _combined(evaluation, plan, c),
            template=f"(COALESCE(ROUND(%(expressions)s, {PLACES}), 0) * %(weight)d * 1.0"
            " / %(max_points)d)",
            weight=int(c.weight),
            max_points=int(c.max_points),
        )
        for c in rated
    ]
    technical = _Flat(*terms, template=f"ROUND(%(expressions)s, {PLACES})", arg_joiner=" + ")
    qs = qs.annotate(technical=technical if terms else ZERO)
    return qs.annotate(
        meets_minimum=Case(
            When(_meets_minimum(plan), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        # A price below the minimum is neither shown nor compared.
        eligible_price=Case(
            When(_meets_minimum(plan), then=F("price_envelope__amount")),
            default=None,
            output_field=NUMBER,
        ),
    )


class _Flat(Func):
    """A decimal figure written as one SQL template, the same on every database.

    Django's SQLite backend wraps each step of a decimal expression in CAST(... AS NUMERIC), and
    annotations are written out in full wherever they are used: the ranking query would nest
    beyond what SQLite before 3.46 can parse (`make run` uses SQLite). Written flat, it nests a
    few levels deep. `* 1.0` before a division keeps its fraction on SQLite, which divides two
    integers as integers; on PostgreSQL it is an exact numeric.
    """

    output_field = NUMBER

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, **extra_context)


def _meets_minimum(plan: EvaluationPlan) -> Q:
    return Q(technical__gte=Value(plan.minimum_technical_score))


def compute_ranking(evaluation: Evaluation, *, with_draw: bool = True) -> Ranking:
    """Rank the proposals that passed screening; read-only. Uses the evaluation's recorded draw,
    if any, when `with_draw`."""
    plan = evaluation.plan
    criteria = list(plan.criteria.all())
    rated = [c for c in criteria if c.kind == Criterion.Kind.RATED]
    price_criterion = next((c for c in criteria if c.kind == Criterion.Kind.PRICE), None)
    qs = _base(evaluation, plan, criteria)

    price_points = ZERO
    if price_criterion is not None:
        lowest = qs.aggregate(lowest=Min("eligible_price"))["lowest"]
        if lowest is not None:
            weight = Value(Decimal(price_criterion.weight), output_field=NUMBER)
            eligible = _meets_minimum(plan)
            price_points = Case(
                When(
                    eligible & Q(price_envelope__amount__gt=0),
                    then=_Flat(
                        Value(lowest * price_criterion.weight, output_field=NUMBER),
                        F("price_envelope__amount"),
                        template=f"ROUND(%(expressions)s, {PLACES})",
                        arg_joiner=" * 1.0 / ",
                    ),
                ),
                # A bid of zero is the lowest possible price: full points.
                When(eligible & Q(price_envelope__amount=0), then=weight),
                default=ZERO,
                output_field=NUMBER,
            )
    qs = qs.annotate(price_points=price_points).annotate(
        total=_Flat(
            F("technical"),
            F("price_points"),
            template=f"ROUND(%(expressions)s, {PLACES})",
            arg_joiner=" + ",
        )
    )
    chain = [key for key in plan.tie_break_order if key in EvaluationPlan.TieBreak.values]
    if with_draw and EvaluationPlan.TieBreak.DRAW in chain:
        qs = qs.annotate(
            draw_position=Subquery(
                DrawEntry.objects.filter(
                    draw__evaluation_id=evaluation.pk, proposal_id=OuterRef("pk")
                ).values("position")[:1]
            )
        )
    else:
        qs = qs.annotate(draw_position=Value(None, output_field=IntegerField()))
    order_by = [F("total").desc()]
    for key in chain:
        if key == EvaluationPlan.TieBreak.TECHNICAL:
            order_by.append(F("technical").desc())
        elif key == EvaluationPlan.TieBreak.PRICE:
            order_by.append(F("eligible_price").asc(nulls_last=True))
        elif key == EvaluationPlan.TieBreak.DRAW and with_draw:
            order_by.append(F("draw_position").asc(nulls_last=True))
    qs = qs.annotate(rank=Window(Rank(), order_by=order_by)).order_by("rank", "draw_position", "pk")
    fields = ["pk", "technical", "meets_minimum", "eligible_price", "price_points", "total"]
    fields += ["rank", "draw_position", *(f"c{c.pk}" for c in rated)]

    rows = []
    for values in qs.values(*fields):
        rows.append(
            RankRow(
                proposal_id=values["pk"],
                criterion_scores={
                    str(c.pk): _places(values[f"c{c.pk}"])
                    for c in rated
                    if values[f"c{c.pk}"] is not None
                },
                technical=_places(values["technical"]),
                meets_minimum=values["meets_minimum"],
                price=values["eligible_price"],
                price_points=_places(values["price_points"]),
                total=_places(values["total"]),
                rank=values["rank"],
                draw_position=values["draw_position"],
            )
        )
    _explain_ties(rows, chain)
    return Ranking(rows=rows, draw_groups=_draw_groups(rows, chain))


def _key_value(row: RankRow, key: str):
    if key == EvaluationPlan.TieBreak.TECHNICAL:
        return row.technical
    if key == EvaluationPlan.TieBreak.PRICE:
        return row.price
    return row.draw_position


def _explain_ties(rows: list[RankRow], chain: list[str]) -> None:
    """Say, for each proposal tied with another on total, which tie-break separated them."""
    by_total: dict[Decimal, list[RankRow]] = {}
    for row in rows:
        by_total.setdefault(row.total, []).append(row)
    for group in by_total.values():
        if len(group) < 2:
            continue
        for row in group:
            deciding = None
            for others in (o for o in group if o is not row):
                first = next(
                    (
                        i
                        for i, key in enumerate(chain)
                        if _key_value(row, key) != _key_value(others, key)
                    ),
                    None,
                )
                if first is None:
                    deciding = None
                    break
                deciding = first if deciding is None else max(deciding, first)
            if deciding is None:
                row.tie_break_applied = str(_("tied on every key; rank shared"))
            else:
                row.tie_break_applied = str(
                    _("tied on total; decided by %(key)s")
                    % {"key": TIE_BREAK_LABELS[chain[deciding]]}
                )


def _draw_groups(rows: list[RankRow], chain: list[str]) -> list[list[int]]:
    if EvaluationPlan.TieBreak.DRAW not in chain:
        return []
    before = chain[: chain.index(EvaluationPlan.TieBreak.DRAW)]
    groups: dict[tuple, list[int]] = {}
    for row in rows:
        key = (row.total, *(_key_value(row, k) for k in before))
        groups.setdefault(key, []).append(row.proposal_id)
    return [sorted(ids) for ids in groups.values() if len(ids) > 1]


def technical_standing(evaluation: Evaluation, *, proposal_id: int) -> bool:
    """Whether one proposal meets the technical minimum (from the stored ranking once there is
    one, else computed the same way as the ranking)."""
    from .models import RankingEntry

    stored = RankingEntry.objects.filter(evaluation=evaluation, proposal_id=proposal_id).first()
    if stored is not None:
        return stored.meets_minimum
    plan = evaluation.plan
    row = (
        _base(evaluation, plan, list(plan.criteria.all()))
        .filter(pk=proposal_id)
        .values("meets_minimum")
        .first()
    )
    return bool(row and row["meets_minimum"])


def technical_table(evaluation: Evaluation) -> list[dict]:
    """Technical score, standing and (for those meeting the minimum) price of every proposal
    that passed screening, in one query."""
    plan = evaluation.plan
    return [
        {
            "proposal_id": row["pk"],
            "technical": row["technical"],
            "meets_minimum": row["meets_minimum"],
            "price": row["eligible_price"],
        }
        for row in _base(evaluation, plan, list(plan.criteria.all()))
        .order_by("pk")
        .values("pk", "technical", "meets_minimum", "eligible_price")
    ]
