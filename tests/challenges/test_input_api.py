"""Residents' input through the API: open to anyone while input is open, limited per client,
with the stage, source and language set by the server."""

import pytest

from challenges.models import Challenge, CommunityInput
from tests.factories import CommunityInputFactory, PriorityGroupFactory, set_status

pytestmark = pytest.mark.django_db

IDEA = {"kind": "idea", "body": "Lend heat pumps like library books."}


def url(challenge):
    return f"/api/challenges/{challenge.reference}/community-input/"


def test_anyone_gives_input_without_an_account(api_as, co_design_challenge):
    group = PriorityGroupFactory(slug="test-renters", name_en="Renters")

    response = api_as(None).post(
        url(co_design_challenge),
        {
            **IDEA,
            "author_name": "Marie",
            "groups": ["test-renters"],
            "consent_to_publish": True,
            # The server decides these; a client cannot.
            "stage": "pilot",
            "source": "paper",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["stage"], body["status"], body["shown_name"]) == ("co_design", "pending", "Marie")
    assert "groups" not in body and "author" not in body
    item = CommunityInput.objects.get(pk=body["id"])
    assert (item.author, item.stage, item.source, item.language) == (
        None,
        "co_design",
        "online",
        "en",
    )
    assert list(item.groups.all()) == [group]


def test_an_unknown_group_is_a_field_error(api_as, co_design_challenge):
    response = api_as(None).post(
        url(co_design_challenge), {**IDEA, "groups": ["no-such-group"]}, format="json"
    )

    assert response.status_code == 400
    assert "groups" in response.json()
    assert not CommunityInput.objects.exists()


@pytest.mark.parametrize("state", ["published", "closed", "evaluating", "awarded", "not_awarded"])
def test_input_is_refused_with_a_sentence_outside_co_design(api_as, challenge, state):
    set_status(challenge, state)

    response = api_as(None).post(url(challenge), IDEA, format="json")

    assert response.status_code == 403
    label = Challenge.Status(state).label
    assert f"This challenge is “{label}”, so nothing was received." in response.json()["detail"]
    assert not CommunityInput.objects.exists()


def test_past_the_limit_the_api_answers_429_and_keeps_nothing(
    api_as, settings, co_design_challenge
):
    settings.INPUT_LIMIT_PER_CHALLENGE = 2
    client = api_as(None)
    for _ in range(2):
        assert client.post(url(co_design_challenge), IDEA, format="json").status_code == 201

    refused = client.post(url(co_design_challenge), IDEA, format="json")
    other = client.post(url(co_design_challenge), IDEA, format="json", REMOTE_ADDR="192.0.2.44")

    assert refused.status_code == 429
    assert "we did not receive this one" in refused.json()["detail"]
    assert refused["Retry-After"] == str(settings.INPUT_LIMIT_WINDOW_MINUTES * 60)
    assert other.status_code == 201
    assert CommunityInput.objects.count() == 3


def test_staff_read_who_gave_it_and_the_public_reads_only_what_may_be_shown(
    api_as, alice, rita, co_design_challenge
):
    group = PriorityGroupFactory(slug="test-seniors", name_en="Seniors")
    named = CommunityInputFactory(
        challenge=co_design_challenge, author=None, author_name="Marie", body="Named"
    )
    named.groups.set([group])
    set_status(named, "published")
    hidden_name = CommunityInputFactory(
        challenge=co_design_challenge, author=rita, author_name="Rita", body="Hidden name"
    )
    CommunityInput.objects.filter(pk=hidden_name.pk).update(
        consent_to_publish=False, status="published"
    )

    public = api_as(None).get(url(co_design_challenge)).json()["results"]
    staff = api_as(alice).get(url(co_design_challenge)).json()["results"]

    assert [(r["body"], r["shown_name"]) for r in public] == [
        ("Named", "Marie"),
        ("Hidden name", None),
    ]
    assert all("author" not in r and "groups" not in r for r in public)
    by_body = {r["body"]: r for r in staff}
    assert by_body["Named"]["author"] is None
    assert by_body["Named"]["groups"] == ["test-seniors"]
    assert by_body["Hidden name"]["author"] == "rita"
    assert by_body["Hidden name"]["consent_to_publish"] is False
