"""Properties of the ranking (hypothesis), on the database computation itself."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation.models import ConsensusScore, Criterion
from evaluation.ranking import compute_ranking
from tests.evaluation.builders import ranking_field

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=25,
    database=None,  # no example database written into the working tree
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

points = st.integers(min_value=0, max_value=20).map(lambda half: half / 2)  # 0, 0.5 … 10
prices = st.sampled_from(["1000", "1500", "2000", "2500"])  # few values: ties happen
specs = st.lists(st.tuples(st.tuples(points, points), prices), min_size=2, max_size=6)
chains = st.permutations(["technical", "price"]).flatmap(
    lambda order: st.integers(min_value=0, max_value=2).map(lambda n: tuple(order[:n]))
)
minimums = st.sampled_from(["0", "30", "50"])


class Rollback(Exception):
    pass


def in_rollback(build):
    """Run `build` in a savepoint that is always rolled back: each example starts clean."""
    result = {}
    try:
        with transaction.atomic():
            result["value"] = build()
            raise Rollback
    except Rollback:
        pass
    return result["value"]


def figures(rows, proposals):
    index = {p.pk: i for i, p in enumerate(proposals)}
    return sorted(
        (index[r.proposal_id], r.technical, r.meets_minimum, r.price_points, r.total, r.rank)
        for r in rows
    )


@SETTINGS
@given(specs=specs, chain=chains, minimum=minimums, data=st.data())
def test_raising_one_consensus_score_never_lowers_that_proposals_rank(
    db, specs, chain, minimum, data
):
    def build():
        evaluation, proposals = ranking_field(
            [(list(p), price) for p, price in specs], minimum=minimum, tie_break_order=chain
        )
        target = data.draw(st.integers(min_value=0, max_value=len(proposals) - 1))
        criterion = data.draw(
            st.sampled_from(list(evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED)))
        )
        score = ConsensusScore.objects.get(proposal=proposals[target], criterion=criterion)
        raised = data.draw(st.integers(min_value=int(score.points * 2), max_value=20)) / 2
        before = {r.proposal_id: r.rank for r in compute_ranking(evaluation).rows}
        ConsensusScore.objects.filter(pk=score.pk).update(points=raised)
        after = {r.proposal_id: r.rank for r in compute_ranking(evaluation).rows}
        return before[proposals[target].pk], after[proposals[target].pk]

    before, after = in_rollback(build)
    assert after <= before


@SETTINGS
@given(specs=specs, chain=chains, minimum=minimums, data=st.data())
def test_equal_inputs_in_any_order_give_equal_outputs(db, specs, chain, minimum, data):
    order = data.draw(st.permutations(range(len(specs))))

    def rank(ordered_specs):
        def build():
            evaluation, proposals = ranking_field(
                [(list(p), price) for p, price in ordered_specs],
                minimum=minimum,
                tie_break_order=chain,
            )
            return figures(compute_ranking(evaluation).rows, proposals)

        return in_rollback(build)

    straight = rank(specs)
    shuffled = rank([specs[i] for i in order])

    # Map the shuffled result back to the original positions before comparing.
    assert sorted((order[i], *rest) for i, *rest in shuffled) == straight


def prefers(a, b, chain):
    """Whether the chain puts row a before row b (None: the chain leaves them tied)."""
    for key in chain:
        if key == "technical" and a.technical != b.technical:
            return a.technical > b.technical
        if key == "price" and a.price != b.price:
            if a.price is None or b.price is None:
                return b.price is None
            return a.price < b.price
    return None


@SETTINGS
@given(specs=specs, chain=chains, minimum=minimums)
def test_ties_on_total_resolve_by_the_declared_chain(db, specs, chain, minimum):
    def build():
        evaluation, _proposals = ranking_field(
            [(list(p), price) for p, price in specs], minimum=minimum, tie_break_order=chain
        )
        return compute_ranking(evaluation).rows

    rows = in_rollback(build)
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)
    for position, row in enumerate(rows):
        # Competition ranking: one more than the number of proposals strictly ahead.
        ahead = [
            other
            for other in rows
            if other.total > row.total
            or (other.total == row.total and prefers(other, row, chain) is True)
        ]
        assert row.rank == len(ahead) + 1, (position, row)
        if not row.meets_minimum:
            assert row.price_points == 0 and row.price is None
