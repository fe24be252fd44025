"""What the data governance record proposes, and the owner's decision on each proposal.

The record proposes response questions (here) and evaluation criteria (evaluation.governance);
the owner adds each one, as is or edited, or dismisses it. A dismissal is kept on the record
(`dismissed_proposals`) so the proposal stays dismissed and the approver sees what was turned
down. Both kinds share that list: keys are "question:<key>" or "criterion:<key>".
"""

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_change
from core.errors import InvalidInput, TransitionRefused
from core.permissions import can

from .governance_questions import (
    QUESTION_PREFIX,
    QuestionProposal,
    offered,
    question_proposals,
    record_facts,
)
from .models import Challenge, DataGovernanceRecord, ResponseQuestion
from .sections import ChallengeSection, register_section
from .services import (
    RESPONSE_QUESTION_FIELDS,
    lock_for_response_questions,
    response_question_append,
)


def governance_record(challenge: Challenge, *, lock: bool = False) -> DataGovernanceRecord | None:
    records = DataGovernanceRecord.objects.filter(challenge_id=challenge.pk)
    if lock:
        records = records.select_for_update()
    return records.prefetch_related("assets", "sharings").first()


def dismissed_keys(record: DataGovernanceRecord | None) -> set[str]:
    if record is None:
        return set()
    return {entry.get("key") for entry in record.dismissed_proposals if isinstance(entry, dict)}


def proposal_dismissals(*, challenge: Challenge) -> list[dict]:
    """The proposals the owner dismissed, in the order dismissed: [{"key", "label"}]."""
    record = DataGovernanceRecord.objects.filter(challenge_id=challenge.pk).first()
    return list(record.dismissed_proposals) if record is not None else []


def _accepted_question_keys(challenge: Challenge) -> set[str]:
    return set(
        challenge.response_questions.exclude(governance_key="").values_list(
            "governance_key", flat=True
        )
    )


def challenge_question_proposals(
    *, challenge: Challenge, record: DataGovernanceRecord | None = None
) -> list[QuestionProposal]:
    """The response questions the record proposes that the owner has not yet added or dismissed."""
    record = record if record is not None else governance_record(challenge)
    if record is None:
        return []
    return offered(
        question_proposals(record_facts(record)),
        accepted_keys=_accepted_question_keys(challenge),
        dismissed_keys=dismissed_keys(record),
    )


def _all_question_proposals(record) -> dict[str, QuestionProposal]:
    return {proposal.key: proposal for proposal in question_proposals(record_facts(record))}


def _unknown(key) -> InvalidInput:
    message = _("The data governance record proposes no such question; reload the page.")
    return InvalidInput(message, field_errors={"key": [message]})


def _record_or_refuse(challenge: Challenge) -> DataGovernanceRecord:
    record = governance_record(challenge, lock=True)
    if record is None:
        raise TransitionRefused(
            _("Fill in the data governance record first: the proposals come from it.")
        )
    return record


@transaction.atomic
def response_question_accept_proposal(
    *, challenge: Challenge, actor, key: str, **overrides
) -> ResponseQuestion:
    """Add the proposed question at the end of the list, with the owner's edits (`overrides`:
    prompt, guidance, required, max_words). Same rules as adding a question by hand."""
    challenge = lock_for_response_questions(challenge, actor)
    record = _record_or_refuse(challenge)
    proposal = _all_question_proposals(record).get(key)
    if proposal is None:
        raise _unknown(key)
    if key in _accepted_question_keys(challenge):
        raise TransitionRefused(
            _("This proposed question was already added; edit it in the list instead.")
        )
    if proposal.dismissal_key in dismissed_keys(record):
        raise TransitionRefused(_("This proposal was dismissed; offer it again before adding it."))
    data = {"prompt": proposal.prompt, "guidance": proposal.guidance, "required": True}
    data.update(overrides)
    unknown = sorted(set(data) - set(RESPONSE_QUESTION_FIELDS))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be set here: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    return response_question_append(
        challenge=challenge, actor=actor, data=data, governance_key=proposal.key
    )


def proposal_dismiss(*, record: DataGovernanceRecord, actor, key: str, label: str) -> None:
    """Write a dismissal on a record locked by the caller, who checked the permission (the
    response questions here, the evaluation plan in evaluation)."""
    if key in dismissed_keys(record):
        raise TransitionRefused(_("This proposal was already dismissed."))
    before = list(record.dismissed_proposals)
    record.dismissed_proposals = [*before, {"key": key, "label": str(label)}]
    record.save(update_fields=["dismissed_proposals"])
    audit_change(
        obj=record,
        actor=actor,
        action="dismiss_proposal",
        changes={"dismissed_proposals": (before, record.dismissed_proposals)},
        metadata={"proposal": key},
    )


def proposal_restore(*, record: DataGovernanceRecord, actor, key: str) -> None:
    """Offer a dismissed proposal again (record locked and permission checked by the caller)."""
    if key not in dismissed_keys(record):
        raise TransitionRefused(_("This proposal is not dismissed; reload the page."))
    before = list(record.dismissed_proposals)
    record.dismissed_proposals = [entry for entry in before if entry.get("key") != key]
    record.save(update_fields=["dismissed_proposals"])
    audit_change(
        obj=record,
        actor=actor,
        action="restore_proposal",
        changes={"dismissed_proposals": (before, record.dismissed_proposals)},
        metadata={"proposal": key},
    )


@transaction.atomic
def response_question_dismiss_proposal(*, challenge: Challenge, actor, key: str) -> None:
    challenge = lock_for_response_questions(challenge, actor)
    record = _record_or_refuse(challenge)
    proposal = _all_question_proposals(record).get(key)
    if proposal is None:
        raise _unknown(key)
    if key in _accepted_question_keys(challenge):
        raise TransitionRefused(
            _("This proposed question was already added; remove it from the list instead.")
        )
    proposal_dismiss(record=record, actor=actor, key=proposal.dismissal_key, label=proposal.prompt)


@transaction.atomic
def response_question_restore_proposal(*, challenge: Challenge, actor, key: str) -> None:
    challenge = lock_for_response_questions(challenge, actor)
    record = _record_or_refuse(challenge)
    proposal_restore(record=record, actor=actor, key=QUESTION_PREFIX + key)


def dismissed_question_proposals(record: DataGovernanceRecord | None) -> list[dict]:
    """The dismissed question proposals, for the owner's page: [{"key", "label"}], key bare."""
    if record is None:
        return []
    return [
        {"key": entry["key"].removeprefix(QUESTION_PREFIX), "label": entry.get("label", "")}
        for entry in record.dismissed_proposals
        if isinstance(entry, dict) and str(entry.get("key", "")).startswith(QUESTION_PREFIX)
    ]


# In review, the approver sees what the owner turned down (challenges.sections, slot "review").


def dismissed_review_context(request, challenge) -> dict | None:
    if challenge.status != Challenge.Status.IN_REVIEW:
        return None
    if not can(request.user, "challenges.view_challenge_history", challenge):
        return None
    record = DataGovernanceRecord.objects.filter(challenge_id=challenge.pk).first()
    if record is None:
        return None
    entries = [entry for entry in record.dismissed_proposals if isinstance(entry, dict)]
    return {
        "challenge": challenge,
        "dismissed_questions": [
            e["label"] for e in entries if str(e.get("key", "")).startswith(QUESTION_PREFIX)
        ],
        "dismissed_criteria": [
            e["label"] for e in entries if not str(e.get("key", "")).startswith(QUESTION_PREFIX)
        ],
    }


def register_review_section() -> None:
    register_section(
        ChallengeSection(
            name="governance-dismissed-proposals",
            template="challenges/includes/dismissed_proposals_review.html",
            context=dismissed_review_context,
            slot="review",
            order=110,
        )
    )
