"""An evaluation decided through the services, for the award, pilot and open-data tests.

The chain of fixtures is the evaluation suite's (alice owns, frank chairs, grace evaluates; Acme
by dave ranks first, Globex by erin second); `decided` shortlists both proposals, `final_award`
awards Acme after the standstill and `pilot` is its planned pilot.
"""

import pytest
import time_machine

from evaluation import services as evaluation_services
from procurement.services import award as award_services
from procurement.services import pilot as pilot_services
from tests.evaluation.conftest import (  # noqa: F401  (fixtures used by name)
    Field,
    acme,
    closed,
    consensus,
    globex,
    locked,
    panel,
    plan,
    prices_opened,
    published,
    ranked,
    scoring,
    screening,
    submitted,
)


@pytest.fixture
def decided(ranked, alice) -> Field:  # noqa: F811  (the imported fixture, by name)
    evaluation_services.evaluation_decide(
        evaluation=ranked.evaluation, actor=alice, shortlist_size=2
    )
    return ranked.refresh()


@pytest.fixture
def final_award(decided, frank, carol, alice):
    """Recommended by the chair, approved, notified, and final once the standstill ended."""
    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)
    award_services.award_approve(award=award, actor=carol)
    award = award_services.award_notify(award=award, actor=alice)
    with time_machine.travel(award.standstill_ends_at, tick=False):
        award_services.award_finalise(award=award, actor=alice)
    award.refresh_from_db()
    return award


@pytest.fixture
def pilot(final_award, alice):
    """The final award's pilot, planned by the owner."""
    return pilot_services.pilot_create(award=final_award, actor=alice)
