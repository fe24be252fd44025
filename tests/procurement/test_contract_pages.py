"""The contract page: the owner drafts, edits and signs; municipal staff follow it; everyone
reads it once signed, without its confidential terms; the outcomes page shows it truthfully."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement.models import Contract, ContractTerm
from procurement.services import contract as services
from tests.procurement.contract_fixtures import *  # noqa: F403  (fixtures)
from tests.procurement.contract_fixtures import attach_signed_copy

CONFIDENTIAL_TEXT = "Income bands of applicants"
POLICE = "The police service"
ROLES = ["anonymous", "rita", "dave", "frank", "bob", "carol", "alice"]
INTERNAL = {"bob", "carol", "alice"}


def url(challenge, name="contract", **kwargs):
    return reverse(f"procurement:{name}", kwargs={"reference": challenge.reference, **kwargs})


def as_(client, request, persona):
    client.logout()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


@pytest.fixture
def signed(ready_to_sign, alice):
    return services.contract_sign(contract=ready_to_sign, actor=alice)


# Before the contract exists -------------------------------------------------------------------


def test_the_owner_drafts_the_contract_from_the_page(client, record, final_award, alice):
    client.force_login(alice)
    page = client.get(url(final_award.challenge))
    assert page.status_code == 200
    assert "Draft the contract" in page.content.decode()

    response = client.post(url(final_award.challenge, "contract_create"))

    assert response.status_code == 302
    contract = Contract.objects.get(award=final_award)
    assert contract.terms.count() > 0


@pytest.mark.parametrize("persona", ROLES)
def test_before_the_contract_only_staff_see_the_page(client, request, final_award, persona):
    response = as_(client, request, persona).get(url(final_award.challenge))

    assert response.status_code == (200 if persona in INTERNAL else 404)
    if persona in INTERNAL:
        text = response.content.decode()
        assert ("Draft the contract" in text) == (persona == "alice")


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "rita"])
def test_only_the_owner_drafts(client, request, final_award, persona):
    response = as_(client, request, persona).post(url(final_award.challenge, "contract_create"))

    assert response.status_code == 404
    assert not Contract.objects.exists()


# A draft --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ROLES)
def test_a_draft_is_seen_by_staff_only(client, request, contract, persona):
    response = as_(client, request, persona).get(url(contract.challenge))

    assert response.status_code == (200 if persona in INTERNAL else 404)


def test_staff_see_every_term_grouped_by_topic_with_its_source(client, contract, bob):
    client.force_login(bob)
    text = client.get(url(contract.challenge)).content.decode()

    for label in (
        "Data ownership",
        "Data residency",
        "Retention",
        "Sharing agreements",
        "Open-data deliverables",
        "Privacy",
        "Automated decisions",
        "Accessibility",
        "Exit and portability",
    ):
        assert f">{label}</h3>" in text
    assert text.index(">Data ownership<") < text.index(">Exit and portability<")
    assert "Drafted from: Data governance record, data: Household energy use" in text
    assert CONFIDENTIAL_TEXT in text
    assert POLICE in text
    # Only the owner edits.
    assert "Change this term" not in text
    assert "Save the details" not in text


def test_the_owner_sees_what_signing_still_needs(client, contract, alice):
    client.force_login(alice)
    text = client.get(url(contract.challenge)).content.decode()

    assert 'id="sign-problems"' in text
    assert "Enter the contract&#x27;s start and end dates." in text
    assert "Attach the signed copy" in text
    assert "Record as signed" not in text


def test_the_owner_edits_details_and_terms(client, contract, alice):
    client.force_login(alice)
    challenge = contract.challenge

    response = client.post(
        url(challenge, "contract_update"),
        {
            "value": "90000",
            "starts_on": "2026-02-01",
            "ends_on": "2027-01-31",
            "signed_on": "2026-01-20",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.starts_on == date(2026, 2, 1)

    client.post(url(challenge, "contract_term_add"), {"topic": "other", "text": "Weekly calls."})
    term = ContractTerm.objects.get(text="Weekly calls.")
    client.post(
        url(challenge, "contract_term_change", term_id=term.pk),
        {"topic": "other", "text": "Monthly calls.", "confidential": "on"},
    )
    term.refresh_from_db()
    assert (term.text, term.confidential) == ("Monthly calls.", True)

    client.post(url(challenge, "contract_term_remove", term_id=term.pk))
    assert not ContractTerm.objects.filter(pk=term.pk).exists()


def test_bad_details_show_on_the_form(client, contract, alice):
    client.force_login(alice)

    response = client.post(
        url(contract.challenge, "contract_update"),
        {"value": "", "starts_on": "2026-03-01", "ends_on": "2026-02-01", "signed_on": ""},
    )

    assert response.status_code == 200
    assert "The contract ends on or after the day it starts." in response.content.decode()
    contract.refresh_from_db()
    assert contract.starts_on is None


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "rita"])
def test_nobody_else_edits_or_signs(client, request, ready_to_sign, persona):
    client = as_(client, request, persona)
    challenge = ready_to_sign.challenge
    term = ready_to_sign.terms.first()

    posts = [
        client.post(url(challenge, "contract_update"), {"value": "1"}),
        client.post(url(challenge, "contract_term_add"), {"topic": "other", "text": "x"}),
        client.post(url(challenge, "contract_term_change", term_id=term.pk), {"text": "x"}),
        client.post(url(challenge, "contract_term_remove", term_id=term.pk)),
        client.post(url(challenge, "contract_sign"), {"confirmed": "yes"}),
    ]

    assert [p.status_code for p in posts] == [404] * 5
    ready_to_sign.refresh_from_db()
    assert ready_to_sign.status == Contract.Status.DRAFT
    assert ready_to_sign.value is not None


def test_signing_asks_first_then_signs(client, ready_to_sign, alice):
    client.force_login(alice)
    challenge = ready_to_sign.challenge
    assert "Record as signed" in client.get(url(challenge)).content.decode()

    asked = client.post(url(challenge, "contract_sign"))
    assert asked.status_code == 200
    assert "Yes, record it as signed" in asked.content.decode()
    ready_to_sign.refresh_from_db()
    assert ready_to_sign.status == Contract.Status.DRAFT

    done = client.post(url(challenge, "contract_sign"), {"confirmed": "yes"})
    assert done.status_code == 302
    ready_to_sign.refresh_from_db()
    assert ready_to_sign.status == Contract.Status.SIGNED


def test_a_refused_signature_is_never_confirmed(client, contract, alice):
    client.force_login(alice)

    response = client.post(url(contract.challenge, "contract_sign"), follow=True)

    assert "Yes, record it as signed" not in response.content.decode()
    assert "Attach the signed copy" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DRAFT


# Signed ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ROLES)
def test_a_signed_contract_is_public_without_its_confidential_terms(
    client, request, signed, persona
):
    response = as_(client, request, persona).get(url(signed.challenge))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Retrofit locations" in text
    assert (CONFIDENTIAL_TEXT in text) == (persona in INTERNAL)
    assert (POLICE in text) == (persona in INTERNAL)
    assert "Change this term" not in text
    assert "Record as signed" not in text


def test_the_outcomes_page_shows_the_signed_contract(client, signed):
    text = client.get(url(signed.challenge, "outcomes")).content.decode()

    assert 'id="contract-value">$100,000<' in text
    assert 'id="contract-signed-on">' in text
    assert "Retrofit locations" in text
    assert CONFIDENTIAL_TEXT not in text
    assert POLICE not in text
    assert "No contract has been signed yet" not in text


def test_the_outcomes_page_says_when_no_contract_is_signed(client, contract, alice):
    client.force_login(alice)
    text = client.get(url(contract.challenge, "outcomes")).content.decode()

    assert "No contract has been signed yet" in text
    assert "Contract value" not in text
    assert "Retrofit locations as open data" not in text


def test_the_challenge_page_links_staff_to_the_contract(client, final_award, alice, rita):
    challenge = final_award.challenge
    client.force_login(alice)
    assert url(challenge) in client.get(challenge.get_absolute_url()).content.decode()
    client.force_login(rita)
    assert url(challenge) not in client.get(challenge.get_absolute_url()).content.decode()


def test_the_page_reads_the_same_number_of_rows_however_many_terms(client, contract, alice):
    client.force_login(alice)
    attach_signed_copy(contract.challenge)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(contract.challenge)).status_code == 200
        return len(captured)

    few = count()
    for n in range(10):
        services.contract_term_add(contract=contract, actor=alice, topic="other", text=f"T{n}")
    assert count() == few
