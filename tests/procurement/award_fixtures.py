"""An evaluation decided through the services, for the award, pilot and open-data tests.

The chain of fixtures is the evaluation suite's (alice owns, frank chairs, grace evaluates; Acme
by dave ranks first, Globex by erin second); `decided` shortlists both proposals.
"""

import pytest

from evaluation import services as evaluation_services
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
