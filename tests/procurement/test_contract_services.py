"""The contract of a final award: drafted by the challenge's owner with the terms the data
governance record decided, edited while a draft, signed once its value, period, signing date and
signed copy are recorded; every write audited."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.errors import InvalidInput, TransitionRefused
from core.models import AuditEntry
from procurement.models import Contract, ContractTerm
from procurement.services import award as award_services
from procurement.services import contract as services
from procurement.signals import contract_signed
from tests.procurement.contract_fixtures import *  # noqa: F403  (fixtures)
from tests.procurement.contract_fixtures import attach_signed_copy


def terms_of(contract, topic):
    return list(contract.terms.filter(topic=topic).order_by("order"))


# Drafting -------------------------------------------------------------------------------------


def test_the_owner_drafts_the_contract_of_a_final_award(contract, final_award, alice):
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DRAFT
    assert contract.award == final_award
    assert contract.challenge_id == final_award.challenge_id
    assert contract.created_by == alice
    # The awarded price is where the value starts.
    assert contract.value == Decimal("100000.00")
    assert AuditEntry.objects.filter(
        transition="draft", object_id=str(contract.pk), content_type__model="contract"
    ).exists()


def test_it_refuses_a_contract_before_the_award_is_final(decided, frank, alice):
    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)

    with pytest.raises(TransitionRefused):
        services.contract_create(award=award, actor=alice)

    assert not Contract.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "carol", "frank", "dave", "rita"])
def test_only_the_owner_drafts_the_contract(final_award, persona, request):
    with pytest.raises(PermissionDenied):
        services.contract_create(award=final_award, actor=request.getfixturevalue(persona))

    assert not Contract.objects.exists()


def test_an_award_has_one_contract(contract, final_award, alice):
    with pytest.raises(TransitionRefused):
        services.contract_create(award=final_award, actor=alice)

    assert Contract.objects.count() == 1


def test_without_a_record_the_contract_has_no_drafted_terms(final_award, alice):
    contract = services.contract_create(award=final_award, actor=alice)

    assert not contract.terms.exists()


def test_ownership_is_drafted_from_each_asset(contract):
    texts = [t.text for t in terms_of(contract, "ownership")]

    assert texts == [
        "What the solution produces from Household energy use belongs to The municipality.",
        "What the solution produces from Retrofit locations belongs to The municipality.",
        "What the solution produces from Income bands of applicants belongs to The "
        "municipality alone.",
    ]
    assert terms_of(contract, "ownership")[0].source == (
        "Data governance record, data: Household energy use"
    )


def test_residency_and_retention_are_drafted_from_the_record(contract):
    (residency,) = terms_of(contract, "residency")
    (retention,) = terms_of(contract, "retention")

    assert "In Canada" in residency.text
    assert "The utility's data centre is in Fredericton." in residency.text
    assert "Two years after the pilot ends." in retention.text


def test_each_sharing_is_drafted_with_its_party_data_purpose_and_agreement(contract):
    agency, police = terms_of(contract, "sharing")

    assert "Aggregate savings per neighbourhood" in agency.text
    assert "The provincial energy efficiency agency" in agency.text
    assert "To size the provincial rebate programme." in agency.text
    assert "Being drafted" in agency.text
    assert "The police service" in police.text
    assert "No agreement yet" in police.text


def test_each_open_dataset_is_a_deliverable_with_its_licence_and_format(contract):
    (deliverable,) = terms_of(contract, "open_data")

    assert "Retrofit locations" in deliverable.text
    assert "Open Government Licence – Canada" in deliverable.text
    assert "GeoJSON" in deliverable.text


def test_privacy_names_the_authority_and_the_assessment(contract):
    (privacy,) = terms_of(contract, "privacy")

    assert "Local Governance Act, s. 10" in privacy.text
    assert "In progress" in privacy.text


def test_automated_decisions_at_level_three_bring_explanation_and_human_review(contract):
    explanation, review = terms_of(contract, "automated_decisions")

    assert "Level III" in explanation.text
    assert "explains each decision" in explanation.text
    assert "A person reviews each decision" in review.text


def test_automated_decisions_at_level_two_bring_no_human_review(record, final_award, alice):
    record.impact_level = 2
    record.save()

    contract = services.contract_create(award=final_award, actor=alice)

    (explanation,) = terms_of(contract, "automated_decisions")
    assert "Level II" in explanation.text


def test_accessibility_and_exit_are_drafted_from_the_record(contract):
    (accessibility,) = terms_of(contract, "accessibility")
    returned, code, plan = terms_of(contract, "exit")

    assert "WCAG 2.1 level AA" in accessibility.text
    assert "CSV, JSON" in returned.text
    assert "Held in escrow" in code.text
    assert "within 30 days of the end" in plan.text


def test_terms_from_confidential_rows_are_confidential(contract):
    confidential = {t.text for t in contract.terms.filter(confidential=True)}

    assert len(confidential) == 2
    assert any("Income bands of applicants" in text for text in confidential)
    assert any("The police service" in text for text in confidential)


def test_every_drafted_term_is_audited(contract):
    entries = AuditEntry.objects.filter(content_type__model="contractterm", transition="create")

    assert entries.count() == contract.terms.count()
    assert all(e.metadata["challenge_id"] == contract.challenge_id for e in entries)


# Editing the draft ----------------------------------------------------------------------------


def test_the_owner_records_value_period_and_signing_date(contract, alice):
    services.contract_update(
        contract=contract,
        actor=alice,
        value=Decimal("95000"),
        starts_on=date(2026, 2, 1),
        ends_on=date(2027, 1, 31),
        signed_on=date(2026, 1, 20),
    )

    contract.refresh_from_db()
    assert contract.value == Decimal("95000.00")
    assert contract.ends_on == date(2027, 1, 31)
    entry = AuditEntry.objects.get(content_type__model="contract", transition="update")
    assert entry.metadata["changes"]["value"] == {"before": "100000.00", "after": "95000.00"}


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"value": Decimal("0")}, "value"),
        ({"starts_on": date(2026, 3, 1), "ends_on": date(2026, 2, 1)}, "__all__"),
        ({"signed_on": date.today() + timedelta(days=3)}, "signed_on"),
    ],
)
def test_it_refuses_bad_details(contract, alice, fields, field):
    with pytest.raises(InvalidInput) as refused:
        services.contract_update(contract=contract, actor=alice, **fields)

    assert field in refused.value.field_errors or refused.value.messages
    contract.refresh_from_db()
    assert contract.value == Decimal("100000.00")
    assert contract.starts_on is None


def test_staff_who_do_not_own_it_cannot_edit(contract, bob):
    with pytest.raises(PermissionDenied):
        services.contract_update(contract=contract, actor=bob, value=Decimal("1"))


def test_the_owner_adds_changes_and_removes_terms(contract, alice):
    term = services.contract_term_add(
        contract=contract, actor=alice, topic="other", text="Support by phone on weekdays."
    )
    assert term.order == contract.terms.count()
    assert term.source == ""

    services.contract_term_change(term=term, actor=alice, text="Support every day.")
    term.refresh_from_db()
    assert term.text == "Support every day."

    services.contract_term_remove(term=term, actor=alice)
    assert not ContractTerm.objects.filter(pk=term.pk).exists()
    actions = list(
        AuditEntry.objects.filter(content_type__model="contractterm", object_id=str(term.pk))
        .order_by("sequence")
        .values_list("transition", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_it_refuses_a_term_without_text_or_topic(contract, alice):
    with pytest.raises(InvalidInput) as refused:
        services.contract_term_add(contract=contract, actor=alice, topic="nonsense", text=" ")

    assert set(refused.value.field_errors) == {"topic", "text"}


def test_a_drafted_term_can_be_made_public_or_confidential(contract, alice):
    term = terms_of(contract, "sharing")[1]

    services.contract_term_change(term=term, actor=alice, confidential=False)

    term.refresh_from_db()
    assert term.confidential is False


# Signing --------------------------------------------------------------------------------------


def test_the_owner_signs_a_complete_contract(
    ready_to_sign, alice, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, contract, **kwargs):
        heard.append(contract.pk)

    contract_signed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            signed = services.contract_sign(contract=ready_to_sign, actor=alice)
    finally:
        contract_signed.disconnect(listener)

    signed.refresh_from_db()
    assert signed.status == Contract.Status.SIGNED
    assert signed.signed_at is not None
    assert heard == [signed.pk]
    entry = AuditEntry.objects.get(content_type__model="contract", transition="sign")
    assert (entry.source, entry.target, entry.actor) == ("draft", "signed", alice)


def test_nothing_is_heard_of_a_refused_signature(
    contract, alice, django_capture_on_commit_callbacks
):
    heard = []
    contract_signed.connect(
        lambda sender, contract, **kw: heard.append(contract.pk),
        weak=False,
        dispatch_uid="test_refused",
    )
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused):
            services.contract_sign(contract=contract, actor=alice)
    finally:
        contract_signed.disconnect(dispatch_uid="test_refused")
    assert heard == []


@pytest.mark.parametrize(
    "missing, sentence",
    [
        ("value", "Enter the contract's value."),
        ("starts_on", "Enter the contract's start and end dates."),
        ("ends_on", "Enter the contract's start and end dates."),
        ("signed_on", "Enter the date the contract was signed."),
    ],
)
def test_signing_is_refused_without_each_detail(ready_to_sign, alice, missing, sentence):
    Contract.objects.filter(pk=ready_to_sign.pk).update(**{missing: None})

    with pytest.raises(TransitionRefused) as refused:
        services.contract_sign(contract=ready_to_sign, actor=alice)

    assert refused.value.messages == [sentence]
    ready_to_sign.refresh_from_db()
    assert ready_to_sign.status == Contract.Status.DRAFT
    assert not AuditEntry.objects.filter(transition="sign").exists()


def test_signing_is_refused_without_the_signed_copy(contract, alice):
    services.contract_update(
        contract=contract,
        actor=alice,
        starts_on=date(2026, 1, 5),
        ends_on=date(2027, 1, 4),
        signed_on=date(2026, 1, 2),
    )

    with pytest.raises(TransitionRefused) as refused:
        services.contract_sign(contract=contract, actor=alice)

    assert len(refused.value.messages) == 1
    assert "signed copy" in refused.value.messages[0]


def test_a_draft_contract_document_is_not_the_signed_copy(contract, alice):
    services.contract_update(
        contract=contract,
        actor=alice,
        starts_on=date(2026, 1, 5),
        ends_on=date(2027, 1, 4),
        signed_on=date(2026, 1, 2),
    )
    attach_signed_copy(contract.challenge, kind="contractDraft")

    with pytest.raises(TransitionRefused):
        services.contract_sign(contract=contract, actor=alice)


@pytest.mark.parametrize("persona", ["bob", "carol", "frank", "dave", "rita"])
def test_only_the_owner_signs(ready_to_sign, persona, request):
    with pytest.raises(PermissionDenied):
        services.contract_sign(contract=ready_to_sign, actor=request.getfixturevalue(persona))

    ready_to_sign.refresh_from_db()
    assert ready_to_sign.status == Contract.Status.DRAFT


def test_a_signed_contract_cannot_be_signed_again_or_changed(ready_to_sign, alice):
    services.contract_sign(contract=ready_to_sign, actor=alice)
    term = ready_to_sign.terms.first()

    with pytest.raises(TransitionRefused) as refused:
        services.contract_sign(contract=ready_to_sign, actor=alice)
    assert refused.value.allowed == []
    with pytest.raises(TransitionRefused):
        services.contract_update(contract=ready_to_sign, actor=alice, value=Decimal("5"))
    with pytest.raises(TransitionRefused):
        services.contract_term_add(contract=ready_to_sign, actor=alice, topic="other", text="x")
    with pytest.raises(TransitionRefused):
        services.contract_term_change(term=term, actor=alice, text="Changed.")
    with pytest.raises(TransitionRefused):
        services.contract_term_remove(term=term, actor=alice)
    assert AuditEntry.objects.filter(transition="sign").count() == 1


def test_the_sign_step_is_labelled(ready_to_sign, alice):
    from core.steps import step_label

    assert str(step_label("procurement.Contract", "sign")) == "Contract signed"
    assert timezone.now()
