"""Every page of the pipeline is reachable from the challenge page or the header."""

import pytest

from tests.factories import ChallengeFactory, evaluation_in, panel_member, set_status

pytestmark = pytest.mark.django_db


def test_the_header_links_to_open_data(client):
    assert 'href="/open-data/"' in client.get("/").content.decode()


def test_a_published_challenge_links_to_its_open_data(client, published_challenge):
    page = client.get(published_challenge.get_absolute_url()).content.decode()
    assert f'href="/open-data/{published_challenge.reference}/releases.json"' in page


def test_a_draft_links_to_no_open_data(client, alice, challenge):
    client.force_login(alice)
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert "releases.json" not in page


def test_staff_find_the_award_while_evaluating_and_the_pilot_once_awarded(client, alice, challenge):
    client.force_login(alice)
    set_status(challenge, "evaluating", published_at=challenge.created_at)
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert f'href="/challenges/{challenge.reference}/award/"' in page
    assert f'href="/challenges/{challenge.reference}/pilot/"' not in page

    set_status(challenge, "awarded")
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert f'href="/challenges/{challenge.reference}/pilot/"' in page


def test_the_panels_chair_finds_the_award_from_the_challenge_page(client, frank, grace, alice):
    challenge = ChallengeFactory(owner=alice)
    set_status(challenge, "evaluating", published_at=challenge.created_at)
    evaluation = evaluation_in(challenge, "decided")
    panel_member(evaluation, frank, status="accepted", is_chair=True)
    panel_member(evaluation, grace, status="accepted")
    award_link = f'href="/challenges/{challenge.reference}/award/"'

    client.force_login(frank)
    assert award_link in client.get(challenge.get_absolute_url()).content.decode()
    # Another member of the panel does not recommend, and is not shown the way.
    client.force_login(grace)
    assert award_link not in client.get(challenge.get_absolute_url()).content.decode()
