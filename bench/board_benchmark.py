"""Challenge board and challenge list API: queries and latency per request as the board grows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test DEBUG=0 SECRET_KEY=bench \
        SECURE_SSL_REDIRECT=0 EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \
        .venv/bin/python bench/board_benchmark.py

Creates a throwaway test database (test_<name>), fills it with published challenges, and prints
for each size the number of queries of one request and the median and 95th percentile latency
of 30 requests, anonymous and as staff. The database is dropped at the end.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SIZES = (5, 50, 500)
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


def main():
    setup_test_environment()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from tests.factories import ChallengeFactory, DepartmentFactory, UserFactory, set_status

        staff = UserFactory(username="bench-staff", roles=["staff"])
        departments = [DepartmentFactory() for _ in range(5)]
        anonymous, signed_in = Client(), Client()
        signed_in.force_login(staff)
        created = 0
        print(
            f"{'challenges':>10} {'who':>9} {'endpoint':>10} {'queries':>8} "
            f"{'median ms':>10} {'p95 ms':>8}"
        )
        for size in SIZES:
            while created < size:
                challenge = ChallengeFactory(owner=staff, department=departments[created % 5])
                set_status(challenge, "published")
                created += 1
            for who, client in (("anonymous", anonymous), ("staff", signed_in)):
                for name, url in (("board", "/"), ("api list", "/api/challenges/")):
                    queries, median, p95 = measure(client, url)
                    print(
                        f"{size:>10} {who:>9} {name:>10} {queries:>8} {median:>10.1f} {p95:>8.1f}"
                    )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
