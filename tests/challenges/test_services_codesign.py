"""Co-design: engagement activities recorded by the owner, community input from residents."""

import pytest

from challenges import services
from challenges.input_services import community_input_give
from challenges.models import CommunityInput, EngagementActivity
from core.errors import InvalidInput, PermissionDenied
from tests.factories import set_status

pytestmark = pytest.mark.django_db


def activity(**overrides):
    data = {
        "kind": "workshop",
        "held_on": "2026-11-01",
        "participants": 12,
        "groups_reached": "Seniors' centre",
        "summary": "Residents described cold rooms.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def in_co_design(challenge):
    return set_status(challenge, "co_design")


# engagement_activity_add


def test_the_owner_records_an_engagement_activity_in_co_design(in_co_design, alice):
    result = services.engagement_activity_add(challenge=in_co_design, actor=alice, **activity())

    stored = EngagementActivity.objects.get(pk=result.pk)
    assert stored.challenge == in_co_design
    assert stored.recorded_by == alice
    assert stored.participants == 12
    assert str(stored.held_on) == "2026-11-01"


@pytest.mark.parametrize("state", ["draft", "not_awarded", "cancelled"])
def test_it_refuses_activities_before_co_design_and_after_the_challenge_ends(
    challenge, alice, state
):
    set_status(challenge, state)

    with pytest.raises(PermissionDenied, match="from co-design until the pilot ends"):
        services.engagement_activity_add(challenge=challenge, actor=alice, **activity())

    assert EngagementActivity.objects.count() == 0


@pytest.mark.parametrize(
    ("state", "stage"),
    [
        ("in_review", "co_design"),
        ("published", "call"),
        ("evaluating", "call"),
        ("awarded", "pilot"),
    ],
)
def test_activities_are_recorded_after_co_design_too_at_the_current_stage(
    challenge, alice, state, stage
):
    set_status(challenge, state)

    result = services.engagement_activity_add(challenge=challenge, actor=alice, **activity())

    assert EngagementActivity.objects.get(pk=result.pk).stage == stage


@pytest.mark.parametrize("persona", ["bob", "carol", "rita", "root"])
def test_it_refuses_activities_from_anyone_but_the_owner(in_co_design, persona, request):
    with pytest.raises(PermissionDenied, match="recorded by the challenge's owner"):
        services.engagement_activity_add(
            challenge=in_co_design, actor=request.getfixturevalue(persona), **activity()
        )

    assert EngagementActivity.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"participants": 0}, "__all__"),
        ({"participants": -3}, "participants"),
        ({"groups_reached": "x" * 301}, "groups_reached"),
        ({"kind": "seance"}, "kind"),
        ({"held_on": "not a date"}, "held_on"),
        ({"summary": ""}, "summary"),
    ],
)
def test_it_refuses_a_bad_activity_and_stores_nothing(in_co_design, alice, overrides, field):
    with pytest.raises(InvalidInput) as invalid:
        services.engagement_activity_add(
            challenge=in_co_design, actor=alice, **activity(**overrides)
        )

    assert field in invalid.value.field_errors
    assert EngagementActivity.objects.count() == 0


def test_it_names_every_missing_field_of_an_activity(in_co_design, alice):
    with pytest.raises(InvalidInput) as invalid:
        services.engagement_activity_add(challenge=in_co_design, actor=alice)

    # "Other groups reached" is optional: priority groups are counted one by one.
    assert set(invalid.value.field_errors) == {"kind", "held_on", "participants", "summary"}
    assert EngagementActivity.objects.count() == 0


def test_an_activity_with_no_participants_is_explained(in_co_design, alice):
    with pytest.raises(InvalidInput) as invalid:
        services.engagement_activity_add(
            challenge=in_co_design, actor=alice, **activity(participants=0)
        )

    assert invalid.value.messages == ["An activity has at least one participant."]


# community_input_give (without an account: test_input_without_account.py)


@pytest.mark.parametrize("persona", ["rita", "dave", "alice", "bob", "frank"])
def test_any_signed_in_person_gives_input_in_co_design(in_co_design, persona, request):
    person = request.getfixturevalue(persona)

    result = community_input_give(
        challenge=in_co_design, actor=person, body="Our windows leak.", neighbourhood="Northside"
    )

    stored = CommunityInput.objects.get(pk=result.pk)
    assert stored.author == person
    assert stored.body == "Our windows leak."
    assert stored.status == CommunityInput.Status.PENDING


@pytest.mark.parametrize("state", ["draft", "in_review", "published", "cancelled"])
def test_it_refuses_input_outside_co_design(challenge, rita, state):
    set_status(challenge, state)

    with pytest.raises(PermissionDenied, match="open while a challenge is in co-design"):
        community_input_give(challenge=challenge, actor=rita, body="Our windows leak.")

    assert CommunityInput.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "x" * 4001}, "body"),
        ({"body": "Fine", "neighbourhood": "x" * 121}, "neighbourhood"),
        ({"body": "Fine", "kind": "rant"}, "kind"),
    ],
)
def test_it_refuses_bad_input_and_stores_nothing(in_co_design, rita, overrides, field):
    with pytest.raises(InvalidInput) as invalid:
        community_input_give(challenge=in_co_design, actor=rita, **overrides)

    assert field in invalid.value.field_errors
    assert CommunityInput.objects.count() == 0


def test_it_accepts_input_of_exactly_the_maximum_length(in_co_design, rita):
    community_input_give(challenge=in_co_design, actor=rita, body="x" * 4000)

    assert len(CommunityInput.objects.get().body) == 4000
