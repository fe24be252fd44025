"""Time the ranking of 1,000 proposals × 7 evaluators × 8 criteria, and count its queries.

    DJANGO_SETTINGS_MODULE=config.settings DATABASE_URL=postgres://... \
        .venv/bin/python bench/ranking_benchmark.py [--proposals 1000 100] [--repeat 3]

Everything it creates is written in one transaction that is rolled back at the end, so it can
run against any database (it never commits). The same figures for 100 proposals show that the
number of queries does not depend on the number of proposals.
"""

import argparse
import os
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from challenges.models import Challenge, Department  # noqa: E402
from evaluation.models import (  # noqa: E402
    ConsensusScore,
    Criterion,
    Evaluation,
    EvaluationPlan,
    PanelAssignment,
    Score,
)
from evaluation.ranking import compute_ranking  # noqa: E402
from evaluation.services import evaluation_rank  # noqa: E402
from vendors.models import PriceEnvelope, Proposal, VendorOrganization  # noqa: E402

EVALUATORS = 7
CRITERIA = 8  # rated criteria of 10% each, price 20%


class Rollback(Exception):
    pass


def build(proposals: int, combination: str) -> Evaluation:
    tag = uuid.uuid4().hex[:8]
    User = get_user_model()
    owner = User.objects.create(username=f"bench-owner-{tag}")
    owner.groups.add(*Group.objects.filter(name="staff"))
    department = Department.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
    challenge = Challenge.objects.create(
        reference=f"BENCH-{tag}",
        title="Benchmark challenge",
        department=department,
        owner=owner,
        status=Challenge.Status.EVALUATING,
    )
    plan = EvaluationPlan.objects.create(
        challenge=challenge,
        combination=combination,
        minimum_technical_score=Decimal("30"),
        tie_break_order=["technical", "price", "draw"],
        updated_by=owner,
    )
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(plan=plan, kind="rated", order=i, name=f"C{i}", weight=10, max_points=10)
            for i in range(1, CRITERIA + 1)
        ]
        + [Criterion(plan=plan, kind="price", order=CRITERIA + 1, name="Price", weight=20)]
    )[:CRITERIA]
    evaluation = Evaluation.objects.create(
        challenge=challenge, plan=plan, status=Evaluation.Status.PRICES_OPENED
    )
    evaluators = User.objects.bulk_create(
        User(username=f"bench-evaluator-{tag}-{i}") for i in range(EVALUATORS)
    )
    assignments = PanelAssignment.objects.bulk_create(
        PanelAssignment(
            evaluation=evaluation,
            evaluator=user,
            is_chair=i == 0,
            due_at=django.utils.timezone.now(),
            assigned_by=owner,
            status=PanelAssignment.Status.SUBMITTED,
        )
        for i, user in enumerate(evaluators)
    )
    vendors = VendorOrganization.objects.bulk_create(
        VendorOrganization(
            legal_name=f"Bench vendor {tag} {i}",
            business_number=f"{int(tag, 16) % 9000 + 1000}{i:05d}",
            street_address="1 Queen Street",
            city="Fredericton",
            province="NB",
            postal_code="E3B 1A1",
            size="small",
        )
        for i in range(proposals)
    )
    rows = Proposal.objects.bulk_create(
        Proposal(challenge=challenge, vendor=v, created_by=owner, status="qualified")
        for v in vendors
    )
    PriceEnvelope.objects.bulk_create(
        PriceEnvelope(proposal=p, amount=Decimal(50000 + (i * 7919) % 100000), updated_by=owner)
        for i, p in enumerate(rows)
    )
    Score.objects.bulk_create(
        (
            Score(
                assignment=a,
                proposal=p,
                criterion=c,
                points=Decimal((i * 31 + j * 17 + k * 7) % 21) / 2,
                max_points=10,
                rationale="Benchmark.",
            )
            for i, p in enumerate(rows)
            for j, a in enumerate(assignments)
            for k, c in enumerate(criteria)
        ),
        batch_size=5000,
    )
    if combination == "consensus":
        ConsensusScore.objects.bulk_create(
            (
                ConsensusScore(
                    evaluation=evaluation,
                    proposal=p,
                    criterion=c,
                    points=Decimal((i * 13 + k * 5) % 21) / 2,
                    max_points=10,
                    rationale="Benchmark.",
                    recorded_by=evaluators[0],
                )
                for i, p in enumerate(rows)
                for k, c in enumerate(criteria)
            ),
            batch_size=5000,
        )
    return Evaluation.objects.select_related("plan", "challenge").get(pk=evaluation.pk)


def measure(proposals: int, combination: str, repeat: int, quiet: bool = False) -> None:
    try:
        with transaction.atomic():
            started = time.perf_counter()
            evaluation = build(proposals, combination)
            built = time.perf_counter() - started
            timings = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    ranking = compute_ranking(evaluation)
                    timings.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as stored:
                started = time.perf_counter()
                evaluation_rank(evaluation=evaluation, actor=evaluation.challenge.owner)
                rank_time = time.perf_counter() - started
            scores = Score.objects.filter(assignment__evaluation=evaluation).count()
            if quiet:
                raise Rollback
            print(
                f"{combination:9} {proposals:5d} proposals × {EVALUATORS} evaluators × "
                f"{CRITERIA} criteria ({scores} scores; built in {built:.1f} s)\n"
                f"    compute_ranking: best {min(timings) * 1000:8.1f} ms of {repeat}, "
                f"{len(queries)} queries, {len(ranking.rows)} rows, "
                f"{len(ranking.draw_groups)} tie group(s) for a draw\n"
                f"    evaluation_rank (compute, draw, store, digest, audit): "
                f"{rank_time * 1000:8.1f} ms, {len(stored)} queries"
            )
            raise Rollback
    except Rollback:
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, nargs="+", default=[1000, 100])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--combination",
        nargs="+",
        default=["average", "consensus"],
        choices=["average", "consensus"],
    )
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    # A first, unprinted run fills the per-process caches (content types of the audit and
    # reminder rows), so every printed run counts the same queries.
    measure(5, args.combination[0], 1, quiet=True)
    for combination in args.combination:
        for count in args.proposals:
            measure(count, combination, args.repeat)


if __name__ == "__main__":
    main()
