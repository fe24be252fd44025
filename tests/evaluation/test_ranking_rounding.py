"""The ranking's figures are exact, half up, and the same on PostgreSQL and SQLite.

Every figure is compared with the same rounding done with fractions in Python: each combined
score, the technical score and the price points to 4 decimals, half up. PostgreSQL runs in the
suite; SQLite (what `make run` uses) runs the same property in test_ranking_sqlite.py.
"""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation.ranking import compute_ranking
from tests.evaluation.builders import ranking_field
from tests.evaluation.test_ranking_properties import in_rollback

FOUR = Decimal("0.0001")


def half_up(value: Fraction) -> Decimal:
    """The non-negative value to 4 decimals, half up."""
    return Decimal(math.floor(value * 10**4 + Fraction(1, 2))).scaleb(-4).quantize(FOUR)


def expected(case: dict) -> list[tuple]:
    """(technical, meets minimum, price points, total, rank) per proposal, in case order."""
    rated = case["rated"]
    technical = []
    for points in case["points"]:
        per_evaluator = points if isinstance(points[0], list) else [points]
        combined = [
            half_up(sum(Fraction(str(p[i])) for p in per_evaluator) / len(per_evaluator))
            for i in range(len(rated))
        ]
        technical.append(
            half_up(
                sum(
                    (Fraction(c) * weight / max_points)
                    for c, (_name, weight, max_points) in zip(combined, rated, strict=True)
                )
            )
        )
    minimum = Decimal(case["minimum"])
    meets = [t >= minimum for t in technical]
    prices = [Fraction(price) for price in case["prices"]]
    eligible = [p for p, ok in zip(prices, meets, strict=True) if ok]
    lowest = min(eligible) if eligible else None
    weight = case["price_weight"]
    price_points = [
        (Decimal(weight) if p == 0 else half_up(lowest * weight / p)).quantize(FOUR)
        if ok
        else Decimal("0.0000")
        for p, ok in zip(prices, meets, strict=True)
    ]
    totals = [t + p for t, p in zip(technical, price_points, strict=True)]

    def key(i):  # the chain: total, then technical higher, then eligible price lower
        return (totals[i], technical[i], -prices[i] if meets[i] else Fraction(-(10**20)))

    ranks = [1 + sum(key(j) > key(i) for j in range(len(totals))) for i in range(len(totals))]
    return [
        (str(t.quantize(FOUR)), m, str(p), str(total.quantize(FOUR)), r)
        for t, m, p, total, r in zip(technical, meets, price_points, totals, ranks, strict=True)
    ]


def computed(case: dict) -> list[tuple]:
    evaluation, proposals = ranking_field(
        list(zip(case["points"], case["prices"], strict=True)),
        rated=case["rated"],
        price_weight=case["price_weight"],
        combination=case["combination"],
        evaluators=case["evaluators"],
        minimum=case["minimum"],
        tie_break_order=("technical", "price"),
    )
    rows = {row.proposal_id: row for row in compute_ranking(evaluation).rows}
    return [
        (
            str(rows[p.pk].technical),
            rows[p.pk].meets_minimum,
            str(rows[p.pk].price_points),
            str(rows[p.pk].total),
            rows[p.pk].rank,
        )
        for p in proposals
    ]


# Exact half-ties of the fifth decimal, written out.
CASES = {
    # The average of four evaluators, 4.2175 × 60 / 8 + 6.31 × 10 / 10 = 37.94125 exactly.
    "technical 37.94125": {
        "rated": (("Approach", 60, 8), ("Team", 10, 10)),
        "price_weight": 30,
        "combination": "average",
        "evaluators": 4,
        "minimum": "0",
        "points": [
            [[2.64, 9.55], [7.08, 4.43], [5.03, 3.20], [2.12, 8.06]],
            [[5, 5], [5, 5], [5, 5], [5, 5]],
        ],
        "prices": ["1000", "64000"],
    },
    # Thirds and eighths: 3.61 × 23 / 6 + 5.53 / 6 + 5.83 × 33 / 8 = 38.80875; PostgreSQL's
    # numeric division rounds each third and used to land on 38.8087. The second proposal's
    # price points are 1000 / 64000 × 43 = 0.671875, and its technical score 33.90625.
    "technical 38.80875, price 0.671875": {
        "rated": (("Approach", 23, 6), ("Team", 1, 6), ("Plan", 33, 8)),
        "price_weight": 43,
        "combination": "consensus",
        "evaluators": 1,
        "minimum": "0",
        "points": [[3.61, 5.53, 5.83], [3, 4.5, 5.25]],
        "prices": ["1000", "64000"],
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", CASES)
def test_a_half_tie_rounds_up(name):
    case = CASES[name]

    assert in_rollback(lambda: computed(case)) == expected(case)


def test_the_written_out_half_ties_are_what_they_say():
    assert expected(CASES["technical 37.94125"])[0][0] == "37.9413"
    first, second = expected(CASES["technical 38.80875, price 0.671875"])
    assert first[0] == "38.8088"
    assert second[0] == "33.9063"
    assert second[2] == "0.6719"


criteria = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C"]),
        st.integers(min_value=1, max_value=30),
        st.sampled_from([3, 6, 7, 8, 10, 12]),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda c: c[0],
)


@st.composite
def cases(draw):
    rated = tuple(draw(criteria))
    combination = draw(st.sampled_from(["consensus", "average"]))
    evaluators = 1 if combination == "consensus" else draw(st.integers(1, 4))
    count = draw(st.integers(min_value=2, max_value=4))

    def points():
        return [
            draw(st.integers(0, max_points * 100)) / 100 for _name, _weight, max_points in rated
        ]

    return {
        "rated": rated,
        "price_weight": 100 - sum(weight for _name, weight, _max in rated),
        "combination": combination,
        "evaluators": evaluators,
        "minimum": draw(st.sampled_from(["0", "12.5"])),
        "points": [
            points() if combination == "consensus" else [points() for _ in range(evaluators)]
            for _ in range(count)
        ],
        "prices": draw(
            st.lists(
                st.sampled_from(["0", "1000", "1600", "3000", "64000", "77777.77"]),
                min_size=count,
                max_size=count,
            )
        ),
    }


@settings(
    max_examples=15,
    database=None,  # no example database written into the working tree
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(case=cases())
def every_figure_is_exact(case):
    assert in_rollback(lambda: computed(case)) == expected(case)


@pytest.mark.django_db
def test_every_figure_is_exact_on_postgresql():
    every_figure_is_exact()
