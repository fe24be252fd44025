"""A real Celery worker against a real Redis for the chronograph and reminder paths.

The Redis database is a spare one (CELERY_TEST_REDIS_URL, default db 5) emptied before each test;
under pytest-xdist each worker takes the next one (gw0 db 5, gw1 db 6, ...), never a shared one.
Tests fail, never skip, when Redis is not running: `make test` and CI start it.
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection
from kombu import pools

from config.celery import app as celery_app


def _redis_test_url() -> str:
    base = os.environ.get("CELERY_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
    server, _slash, db = base.rpartition("/")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return f"{server}/{int(db or 0) + int(worker.removeprefix('gw') or 0)}"


REDIS_TEST_URL = _redis_test_url()
# Nothing listens here: publishing to it fails the way it does when Redis is down.
CLOSED_BROKER_URL = "redis://127.0.0.1:1/5"
ROOT = Path(__file__).resolve().parents[2]


def use_broker(url: str) -> None:
    """Point this process's Celery app at `url` and drop connections made to the previous one."""
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = False
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # kombu keeps process-wide pools keyed by broker address; a stopped worker closes them.
    pools.reset()


@contextmanager
def redis_broker():
    client = redis.Redis.from_url(REDIS_TEST_URL)
    client.ping()
    client.flushdb()
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    use_broker(REDIS_TEST_URL)
    try:
        yield client
    finally:
        use_broker(previous[0])
        celery_app.conf.task_always_eager = previous[1]
        client.flushdb()


def wait_until(predicate, *, timeout: float = 30.0, interval: float = 0.1, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for: {message or predicate}")


class WorkerProcess:
    """`celery -A config worker` in its own process group, on the test database and Redis."""

    def __init__(self, name: str, *, env: dict[str, str], concurrency: int = 2):
        self.name = name
        self.log = Path(env["SLOW_EMAIL_DIR"]).parent / f"{name}.log"
        database = connection.settings_dict
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "test-only",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": (
                f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@"
                f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
            ),
            "REDIS_URL": REDIS_TEST_URL,
            "MUNICIPALITY_TIME_ZONE": settings.TIME_ZONE,
            # As in this process (tests/conftest.py): challenges close at their deadline.
            "SUBMISSION_CLOSE_GRACE_SECONDS": str(settings.SUBMISSION_CLOSE_GRACE_SECONDS),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            **env,
        }
        self.concurrency = concurrency
        self.process = None

    def start(self):
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={self.concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{self.name}@%h",
        ]
        self.process = subprocess.Popen(  # noqa: S603  (our own command line)
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(
            lambda: b"ready." in self.log.read_bytes() or self.process.poll() is not None,
            timeout=60,
            message=f"worker {self.name} ready",
        )
        assert self.process.poll() is None, self.log.read_text()
        return self

    def kill(self):
        """kill -9 the worker and its pool processes, as a crash or an OOM kill would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
