"""The reach ledger: whom a challenge meant to reach, against whom its engagement activities
reached, per priority group, across every activity and stage (docs/engagement.md).

Counts are whole people, summed exactly in the database. An activity that gave no count for a
group ("not recorded") adds nothing to it and is counted apart, so a gap is never hidden by a guess.
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from .models import ActivityReach, Challenge, EngagementActivity, PriorityGroup, ReachTarget


@dataclass(frozen=True)
class ReachRow:
    group: PriorityGroup
    target: int | None
    reached: int
    # Activities that gave no count for this group.
    not_recorded: int

    @property
    def gap(self) -> int:
        if self.target is None:
            return 0
        return max(self.target - self.reached, 0)

    @property
    def met(self) -> bool:
        return self.target is None or self.reached >= self.target


@dataclass
class ReachLedger:
    challenge: Challenge
    # Groups with a target, in the list's order.
    rows: list[ReachRow]
    # Groups reached (at least one person) without a target.
    untargeted: list[ReachRow]
    # Read with the rows when there are any; counted only if asked otherwise.
    _activities: int | None = None

    @property
    def activities(self) -> int:
        if self._activities is None:
            self._activities = self.challenge.engagement_activities.count()
        return self._activities

    @property
    def unmet(self) -> list[ReachRow]:
        return [row for row in self.rows if not row.met]

    @property
    def has_targets(self) -> bool:
        return bool(self.rows)

    @property
    def total_gap(self) -> int:
        return sum(row.gap for row in self.rows)

    @property
    def is_empty(self) -> bool:
        return not self.rows and not self.untargeted


def active_priority_groups() -> QuerySet[PriorityGroup]:
    return PriorityGroup.objects.filter(active=True).order_by("position", "id")


def challenge_reach_targets(*, challenge: Challenge) -> QuerySet[ReachTarget]:
    return challenge.reach_targets.select_related("group").order_by("group__position", "group_id")


def reach_ledger(*, challenge: Challenge) -> ReachLedger:
    """One query whatever the number of activities and groups: each group with its target and
    its sums as subqueries, kept when it has a target or any count (a ledger with no rows counts
    its activities only when asked)."""
    # No ordering: the model's own would join the group into the GROUP BY.
    reach = ActivityReach.objects.filter(
        activity__challenge=challenge, group=OuterRef("pk")
    ).order_by()
    groups = (
        PriorityGroup.objects.annotate(
            target=Subquery(
                ReachTarget.objects.filter(challenge=challenge, group=OuterRef("pk")).values(
                    "target"
                )[:1]
            ),
            reached=Coalesce(
                Subquery(reach.values("group").annotate(total=Sum("participants")).values("total")),
                0,
            ),
            recorded=Coalesce(
                Subquery(
                    reach.filter(participants__isnull=False)
                    .values("group")
                    .annotate(total=Count("id"))
                    .values("total")
                ),
                0,
            ),
            activities=Subquery(
                EngagementActivity.objects.filter(challenge=challenge)
                .order_by()
                .values("challenge")
                .annotate(total=Count("id"))
                .values("total")
            ),
        )
        .filter(Q(target__isnull=False) | Q(reached__gt=0))
        .order_by("position", "id")
    )
    rows, untargeted, activities = [], [], None
    for group in groups:
        activities = group.activities or 0
        row = ReachRow(
            group=group,
            target=group.target,
            reached=group.reached,
            not_recorded=activities - group.recorded,
        )
        (rows if group.target is not None else untargeted).append(row)
    return ReachLedger(
        challenge=challenge, rows=rows, untargeted=untargeted, _activities=activities
    )
