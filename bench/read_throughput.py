"""Read throughput: what each public read costs beyond the database's own work, as the data grows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/read_throughput.py

Creates its own PostgreSQL database (`bench_reads`, on the server of DATABASE_URL), migrates it,
seeds 500 then 5,000 published challenges (bulk inserts, each with two answered questions and an
issued addendum), and serves the app with gunicorn (2 sync workers). At each size it prints the
plan of the list's page query and of its count (EXPLAIN ANALYZE, BUFFERS), then measures every
endpoint as an anonymous reader.

The reference is a bare view (`bench/read_urls.py`, only in the benchmark): the same 20 challenges
the list API's first page shows, read with `.values()` and returned as JSON. Endpoints and the
reference are measured interleaved: each round runs REQUESTS requests per endpoint (CLIENTS client
threads), in a shuffled order, so noise on the machine falls on all of them alike. Each endpoint's
ratio is the median over rounds of its requests/s divided by the reference's in the same round
(1.0: as cheap as the bare read); p50 and p99 are the latencies over all rounds, in ms.
A second reference does the reads a challenge's page makes (`/bench/bare-detail/<ref>/`: the
challenge and its questions, activities, response questions, input and addenda, six queries):
the detail page and API are also given × those reads, what they cost beyond their own queries.
The database is dropped at the end.
"""

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = "bench_reads"
SETTINGS = "bench.read_settings"
BARE = "/bench/bare-values/"


def database_urls() -> tuple[str, str]:
    """The benchmark's database URL and the maintenance one (same server, `postgres` db)."""
    base = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    if not base.scheme.startswith("postgres"):
        sys.exit("DATABASE_URL must point to a PostgreSQL server.")
    return urlunsplit(base._replace(path=f"/{BENCH_DB}")), urlunsplit(
        base._replace(path="/postgres")
    )


def recreate_database(maintenance_url: str, *, drop_only=False) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


# Seeding -----------------------------------------------------------------------------------------


def seed_people():
    from django.contrib.auth import get_user_model

    from challenges.models import Department

    users = get_user_model()
    owner = users.objects.create_user("bench-owner", "owner@example.org")
    asker = users.objects.create_user("bench-vendor", "vendor@example.org")
    departments = Department.objects.bulk_create(
        Department(name=f"Department {n}", slug=f"department-{n}") for n in range(5)
    )
    return owner, asker, departments


def seed_challenges(*, start, stop, owner, asker, departments, questions_each=2):
    """Published challenges numbered start..stop-1; the highest number is the newest."""
    from django.utils import timezone

    from challenges.models import Addendum, Challenge, Question

    now = timezone.now()
    challenges = Challenge.objects.bulk_create(
        (
            Challenge(
                reference=f"BENCH-2026-{n:05d}",
                title=f"Help residents heat their homes affordably {n}",
                summary="Households spend too much of their income on energy.",
                department=departments[n % len(departments)],
                owner=owner,
                problem="One in five households spends more than 6% of its income on energy.",
                context="Older housing stock, electric baseboard heating, rising rates.",
                desired_outcomes="Lower energy bills for the households that need it most.",
                success_measures="Average energy burden falls below 6%.",
                budget_min=50000,
                budget_max=150000,
                questions_deadline=now + timedelta(days=10),
                submission_deadline=now + timedelta(days=30),
                status=Challenge.Status.PUBLISHED,
                approved_at=now - timedelta(days=1, minutes=n),
                published_at=now - timedelta(days=1) + timedelta(seconds=n),
            )
            for n in range(start, stop)
        ),
        batch_size=1000,
    )
    Question.objects.bulk_create(
        (
            Question(
                challenge=challenge,
                asked_by=asker,
                body="Can the solution integrate with the utility's smart meters?",
                status=Question.Status.ANSWERED,
                answer="Yes, through the utility's open interface.",
                answered_by=owner,
                answered_at=now,
            )
            for challenge in challenges
            for _ in range(questions_each)
        ),
        batch_size=2000,
    )
    Addendum.objects.bulk_create(
        (
            Addendum(
                challenge=challenge,
                number=1,
                title="Clarification of the data residency requirement",
                body="Hosting in any Canadian region is acceptable.",
                created_by=owner,
                status=Addendum.Status.ISSUED,
                issued_at=now,
            )
            for challenge in challenges
        ),
        batch_size=2000,
    )
    return challenges


def vacuum_analyze():
    """What autovacuum does to a table after bulk inserts: statistics for the planner, and the
    visibility map that lets a count read the index alone."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def print_plans():
    """The plans of the list API's page query and of its count, as an anonymous reader."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from challenges.selectors import challenge_board

    queryset = challenge_board(user=AnonymousUser())
    with CaptureQueriesContext(connection) as queries:
        list(queryset[:20])
        queryset.count()
    for name, query in zip(("page", "count"), queries.captured_queries, strict=True):
        print(f"  {name} query: {query['sql']}")
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            for (line,) in cursor.fetchall():
                print(f"    {line}")


# Measuring ---------------------------------------------------------------------------------------


def fetch(port: int, path: str) -> float:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Accept-Language": "en"})
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    return (time.perf_counter() - start) * 1000


def batch(port: int, path: str, requests: int, clients: int) -> tuple[list[float], float]:
    """`requests` GETs from `clients` threads; the latencies (ms) and the elapsed seconds."""
    latencies: list[float] = []
    lock = threading.Lock()
    remaining = [requests]
    errors: list[Exception] = []

    def client():
        while True:
            with lock:
                if remaining[0] == 0 or errors:
                    return
                remaining[0] -= 1
            try:
                ms = fetch(port, path)
            except Exception as exc:  # reported below, after the threads stop
                errors.append(exc)
                return
            with lock:
                latencies.append(ms)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return latencies, elapsed


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(port, endpoints, *, rounds, requests, clients, seed):
    names = [BARE_NAME, *endpoints]
    paths = {BARE_NAME: BARE, **endpoints}
    for path in paths.values():  # warm both workers
        batch(port, path, 2 * clients, clients)
    latencies = {name: [] for name in names}
    rates = {name: [] for name in names}
    sizes = {name: len(http_body(port, paths[name])) for name in names}
    shuffler = random.Random(seed)
    for _ in range(rounds):
        order = names[:]
        shuffler.shuffle(order)
        for name in order:
            got, elapsed = batch(port, paths[name], requests, clients)
            latencies[name].extend(got)
            rates[name].append(requests / elapsed)
    rows = []
    # A page measured against the same reads done bare: what it costs beyond its own queries.
    for name, reference in SAME_READS.items():
        if name in rates and reference in rates:
            ratios = [a / b for a, b in zip(rates[name], rates[reference], strict=True)]
            SAME_READS_RATIOS[name] = statistics.median(ratios)
    for name in names:
        ratios = [rate / bare for rate, bare in zip(rates[name], rates[BARE_NAME], strict=True)]
        rows.append(
            {
                "name": name,
                "rate": statistics.mean(rates[name]),
                "ratio": statistics.median(ratios),
                "p50": percentile(latencies[name], 0.50),
                "p99": percentile(latencies[name], 0.99),
                "kb": sizes[name] / 1024,
            }
        )
    return rows


def http_body(port, path) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        return conn.getresponse().read()
    finally:
        conn.close()


BARE_NAME = "bare .values() JSON (20 rows)"
BARE_DETAIL_NAME = "bare detail reads (6 queries)"
SAME_READS = {
    "challenge detail page": BARE_DETAIL_NAME,
    "challenge detail API": BARE_DETAIL_NAME,
}
SAME_READS_RATIOS: dict[str, float] = {}


def wait_for(port: int, server: subprocess.Popen) -> None:
    for _ in range(200):
        if server.poll() is not None:
            sys.exit("gunicorn stopped; see its output above.")
        try:
            fetch(port, BARE)
            return
        except (OSError, RuntimeError):
            time.sleep(0.1)
    sys.exit("gunicorn did not answer.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,5000", help="published challenges, ascending")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=60, help="per endpoint per round")
    parser.add_argument("--clients", type=int, default=4, help="client threads")
    parser.add_argument("--port", type=int, default=8399)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    bench_url, maintenance_url = database_urls()
    recreate_database(maintenance_url)
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONPATH": str(ROOT),
    }
    env.setdefault("SECRET_KEY", "bench")
    env.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.update(env)
    python = sys.executable
    migrate = [python, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True)

    import django

    django.setup()

    owner, asker, departments = seed_people()
    server = subprocess.Popen(
        [
            str(Path(python).with_name("gunicorn")),
            "config.wsgi:application",
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{args.port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        created = 0
        newest = None
        for size in sizes:
            # The newest challenge (first on every list) also has 20 answered questions: its
            # page, its API and its questions API are the ones measured.
            seed_challenges(
                start=created,
                stop=size,
                owner=owner,
                asker=asker,
                departments=departments,
            )
            created = size
            from challenges.models import Challenge

            previous = newest
            newest = Challenge.objects.order_by("-published_at").first()
            if newest != previous:
                seed_challenges_questions(newest, asker=asker, owner=owner, count=20)
            vacuum_analyze()
            if newest is None:
                sys.exit("nothing seeded")
            wait_for(args.port, server)
            ref = newest.reference
            endpoints = {
                "challenge list API": "/api/challenges/",
                "board page": "/",
                "challenge detail page": f"/challenges/{ref}/",
                "challenge detail API": f"/api/challenges/{ref}/",
                "open-data page": "/open-data/",
                "questions API": f"/api/challenges/{ref}/questions/",
                BARE_DETAIL_NAME: f"/bench/bare-detail/{ref}/",
            }
            print(f"\n{size} published challenges")
            print_plans()
            rows = measure(
                args.port,
                endpoints,
                rounds=args.rounds,
                requests=args.requests,
                clients=args.clients,
                seed=size,
            )
            print(
                f"  {'endpoint':<31} {'req/s':>7} {'× bare':>7} {'p50 ms':>7} {'p99 ms':>7} "
                f"{'KiB':>7}"
            )
            for row in rows:
                print(
                    f"  {row['name']:<31} {row['rate']:>7.1f} {row['ratio']:>7.2f} "
                    f"{row['p50']:>7.1f} {row['p99']:>7.1f} {row['kb']:>7.1f}"
                )
            for name, ratio in SAME_READS_RATIOS.items():
                print(f"  {name} × the same reads bare: {ratio:.2f}")
            sys.stdout.flush()
    finally:
        server.terminate()
        server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(maintenance_url, drop_only=True)


def seed_challenges_questions(challenge, *, asker, owner, count):
    from django.utils import timezone

    from challenges.models import Question

    now = timezone.now()
    Question.objects.bulk_create(
        Question(
            challenge=challenge,
            asked_by=asker,
            body=f"Question {n}: can the solution integrate with the utility's smart meters?",
            status=Question.Status.ANSWERED,
            answer="Yes, through the utility's open interface.",
            answered_by=owner,
            answered_at=now,
        )
        for n in range(count)
    )


if __name__ == "__main__":
    main()
