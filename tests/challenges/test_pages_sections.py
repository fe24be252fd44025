"""The challenge page shows what higher apps register (challenges.sections), as their rules let
each reader see it; the page itself names no page of a higher app and compares no roles."""

from pathlib import Path

import pytest

from challenges.sections import (
    ChallengeLink,
    ChallengeSection,
    register_link,
    register_section,
    unregister,
    visible_by,
)
from tests.factories import UserFactory, set_status

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "challenges" / "templates" / "challenges"


@pytest.fixture
def paula(db):
    """An approver who is not also staff."""
    return UserFactory(username="paula", roles=["approver"])


def link_labels(response, group):
    return [str(link["label"]) for link in response.context["links"][group]]


def page_as(client, request, persona, challenge):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client.get(challenge.get_absolute_url())


def test_the_challenge_page_names_no_page_of_a_higher_app_and_no_role():
    sources = [TEMPLATES / "detail.html", *sorted((TEMPLATES / "includes").glob("*.html"))]
    for source in sources:
        text = source.read_text()
        for higher in ("'vendors:", "'evaluation:", "'procurement:", "procurement_links"):
            assert higher not in text, f"{source.name} reaches into a higher app: {higher}"
        for role_check in ("user_roles", "user_is_staff_member", "user_can"):
            assert role_check not in text, f"{source.name} decides by role: {role_check}"
    assert "status ==" not in (TEMPLATES / "detail.html").read_text()


# name, the invitation each reader gets while the challenge is open
INVITATIONS = [
    ("anonymous", "Create an account to respond"),
    ("rita", "Register your organization to respond"),
    ("dave", "Respond to this challenge"),
    ("alice", None),
    ("carol", None),
]
ALL_INVITATIONS = {label for _persona, label in INVITATIONS if label}


@pytest.mark.parametrize(("persona", "invitation"), INVITATIONS)
def test_each_reader_gets_the_one_invitation_to_respond_that_fits(
    client, request, published_challenge, persona, invitation
):
    html = page_as(client, request, persona, published_challenge).content.decode()

    shown = {label for label in ALL_INVITATIONS if label in html}
    assert shown == ({invitation} if invitation else set())


def test_nobody_is_invited_to_respond_once_the_challenge_closed(client, dave, published_challenge):
    set_status(published_challenge, "closed")
    client.force_login(dave)

    html = client.get(published_challenge.get_absolute_url()).content.decode()

    assert not any(label in html for label in ALL_INVITATIONS)


# persona, the links that follow the evaluation and award on an evaluating challenge
FOLLOW_LINKS = [
    ("alice", ["Proposals received", "Evaluation plan", "Evaluation", "Award"]),
    ("bob", ["Proposals received", "Evaluation plan", "Evaluation", "Award"]),
    ("carol", ["Proposals received", "Evaluation plan", "Evaluation", "Award"]),
    # Approvers read the plan before publication (they approve it), so they get its staff page.
    ("paula", ["Evaluation plan", "Award: recommend from the ranking"]),
    ("rita", ["How proposals are evaluated"]),
    ("anonymous", ["How proposals are evaluated"]),
]


@pytest.mark.parametrize(("persona", "expected"), FOLLOW_LINKS)
def test_each_reader_finds_the_evaluation_and_award_their_rules_allow(
    client, request, challenge, persona, expected
):
    set_status(challenge, "evaluating", published_at=challenge.created_at)

    response = page_as(client, request, persona, challenge)

    assert link_labels(response, "follow") == expected
    assert link_labels(response, "public") == [
        "Outcomes: what was bought, and whether it worked",
        "Open data for this challenge (OCDS release package, JSON)",
    ]
    internal = ("alice", "bob", "carol", "paula")
    assert ("History" in link_labels(response, "manage")) is (persona in internal)


def test_staff_find_the_award_contract_and_pilot_once_the_challenge_is_awarded(
    client, alice, challenge
):
    set_status(challenge, "awarded", published_at=challenge.created_at)
    client.force_login(alice)

    response = client.get(challenge.get_absolute_url())

    assert link_labels(response, "follow")[-3:] == ["Award", "Contract", "Pilot"]


@pytest.fixture
def registered():
    names = []

    def add(item):
        (register_section if isinstance(item, ChallengeSection) else register_link)(item)
        names.append(item.name)
        return item

    yield add
    for name in names:
        unregister(name)


def test_a_section_registered_for_the_review_slot_shows_beside_the_next_steps(
    client, alice, challenge, registered
):
    registered(
        ChallengeSection(
            name="tests.review",
            template="vendors/includes/challenge_respond.html",
            context=lambda request, challenge: {"label": "Read the review", "url": "/review/"},
            slot="review",
        )
    )
    registered(
        ChallengeSection(
            name="tests.hidden",
            template="vendors/includes/challenge_respond.html",
            context=lambda request, challenge: None,
            slot="main",
        )
    )
    client.force_login(alice)

    response = client.get(challenge.get_absolute_url())

    html = response.content.decode()
    assert '<a class="button" href="/review/">Read the review</a>' in html
    assert html.index("workflow-heading") < html.index("/review/") < html.index("layout-2")
    assert response.context["sections"]["main"] == []


def test_a_link_is_shown_only_to_whom_its_rule_allows(client, alice, rita, challenge, registered):
    set_status(challenge, "published", published_at=challenge.created_at)
    registered(
        ChallengeLink(
            name="tests.owner_link",
            label="For the owner",
            url=lambda challenge: f"/owner/{challenge.reference}/",
            visible=visible_by("challenges.manage_challenge"),
            group="follow",
        )
    )

    client.force_login(alice)
    as_owner = client.get(challenge.get_absolute_url()).content.decode()
    client.force_login(rita)
    as_resident = client.get(challenge.get_absolute_url()).content.decode()

    assert f'href="/owner/{challenge.reference}/"' in as_owner
    assert "For the owner" not in as_resident
