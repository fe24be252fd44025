"""Staff dashboard: queries and latency per request as the pipeline grows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test DEBUG=0 SECRET_KEY=bench \
        SECURE_SSL_REDIRECT=0 EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \
        .venv/bin/python bench/dashboard_benchmark.py

Creates a throwaway test database (test_<name>), fills it with challenges spread over every stage
(open ones with unanswered questions past their questions deadline, evaluations with late and
upcoming scores, awards in standstill, pilots with late and upcoming milestones), and prints for
each size the number of queries of one request and the median and 95th percentile latency of 30
requests, as a member of staff, for the whole pipeline and for "only mine". The database is
dropped at the end.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

SIZES = (50, 500)
REQUESTS = 30


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    query_count = len(queries)
    timings = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return query_count, statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def add_challenge(index, *, owner, department, evaluator):
    """One challenge in the stage `index` points to, with the dated work that stage has."""
    from challenges.models import Challenge
    from procurement.models import Award, Milestone, Pilot
    from tests.factories import (
        ChallengeFactory,
        ProposalFactory,
        QuestionFactory,
        evaluation_in,
        panel_member,
        set_status,
    )

    now = timezone.now()
    statuses = [status for status, _label in Challenge.Status.choices]
    status = statuses[index % len(statuses)]
    challenge = ChallengeFactory(
        owner=owner,
        department=department,
        questions_deadline=now + timedelta(days=(index % 5) - 2),
        submission_deadline=now + timedelta(days=(index % 20) + 3),
    )
    challenge = set_status(challenge, status)
    if status == Challenge.Status.PUBLISHED:
        Challenge.objects.filter(pk=challenge.pk).update(next_due_at=challenge.questions_deadline)
        QuestionFactory(challenge=challenge)
    elif status == Challenge.Status.EVALUATING:
        if index % 2:
            evaluation = evaluation_in(challenge, "scoring")
            due = now + timedelta(days=(index % 7) - 3)
            panel_member(evaluation, evaluator, status="accepted", due_at=due)
        else:
            evaluation = evaluation_in(challenge, "decided")
            award = Award.objects.create(
                challenge=challenge,
                evaluation=evaluation,
                proposal=ProposalFactory(challenge=challenge),
                recommended_by=owner,
                standstill_ends_at=now + timedelta(days=(index % 9) - 4),
            )
            set_status(award, "standstill")
    elif status == Challenge.Status.AWARDED:
        evaluation = evaluation_in(challenge, "decided")
        award = Award.objects.create(
            challenge=challenge,
            evaluation=evaluation,
            proposal=ProposalFactory(challenge=challenge),
            recommended_by=owner,
            standstill_ends_at=now - timedelta(days=20),
        )
        award = set_status(award, "final")
        pilot = set_status(Pilot.objects.create(challenge=challenge, award=award), "active")
        today = timezone.localdate()
        Milestone.objects.create(pilot=pilot, title="Late", due_on=today - timedelta(days=3))
        Milestone.objects.create(pilot=pilot, title="Soon", due_on=today + timedelta(days=4))


def main():
    setup_test_environment()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from tests.factories import DepartmentFactory, UserFactory

        staff = UserFactory(username="bench-staff", roles=["staff"])
        other = UserFactory(username="bench-other", roles=["staff"])
        evaluator = UserFactory(username="bench-evaluator", roles=["evaluator"])
        departments = [DepartmentFactory() for _ in range(5)]
        signed_in = Client()
        signed_in.force_login(staff)
        created = 0
        print(f"{'challenges':>10} {'view':>10} {'queries':>8} {'median ms':>10} {'p95 ms':>8}")
        for size in SIZES:
            while created < size:
                add_challenge(
                    created,
                    owner=staff if created % 2 else other,
                    department=departments[created % 5],
                    evaluator=evaluator,
                )
                created += 1
            for name, url in (("all", "/dashboard/"), ("only mine", "/dashboard/?mine=1")):
                queries, median, p95 = measure(signed_in, url)
                print(f"{size:>10} {name:>10} {queries:>8} {median:>10.1f} {p95:>8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
