"""The evaluation criteria a data governance record proposes (docs/data-governance.md).

`criterion_proposals` is pure: from the record's facts, the mandatory pass/fail criteria and the
rated criteria (with suggested weights and points) the plan should carry. The owner adds each
one, as is or edited, through the plan's own rules (draft or co-design only, weights never past
100), or dismisses it; nothing is added silently. Dismissals are kept on the record, beside the
dismissed response questions (challenges.governance_proposals).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from challenges.governance_proposals import (
    dismissed_keys,
    governance_record,
    proposal_dismiss,
    proposal_restore,
)
from challenges.governance_questions import HIGH_IMPACT, RecordFacts, record_facts
from challenges.models import Challenge, DataGovernanceRecord
from core.audit import audit_created
from core.errors import InvalidInput, TransitionRefused

from .models import Criterion
from .services.plan import (
    CRITERION_FIELDS,
    _clean_criterion,
    _lock_plan,
    _save_criterion,
    plan_require_editable,
    plan_save,
)

CRITERION_PREFIX = "criterion:"
# Suggestions the owner adjusts: a rated criterion needs room among weights that add up to 100.
SUGGESTED_WEIGHT = 10
SUGGESTED_MAX_POINTS = 10


@dataclass(frozen=True)
class CriterionProposal:
    key: str
    kind: str
    name: str
    description: str
    reason: str
    weight: int = 0
    max_points: int | None = None

    @property
    def dismissal_key(self) -> str:
        return CRITERION_PREFIX + self.key

    def as_data(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,
            "description": self.description,
            "weight": self.weight,
            "max_points": self.max_points,
        }


def criterion_proposals(facts: RecordFacts) -> list[CriterionProposal]:
    mandatory = Criterion.Kind.MANDATORY.value
    rated = Criterion.Kind.RATED.value
    proposals: list[CriterionProposal] = []
    if facts.personal and facts.storage_location == DataGovernanceRecord.Residency.IN_CANADA:
        proposals.append(
            CriterionProposal(
                key="personal_information_in_canada",
                kind=mandatory,
                name=_("Stores personal information in Canada"),
                description=_(
                    "Personal information is stored, processed and backed up only in Canada, "
                    "including by sub-processors."
                ),
                reason=_("The record says personal information is stored in Canada."),
            )
        )
    if facts.exit_data_return:
        proposals.append(
            CriterionProposal(
                key="exit_open_formats",
                kind=mandatory,
                name=_("Returns all data in open formats at exit"),
                description=_(
                    "At the end of the contract the vendor returns all the municipality's data "
                    "in open formats and deletes its copies."
                )
                + (
                    " " + _("Formats: %(formats)s.") % {"formats": facts.exit_formats}
                    if facts.exit_formats
                    else ""
                ),
                reason=_("The record asks for all data to be returned in open formats."),
            )
        )
    if facts.accessibility_standard and facts.accessibility_standard != "not_applicable":
        proposals.append(
            CriterionProposal(
                key="accessibility",
                kind=mandatory,
                name=_("Meets %(standard)s") % {"standard": facts.accessibility_label},
                description=_(
                    "The solution's user interfaces conform to the standard, shown by a "
                    "conformance report."
                ),
                reason=_("The record requires an accessibility standard."),
            )
        )
    if facts.automated_decisions and (facts.impact_level or 0) >= HIGH_IMPACT:
        proposals.append(
            CriterionProposal(
                key="human_review",
                kind=mandatory,
                name=_("Human review of automated decisions"),
                description=_(
                    "A person reviews each automated decision about a resident before it takes "
                    "effect, and the resident receives an explanation."
                ),
                reason=_(
                    "The record says the solution makes automated decisions at impact level "
                    "%(level)s."
                )
                % {"level": facts.impact_level},
            )
        )
    if facts.personal:
        proposals.append(
            CriterionProposal(
                key="privacy_by_design",
                kind=rated,
                name=_("Privacy by design"),
                description=_(
                    "Collects only what it needs, de-identifies early, limits access and "
                    "retention, and makes privacy the default."
                ),
                reason=_("The record lists personal information."),
                weight=SUGGESTED_WEIGHT,
                max_points=SUGGESTED_MAX_POINTS,
            )
        )
    if facts.open_standards.strip():
        proposals.append(
            CriterionProposal(
                key="interoperability",
                kind=rated,
                name=_("Interoperability and open standards"),
                description=_("Supports the open standards the record requires: %(standards)s")
                % {"standards": facts.open_standards.strip()},
                reason=_("The record requires open standards."),
                weight=SUGGESTED_WEIGHT,
                max_points=SUGGESTED_MAX_POINTS,
            )
        )
    return proposals


def _accepted_keys(challenge: Challenge) -> set[str]:
    return set(
        Criterion.objects.filter(plan__challenge_id=challenge.pk)
        .exclude(governance_key="")
        .values_list("governance_key", flat=True)
    )


def _all(record) -> dict[str, CriterionProposal]:
    return {p.key: p for p in criterion_proposals(record_facts(record))}


def plan_criterion_proposals(
    *, challenge: Challenge, record: DataGovernanceRecord | None = None
) -> list[CriterionProposal]:
    """The criteria the record proposes that the owner has not yet added or dismissed."""
    record = record if record is not None else governance_record(challenge)
    if record is None:
        return []
    accepted, dismissed = _accepted_keys(challenge), dismissed_keys(record)
    return [
        proposal
        for proposal in _all(record).values()
        if proposal.key not in accepted and proposal.dismissal_key not in dismissed
    ]


def dismissed_criterion_proposals(record: DataGovernanceRecord | None) -> list[dict]:
    if record is None:
        return []
    return [
        {"key": entry["key"].removeprefix(CRITERION_PREFIX), "label": entry.get("label", "")}
        for entry in record.dismissed_proposals
        if isinstance(entry, dict) and str(entry.get("key", "")).startswith(CRITERION_PREFIX)
    ]


def _editable_record(challenge: Challenge, actor) -> tuple[Challenge, DataGovernanceRecord]:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    plan_require_editable(challenge=challenge, actor=actor)
    record = governance_record(challenge, lock=True)
    if record is None:
        raise TransitionRefused(
            _("Fill in the data governance record first: the proposals come from it.")
        )
    return challenge, record


def _proposal(record, key) -> CriterionProposal:
    proposal = _all(record).get(key)
    if proposal is None:
        message = _("The data governance record proposes no such criterion; reload the page.")
        raise InvalidInput(message, field_errors={"key": [message]})
    return proposal


@transaction.atomic
def criterion_accept_proposal(*, challenge: Challenge, actor, key: str, **overrides) -> Criterion:
    """Add the proposed criterion to the plan (created if need be), with the owner's edits
    (`overrides`: kind, name, description, weight, max_points, order) and the plan's rules."""
    challenge, record = _editable_record(challenge, actor)
    proposal = _proposal(record, key)
    if proposal.dismissal_key in dismissed_keys(record):
        raise TransitionRefused(_("This proposal was dismissed; offer it again before adding it."))
    unknown = sorted(set(overrides) - set(CRITERION_FIELDS))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be set here: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    plan = _lock_plan(plan_save(challenge=challenge, actor=actor))
    if key in _accepted_keys(challenge):
        raise TransitionRefused(
            _("This proposed criterion is already in the plan; edit it there instead.")
        )
    cleaned = _clean_criterion({**proposal.as_data(), **overrides})
    criterion = Criterion(plan=plan, governance_key=proposal.key)
    criterion = _save_criterion(plan, criterion, cleaned)
    audit_created(
        obj=criterion,
        actor=actor,
        fields=(*CRITERION_FIELDS, "governance_key"),
        metadata={"challenge_id": challenge.pk},
    )
    return criterion


@transaction.atomic
def criterion_dismiss_proposal(*, challenge: Challenge, actor, key: str) -> None:
    challenge, record = _editable_record(challenge, actor)
    proposal = _proposal(record, key)
    if key in _accepted_keys(challenge):
        raise TransitionRefused(
            _("This proposed criterion is already in the plan; remove it there instead.")
        )
    proposal_dismiss(record=record, actor=actor, key=proposal.dismissal_key, label=proposal.name)


@transaction.atomic
def criterion_restore_proposal(*, challenge: Challenge, actor, key: str) -> None:
    _challenge, record = _editable_record(challenge, actor)
    proposal_restore(record=record, actor=actor, key=CRITERION_PREFIX + key)
