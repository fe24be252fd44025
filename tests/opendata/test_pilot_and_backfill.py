"""A pilot's steps in open data, and the releases of history loaded without its stages.

Each pilot step stores an implementation release, and its milestone
days are published as local days (the start of the day in the municipality's zone), not as
midnight UTC, which is the evening before in Canada."""

import importlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from challenges import services as challenge_services
from opendata import ocds, packages
from opendata.models import Release
from opendata.services import release_store
from procurement.services import pilot as pilot_services
from tests.factories import ChallengeFactory, set_status
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

DUE = date(2027, 1, 15)  # winter: America/Moncton is UTC-4
DONE = date(2027, 7, 2)  # summer: UTC-3


@pytest.fixture
def started(pilot, alice):
    milestone = pilot_services.milestone_add(
        pilot=pilot, actor=alice, title="Install in 20 homes", due_on=DUE
    )
    pilot_services.milestone_add(pilot=pilot, actor=alice, title="Survey", due_on=DONE)
    pilot_services.indicator_add(
        pilot=pilot,
        actor=alice,
        name="Average energy burden",
        unit="% of income",
        baseline=Decimal("8.5"),
        target=Decimal("6"),
    )
    pilot_services.pilot_transition(pilot=pilot, actor=alice, name="start")
    return milestone


def implementation(challenge) -> list[dict]:
    return [
        r for r in packages.release_package(challenge)["releases"] if r["tag"] == ["implementation"]
    ]


def test_each_pilot_step_stores_a_release_with_its_milestones(started, pilot, alice):
    (release,) = implementation(pilot.challenge)
    (contract,) = release["contracts"]
    assert contract["id"] == f"contract-{pilot.award_id}"
    assert contract["awardID"] == f"award-{pilot.award_id}"
    assert [m["title"] for m in contract["implementation"]["milestones"]] == [
        "Install in 20 homes",
        "Survey",
    ]

    pilot_services.pilot_transition(pilot=pilot, actor=alice, name="open_review")

    first, second = implementation(pilot.challenge)
    assert first == release
    assert ocds.validation_errors(packages.release_package(pilot.challenge)) == []


def test_milestone_days_are_local_days_not_midnight_utc(started, pilot):
    (release,) = implementation(pilot.challenge)
    due, summer = release["contracts"][0]["implementation"]["milestones"]

    zone = ZoneInfo(settings.TIME_ZONE)
    assert due["dueDate"] == "2027-01-15T00:00:00-04:00"
    assert summer["dueDate"] == "2027-07-02T00:00:00-03:00"
    for milestone, day in ((due, DUE), (summer, DONE)):
        moment = datetime.fromisoformat(milestone["dueDate"])
        assert moment.astimezone(zone).date() == day
        assert moment.astimezone(zone).time().hour == 0


def test_a_met_milestone_says_the_local_day_it_was_met(started, pilot, alice):
    with time_machine.travel(datetime(2027, 1, 20, 15, 0, tzinfo=UTC), tick=False):
        pilot_services.milestone_mark_done(milestone=started, actor=alice, done_on=DUE)
        pilot_services.pilot_transition(pilot=pilot, actor=alice, name="open_review")

    latest = implementation(pilot.challenge)[-1]
    met = latest["contracts"][0]["implementation"]["milestones"][0]
    assert met["status"] == "met"
    assert met["dateMet"] == "2027-01-15T00:00:00-04:00"


# The data migration: challenges published before releases were stored keep a release.

backfill = importlib.import_module("opendata.migrations.0003_releases_of_published_challenges")


def test_the_migration_stores_releases_for_challenges_published_without_them(
    alice, department, published
):
    earlier = set_status(ChallengeFactory(owner=alice, department=department), "published")
    draft = ChallengeFactory(owner=alice, department=department)
    stored = Release.objects.get(challenge=published).data
    assert packages.release_package(earlier) is None

    backfill.forwards(None, None)
    backfill.forwards(None, None)  # run again: nothing more, nothing changed

    package = packages.release_package(earlier)
    assert [r["tag"] for r in package["releases"]] == [["planning", "tender"]]
    assert ocds.validation_errors(package) == []
    assert Release.objects.get(challenge=published).data == stored
    assert not Release.objects.filter(challenge=draft).exists()


def test_the_migration_keeps_an_announced_award_and_its_cancellation(decided, frank, carol, alice):
    from procurement.services import award as award_services

    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)
    award_services.award_approve(award=award, actor=carol)
    award_services.award_notify(award=award, actor=alice)
    challenge_services.challenge_transition(
        challenge=decided.challenge, actor=alice, name="cancel", reason="The budget was cut."
    )
    live = {r.release_id: r.data for r in Release.objects.all()}
    challenge = decided.challenge
    challenge.refresh_from_db()
    # As if these releases had never been stored: what the builder makes of today's state.
    rebuilt = ocds.current_releases(challenge)

    assert sorted(r["id"].rsplit("-", 1)[-1] for r in rebuilt) == sorted(
        ["tender", "closing", str(award.pk), "withdrawal", "cancellation"]
    )
    assert {r["id"] for r in rebuilt} == set(live)
    backfill.forwards(None, None)
    assert {r.release_id: r.data for r in Release.objects.all()} == live
    announced = next(r for r in rebuilt if r["tag"] == ["award"])
    assert json.loads(live[announced["id"]])["awards"][0]["status"] == "pending"
    assert announced["awards"][0]["status"] == "pending"


def test_the_backfill_command_gives_history_loaded_without_its_stages_a_release(
    alice, department, published
):
    loaded = set_status(ChallengeFactory(owner=alice, department=department), "published")
    out = StringIO()

    call_command("ocds_backfill", stdout=out)

    assert out.getvalue().strip() == "Stored 1 release(s)."
    assert [r.tags for r in Release.objects.filter(challenge=loaded)] == [["planning", "tender"]]
    call_command("ocds_backfill", stdout=StringIO())
    assert Release.objects.count() == 2  # the published challenge's own, and the loaded one's


def test_a_later_stage_of_history_loaded_without_its_stages_first_stores_its_tender(
    alice, department
):
    loaded = set_status(ChallengeFactory(owner=alice, department=department), "published")

    challenge_services.challenge_transition(
        challenge=loaded, actor=alice, name="cancel", reason="The need went away."
    )

    package = packages.release_package(loaded)
    assert [r["tag"] for r in package["releases"]] == [
        ["planning", "tender"],
        ["tenderCancellation"],
    ]
    assert ocds.validation_errors(package) == []


def test_storing_a_release_again_keeps_the_first_as_it_was(published):
    first = Release.objects.get(challenge=published)
    rewritten = {**first.release, "tender": {**first.release["tender"], "status": "complete"}}

    again = release_store(challenge=published, release=rewritten)

    assert again.pk == first.pk
    assert Release.objects.get().data == first.data
