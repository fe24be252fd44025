"""The chain head is published for anyone to keep, without telling how many entries there are,
and a kept head can be checked against the chain later."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from challenges import services
from core.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db

MORNING = datetime(2027, 3, 2, 9, 20, tzinfo=UTC)


def open_co_design(challenge, alice, at):
    with time_machine.travel(at, tick=False):
        services.challenge_transition(challenge=challenge, actor=alice, name="open_co_design")
    return AuditEntry.objects.latest("sequence")


def test_the_head_is_the_last_entry_before_the_checkpoint(client, challenge, alice):
    first = open_co_design(challenge, alice, MORNING)
    # Written after the 10:00 checkpoint: not part of it.
    with time_machine.travel(MORNING + timedelta(minutes=45), tick=False):
        services.challenge_update(challenge=challenge, actor=alice, title="A new title")

    with time_machine.travel(datetime(2027, 3, 2, 10, 30, tzinfo=UTC), tick=False):
        head = client.get("/audit/head.json").json()

    assert head == {
        "taken_at": "2027-03-02T10:00:00+00:00",
        "digest": first.digest,
        "algorithm": "sha256",
        "interval_minutes": 60,
    }


def test_a_checkpoint_is_published_only_after_its_grace(client, challenge, alice):
    open_co_design(challenge, alice, MORNING)

    # At 10:02 a transaction begun before 10:00 may still commit: the 09:00 checkpoint stands.
    with time_machine.travel(datetime(2027, 3, 2, 10, 2, tzinfo=UTC), tick=False):
        head = client.get("/audit/head.json").json()

    assert (head["taken_at"], head["digest"]) == ("2027-03-02T09:00:00+00:00", "")


def test_the_published_head_gives_no_count(client, challenge, alice):
    entry = open_co_design(challenge, alice, MORNING)
    assert AuditChainHead.objects.get().last_sequence == 1

    with time_machine.travel(MORNING + timedelta(hours=2), tick=False):
        page = client.get("/audit/head/")
        json = client.get("/audit/head.json")
        feed = client.get("/audit/head.atom")

    assert page.status_code == json.status_code == feed.status_code == 200
    assert entry.digest in page.content.decode()
    assert "sequence" not in json.content.decode()
    assert "sequence" not in feed.content.decode()


def test_the_feed_lists_each_head_once_newest_first(client, challenge, alice):
    first = open_co_design(challenge, alice, MORNING)
    with time_machine.travel(MORNING + timedelta(hours=2), tick=False):
        services.challenge_update(challenge=challenge, actor=alice, title="A new title")
    second = AuditEntry.objects.latest("sequence")

    with time_machine.travel(MORNING + timedelta(hours=5), tick=False):
        feed = client.get("/audit/head.atom")

    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert body.count(f"<title>{first.digest}</title>") == 1
    assert body.index(second.digest) < body.index(first.digest)


def test_a_published_head_checks_out_with_verify_audit(client, challenge, alice, capsys):
    open_co_design(challenge, alice, MORNING)
    with time_machine.travel(MORNING + timedelta(hours=2), tick=False):
        kept = client.get("/audit/head.json").json()["digest"]
    services.challenge_update(challenge=challenge, actor=alice, title="Later work")

    call_command("verify_audit", "--against", kept)

    assert f"The kept head {kept} is part of it." in capsys.readouterr().out


def test_the_open_data_include_shows_the_head(challenge, alice):
    from django.template.loader import render_to_string

    entry = open_co_design(challenge, alice, MORNING)
    with time_machine.travel(MORNING + timedelta(hours=2), tick=False):
        html = render_to_string("core/includes/audit_head.html")

    assert entry.digest in html
    assert "/audit/head.atom" in html
