"""Open data (DESIGN.md §6): the OCDS release package and record of a challenge in every stage
validate against the official OCDS 1.1.5 schemas kept in the repository, and publish only what
is public at that stage."""

import json
from datetime import timedelta

import pytest
import time_machine

from challenges import services as challenge_services
from challenges.models import Challenge
from opendata import ocds, packages
from procurement.services import award as award_services
from tests.factories import ChallengeFactory, CommunityInputFactory, set_status
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

SEALED_PRICES = ("100000", "80000")  # Acme's and Globex's price envelopes (award_fixtures)


def dumped(package) -> str:
    return json.dumps(package, ensure_ascii=False)


def string_values(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from string_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from string_values(item)
    elif isinstance(value, str):
        yield value


def assert_valid(challenge):
    package = packages.release_package(challenge)
    record = packages.record_package(challenge)
    assert ocds.validation_errors(package) == []
    assert ocds.validation_errors(record, kind="record") == []
    return package, record


def assert_private_things_absent(challenge, *packages, users=(), resident_texts=()):
    for package in packages:
        text = dumped(package)
        values = set(string_values(package))
        for user in users:
            assert user.email not in text
            assert user.get_username() not in values
            assert user.get_full_name() == "" or user.get_full_name() not in text
        for resident_text in resident_texts:
            assert resident_text not in text


@pytest.fixture
def stages(published, dave, rita, alice):
    """The published challenge with a question asked by dave and answered, an issued addendum,
    and rita's comment from co-design."""
    comment = CommunityInputFactory(
        challenge=published, author=rita, body="Rita Resident lives at 12 Elm Street."
    )
    question = challenge_services.question_ask(
        challenge=published, actor=dave, body="Can we reuse existing thermostats?"
    )
    challenge_services.question_answer(question=question, actor=alice, answer="Yes, if they work.")
    addendum = challenge_services.addendum_create(
        challenge=published, actor=alice, title="Hosting", body="Any Canadian region is fine."
    )
    challenge_services.addendum_issue(addendum=addendum, actor=alice)
    return comment


def test_nothing_is_published_before_publication(alice, department):
    for status in ("draft", "co_design", "in_review", "approved"):
        challenge = set_status(ChallengeFactory(owner=alice, department=department), status)

        assert packages.release_package(challenge) is None
        assert packages.record_package(challenge) is None


def test_a_published_challenge_has_a_valid_tender_with_periods_amendments_and_documents(
    stages, published, dave, rita
):
    published.refresh_from_db()
    package, record = assert_valid(published)

    tender = record["records"][0]["compiledRelease"]["tender"]
    assert tender["status"] == "active"
    assert tender["tenderPeriod"]["endDate"] == published.submission_deadline.isoformat()
    assert tender["enquiryPeriod"]["endDate"] == published.questions_deadline.isoformat()
    assert [a["rationale"] for a in tender["amendments"]] == ["Hosting"]
    assert "Yes, if they work." in [d.get("description") for d in tender["documents"]]
    # Publication, the answer, the addendum: each a release of its own, in that order.
    assert [r["tag"] for r in package["releases"]] == [
        ["planning", "tender"],
        ["tenderUpdate"],
        ["tenderAmendment"],
    ]
    assert package["releases"][0]["planning"]["budget"]["amount"]["amount"] == float(
        published.budget_max
    )
    assert "numberOfTenderers" not in tender
    assert_private_things_absent(
        published, package, record, users=[dave, rita], resident_texts=[stages.body]
    )


def test_every_stage_through_the_award_is_valid_and_keeps_sealed_things_out(
    stages, decided, frank, carol, alice, dave, erin, rita
):
    challenge = decided.challenge
    people = [dave, erin, rita, frank]

    def check(expect_price: bool):
        challenge.refresh_from_db()
        package, record = assert_valid(challenge)
        text = dumped(package) + dumped(record)
        for price in SEALED_PRICES:
            present = price in text
            winner_price = price == "100000"
            assert present == (expect_price and winner_price), (challenge.status, price)
        assert "criterion_scores" not in text and "technical" not in text
        assert_private_things_absent(
            challenge, package, record, users=people, resident_texts=[stages.body]
        )
        return record["records"][0]["compiledRelease"]

    compiled = check(expect_price=False)  # evaluating, decided
    assert compiled["tender"]["numberOfTenderers"] == 2
    assert "awards" not in compiled

    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)
    assert "awards" not in check(expect_price=False)
    award_services.award_approve(award=award, actor=carol)
    assert "awards" not in check(expect_price=False)

    award_services.award_notify(award=award, actor=alice)
    compiled = check(expect_price=False)
    assert compiled["awards"][0]["status"] == "pending"
    assert compiled["awards"][0]["suppliers"][0]["name"] == "Acme Heat Solutions Ltd."
    assert "value" not in compiled["awards"][0]

    award.refresh_from_db()
    with time_machine.travel(award.standstill_ends_at + timedelta(seconds=1), tick=False):
        award_services.award_finalise(award=award, actor=alice)
    compiled = check(expect_price=True)
    assert compiled["tender"]["status"] == "complete"
    assert compiled["awards"][0]["status"] == "active"
    assert compiled["awards"][0]["value"] == {"amount": 100000.0, "currency": "CAD"}
    # The award is final, the contract not yet signed: it is pending, at the awarded value.
    assert compiled["contracts"][0]["status"] == "pending"
    assert "dateSigned" not in compiled["contracts"][0]


def test_a_challenge_without_an_award_is_valid_and_unsuccessful(decided, alice):
    challenge = award_services.challenge_end_without_award(
        challenge=decided.challenge, actor=alice, reason="Over budget."
    )
    challenge.refresh_from_db()

    package, record = assert_valid(challenge)

    assert record["records"][0]["compiledRelease"]["tender"]["status"] == "unsuccessful"
    assert not any(price in dumped(package) for price in SEALED_PRICES)


def test_a_cancelled_challenge_is_valid_and_cancelled(published, alice):
    challenge = challenge_services.challenge_transition(
        challenge=published, actor=alice, name="cancel", reason="The need went away."
    )
    challenge.refresh_from_db()

    package, record = assert_valid(challenge)

    assert package["releases"][-1]["tag"] == ["tenderCancellation"]
    assert record["records"][0]["compiledRelease"]["tender"]["status"] == "cancelled"


def test_a_cancelled_challenge_that_was_never_published_stays_private(alice, department):
    challenge = set_status(ChallengeFactory(owner=alice, department=department), "cancelled")

    assert packages.release_package(challenge) is None


def test_the_validator_reports_what_the_official_schema_refuses(published):
    package = packages.release_package(published)
    del package["releases"][0]["ocid"]
    package["releases"][0]["tender"]["status"] = "open for bids"

    errors = ocds.validation_errors(package)

    assert any("'ocid' is a required property" in error for error in errors)
    assert any("open for bids" in error for error in errors)


def test_a_challenge_cancelled_after_closing_still_counts_its_tenderers(decided, alice):
    challenge = challenge_services.challenge_transition(
        challenge=decided.challenge, actor=alice, name="cancel", reason="The budget was cut."
    )
    challenge.refresh_from_db()

    package, record = assert_valid(challenge)

    tender = record["records"][0]["compiledRelease"]["tender"]
    assert tender["status"] == "cancelled"
    # Both proposals were received before the cancellation closed them.
    assert tender["numberOfTenderers"] == 2
    assert not any(price in dumped(package) + dumped(record) for price in SEALED_PRICES)


def test_french_texts_go_out_beside_the_english_ones_with_the_language_suffix(
    published, dave, alice
):
    Challenge.objects.filter(pk=published.pk).update(
        title_fr="Des logements chauffés à prix abordable",
        problem_fr="Un ménage sur cinq consacre plus de 6 % de son revenu à l’énergie.",
    )
    question = challenge_services.question_ask(
        challenge=published, actor=dave, body="Can we reuse existing thermostats?"
    )
    challenge_services.question_answer(
        question=question,
        actor=alice,
        answer_en="Yes, if they work.",
        answer_fr="Oui, s’ils fonctionnent.",
    )
    addendum = challenge_services.addendum_create(
        challenge=published, actor=alice, title_fr="Hébergement", body_fr="Toute région du Canada."
    )
    challenge_services.addendum_issue(addendum=addendum, actor=alice)
    published.refresh_from_db()

    package, record = assert_valid(published)

    tender = record["records"][0]["compiledRelease"]["tender"]
    assert tender["title"] == published.title_en
    assert tender["title_fr"] == "Des logements chauffés à prix abordable"
    assert tender["description_fr"].startswith("Un ménage sur cinq")
    answer = next(d for d in tender["documents"] if d["id"] == f"clarification-{question.pk}")
    assert (answer["description"], answer["description_fr"]) == (
        "Yes, if they work.",
        "Oui, s’ils fonctionnent.",
    )
    # Written in French only: the French text in the main field, and beside it with its suffix.
    amendment = tender["amendments"][0]
    assert (amendment["rationale"], amendment["rationale_fr"]) == ("Hébergement", "Hébergement")
    assert amendment["description_fr"] == "Toute région du Canada."
