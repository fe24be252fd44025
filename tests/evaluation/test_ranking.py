"""The ranking: computed in the database, tie-breaks applied and recorded, reproducible."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from challenges.services import challenge_transition
from core.errors import PermissionDenied, TransitionRefused
from evaluation import selectors, services
from evaluation.models import ConsensusScore, DrawRecord, Evaluation, RankingEntry
from evaluation.ranking import compute_ranking
from tests.evaluation.builders import ranking_field
from tests.factories import set_status
from vendors.models import Proposal

pytestmark = pytest.mark.django_db


def stored(evaluation):
    return list(
        RankingEntry.objects.filter(evaluation=evaluation)
        .order_by("rank", "proposal_id")
        .values_list("proposal_id", "technical", "meets_minimum", "price_points", "total", "rank")
    )


def rank(evaluation):
    return services.evaluation_rank(evaluation=evaluation, actor=evaluation.challenge.owner)


def test_it_weights_consensus_scores_and_gives_price_points_by_the_formula():
    # Approach 40% of 10 points, Team 30% of 10 points, price 30%.
    evaluation, (a, b, c) = ranking_field(
        [([10, 5], "50000"), ([5, 10], "100000"), ([8, 8], "80000")]
    )

    rank(evaluation)

    assert stored(evaluation) == [
        # 40 + 15 = 55 technical, cheapest: 30 price points.
        (a.pk, Decimal("55.0000"), True, Decimal("30.0000"), Decimal("85.0000"), 1),
        # 32 + 24 = 56 technical, 50000 / 80000 × 30 = 18.75.
        (c.pk, Decimal("56.0000"), True, Decimal("18.7500"), Decimal("74.7500"), 2),
        # 20 + 30 = 50 technical, 50000 / 100000 × 30 = 15.
        (b.pk, Decimal("50.0000"), True, Decimal("15.0000"), Decimal("65.0000"), 3),
    ]


def test_it_averages_the_submitted_scores_when_the_plan_says_so():
    evaluation, (a, b) = ranking_field(
        [([[10, 10], [6, 4]], "100"), ([[7, 7], [7, 7]], "100")],
        combination="average",
        evaluators=2,
    )

    rank(evaluation)

    # a: approach avg 8 → 32, team avg 7 → 21; b: 28 + 21.
    assert stored(evaluation) == [
        (a.pk, Decimal("53.0000"), True, Decimal("30.0000"), Decimal("83.0000"), 1),
        (b.pk, Decimal("49.0000"), True, Decimal("30.0000"), Decimal("79.0000"), 2),
    ]
    entry = RankingEntry.objects.get(proposal=a)
    criteria = list(evaluation.plan.criteria.filter(kind="rated").order_by("order"))
    assert entry.criterion_scores == {str(criteria[0].pk): "8.0000", str(criteria[1].pk): "7.0000"}


def test_proposals_below_the_minimum_get_no_price_points_and_do_not_set_the_lowest_price():
    evaluation, (strong, weak) = ranking_field(
        [([10, 10], "100000"), ([2, 2], "10000")], minimum="35"
    )

    rank(evaluation)

    assert stored(evaluation) == [
        # The weak bid is cheaper, but below the minimum: the strong one is the lowest eligible.
        (strong.pk, Decimal("70.0000"), True, Decimal("30.0000"), Decimal("100.0000"), 1),
        (weak.pk, Decimal("14.0000"), False, Decimal("0.0000"), Decimal("14.0000"), 2),
    ]


def test_a_tie_on_total_is_broken_by_technical_score_first_when_declared_so():
    # a: 40 + 0 technical = 40, price 30 → 70; b: 28 + 18 = 46, price 24 → 70.
    evaluation, (a, b) = ranking_field(
        [([10, 0], "80000"), ([7, 6], "100000")], tie_break_order=("technical", "price", "draw")
    )

    rank(evaluation)

    entries = {e.proposal_id: e for e in RankingEntry.objects.filter(evaluation=evaluation)}
    assert (entries[b.pk].rank, entries[a.pk].rank) == (1, 2)
    assert entries[b.pk].total == entries[a.pk].total == Decimal("70.0000")
    assert entries[a.pk].tie_break_applied == "tied on total; decided by technical score"
    assert not DrawRecord.objects.filter(evaluation=evaluation).exists()


def test_a_tie_on_total_is_broken_by_price_first_when_declared_so():
    evaluation, (a, b) = ranking_field(
        [([10, 0], "80000"), ([7, 6], "100000")], tie_break_order=("price", "technical")
    )

    rank(evaluation)

    entries = {e.proposal_id: e for e in RankingEntry.objects.filter(evaluation=evaluation)}
    assert (entries[a.pk].rank, entries[b.pk].rank) == (1, 2)
    assert entries[b.pk].tie_break_applied == "tied on total; decided by price"


def test_a_full_tie_is_settled_by_a_recorded_draw_that_replays():
    evaluation, (a, b, c) = ranking_field([([8, 8], "1000"), ([8, 8], "1000"), ([10, 10], "1000")])

    rank(evaluation)

    draw = DrawRecord.objects.get(evaluation=evaluation)
    assert draw.drawn_by == evaluation.challenge.owner
    assert sorted(draw.entries.values_list("proposal_id", flat=True)) == [a.pk, b.pk]
    entries = {e.proposal_id: e for e in RankingEntry.objects.filter(evaluation=evaluation)}
    assert entries[c.pk].rank == 1
    assert {entries[a.pk].rank, entries[b.pk].rank} == {2, 3}
    assert entries[a.pk].tie_break_applied == "tied on total; decided by recorded draw"
    # Replaying the seed gives the stored order.
    import random

    replay = sorted([a.pk, b.pk])
    random.Random(draw.seed).shuffle(replay)
    assert replay == list(draw.entries.order_by("position").values_list("proposal_id", flat=True))
    assert entries[replay[0]].rank == 2
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.RANKED


def test_without_a_draw_in_the_chain_tied_proposals_share_a_rank():
    evaluation, (a, b) = ranking_field(
        [([8, 8], "1000"), ([8, 8], "1000")], tie_break_order=("technical",)
    )

    rank(evaluation)

    assert [e[5] for e in stored(evaluation)] == [1, 1]
    assert set(
        RankingEntry.objects.filter(evaluation=evaluation).values_list(
            "tie_break_applied", flat=True
        )
    ) == {"tied on every key; rank shared"}
    assert not DrawRecord.objects.exists()


def test_recompute_ranking_agrees_with_untouched_inputs():
    evaluation, _proposals = ranking_field([([8, 8], "1000"), ([8, 8], "1000")])
    rank(evaluation)

    out = StringIO()
    call_command("recompute_ranking", evaluation.challenge.reference, stdout=out)

    assert "matches its inputs (2 proposals" in out.getvalue()


def test_recompute_ranking_fails_when_a_stored_input_was_changed():
    evaluation, (a, b) = ranking_field([([9, 9], "1000"), ([8, 8], "1000")])
    rank(evaluation)
    ConsensusScore.objects.filter(proposal=a).update(points=Decimal("1"))

    err = StringIO()
    with pytest.raises(CommandError, match="does not match its inputs"):
        call_command("recompute_ranking", evaluation.challenge.reference, stderr=err)

    assert "The inputs changed since the ranking" in err.getvalue()
    assert f"Proposal {a.pk}: total" in err.getvalue()


def test_recompute_ranking_fails_when_a_stored_row_was_changed():
    evaluation, (a, _b) = ranking_field([([9, 9], "1000"), ([8, 8], "1000")])
    rank(evaluation)
    RankingEntry.objects.filter(proposal=a).update(rank=2)

    with pytest.raises(CommandError):
        call_command("recompute_ranking", evaluation.challenge.reference, stderr=StringIO())


@pytest.mark.parametrize("decided", [False, True])
def test_recompute_ranking_agrees_after_the_challenge_is_cancelled(decided):
    evaluation, proposals = ranking_field([([9, 9], "1000"), ([8, 8], "1200"), ([5, 5], "900")])
    rank(evaluation)
    if decided:
        set_status(evaluation, "ranked")
        services.evaluation_decide(
            evaluation=evaluation, actor=evaluation.challenge.owner, shortlist_size=1
        )
    challenge_transition(
        challenge=evaluation.challenge,
        actor=evaluation.challenge.owner,
        name="cancel",
        reason="The council withdrew the budget.",
    )
    assert {p.status for p in Proposal.objects.filter(pk__in=[p.pk for p in proposals])} >= {
        "cancelled"
    }

    out = StringIO()
    call_command("recompute_ranking", evaluation.challenge.reference, stdout=out)

    assert "matches its inputs (3 proposals" in out.getvalue()


def test_recompute_ranking_names_an_unknown_reference():
    with pytest.raises(CommandError, match="No evaluation"):
        call_command("recompute_ranking", "NOPE-1")


def _specs(count):
    return [([(i * 7) % 11, (i * 3) % 11], str(1000 + (i * 37) % 500)) for i in range(count)]


def test_the_ranking_takes_the_same_number_of_queries_for_5_and_50_proposals():
    small, _ = ranking_field(_specs(5), tie_break_order=("technical", "price"))
    large, _ = ranking_field(_specs(50), tie_break_order=("technical", "price"))
    small = Evaluation.objects.select_related("plan").get(pk=small.pk)
    large = Evaluation.objects.select_related("plan").get(pk=large.pk)

    with CaptureQueriesContext(connection) as five:
        assert len(compute_ranking(small).rows) == 5
    with CaptureQueriesContext(connection) as fifty:
        assert len(compute_ranking(large).rows) == 50

    assert len(five) == len(fifty) <= 3


def test_ranking_and_storing_take_the_same_number_of_queries_for_5_and_50_proposals():
    warm_up, _ = ranking_field(_specs(2), combination="average", evaluators=3)
    rank(warm_up)  # content types and the audit chain's head are read once per process
    small, _ = ranking_field(_specs(5), combination="average", evaluators=3)
    large, _ = ranking_field(_specs(50), combination="average", evaluators=3)

    with CaptureQueriesContext(connection) as five:
        rank(small)
    with CaptureQueriesContext(connection) as fifty:
        rank(large)

    assert len(five) == len(fifty)


def test_only_the_owner_ranks_and_only_once_prices_are_open(bob):
    evaluation, _ = ranking_field([([8, 8], "1000")], status="consensus")
    with pytest.raises(TransitionRefused, match="not possible while the evaluation is Consensus"):
        rank(evaluation)
    evaluation = ranking_field([([8, 8], "1000")])[0]
    with pytest.raises(PermissionDenied):
        services.evaluation_rank(evaluation=evaluation, actor=bob)

    assert not RankingEntry.objects.exists()
    assert not DrawRecord.objects.exists()
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.PRICES_OPENED


def test_results_come_as_csv_rows_with_prices_only_for_proposals_meeting_the_minimum():
    evaluation, (strong, weak) = ranking_field(
        [([10, 10], "100000"), ([2, 2], "10000")], minimum="35"
    )
    evaluation = rank(evaluation)
    owner = evaluation.challenge.owner

    rows = selectors.ranking_rows(evaluation=evaluation, user=owner)

    assert rows[0] == [
        "rank",
        "label",
        "vendor",
        "Approach",
        "Team and experience",
        "technical",
        "meets_minimum",
        "price",
        "price_points",
        "total",
        "tie_break",
    ]
    assert rows[1][0] == "1" and rows[1][2] == strong.vendor.legal_name
    assert rows[1][5:10] == ["70.0000", "yes", "100000.00", "30.0000", "100.0000"]
    assert rows[2][2] == weak.vendor.legal_name
    assert rows[2][5:10] == ["14.0000", "no", "", "0.0000", "14.0000"]


def test_results_rows_are_empty_for_people_without_access(bob, frank, dave, root, rita):
    evaluation, _ = ranking_field([([10, 10], "100000")])
    evaluation = rank(evaluation)

    for person in (frank, dave, root, rita):
        assert selectors.ranking_rows(evaluation=evaluation, user=person) == []
    # Other staff see the ranking but never the prices.
    rows = selectors.ranking_rows(evaluation=evaluation, user=bob)
    assert rows[1][7] == ""
