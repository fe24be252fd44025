"""Helpers shared by the evaluation API tests: URLs, a snapshot of every evaluation row, and a
request whose effects are rolled back (so one world serves every persona's attempt)."""

from django.db import transaction
from rest_framework.test import APIClient

from core.models import AuditEntry
from evaluation.models import (
    ConsensusScore,
    Criterion,
    DrawRecord,
    Evaluation,
    EvaluationPlan,
    PanelAssignment,
    RankingEntry,
    Score,
    ScoreRevision,
    ScreeningResult,
)
from vendors.models import Proposal

MODELS = [
    EvaluationPlan,
    Criterion,
    Evaluation,
    PanelAssignment,
    ScreeningResult,
    Score,
    ScoreRevision,
    ConsensusScore,
    DrawRecord,
    RankingEntry,
    Proposal,
    AuditEntry,
]
# The test sellers' sealed prices (tests/evaluation/conftest.py); no response may carry them
# before the prices are opened.
PRICES = ("100000", "80000")


def snapshot() -> dict:
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}


def ev(field, suffix="") -> str:
    return f"/api/evaluations/{field.challenge.reference}/{suffix}"


def plan_url(challenge) -> str:
    return f"/api/challenges/{challenge.reference}/plan/"


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def send(client, method, url, body=None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body if body is not None else {}, format="json")


class _Undo(Exception):
    pass


def send_and_undo(client, method, url, body=None):
    """Send a request, then roll back whatever it stored; returns (response, changed)."""
    try:
        with transaction.atomic():
            before = snapshot()
            response = send(client, method, url, body)
            changed = snapshot() != before
            raise _Undo(response, changed)
    except _Undo as undo:
        return undo.args
