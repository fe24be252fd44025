"""The contract's API: read by municipal staff from its draft and by everyone once signed
(without confidential terms); drafted, edited and signed by the owner only; errors 400, 403, 404,
409 as everywhere."""

from datetime import date

import pytest

from procurement.models import Contract, ContractTerm
from procurement.services import contract as services
from tests.procurement.contract_fixtures import *  # noqa: F403  (fixtures)
from tests.procurement.contract_fixtures import attach_signed_copy

ROLES = ["anonymous", "rita", "dave", "frank", "bob", "carol", "alice"]
INTERNAL = {"bob", "carol", "alice"}
CONFIDENTIAL_TEXT = "Income bands of applicants"


def user(request, persona):
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def detail(challenge, suffix=""):
    return f"/api/contracts/{challenge.reference}/{suffix}"


@pytest.mark.parametrize("persona", ROLES)
def test_a_draft_is_read_by_staff_only(api_as, request, contract, persona):
    response = api_as(user(request, persona)).get(detail(contract.challenge))

    assert response.status_code == (200 if persona in INTERNAL else 404)
    if persona in INTERNAL:
        body = response.json()
        assert body["status"] == "draft"
        assert any(CONFIDENTIAL_TEXT in t["text"] for t in body["terms"])
        assert ("sign" in body["allowed_transitions"]) is False
        assert bool(body["sign_problems"]) == (persona == "alice")


@pytest.mark.parametrize("persona", ROLES)
def test_a_signed_contract_is_public_without_confidential_terms(
    api_as, request, ready_to_sign, alice, persona
):
    services.contract_sign(contract=ready_to_sign, actor=alice)

    response = api_as(user(request, persona)).get(detail(ready_to_sign.challenge))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "signed"
    assert body["signed_on"] == "2026-01-02"
    assert any(CONFIDENTIAL_TEXT in t["text"] for t in body["terms"]) == (persona in INTERNAL)


def test_the_owner_drafts_edits_and_signs(api_as, record, final_award, alice):
    client = api_as(alice)
    challenge = final_award.challenge

    created = client.post("/api/contracts/", {"challenge": challenge.reference}, format="json")
    assert created.status_code == 201
    assert created.json()["value"] == "100000.00"

    patched = client.patch(
        detail(challenge),
        {"starts_on": "2026-02-01", "ends_on": "2027-01-31", "signed_on": "2026-01-20"},
        format="json",
    )
    assert patched.status_code == 200
    assert patched.json()["sign_problems"] == [
        "Attach the signed copy of the contract (a document of type “Signed contract”)."
    ]

    added = client.post(
        detail(challenge, "terms/"), {"topic": "other", "text": "Weekly calls."}, format="json"
    )
    assert added.status_code == 201
    term = ContractTerm.objects.get(text="Weekly calls.")
    changed = client.patch(
        detail(challenge, f"terms/{term.pk}/"), {"confidential": True}, format="json"
    )
    assert changed.status_code == 200
    term.refresh_from_db()
    assert term.confidential is True
    assert client.delete(detail(challenge, f"terms/{term.pk}/")).status_code == 200
    assert not ContractTerm.objects.filter(pk=term.pk).exists()

    attach_signed_copy(challenge)
    signed = client.post(detail(challenge, "sign/"), {}, format="json")
    assert signed.status_code == 200
    assert signed.json()["status"] == "signed"


def test_signing_an_incomplete_contract_is_a_conflict(api_as, contract, alice):
    response = api_as(alice).post(detail(contract.challenge, "sign/"), {}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["allowed_transitions"] == []
    assert "Enter the contract's start and end dates." in body["errors"]
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DRAFT


def test_signing_twice_is_a_conflict(api_as, ready_to_sign, alice):
    services.contract_sign(contract=ready_to_sign, actor=alice)

    response = api_as(alice).post(detail(ready_to_sign.challenge, "sign/"), {}, format="json")

    assert response.status_code == 409
    patched = api_as(alice).patch(detail(ready_to_sign.challenge), {"value": "5"}, format="json")
    assert patched.status_code == 409


def test_a_second_contract_is_a_conflict(api_as, contract, alice):
    response = api_as(alice).post(
        "/api/contracts/", {"challenge": contract.challenge.reference}, format="json"
    )

    assert response.status_code == 409


def test_bad_input_is_a_400_with_field_errors(api_as, contract, alice):
    response = api_as(alice).patch(
        detail(contract.challenge),
        {"starts_on": "2026-03-01", "ends_on": "2026-02-01"},
        format="json",
    )
    assert response.status_code == 400
    assert (
        api_as(alice)
        .patch(detail(contract.challenge), {"signed_on": "not a date"}, format="json")
        .json()["signed_on"]
    )
    bad_term = api_as(alice).post(
        detail(contract.challenge, "terms/"), {"topic": "nonsense", "text": ""}, format="json"
    )
    assert bad_term.status_code == 400
    contract.refresh_from_db()
    assert contract.starts_on is None


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_staff_who_do_not_own_it_are_forbidden(api_as, request, ready_to_sign, persona):
    client = api_as(request.getfixturevalue(persona))
    challenge = ready_to_sign.challenge
    term = ready_to_sign.terms.first()

    answers = [
        client.patch(detail(challenge), {"value": "1"}, format="json").status_code,
        client.post(detail(challenge, "sign/"), {}, format="json").status_code,
        client.post(detail(challenge, "terms/"), {"topic": "other", "text": "x"}).status_code,
        client.patch(detail(challenge, f"terms/{term.pk}/"), {"text": "x"}).status_code,
        client.delete(detail(challenge, f"terms/{term.pk}/")).status_code,
    ]

    assert answers == [403] * 5
    ready_to_sign.refresh_from_db()
    assert ready_to_sign.status == Contract.Status.DRAFT


@pytest.mark.parametrize("persona", ["rita", "dave", "frank"])
def test_others_do_not_find_a_draft(api_as, request, ready_to_sign, persona):
    client = api_as(request.getfixturevalue(persona))

    assert client.post(detail(ready_to_sign.challenge, "sign/"), {}).status_code == 404
    assert client.patch(detail(ready_to_sign.challenge), {"value": "1"}).status_code == 404


@pytest.mark.parametrize("persona", ["rita", "dave", "frank", "bob"])
def test_only_the_owner_drafts(api_as, request, final_award, persona):
    response = api_as(request.getfixturevalue(persona)).post(
        "/api/contracts/", {"challenge": final_award.challenge.reference}, format="json"
    )

    # Staff and the panel's chair follow the award: they are refused; others do not find it.
    assert response.status_code == (403 if persona in ("bob", "frank") else 404)
    assert not Contract.objects.exists()


def test_the_pilot_api_shows_the_data_terms_and_open_datasets(api_as, record, final_award, alice):
    from procurement.services import pilot as pilot_services

    pilot = pilot_services.pilot_create(award=final_award, actor=alice, ends_on=date(2027, 6, 30))
    client = api_as(alice)
    milestone = pilot.milestones.get()

    body = client.get(f"/api/pilots/{pilot.challenge.reference}/").json()
    assert body["data_terms_kept"] == ""
    assert body["milestones"][0]["open_dataset"] == "Retrofit locations"

    moved = client.patch(
        f"/api/pilots/{pilot.challenge.reference}/milestones/{milestone.pk}/",
        {"due_on": "2027-05-01"},
        format="json",
    )
    assert moved.status_code == 200
    assert moved.json()["milestones"][0]["due_on"] == "2027-05-01"
