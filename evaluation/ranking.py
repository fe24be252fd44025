"""The ranking, computed in the database from stored inputs (DESIGN.md §3 Evaluation).

Per proposal that passed screening:
- combined score per rated criterion: the consensus score, or the average of the submitted
  evaluators' scores, as the plan says;
- technical = Σ combined / max points × weight (so out of the sum of the rated weights);
- price points = lowest price / bid price × price weight, only for proposals whose technical score
  meets the plan's minimum (the lowest price is taken among those proposals too); others get none;
- total = technical + price points;
- rank = RANK() over total, then the plan's tie-break chain (technical score higher, price lower,
  recorded draw position lower). Proposals still tied share a rank.

Rounding is exact: each combined score, the technical score and the price points are rounded to
4 decimals, half up, and the arithmetic is done in whole numbers of ten-thousandths (scores in
hundredths, prices in cents, the rated terms over one common denominator, a division only once,
at the end). Neither PostgreSQL's numeric division (rounded after about 20 digits) nor SQLite's
floating point can then move a figure that sits exactly on a half (37.94125 is 37.9413 on both).

The number of queries does not depend on the number of proposals: one for the plan's criteria,
one aggregate for the lowest eligible price, one for the ranked rows, and one more when a draw
is needed (the draw itself is stored by `services.ranking`).
"""

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Rank
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    Criterion,
    DrawEntry,
    Evaluation,
    EvaluationPlan,
    PanelAssignment,
)

PLACES = 4
UNIT = 10**PLACES  # figures are computed in whole ten-thousandths
NUMBER = DecimalField(max_digits=20, decimal_places=2)
QUANTUM = Decimal(1).scaleb(-PLACES)

TIE_BREAK_LABELS = {
    EvaluationPlan.TieBreak.TECHNICAL: gettext_lazy("technical score"),
    EvaluationPlan.TieBreak.PRICE: gettext_lazy("price"),
    EvaluationPlan.TieBreak.DRAW: gettext_lazy("recorded draw"),
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


def _figure(units: int) -> Decimal:
    """A figure in ten-thousandths as a decimal with its four places."""
    return Decimal(int(units)).scaleb(-PLACES).quantize(QUANTUM)


class _Whole(Func):
    """Integer arithmetic written as one SQL template, the same on PostgreSQL and SQLite.

    `{0}`, `{1}`… stand for the expressions; every operand is a BIGINT, so `/` is an integer
    division on both databases (it truncates, which for figures that are never negative is the
    floor: `(2a + b) / (2b)` is a/b rounded half up). Written flat, the query nests only a few
    levels deep, which SQLite before 3.46 needs (`make run` uses SQLite).
    """

    output_field = BigIntegerField()

    def __init__(self, sql: str, *expressions):
        super().__init__(*expressions)
        self.sql = sql

    def as_sql(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(e) for e in self.get_source_expressions()]
        params = []

        def operand(match):
            sql, operand_params = compiled[int(match.group(1))]
            params.extend(operand_params)
            return f"({sql})"

        return re.sub(r"\{(\d+)\}", operand, self.sql), params


def _units(decimal_field: str, factor: int):
    """A stored decimal of at most two places as a whole number of 1/factor (exact: the
    rounding only undoes SQLite's binary storage of decimals)."""
    return _Whole(f"CAST(ROUND({{0}} * {factor}) AS BIGINT)", F(decimal_field))


def _combined(evaluation: Evaluation, plan: EvaluationPlan, criterion: Criterion):
    """The combined score in ten-thousandths, rounded half up: an aggregate over the proposal's
    joined scores for one criterion (one GROUP BY for all criteria)."""
    if plan.combination == EvaluationPlan.Combination.CONSENSUS:
        return Max(
            _units("consensus_scores__points", UNIT),
            filter=Q(
                consensus_scores__criterion_id=criterion.pk,
                consensus_scores__evaluation_id=evaluation.pk,
            ),
            output_field=BigIntegerField(),
        )
    submitted = Q(
        evaluation_scores__criterion_id=criterion.pk,
        evaluation_scores__assignment__evaluation_id=evaluation.pk,
        evaluation_scores__assignment__status=PanelAssignment.Status.SUBMITTED,
    )
    hundredths = Sum(
        _units("evaluation_scores__points", 100), filter=submitted, output_field=BigIntegerField()
    )
    count = Count("evaluation_scores__points", filter=submitted)
    # average × UNIT = hundredths × 100 / count, rounded half up; no score gives NULL.
    return _Whole("(2 * 100 * CAST({0} AS BIGINT) + {1}) / NULLIF(2 * {1}, 0)", hundredths, count)


def _technical(evaluation: Evaluation, plan: EvaluationPlan, rated: list[Criterion]):
    """Σ combined × weight / max points in ten-thousandths, rounded half up once: each term is
    brought to the common denominator of the maximum points before anything is divided."""
    if not rated:
        return Value(0, output_field=BigIntegerField())
    common = math.lcm(*(int(c.max_points) for c in rated))
    terms = " + ".join(
        f"COALESCE({{{n}}}, 0) * {int(c.weight) * (common // int(c.max_points))}"
        for n, c in enumerate(rated)
    )
    return _Whole(
        f"(2 * ({terms}) + {common}) / {2 * common}",
        *(_combined(evaluation, plan, c) for c in rated),
    )


def _base(evaluation: Evaluation, plan: EvaluationPlan, criteria: list[Criterion]):
    rated = [c for c in criteria if c.kind == Criterion.Kind.RATED]
    qs = evaluation.ranked_proposals()
    qs = qs.annotate(**{f"c{c.pk}": _combined(evaluation, plan, c) for c in rated})
    qs = qs.annotate(technical=_technical(evaluation, plan, rated))
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


def _meets_minimum(plan: EvaluationPlan) -> Q:
    minimum = int((plan.minimum_technical_score * UNIT).to_integral_value())
    return Q(technical__gte=Value(minimum, output_field=BigIntegerField()))


def compute_ranking(evaluation: Evaluation, *, with_draw: bool = True) -> Ranking:
    """Rank the proposals that passed screening; read-only. Uses the evaluation's recorded draw,
    if any, when `with_draw`."""
    plan = evaluation.plan
    criteria = list(plan.criteria.all())
    rated = [c for c in criteria if c.kind == Criterion.Kind.RATED]
    price_criterion = next((c for c in criteria if c.kind == Criterion.Kind.PRICE), None)
    qs = _base(evaluation, plan, criteria)

    price_points = Value(0, output_field=BigIntegerField())
    if price_criterion is not None:
        lowest = qs.aggregate(lowest=Min("eligible_price"))["lowest"]
        if lowest is not None:
            weight = int(price_criterion.weight)
            cents = int((Decimal(lowest) * 100).to_integral_value())
            eligible = _meets_minimum(plan)
            price_points = Case(
                # lowest / bid × weight in ten-thousandths, rounded half up, both in cents.
                # NULLIF: the database may compute this for a zero bid too (in its GROUP BY).
                When(
                    eligible & Q(price_envelope__amount__gt=0),
                    then=_Whole(
                        f"({2 * cents * weight * UNIT} + {{0}}) / NULLIF(2 * {{0}}, 0)",
                        _units("price_envelope__amount", 100),
                    ),
                ),
                # A bid of zero is the lowest possible price: full points.
                When(eligible & Q(price_envelope__amount=0), then=Value(weight * UNIT)),
                default=Value(0),
                output_field=BigIntegerField(),
            )
    qs = qs.annotate(price_points=price_points).annotate(
        total=_Whole("{0} + {1}", F("technical"), F("price_points"))
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
                    str(c.pk): _figure(values[f"c{c.pk}"])
                    for c in rated
                    if values[f"c{c.pk}"] is not None
                },
                technical=_figure(values["technical"]),
                meets_minimum=values["meets_minimum"],
                price=values["eligible_price"],
                price_points=_figure(values["price_points"]),
                total=_figure(values["total"]),
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
            "technical": _figure(row["technical"]),
            "meets_minimum": row["meets_minimum"],
            "price": row["eligible_price"],
        }
        for row in _base(evaluation, plan, list(plan.criteria.all()))
        .order_by("pk")
        .values("pk", "technical", "meets_minimum", "eligible_price")
    ]
