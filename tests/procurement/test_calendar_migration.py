"""Hashing the calendar tokens at rest keeps every address people already subscribed to working,
and leaves no token in the database."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

BEFORE = ("procurement", "0007_award_withdrawn")
AFTER = ("procurement", "0008_calendar_token_digest")


@pytest.fixture
def executor(transactional_db):
    executor = MigrationExecutor(connection)
    yield executor
    # Leave the schema as the other tests expect it.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_addresses_keep_working_with_only_their_digest_stored(executor, client):
    executor.migrate([BEFORE])
    old_apps = executor.loader.project_state([BEFORE]).apps
    User = old_apps.get_model("auth", "User")
    Preferences = old_apps.get_model("procurement", "PersonPreferences")
    token = "an-address-someone-subscribed-to-" + "x" * 10
    user = User.objects.create(username="subscriber", is_active=True)
    Preferences.objects.create(user=user, calendar_token=token, email_muted_kinds=[])

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM procurement_personpreferences")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert token not in str(rows)
    assert hashlib.sha256(token.encode()).hexdigest() in rows[0]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    response = client.get(reverse("procurement:calendar_feed", kwargs={"token": token}))
    assert response.status_code == 200
