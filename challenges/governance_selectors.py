"""Reading a challenge's data governance record as a given person may see it
(docs/data-governance.md): staff and approvers see every row; everyone else, once the challenge
is public, sees the record minus its confidential rows, each replaced by the reason it is withheld.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from core.permissions import can

from .governance import governance_problems, governance_risks
from .models import DataAsset, DataGovernanceRecord, DataSharing, GovernanceDecision


@dataclass
class Withheld:
    """A confidential row as the public sees it: what kind of row, and why it is withheld."""

    kind: str  # "asset", "sharing" or "decision"
    reason: str


@dataclass
class GovernanceView:
    challenge: object
    record: DataGovernanceRecord | None
    full: bool  # confidential rows included
    assets: list = field(default_factory=list)
    sharings: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    withheld: list = field(default_factory=list)

    def withheld_of(self, kind: str) -> list[Withheld]:
        return [row for row in self.withheld if row.kind == kind]

    @property
    def withheld_assets(self):
        return self.withheld_of("asset")

    @property
    def withheld_sharings(self):
        return self.withheld_of("sharing")

    @property
    def withheld_decisions(self):
        return self.withheld_of("decision")


def governance_record_with_rows(*, challenge) -> DataGovernanceRecord | None:
    """The record with its rows in four queries, however many rows it has."""
    return (
        DataGovernanceRecord.objects.filter(challenge=challenge)
        .prefetch_related(
            Prefetch("assets", queryset=DataAsset.objects.order_by("order", "pk")),
            Prefetch("sharings", queryset=DataSharing.objects.order_by("pk")),
            Prefetch("decisions", queryset=GovernanceDecision.objects.order_by("decided_on", "pk")),
        )
        .first()
    )


def may_view_governance(user, challenge) -> bool:
    return can(user, "challenges.view_datagovernance", challenge)


def governance_view(*, challenge, user) -> GovernanceView | None:
    """The record as `user` may see it; None if they may not see it at all."""
    if not may_view_governance(user, challenge):
        return None
    full = can(user, "challenges.view_confidential_governance", challenge)
    record = governance_record_with_rows(challenge=challenge)
    view = GovernanceView(challenge=challenge, record=record, full=full)
    if record is None:
        return view
    # The completeness rules read the record through the challenge: give them this one.
    challenge.data_governance = record
    for kind, rows, target in (
        ("asset", record.assets.all(), view.assets),
        ("sharing", record.sharings.all(), view.sharings),
        ("decision", record.decisions.all(), view.decisions),
    ):
        for row in rows:
            if row.confidential and not full:
                view.withheld.append(Withheld(kind=kind, reason=row.confidential_reason))
            else:
                target.append(row)
    return view


def public_governance_view(*, challenge) -> GovernanceView | None:
    """What anyone may read of the record (None before the challenge is public)."""
    from django.contrib.auth.models import AnonymousUser

    return governance_view(challenge=challenge, user=AnonymousUser())


def governance_status(challenge) -> dict:
    """Completeness and risks for staff screens."""
    return {"problems": governance_problems(challenge), "risks": governance_risks(challenge)}
