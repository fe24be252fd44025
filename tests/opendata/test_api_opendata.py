"""Open data through the API (DESIGN.md §6): public, no sign-in; the OCDS release package and
record of a published challenge validate against the official schema and keep sealed prices and
people's identities out; nothing answers before publication."""

import json
from datetime import timedelta

import pytest
import time_machine

from challenges import services as challenge_services
from opendata import ocds
from procurement.services import award as award_services
from tests.factories import ChallengeFactory, CommunityInputFactory, set_status
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

SEALED_PRICES = ("100000", "80000")  # Acme's and Globex's price envelopes (award_fixtures)


def links(challenge):
    base = f"/api/open-data/{challenge.reference}/"
    return base + "release-package/", base + "record/"


def fetch(api_client, challenge):
    package_url, record_url = links(challenge)
    package = api_client.get(package_url)
    record = api_client.get(record_url)
    assert package.status_code == 200, package.content
    assert record.status_code == 200, record.content
    assert package["Content-Type"].startswith("application/json")
    return package.json(), record.json()


def test_anyone_lists_published_challenges_with_links_and_nothing_else(
    published, alice, department, api_client
):
    draft = ChallengeFactory(owner=alice, department=department)

    response = api_client.get("/api/open-data/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["reference"] == published.reference
    assert row["ocid"] == ocds.ocid(published)
    assert row["release_package"].endswith(links(published)[0])
    assert row["record"].endswith(links(published)[1])
    assert draft.reference not in json.dumps(body)


@pytest.mark.parametrize("status", ["draft", "co_design", "in_review", "approved"])
def test_nothing_answers_before_publication(alice, department, api_client, status):
    challenge = set_status(ChallengeFactory(owner=alice, department=department), status)

    for link in links(challenge):
        assert api_client.get(link).status_code == 404


def test_an_unknown_reference_answers_404(db, api_client):
    assert api_client.get("/api/open-data/RVB-1999-999/record/").status_code == 404


def test_a_published_challenge_validates_and_keeps_residents_and_askers_out(
    published, dave, rita, alice, api_client
):
    comment = CommunityInputFactory(
        challenge=published, author=rita, body="Rita Resident lives at 12 Elm Street."
    )
    question = challenge_services.question_ask(
        challenge=published, actor=dave, body="Can we reuse existing thermostats?"
    )
    challenge_services.question_answer(question=question, actor=alice, answer="Yes, if they work.")

    package, record = fetch(api_client, published)

    assert ocds.validation_errors(package) == []
    assert ocds.validation_errors(record, kind="record") == []
    assert record["records"][0]["ocid"] == ocds.ocid(published)
    text = json.dumps(package) + json.dumps(record)
    assert "Yes, if they work." in text
    assert comment.body not in text
    for person in (dave, rita):
        assert person.email not in text
        assert f'"{person.username}"' not in text


def test_sealed_prices_stay_out_until_the_award_is_final(decided, frank, carol, alice, api_client):
    challenge = decided.challenge

    def prices_in_answers():
        challenge.refresh_from_db()
        package, record = fetch(api_client, challenge)
        assert ocds.validation_errors(package) == []
        assert ocds.validation_errors(record, kind="record") == []
        text = json.dumps(package) + json.dumps(record)
        assert "criterion_scores" not in text
        return {price for price in SEALED_PRICES if price in text}

    assert prices_in_answers() == set()
    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)
    award_services.award_approve(award=award, actor=carol)
    award_services.award_notify(award=award, actor=alice)
    assert prices_in_answers() == set()

    award.refresh_from_db()
    with time_machine.travel(award.standstill_ends_at + timedelta(seconds=1), tick=False):
        award_services.award_finalise(award=award, actor=alice)

    # Only the winner's price becomes public, as the contract's value.
    assert prices_in_answers() == {"100000"}


def test_open_data_needs_no_sign_in_and_refuses_writes(published, api_client):
    response = api_client.post(links(published)[1], {}, format="json")

    assert response.status_code == 405
    assert api_client.get(links(published)[1]).status_code == 200
