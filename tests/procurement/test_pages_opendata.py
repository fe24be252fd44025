"""The open-data pages: the index of published challenges, the OCDS release package and record
as JSON (valid, nothing private, nothing before publication) and the CSV."""

import csv
import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from procurement import ocds
from procurement.models import Award
from procurement.services import award as award_services
from tests.factories import ChallengeFactory
from tests.procurement import test_ocds
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)
from tests.procurement.test_ocds import SEALED_PRICES, assert_private_things_absent

stages = test_ocds.stages  # the fixture: a question, an addendum and a resident's comment


def releases_url(challenge):
    return reverse("procurement:open_data_releases", kwargs={"reference": challenge.reference})


def record_url(challenge):
    return reverse("procurement:open_data_record", kwargs={"reference": challenge.reference})


def csv_rows(client):
    response = client.get(reverse("procurement:open_data_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.fixture
def draft(alice, department):
    return ChallengeFactory(owner=alice, department=department, title="Secret draft plan")


def test_the_index_lists_published_challenges_with_their_data_and_not_drafts(
    client, published, draft
):
    response = client.get(reverse("procurement:open_data"))

    assert response.status_code == 200
    text = response.content.decode()
    assert releases_url(published) in text
    assert record_url(published) in text
    assert draft.title not in text
    assert releases_url(draft) not in text


def test_there_is_no_data_about_a_challenge_before_publication(client, draft):
    assert client.get(releases_url(draft)).status_code == 404
    assert client.get(record_url(draft)).status_code == 404
    assert (
        client.get(reverse("procurement:open_data_releases", kwargs={"reference": "X"})).status_code
        == 404
    )
    assert all(row["reference"] != draft.reference for row in csv_rows(client))


def test_the_json_validates_against_the_official_schemas(client, published):
    package = fetch(client, releases_url(published))
    record = fetch(client, record_url(published))

    assert ocds.validation_errors(package) == []
    assert ocds.validation_errors(record, kind="record") == []
    assert record["records"][0]["ocid"] == ocds.ocid(published)


def test_it_keeps_prices_and_people_out_until_the_award_is_final(
    client, stages, decided, frank, carol, alice, dave, erin, rita
):
    challenge = decided.challenge
    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)
    award_services.award_approve(award=award, actor=carol)
    award_services.award_notify(award=award, actor=alice)

    package = fetch(client, releases_url(challenge))
    record = fetch(client, record_url(challenge))
    rows = csv_rows(client)
    text = json.dumps([package, record], ensure_ascii=False) + json.dumps(rows)
    assert ocds.validation_errors(package) == []
    assert ocds.validation_errors(record, kind="record") == []
    for price in SEALED_PRICES:
        assert price not in text
    assert_private_things_absent(
        challenge, package, record, users=[dave, erin, rita, frank], resident_texts=[stages.body]
    )
    row = next(r for r in rows if r["reference"] == challenge.reference)
    assert row["award_status"] == "pending"
    assert row["awarded_value_cad"] == ""

    award.refresh_from_db()
    with time_machine.travel(award.standstill_ends_at + timedelta(seconds=1), tick=False):
        award_services.award_finalise(award=award, actor=alice)
    award.refresh_from_db()
    assert award.status == Award.Status.FINAL

    record = fetch(client, record_url(challenge))
    rows = csv_rows(client)
    assert ocds.validation_errors(record, kind="record") == []
    row = next(r for r in rows if r["reference"] == challenge.reference)
    assert row["award_status"] == "final"
    assert row["supplier"] == "Acme Heat Solutions Ltd."
    assert row["awarded_value_cad"].startswith("100000")
    assert "80000" not in json.dumps(rows) + json.dumps(record)
    assert_private_things_absent(
        challenge, record, users=[dave, erin, rita, frank], resident_texts=[stages.body]
    )
