"""What the data governance record still lacks before review, and what in it carries a high risk
(docs/data-governance.md).

Pure reads of the record and its rows: the review gate (Challenge.review_problems), the record's
page, the approver's review and the API all ask these two functions, so they never disagree.
"""

from django.utils.translation import gettext as _

from .models import DataAsset, DataGovernanceRecord, Document

Record = DataGovernanceRecord


def governance_record(challenge):
    """The challenge's record, or None (reads the cached relation when the caller loaded it)."""
    try:
        record = challenge.data_governance
    except DataGovernanceRecord.DoesNotExist:
        return None
    return record if record is not None and record.pk is not None else None


def _assets(record) -> list[DataAsset]:
    return list(record.assets.all())


def _has_assessment_document(challenge) -> bool:
    return Document.objects.filter(
        challenge=challenge,
        attached_to=Document.AttachedTo.GOVERNANCE,
        kind=Document.Kind.PRIVACY_ASSESSMENT,
    ).exists()


def governance_problems(challenge) -> list[str]:
    """The sentences saying what the record lacks before the challenge can go to review."""
    record = governance_record(challenge)
    if record is None:
        return [
            _(
                "Fill in the data governance record: what data the solution touches, where it is "
                "stored, what is shared and opened, and how the city can leave the vendor."
            )
        ]
    problems = []
    assets = _assets(record)
    if not assets:
        problems.append(
            _(
                "List at least one dataset or category of data the solution will touch in the "
                "data governance record."
            )
        )
    personal = any(asset.is_personal for asset in assets)
    # A privacy impact assessment is required whenever personal information is collected or used.
    if personal:
        if not record.legal_authority.strip():
            problems.append(
                _(
                    "The solution uses personal information: state the legal authority that "
                    "allows the municipality to collect it."
                )
            )
        if not record.retention_period.strip():
            problems.append(_("The solution uses personal information: state how long it is kept."))
        if not record.assessment_status:
            problems.append(
                _(
                    "The solution uses personal information, so a privacy impact assessment is "
                    "required: give its status."
                )
            )
    if not record.storage_location:
        problems.append(_("Say where the data is stored (in Canada, outside Canada or both)."))
    elif record.storage_location != Record.Residency.IN_CANADA and not (
        record.storage_reason.strip()
    ):
        problems.append(_("Some data is stored outside Canada: explain why it is stored there."))
    if record.assessment_status == Record.AssessmentStatus.COMPLETED:
        if record.assessment_completed_on is None:
            problems.append(_("Give the date the privacy impact assessment was completed."))
        if not _has_assessment_document(challenge):
            problems.append(
                _(
                    "The privacy impact assessment is completed: attach it to the data "
                    "governance record as a document of type “Privacy impact assessment”."
                )
            )
    if record.automated_decisions:
        if record.impact_level is None:
            problems.append(
                _(
                    "The solution makes or supports automated decisions about residents: give "
                    "its algorithmic impact level."
                )
            )
        if not record.impact_explanation.strip():
            problems.append(_("Explain why the automated decisions have this impact level."))
    if not record.accessibility_standard:
        problems.append(_("Choose the accessibility standard the solution must meet."))
    if not record.exit_data_return and not record.exit_plan.strip():
        problems.append(
            _(
                "Plan the exit: require the data back in open formats at the end, or describe "
                "how the city leaves this vendor without losing its data or service."
            )
        )
    return problems


def governance_risks(challenge) -> list[str]:
    """High-risk flags the approver should weigh (they do not block review)."""
    record = governance_record(challenge)
    if record is None:
        return []
    risks = []
    assets = _assets(record)
    personal = any(asset.is_personal for asset in assets)
    if personal and record.storage_location in (
        Record.Residency.OUTSIDE_CANADA,
        Record.Residency.MIXED,
    ):
        risks.append(_("Personal information is stored outside Canada."))
    if record.automated_decisions and record.impact_level in (
        Record.ImpactLevel.HIGH,
        Record.ImpactLevel.VERY_HIGH,
    ):
        risks.append(
            _("The solution makes automated decisions with a high or very high impact (%(level)s).")
            % {"level": Record.ImpactLevel(record.impact_level).label}
        )
    if not record.exit_data_return:
        if record.exit_plan.strip():
            risks.append(_("The data is not required back in open formats at the end."))
        else:
            risks.append(_("There is no exit plan and the data is not required back at the end."))
    if personal and record.assessment_status == Record.AssessmentStatus.NOT_STARTED:
        risks.append(
            _(
                "The solution uses personal information and its privacy impact assessment has "
                "not started."
            )
        )
    return risks
