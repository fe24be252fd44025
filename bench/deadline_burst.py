"""The last seconds before a submission deadline: 200 submits through 20 connections.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_burst \
        REDIS_URL=redis://127.0.0.1:6379/6 DEBUG=0 SECRET_KEY=bench SECURE_SSL_REDIRECT=0 \
        EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \
        .venv/bin/python bench/deadline_burst.py [--vendors 200] [--connections 20] \
            [--workers 2] [--threads 12] [--keep]

Drops and creates the database named in DATABASE_URL (its own, e.g. bench_burst: never point it
at a database you keep), migrates it and seeds one published challenge with two required
questions and `--vendors` vendors, each with a complete draft (answers, a document, a price)
and a personal API token. It serves the site with gunicorn on a free local port, sets the
submission deadline about ten seconds ahead and fires one submit per vendor through
`--connections` keep-alive connections (threads and http.client), spread evenly over the last
ten seconds before the deadline and the first second after it, so some are late on purpose.
Before that, one more draft per worker thread is submitted to warm the server up (not counted).

Gunicorn runs gthread workers: `--workers` processes (two, for the machine's two cores) of
`--threads` threads each, so that every connection is taken at once and the request's arrival
time is read when it reaches the site, not after it waited for a free worker. Database
connections are kept (CONN_MAX_AGE=60), as in production.

It prints: accepted in time, refused as late, misclassified (sent and received before the
deadline but refused, or sent or received at or after it but accepted: judged by the server's
recorded arrival, the `Arrived-At` header, against the deadline and the client's send time),
sent in time but received late (delay before the site took the request), server errors (5xx),
and the median and 99th percentile latency. It checks that the database agrees and that the
audit chain verifies. The database is dropped at the end unless `--keep`.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

LEAD_SECONDS = 10.0  # sends spread over the last ten seconds before the deadline ...
LATE_SECONDS = 1.0  # ... and the first second after it
PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name or name in {"postgres", "test", "template0", "template1"}:
        raise SystemExit(f"Refusing to drop the database {name!r}; name one of the bench's own.")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


def seed(vendors: int):
    """One published challenge and `vendors` complete drafts, each with its owner's token."""
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core import services as core_services
    from tests.factories import (
        ChallengeFactory,
        EngagementActivityFactory,
        ResponseQuestionFactory,
        UserFactory,
        VendorMembershipFactory,
        set_status,
    )
    from vendors import services

    # Seeding only: the site itself keeps the real hasher (tokens spare it anyway).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    owner = UserFactory(username="bench-owner", roles=["staff"])
    challenge = ChallengeFactory(owner=owner, reference="BURST-2026-001")
    EngagementActivityFactory(challenge=challenge)
    questions = [
        ResponseQuestionFactory(challenge=challenge, order=n, required=True) for n in (1, 2)
    ]
    challenge = set_status(challenge, "published")
    drafts = []
    for n in range(vendors):
        member = VendorMembershipFactory(
            user__username=f"vendor{n:03d}", vendor__legal_name=f"Burst Vendor {n:03d} Inc."
        )
        user = member.user
        proposal = services.proposal_start(challenge=challenge, vendor=member.vendor, actor=user)
        services.proposal_save_answers(
            proposal=proposal,
            actor=user,
            answers={q.pk: f"Answer of vendor {n} to question {q.order}." for q in questions},
        )
        services.document_upload(
            proposal=proposal,
            actor=user,
            title="Work plan",
            upload=SimpleUploadedFile("plan.pdf", PDF_BYTES, content_type="application/pdf"),
        )
        services.price_envelope_save(proposal=proposal, actor=user, amount=f"{90000 + n}.00")
        _token, secret = core_services.api_token_create(user=user, name="Deadline script")
        drafts.append((str(proposal.public_id), secret))
    return challenge, drafts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, threads: int, env: dict) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "60",
        # The clients keep their connections between submits.
        "--keep-alive",
        "75",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/challenges/")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def warm_up(port: int, drafts) -> None:
    """Submit the warm-up drafts, all at once, before the clock starts: every worker thread has
    then loaded its code and opened its connections (database, broker), as on a site that has
    been up for a while."""

    def submit(public_id, secret):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", "/api/challenges/")
        conn.getresponse().read()
        conn.request(
            "POST",
            f"/api/proposals/{public_id}/submit/",
            body=b"{}",
            headers={"Authorization": f"Token {secret}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != 200:
            raise SystemExit(f"warm-up submit answered {response.status}")

    threads = [threading.Thread(target=submit, args=draft) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def fire(port: int, drafts, connections: int, deadline: datetime):
    """One submit per draft at its planned moment; returns one record per request."""
    total = len(drafts)
    start = deadline - timedelta(seconds=LEAD_SECONDS)
    span = LEAD_SECONDS + LATE_SECONDS
    plan = [
        (start + timedelta(seconds=span * i / (total - 1)), public_id, secret)
        for i, (public_id, secret) in enumerate(drafts)
    ]
    # Connection k sends the k-th, (k + connections)-th, ... submissions, in time order.
    lanes = [plan[k::connections] for k in range(connections)]
    records = []
    lock = threading.Lock()

    def lane(items):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for planned, public_id, secret in items:
            wait = (planned - datetime.now(UTC)).total_seconds()
            if wait > 0:
                time.sleep(wait)
            for attempt in (1, 2):
                sent = datetime.now(UTC)
                began = time.perf_counter()
                try:
                    conn.request(
                        "POST",
                        f"/api/proposals/{public_id}/submit/",
                        body=b"{}",
                        headers={
                            "Authorization": f"Token {secret}",
                            "Content-Type": "application/json",
                        },
                    )
                    response = conn.getresponse()
                    body = response.read()
                    status = response.status
                    arrived = response.getheader("Arrived-At")
                    break
                except (OSError, http.client.HTTPException) as exc:
                    # A kept connection the server had closed: sent again once on a new one.
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    status, body, arrived = 0, f"{type(exc).__name__}: {exc}".encode(), None
                    if attempt == 2 or isinstance(exc, TimeoutError):
                        break
            latency = time.perf_counter() - began
            with lock:
                records.append(
                    {
                        "proposal": public_id,
                        "sent": sent,
                        "arrived": datetime.fromisoformat(arrived) if arrived else None,
                        "status": status,
                        "latency": latency,
                        "body": body[:300],
                    }
                )
        conn.close()

    threads = [threading.Thread(target=lane, args=(items,)) for items in lanes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return records


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(records, deadline):
    accepted_in_time = refused_late = misclassified = late_arrival = server_errors = other = 0
    examples = []
    for r in records:
        sent_in_time = r["sent"] < deadline
        arrived_in_time = r["arrived"] is not None and r["arrived"] < deadline
        if r["status"] >= 500 or r["status"] == 0:
            server_errors += 1
            examples.append(r)
            continue
        if sent_in_time and not arrived_in_time:
            late_arrival += 1
        if r["status"] == 200:
            if sent_in_time and arrived_in_time:
                accepted_in_time += 1
            else:
                misclassified += 1
                examples.append(r)
        elif r["status"] == 409:
            if sent_in_time and arrived_in_time:
                misclassified += 1
                examples.append(r)
            else:
                refused_late += 1
        else:
            other += 1
            examples.append(r)
    latencies = [r["latency"] for r in records]
    sent_before = sum(r["sent"] < deadline for r in records)
    print(f"requests: {len(records)} ({sent_before} sent before the deadline)")
    print(f"accepted in time: {accepted_in_time}")
    print(f"refused as late: {refused_late}")
    print(f"misclassified: {misclassified}")
    print(f"sent in time but received at or after the deadline: {late_arrival}")
    print(f"server errors (5xx or no answer): {server_errors}")
    print(f"other answers: {other}")
    print(
        f"latency p50: {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99: {percentile(latencies, 0.99) * 1000:.0f} ms, "
        f"max: {max(latencies) * 1000:.0f} ms"
    )
    for r in examples[:5]:
        print("  e.g.", r["status"], r["sent"].isoformat(), r["arrived"], r["body"][:200])
    return accepted_in_time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=200)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=12)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--dump", help="write every request's record to this JSON file")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database of the bench's own.")
    media = tempfile.mkdtemp(prefix="deadline-burst-media-")
    os.environ["MEDIA_ROOT"] = media
    recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    warm = args.workers * args.threads
    challenge, drafts = seed(args.vendors + warm)
    warm_drafts, drafts = drafts[:warm], drafts[warm:]
    print(
        f"seeded {len(drafts)} vendors (and {warm} for the warm-up) with complete drafts and "
        f"tokens in {time.perf_counter() - began:.0f} s"
    )
    connection.close()

    port = free_port()
    env = {**os.environ, "CONN_MAX_AGE": "60", "MEDIA_ROOT": media}
    print(
        f"gunicorn: {args.workers} gthread workers x {args.threads} threads on port {port}; "
        f"{args.connections} client connections"
    )
    server = start_server(port, args.workers, args.threads, env)
    try:
        began = time.perf_counter()
        warm_up(port, warm_drafts)
        print(f"warm-up: {warm} submits in {time.perf_counter() - began:.1f} s")
        from challenges.models import Challenge

        deadline = (datetime.now(UTC) + timedelta(seconds=LEAD_SECONDS + 0.5)).replace(
            microsecond=0
        ) + timedelta(seconds=1)
        # Saved (not a bare update), so its schedule and reminders follow the new deadline now,
        # as when staff move a deadline, rather than in the first submissions.
        challenge = Challenge.objects.get(pk=challenge.pk)
        challenge.questions_deadline = deadline - timedelta(minutes=1)
        challenge.submission_deadline = deadline
        challenge.save(update_fields=["questions_deadline", "submission_deadline"])
        connection.close()
        print(f"deadline: {deadline.isoformat()}; load average before firing: {os.getloadavg()}")
        records = fire(port, drafts, args.connections, deadline)
    finally:
        server.terminate()
        server.wait(timeout=30)

    accepted = report(records, deadline)
    if args.dump:
        Path(args.dump).write_text(json.dumps(records, default=str, indent=1))
    from core.audit_chain import audit_verify
    from vendors.models import Proposal

    warm_ids = [public_id for public_id, _secret in warm_drafts]
    submitted = Proposal.objects.filter(challenge=challenge, status="submitted").exclude(
        public_id__in=warm_ids
    )
    stored = submitted.count()
    late_stored = submitted.filter(submitted_at__gte=deadline).count()
    count, breaks = audit_verify()
    print(
        f"database: {stored} submitted ({late_stored} with an arrival at or after the deadline); "
        f"audit chain: {count} entries, {len(breaks)} breaks"
    )
    print(json.dumps({"accepted_matches_database": accepted == stored}))
    connection.close()
    if not args.keep:
        drop_database(url)


if __name__ == "__main__":
    main()
