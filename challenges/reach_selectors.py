"""The reach ledger: whom a challenge meant to reach, against whom its engagement activities
reached, per priority group, across every activity and stage (docs/engagement.md).

Counts are whole people, summed exactly in the database. An activity that gave no count for a
group ("not recorded") adds nothing to it and is counted apart, so a gap is never hidden by a guess.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from .models import ActivityReach, Challenge, PriorityGroup, ReachTarget


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


@dataclass(frozen=True)
class ReachLedger:
    # Groups with a target, in the list's order.
    rows: list[ReachRow]
    # Groups reached (at least one person) without a target.
    untargeted: list[ReachRow]
    activities: int

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
    """Three queries whatever the number of activities and groups."""
    targets = {t.group_id: t for t in challenge_reach_targets(challenge=challenge)}
    activities = challenge.engagement_activities.count()
    counted = {
        row["group"]: row
        for row in ActivityReach.objects.filter(activity__challenge=challenge)
        .values("group")
        .annotate(
            reached=Sum("participants"),
            recorded=Count("id", filter=Q(participants__isnull=False)),
        )
    }
    missing = set(counted) - {t.group_id for t in targets.values()}
    groups = {t.group_id: t.group for t in targets.values()}
    if missing:
        groups |= PriorityGroup.objects.in_bulk(missing)

    def row_of(group_id: int) -> ReachRow:
        figures = counted.get(group_id) or {}
        target = targets.get(group_id)
        return ReachRow(
            group=groups[group_id],
            target=target.target if target else None,
            reached=figures.get("reached") or 0,
            not_recorded=activities - (figures.get("recorded") or 0),
        )

    def order(row: ReachRow):
        return (row.group.position, row.group.pk)

    rows = sorted((row_of(group_id) for group_id in targets), key=order)
    untargeted = sorted(
        (row for row in map(row_of, missing) if row.reached > 0),
        key=order,
    )
    return ReachLedger(rows=rows, untargeted=untargeted, activities=activities)
