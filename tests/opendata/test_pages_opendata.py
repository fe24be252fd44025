"""The open-data pages: the index of published challenges, the OCDS release package and record
as JSON (valid, nothing private, nothing before publication) and the CSV."""

import csv
import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from opendata import ocds
from procurement.models import Award
from procurement.services import award as award_services
from tests.factories import ChallengeFactory
from tests.opendata import test_ocds
from tests.opendata.test_ocds import SEALED_PRICES, assert_private_things_absent
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

stages = test_ocds.stages  # the fixture: a question, an addendum and a resident's comment


def releases_url(challenge):
    return reverse("opendata:open_data_releases", kwargs={"reference": challenge.reference})


def record_url(challenge):
    return reverse("opendata:open_data_record", kwargs={"reference": challenge.reference})


def csv_rows(client):
    response = client.get(reverse("opendata:open_data_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


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
    response = client.get(reverse("opendata:open_data"))

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
        client.get(reverse("opendata:open_data_releases", kwargs={"reference": "X"})).status_code
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


def outcome_rows(client):
    response = client.get(reverse("opendata:open_data_outcomes_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def measured(decided, frank, carol, alice, dave):
    """A final award whose pilot is active with two measurements of one indicator."""
    from datetime import date
    from decimal import Decimal

    from procurement.services import pilot as pilot_services

    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)
    award_services.award_approve(award=award, actor=carol)
    award = award_services.award_notify(award=award, actor=alice)
    with time_machine.travel(award.standstill_ends_at, tick=False):
        award_services.award_finalise(award=award, actor=alice)
    award.refresh_from_db()
    pilot = pilot_services.pilot_create(award=award, actor=alice)
    pilot_services.milestone_add(pilot=pilot, actor=alice, title="Install", due_on=date(2030, 1, 1))
    indicator = pilot_services.indicator_add(
        pilot=pilot,
        actor=alice,
        name="=Average energy burden",
        unit="% of income",
        baseline=Decimal("8.5"),
        target=Decimal("6"),
    )
    pilot_services.pilot_transition(pilot=pilot, actor=alice, name="start")
    for day, value in ((date(2026, 3, 1), "7.9"), (date(2026, 1, 1), "-0.5")):
        pilot_services.measurement_record(
            indicator=indicator,
            actor=alice,
            value=Decimal(value),
            measured_on=day,
            source_note="Utility bills",
        )
    return pilot


def test_the_outcomes_csv_lists_each_measurement_against_its_target(client, measured, alice):
    rows = outcome_rows(client)

    assert [(r["measured_on"], r["value"]) for r in rows] == [
        ("2026-01-01", "-0.5000"),
        ("2026-03-01", "7.9000"),
    ]
    first = rows[0]
    assert first["reference"] == measured.challenge.reference
    assert first["ocid"] == ocds.ocid(measured.challenge)
    assert (first["unit"], first["baseline"], first["target"]) == (
        "% of income",
        "8.5000",
        "6.0000",
    )
    assert first["pilot_status"] == "active"
    assert first["source_note"] == "Utility bills"
    # A text a spreadsheet would run as a formula is quoted; a negative number is not text.
    assert first["indicator"] == "'=Average energy burden"
    # Who recorded a measurement is not open data.
    assert alice.username not in json.dumps(rows)


def test_the_outcomes_csv_is_a_header_alone_without_pilots(client, published):
    assert outcome_rows(client) == []
    response = client.get(reverse("opendata:open_data_outcomes_csv"))
    assert response.content.decode("utf-8-sig").startswith("ocid,reference,pilot_status,indicator,")


def test_the_open_data_page_links_both_downloads(client, db):
    page = client.get(reverse("opendata:open_data")).content.decode()

    assert f'href="{reverse("opendata:open_data_csv")}"' in page
    assert f'href="{reverse("opendata:open_data_outcomes_csv")}"' in page


def test_the_challenges_csv_quotes_a_title_that_starts_like_a_formula(client, alice, department):
    from tests.factories import set_status

    challenge = set_status(
        ChallengeFactory(owner=alice, department=department, title="=HYPERLINK(1)"), "published"
    )

    row = next(r for r in csv_rows(client) if r["reference"] == challenge.reference)

    assert row["title"] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    "name",
    [
        "opendata:open_data_csv",
        "opendata:open_data_outcomes_csv",
        "opendata:open_data_governance_csv",
    ],
)
def test_each_csv_starts_with_a_byte_order_mark_so_excel_reads_accents(
    client, alice, department, name
):
    from tests.factories import set_status

    set_status(
        ChallengeFactory(
            owner=alice, department=department, title="Économies d’énergie à domicile"
        ),
        "published",
    )

    response = client.get(reverse(name))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    # Excel on Windows reads a CSV as UTF-8 only when it starts with the UTF-8 byte-order mark.
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert not response.content[3:].startswith(b"\xef\xbb\xbf")
    if name == "opendata:open_data_csv":
        assert "Économies d’énergie à domicile" in response.content.decode("utf-8-sig")
