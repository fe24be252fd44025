"""The reach ledger: targets against people reached per priority group, summed exactly across
every activity and stage; "not recorded" counted apart, never guessed."""

import pytest

from challenges.reach_selectors import reach_ledger
from tests.factories import (
    ActivityReachFactory,
    EngagementActivityFactory,
    PriorityGroupFactory,
    ReachTargetFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seniors():
    return PriorityGroupFactory(slug="t-seniors", name_en="Seniors t", position=1)


@pytest.fixture
def youth():
    return PriorityGroupFactory(slug="t-youth", name_en="Youth t", position=2)


@pytest.fixture
def renters():
    return PriorityGroupFactory(slug="t-renters", name_en="Renters t", position=3)


def activity(challenge, stage="co_design", **counts):
    made = EngagementActivityFactory(challenge=challenge, stage=stage)
    for group, participants in counts.items():
        ActivityReachFactory(activity=made, group=group, participants=participants)
    return made


def row_of(ledger, group):
    return next(row for row in [*ledger.rows, *ledger.untargeted] if row.group == group)


def test_it_sums_participants_across_activities_and_stages(challenge, seniors):
    ReachTargetFactory(challenge=challenge, group=seniors, target=30)
    for stage, people in (("co_design", 7), ("call", 11), ("pilot", 5)):
        made = EngagementActivityFactory(challenge=challenge, stage=stage)
        ActivityReachFactory(activity=made, group=seniors, participants=people)

    row = row_of(reach_ledger(challenge=challenge), seniors)

    assert (row.target, row.reached, row.gap, row.met) == (30, 23, 7, False)
    assert row.not_recorded == 0


def test_not_recorded_adds_nothing_and_is_counted_apart(challenge, seniors, youth):
    ReachTargetFactory(challenge=challenge, group=seniors, target=10)
    first = EngagementActivityFactory(challenge=challenge)
    ActivityReachFactory(activity=first, group=seniors, participants=None)
    ActivityReachFactory(activity=first, group=youth, participants=4)
    # An activity that gave no row at all for the group did not record it either.
    second = EngagementActivityFactory(challenge=challenge)
    ActivityReachFactory(activity=second, group=seniors, participants=6)
    EngagementActivityFactory(challenge=challenge)

    ledger = reach_ledger(challenge=challenge)

    seniors_row = row_of(ledger, seniors)
    assert (seniors_row.reached, seniors_row.not_recorded, seniors_row.gap) == (6, 2, 4)
    assert ledger.activities == 3


def test_zero_is_a_count_not_a_missing_figure(challenge, seniors):
    ReachTargetFactory(challenge=challenge, group=seniors, target=5)
    made = EngagementActivityFactory(challenge=challenge)
    ActivityReachFactory(activity=made, group=seniors, participants=0)

    row = row_of(reach_ledger(challenge=challenge), seniors)

    assert (row.reached, row.not_recorded, row.gap, row.met) == (0, 0, 5, False)


def test_a_target_met_exactly_or_passed_has_no_gap(challenge, seniors, youth):
    ReachTargetFactory(challenge=challenge, group=seniors, target=12)
    ReachTargetFactory(challenge=challenge, group=youth, target=3)
    made = EngagementActivityFactory(challenge=challenge)
    ActivityReachFactory(activity=made, group=seniors, participants=12)
    ActivityReachFactory(activity=made, group=youth, participants=40)

    ledger = reach_ledger(challenge=challenge)

    assert [(r.group, r.reached, r.gap, r.met) for r in ledger.rows] == [
        (seniors, 12, 0, True),
        (youth, 40, 0, True),
    ]
    assert ledger.unmet == [] and ledger.total_gap == 0


def test_groups_reached_without_a_target_are_listed_apart(challenge, seniors, youth, renters):
    ReachTargetFactory(challenge=challenge, group=seniors, target=8)
    made = EngagementActivityFactory(challenge=challenge)
    ActivityReachFactory(activity=made, group=youth, participants=9)
    # Recorded as nobody: not "reached".
    ActivityReachFactory(activity=made, group=renters, participants=0)

    ledger = reach_ledger(challenge=challenge)

    assert [r.group for r in ledger.rows] == [seniors]
    assert [(r.group, r.target, r.reached, r.met) for r in ledger.untargeted] == [
        (youth, None, 9, True)
    ]
    assert row_of(ledger, seniors).reached == 0 and row_of(ledger, seniors).not_recorded == 1


def test_no_targets_and_no_activities_make_an_empty_ledger(challenge):
    ledger = reach_ledger(challenge=challenge)

    assert ledger.is_empty and not ledger.has_targets and ledger.unmet == []


def test_other_challenges_do_not_count(challenge, seniors):
    ReachTargetFactory(challenge=challenge, group=seniors, target=10)
    other = EngagementActivityFactory()
    ActivityReachFactory(activity=other, group=seniors, participants=50)

    row = row_of(reach_ledger(challenge=challenge), seniors)

    assert (row.reached, row.gap, row.not_recorded) == (0, 10, 0)


def test_large_counts_are_exact(challenge, seniors):
    ReachTargetFactory(challenge=challenge, group=seniors, target=1_000_000)
    for people in (333_333, 333_333, 333_333):
        made = EngagementActivityFactory(challenge=challenge)
        ActivityReachFactory(activity=made, group=seniors, participants=people)

    row = row_of(reach_ledger(challenge=challenge), seniors)

    assert (row.reached, row.gap) == (999_999, 1)


def test_the_ledger_reads_in_one_query_whatever_its_size(
    challenge, seniors, youth, renters, django_assert_max_num_queries
):
    ReachTargetFactory(challenge=challenge, group=seniors, target=8)
    activity(challenge, **{})
    made = EngagementActivityFactory(challenge=challenge)
    ActivityReachFactory(activity=made, group=youth, participants=2)
    with django_assert_max_num_queries(1):
        small = reach_ledger(challenge=challenge)
    for _ in range(5):
        made = EngagementActivityFactory(challenge=challenge)
        for group in (seniors, youth, renters):
            ActivityReachFactory(activity=made, group=group, participants=3)
    with django_assert_max_num_queries(1):
        large = reach_ledger(challenge=challenge)
    assert small.activities == 2 and large.activities == 7
