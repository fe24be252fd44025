"""Chronograph scan and reminder delivery: cost against the number of open deadlines.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_chrono \
        REDIS_URL=redis://127.0.0.1:6379/6 DEBUG=0 SECRET_KEY=bench SECURE_SSL_REDIRECT=0 \
        EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \
        .venv/bin/python bench/chronograph_benchmark.py

Creates a throwaway test database (test_<name>, dropped at the end). For 10,000 and then 100,000
open challenges of which 1,000 are due, it prints the scan's query count and time (the query that
finds due rows, which reads the partial index on `next_due_at`) and one whole tick that closes the
1,000 due challenges (each as publication left it: its tender release stored, one vendor with a
draft, which lapses), in closings per second, with the tick's duration against the Celery soft
time limit. Then it plans 10,000 reminders for vendors with drafts and prints the delivery rate
of one real Celery worker (a subprocess on REDIS_URL; its Redis database is emptied), in reminders
per second, and the rate at which their emails (locmem backend) went out.
"""

import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

TOTALS = (10_000, 100_000)
DUE = 1_000
REMINDERS = 10_000
BATCH = 5_000


def make_challenges(owner, department, *, count, due, start):
    from challenges.models import Challenge

    now = timezone.now()
    rows = []
    for i in range(count):
        is_due = i < due
        submission = now - timedelta(minutes=1) if is_due else now + timedelta(days=30 + i % 60)
        rows.append(
            Challenge(
                reference=f"BENCH-{start + i:07d}",
                title=f"Bench challenge {start + i}",
                department=department,
                owner=owner,
                problem="p",
                status=Challenge.Status.PUBLISHED,
                published_at=now - timedelta(days=40),
                questions_deadline=submission - timedelta(days=10),
                submission_deadline=submission,
                next_due_at=submission if is_due else submission - timedelta(days=10),
            )
        )
    for offset in range(0, len(rows), BATCH):
        Challenge.objects.bulk_create(rows[offset : offset + BATCH])
    return rows[:due]


def as_published(challenges, start):
    """What publication, vendors and earlier ticks leave on a due challenge: its tender release,
    one vendor with a draft (the close lapses it and tells its member), the end of its questions
    period done (at its own deadline, ten days before)."""
    from django.contrib.contenttypes.models import ContentType

    from opendata import ocds
    from opendata.models import Release
    from procurement.models import ChronographStep
    from vendors.models import Proposal

    ChronographStep.objects.bulk_create(
        [
            ChronographStep(
                content_type=ContentType.objects.get_for_model(challenge),
                object_id=challenge.pk,
                step="questions_period_end",
                due_at=challenge.questions_deadline,
                done_at=challenge.questions_deadline,
            )
            for challenge in challenges
        ],
        batch_size=BATCH,
    )

    Release.objects.bulk_create(
        [
            Release(
                challenge=challenge,
                ocid=release["ocid"],
                release_id=release["id"],
                tags=release["tag"],
                date=challenge.published_at,
                data="{}",
            )
            for challenge in challenges
            for release in [ocds.tender_release(challenge)]
        ],
        batch_size=BATCH,
    )
    users, vendors = vendor_rows(
        len(challenges), prefix=f"due{start}", first_number=200_000_000 + start
    )
    Proposal.objects.bulk_create(
        [
            Proposal(challenge=c, vendor=v, created_by=u)
            for c, v, u in zip(challenges, vendors, users, strict=True)
        ],
        batch_size=BATCH,
    )


def vendor_rows(count, *, prefix, first_number):
    """`count` vendors, each with one member (its owner)."""
    from vendors.models import VendorMembership, VendorOrganization

    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench-{prefix}-{i}",
                email=f"bench-{prefix}-{i}@example.org",
                password="!",
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    vendors = VendorOrganization.objects.bulk_create(
        [
            VendorOrganization(
                legal_name=f"Bench vendor {prefix} {i}",
                business_number=str(first_number + i),
                street_address="1 Main St",
                city="Moncton",
                province="NB",
                postal_code="E1C 1A1",
                size="small",
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    VendorMembership.objects.bulk_create(
        [
            VendorMembership(vendor=v, user=u, role="owner")
            for v, u in zip(vendors, users, strict=True)
        ],
        batch_size=BATCH,
    )
    return users, vendors


def due_scan():
    from challenges.models import Challenge

    now = timezone.now()
    return list(
        Challenge.objects.filter(next_due_at__lte=now)
        .order_by("next_due_at")
        .values_list("pk", flat=True)[:DUE]
    )


class QueryCounter:
    """Counts every query (Django's own query log keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0
        self.sql = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if len(self.sql) < 5:
            self.sql.append(sql % tuple(_literal(p) for p in params or ()))
        return execute(sql, params, many, context)


def _literal(value):
    return f"'{value.isoformat()}'" if hasattr(value, "isoformat") else repr(value)


def measure_scan(total):
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        found = due_scan()
    assert len(found) == DUE, len(found)
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        due_scan()
        timings.append((time.perf_counter() - start) * 1000)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + counter.sql[0])
        lines = [row[0].strip() for row in cursor.fetchall()]
    plan = next((line for line in lines if "Index" in line), lines[0])
    return counter.count, statistics.median(timings), plan


def measure_tick():
    from procurement.chronograph import chronograph_run_due

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        report = chronograph_run_due()
        elapsed = time.perf_counter() - start
    assert report["rows"] == DUE and report["errors"] == 0, report
    return counter.count, elapsed


def scan_benchmark(owner, department):
    soft_limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
    print(f"Chronograph: one tick closing {DUE:,} due challenges among N open challenges")
    print(f"{'N':>9} {'scan queries':>13} {'scan ms (median)':>17} {'tick queries':>13} "
          f"{'queries per closing':>20} {'tick s':>7} {'closings/s':>11} "
          f"{'tick / soft limit':>18}")  # fmt: skip
    created = 0
    for total in TOTALS:
        # Releases are append-only: the rows of the previous size stay (closed, or not due).
        due = make_challenges(owner, department, count=total - created, due=DUE, start=created)
        as_published(due, created)
        created = total
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE challenges_challenge")
        scan_queries, scan_ms, plan = measure_scan(total)
        tick_queries, tick_seconds = measure_tick()
        print(
            f"{total:>9,} {scan_queries:>13} {scan_ms:>17.2f} {tick_queries:>13,} "
            f"{tick_queries / DUE:>20.1f} {tick_seconds:>7.1f} {DUE / tick_seconds:>11,.0f} "
            f"{f'{tick_seconds:.1f} s / {soft_limit} s':>18}"
        )
        print(f"{'':>9} plan: {plan}")


def reminder_rows(owner, department):
    """REMINDERS vendors with drafts on one open challenge; their 2-hour reminders due now."""
    from challenges.models import Challenge
    from procurement.models import ReminderDelivery
    from procurement.services import reminders_plan
    from vendors.models import Proposal

    now = timezone.now()
    challenge = Challenge.objects.create(
        reference="BENCH-REMINDERS",
        title="Reminder bench",
        department=department,
        owner=owner,
        status=Challenge.Status.PUBLISHED,
        published_at=now - timedelta(days=20),
        questions_deadline=now + timedelta(hours=1),
        submission_deadline=now + timedelta(hours=2, minutes=30),
    )
    users, vendors = vendor_rows(REMINDERS, prefix="vendor", first_number=100_000_000)
    Proposal.objects.bulk_create(
        [
            Proposal(challenge=challenge, vendor=v, created_by=u)
            for v, u in zip(vendors, users, strict=True)
        ],
        batch_size=BATCH,
    )
    reminders_plan(subject=challenge)
    planned = ReminderDelivery.objects.filter(offset_seconds=2 * 3600)
    ReminderDelivery.objects.exclude(offset_seconds=2 * 3600).delete()
    planned.update(due_at=now - timedelta(seconds=1))
    return planned.count()


def reminders_batch_size():
    import inspect

    from procurement.services.reminders import reminders_deliver_due

    return inspect.signature(reminders_deliver_due).parameters["limit"].default


def delivery_benchmark(owner, department):
    import redis

    from procurement import tasks
    from procurement.models import Notification, ReminderDelivery

    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        raise SystemExit("Set REDIS_URL (a spare database, e.g. redis://127.0.0.1:6379/6).")
    # The closing notices of the scan benchmark are not part of this measure.
    Notification.objects.all().delete()
    redis.Redis.from_url(redis_url).flushdb()
    count = reminder_rows(owner, department)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    concurrency = 4
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
         f"--concurrency={concurrency}", "--loglevel=WARNING", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-n", "bench@%h"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(6)  # the worker starts (Django set-up in each pool process)
        assert worker.poll() is None, "the worker did not start"
        start = time.perf_counter()
        for _ in range(concurrency):
            tasks.reminders_deliver.delay()
        while ReminderDelivery.objects.filter(status="planned").exists():
            time.sleep(0.05)
        delivered_at = time.perf_counter() - start
        while Notification.objects.filter(
            kind="deadline_reminder", email_status="pending"
        ).exists():
            time.sleep(0.05)
        emailed_at = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    sent = ReminderDelivery.objects.filter(status="sent").count()
    notifications = Notification.objects.filter(kind="deadline_reminder").count()
    assert sent == notifications == count, (sent, notifications, count)
    print()
    print(f"Reminder delivery by one worker (prefork, concurrency {concurrency}), Redis broker;"
          f" batches of {reminders_batch_size()}")  # fmt: skip
    print(f"  {count:,} reminders delivered to the inbox in {delivered_at:.1f} s: "
          f"{count / delivered_at:,.0f} reminders per second (each exactly once: {sent:,} rows, "
          f"{notifications:,} notifications)")  # fmt: skip
    print(f"  and emailed (a task per 100) after {emailed_at:.1f} s: "
          f"{count / emailed_at:,.0f} emails per second")  # fmt: skip


def main():
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    # The worker subprocess reads the database name from DATABASE_URL: keep this one.
    try:
        from tests.factories import DepartmentFactory, UserFactory

        owner = UserFactory(username="bench-owner", roles=["staff"])
        department = DepartmentFactory()
        name = connection.settings_dict["NAME"]
        print(f"PostgreSQL {connection.pg_version // 10000}, database {name}")
        scan_benchmark(owner, department)
        delivery_benchmark(owner, department)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
