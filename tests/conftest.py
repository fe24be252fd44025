"""Personas (DESIGN.md §9) and shared fixtures.

alice owns challenges (staff), bob is other staff, carol approves, dave and erin work for vendors,
frank and grace evaluate, rita is a resident, root is the admin.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from rest_framework.test import APIClient

from config.celery import app as celery_app
from tests.factories import (
    ChallengeFactory,
    DepartmentFactory,
    EngagementActivityFactory,
    UserFactory,
    complete_governance,
    complete_plan,
    set_status,
)


@pytest.fixture(autouse=True)
def _close_at_the_deadline(settings):
    """Tests close challenges at their submission deadline; the grace after it that production
    keeps for submissions still running has its own tests (tests/vendors/test_deadline_rush.py),
    which set it back."""
    settings.SUBMISSION_CLOSE_GRACE_SECONDS = 0


@pytest.fixture(scope="session", autouse=True)
def _flush_may_truncate_the_audit_trail():
    """A transactional test's flush empties every table with TRUNCATE, which PostgreSQL refuses
    on the audit trail (core's migration 0003) unless the transaction allows it."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    sql_flush = DatabaseOperations.sql_flush

    def allowing_audit_truncate(self, style, tables, **kwargs):
        statements = sql_flush(self, style, tables, **kwargs)
        if statements:
            statements = ["SELECT set_config('core.audit_truncate', 'allowed', true)", *statements]
        return statements

    DatabaseOperations.sql_flush = allowing_audit_truncate
    yield
    DatabaseOperations.sql_flush = sql_flush


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put back what migrations made once a transactional test's flush has emptied the tables.

    A transactional test (serialized_rollback) restores that data when it starts and empties
    every table when it ends. pytest-django runs such tests last, but pytest-xdist hands each
    worker whole files in its own order, so an ordinary test may come next and find no role
    groups or content types."""
    result = yield
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if transactional and nextitem is not None:
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all(initialized_only=True):
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
        ContentType.objects.clear_cache()
    return result


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Tasks queued at commit run in this process, with or without REDIS_URL (`make test` sets
    it); the Celery worker tests switch to a real broker themselves."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Static files are served from the apps' folders; `make test` checks collectstatic apart.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # A cache of its own per test: counters (account creation per address) start at zero.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }
    # A transactional test empties every table and content types come back with new ids;
    # the in-process cache must not hand out the old ones.
    ContentType.objects.clear_cache()
    yield
    # LocaleMiddleware leaves the thread in the last request's language.
    translation.deactivate()


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", roles=["staff"])


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", roles=["staff"])


@pytest.fixture
def carol(db):
    return UserFactory(username="carol", roles=["staff", "approver"])


@pytest.fixture
def dave(db):
    return UserFactory(username="dave", roles=["vendor"])


@pytest.fixture
def erin(db):
    return UserFactory(username="erin", roles=["vendor"])


@pytest.fixture
def frank(db):
    return UserFactory(username="frank", roles=["evaluator"])


@pytest.fixture
def grace(db):
    return UserFactory(username="grace", roles=["evaluator"])


@pytest.fixture
def rita(db):
    return UserFactory(username="rita")


@pytest.fixture
def root(db):
    user = UserFactory(username="root")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Community Services", slug="community-services")


@pytest.fixture
def challenge(alice, department):
    """A draft challenge owned by alice, with a complete statement and timeline."""
    return ChallengeFactory(owner=alice, department=department)


@pytest.fixture
def co_design_challenge(challenge):
    """In co-design with what review needs: an engagement activity, a complete data governance
    record and a complete plan."""
    set_status(challenge, "co_design")
    EngagementActivityFactory(challenge=challenge)
    complete_governance(challenge)
    complete_plan(challenge)
    return challenge


@pytest.fixture
def published_challenge(challenge):
    EngagementActivityFactory(challenge=challenge)
    return set_status(challenge, "published")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as():
    """An API client signed in as the given user (or anonymous with None)."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
