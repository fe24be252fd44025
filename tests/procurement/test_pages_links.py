"""Every page of the pipeline is reachable from the challenge page or the header."""

import pytest

from tests.factories import set_status

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
