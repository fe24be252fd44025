"""The data governance record's completeness rules, one by one, and its high-risk flags
(docs/data-governance.md)."""

import pytest
from django.utils import timezone

from challenges.governance import governance_problems, governance_risks
from challenges.models import Challenge
from tests.factories import (
    DataAssetFactory,
    DocumentFactory,
    complete_governance,
)

pytestmark = pytest.mark.django_db


def fresh(challenge):
    # The record is read through the challenge's cached relation: read it anew after a change.
    return Challenge.objects.get(pk=challenge.pk)


def problems_after(challenge, **fields):
    record = complete_governance(challenge)
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    return governance_problems(fresh(challenge))


def test_a_complete_record_has_no_problems(challenge):
    complete_governance(challenge)
    assert governance_problems(fresh(challenge)) == []


def test_a_challenge_without_a_record_is_told_to_fill_it_in(challenge):
    assert governance_problems(challenge) == [
        "Fill in the data governance record: what data the solution touches, where it is "
        "stored, what is shared and opened, and how the city can leave the vendor."
    ]


def test_it_needs_at_least_one_data_asset(challenge):
    record = complete_governance(challenge)
    record.assets.all().delete()
    assert governance_problems(fresh(challenge)) == [
        "List at least one dataset or category of data the solution will touch in the data "
        "governance record."
    ]


def test_personal_information_needs_the_legal_authority(challenge):
    assert problems_after(challenge, legal_authority="  ") == [
        "The solution uses personal information: state the legal authority that allows the "
        "municipality to collect it."
    ]


def test_personal_information_needs_a_retention_period(challenge):
    assert problems_after(challenge, retention_period="") == [
        "The solution uses personal information: state how long it is kept."
    ]


def test_personal_information_needs_a_privacy_impact_assessment(challenge):
    assert problems_after(challenge, assessment_status="") == [
        "The solution uses personal information, so a privacy impact assessment is required: "
        "give its status."
    ]


def test_data_without_personal_information_needs_no_authority_retention_or_assessment(challenge):
    record = complete_governance(challenge)
    record.assets.update(sensitivity="none")
    record.legal_authority = record.retention_period = record.assessment_status = ""
    record.save()
    assert governance_problems(fresh(challenge)) == []


@pytest.mark.parametrize("sensitivity", ["aggregate", "deidentified", "identifiable"])
def test_every_personal_sensitivity_needs_the_assessment(challenge, sensitivity):
    record = complete_governance(challenge, assessment_status="")
    record.assets.update(sensitivity=sensitivity)
    assert len(governance_problems(fresh(challenge))) == 1


def test_it_needs_the_storage_location(challenge):
    assert problems_after(challenge, storage_location="") == [
        "Say where the data is stored (in Canada, outside Canada or both)."
    ]


@pytest.mark.parametrize("location", ["outside_canada", "mixed"])
def test_storage_outside_canada_needs_a_reason(challenge, location):
    assert problems_after(challenge, storage_location=location, storage_reason="") == [
        "Some data is stored outside Canada: explain why it is stored there."
    ]
    assert problems_after(challenge, storage_reason="Only the provider's backups.") == []


def test_a_completed_assessment_needs_its_date_and_its_document(challenge):
    assert problems_after(challenge, assessment_status="completed") == [
        "Give the date the privacy impact assessment was completed.",
        "The privacy impact assessment is completed: attach it to the data governance record as "
        "a document of type “Privacy impact assessment”.",
    ]


def test_a_completed_assessment_with_its_date_and_document_is_complete(challenge):
    DocumentFactory(challenge=challenge, attached_to="governance", kind="x_privacyImpactAssessment")
    assert (
        problems_after(
            challenge, assessment_status="completed", assessment_completed_on=timezone.localdate()
        )
        == []
    )


def test_a_document_of_another_kind_or_place_is_not_the_assessment(challenge):
    DocumentFactory(challenge=challenge, attached_to="governance", kind="x_other")
    DocumentFactory(challenge=challenge, attached_to="challenge", kind="x_privacyImpactAssessment")
    problems = problems_after(
        challenge, assessment_status="completed", assessment_completed_on=timezone.localdate()
    )
    assert len(problems) == 1
    assert problems[0].startswith("The privacy impact assessment is completed: attach it")


def test_automated_decisions_need_an_impact_level_and_its_explanation(challenge):
    assert problems_after(challenge, automated_decisions=True) == [
        "The solution makes or supports automated decisions about residents: give its "
        "algorithmic impact level.",
        "Explain why the automated decisions have this impact level.",
    ]
    assert (
        problems_after(challenge, impact_level=2, impact_explanation="Reversible, reviewed.") == []
    )


def test_it_needs_an_accessibility_standard(challenge):
    assert problems_after(challenge, accessibility_standard="") == [
        "Choose the accessibility standard the solution must meet."
    ]


def test_it_needs_an_exit_plan_or_the_data_returned(challenge):
    assert problems_after(challenge, exit_data_return=False, exit_plan="") == [
        "Plan the exit: require the data back in open formats at the end, or describe how the "
        "city leaves this vendor without losing its data or service."
    ]
    assert problems_after(challenge, exit_plan="The city runs the open-source code itself.") == []
    assert problems_after(challenge, exit_data_return=True, exit_plan="") == []


# Risks


def risks_after(challenge, *, sensitivity="deidentified", **fields):
    record = complete_governance(challenge, **fields)
    record.assets.update(sensitivity=sensitivity)
    return governance_risks(fresh(challenge))


def test_a_complete_record_in_canada_carries_no_risk_flag(challenge):
    assert risks_after(challenge) == []


def test_no_record_carries_no_risk_flag(challenge):
    assert governance_risks(challenge) == []


@pytest.mark.parametrize("location", ["outside_canada", "mixed"])
def test_personal_information_outside_canada_is_a_risk(challenge, location):
    assert risks_after(challenge, storage_location=location, storage_reason="Backups.") == [
        "Personal information is stored outside Canada."
    ]


def test_data_without_personal_information_outside_canada_is_no_risk(challenge):
    assert (
        risks_after(
            challenge, sensitivity="none", storage_location="outside_canada", storage_reason="x"
        )
        == []
    )


@pytest.mark.parametrize(("level", "flagged"), [(1, False), (2, False), (3, True), (4, True)])
def test_automated_decisions_at_level_three_or_four_are_a_risk(challenge, level, flagged):
    risks = risks_after(
        challenge, automated_decisions=True, impact_level=level, impact_explanation="Why."
    )
    assert bool(risks) is flagged
    if flagged:
        assert risks[0].startswith("The solution makes automated decisions with a high")


def test_no_data_return_is_a_risk(challenge):
    assert risks_after(challenge, exit_data_return=False) == [
        "The data is not required back in open formats at the end."
    ]


def test_no_exit_plan_and_no_data_return_is_a_risk(challenge):
    assert risks_after(challenge, exit_data_return=False, exit_plan="") == [
        "There is no exit plan and the data is not required back at the end."
    ]


def test_personal_data_with_the_assessment_not_started_is_a_risk(challenge):
    assert risks_after(challenge, assessment_status="not_started") == [
        "The solution uses personal information and its privacy impact assessment has not started."
    ]


def test_data_without_personal_information_needs_no_assessment_started(challenge):
    assert risks_after(challenge, sensitivity="none", assessment_status="not_started") == []


def test_one_personal_asset_among_others_makes_the_record_personal(challenge):
    record = complete_governance(challenge, assessment_status="")
    record.assets.update(sensitivity="none")
    assert governance_problems(fresh(challenge)) == []
    DataAssetFactory(record=record, sensitivity="identifiable")
    assert len(governance_problems(fresh(challenge))) == 1
