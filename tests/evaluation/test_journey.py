"""The whole evaluation through the services, as each person would take it."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from core.audit_chain import audit_verify
from core.models import AuditEntry
from evaluation.models import Evaluation, RankingEntry
from vendors.selectors import price_envelope_for

pytestmark = pytest.mark.django_db


def test_an_evaluation_runs_from_screening_to_a_stored_reproducible_ranking(ranked, alice):
    evaluation = ranked.evaluation
    assert evaluation.status == Evaluation.Status.RANKED
    rows = list(
        RankingEntry.objects.filter(evaluation=evaluation)
        .order_by("rank")
        .values_list("proposal_id", "technical", "price_points", "total", "rank")
    )
    assert rows == [
        (ranked.acme.pk, Decimal("56.0000"), Decimal("24.0000"), Decimal("80.0000"), 1),
        (ranked.globex.pk, Decimal("42.0000"), Decimal("30.0000"), Decimal("72.0000"), 2),
    ]
    assert len(evaluation.ranking_inputs_digest) == 64
    assert price_envelope_for(proposal=ranked.acme, user=alice).amount == Decimal("100000.00")

    out = StringIO()
    call_command("recompute_ranking", evaluation.challenge.reference, stdout=out)
    assert "matches its inputs (2 proposals" in out.getvalue()

    steps = list(
        AuditEntry.objects.filter(content_type__model="evaluation")
        .order_by("sequence")
        .values_list("transition", "target")
    )
    assert steps == [
        ("start_screening", "screening"),
        ("start_scoring", "scoring"),
        ("open_consensus", "consensus"),
        ("lock_consensus", "consensus"),
        ("open_prices", "prices_opened"),
        ("rank", "ranked"),
    ]
    assert audit_verify()[1] == []
