"""Screening: pass or fail per mandatory criterion; failing one disqualifies the proposal."""

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_change
from core.errors import InvalidInput
from core.permissions import require
from vendors.models import Proposal
from vendors.services import proposal_evaluate

from ..models import Criterion, Evaluation, ScreeningResult

NOTE_LIMIT = 5000


def _criterion_id(key) -> int | None:
    if isinstance(key, Criterion):
        return key.pk
    try:
        return int(key)
    except (TypeError, ValueError):
        return None


def screening_record(
    *, evaluation: Evaluation, proposal: Proposal, actor, results: Mapping
) -> Proposal:
    """Record the screening of one received proposal, all mandatory criteria at once.

    `results` maps each mandatory criterion (or its id) to {"passed": bool, "note": str}; every
    result needs a note. Failing any criterion disqualifies the proposal (the failed criteria
    and notes are its reason); passing all qualifies it. Field errors are keyed
    `criterion_<id>`. Returns the proposal in its new state.
    """
    with transaction.atomic():
        evaluation = (
            Evaluation.objects.select_for_update().select_related("plan").get(pk=evaluation.pk)
        )
        require(
            actor,
            "evaluation.record_screening",
            evaluation,
            _("Only the challenge's owner, a member of municipal staff, records screening."),
        )
        if evaluation.status != Evaluation.Status.SCREENING:
            raise InvalidInput(_("Screening is recorded only while the evaluation is screening."))
        proposal = (
            Proposal.objects.select_for_update()
            .filter(pk=proposal.pk, challenge_id=evaluation.challenge_id)
            .first()
        )
        if proposal is None or proposal.status not in Proposal.RECEIVED_STATES:
            raise InvalidInput(_("This proposal was not received for this challenge."))
        if proposal.status != Proposal.Status.RECEIVED:
            raise InvalidInput(_("The screening of this proposal was already recorded."))
        mandatory = {
            c.pk: c for c in evaluation.plan.criteria.filter(kind=Criterion.Kind.MANDATORY)
        }
        errors: dict[str, list[str]] = {}
        cleaned: dict[int, tuple[bool, str]] = {}
        for key, value in results.items():
            criterion_id = _criterion_id(key)
            if criterion_id not in mandatory:
                errors[f"criterion_{key}"] = [_("This is not a mandatory criterion of the plan.")]
                continue
            value = value if isinstance(value, Mapping) else {}
            passed = value.get("passed")
            note = str(value.get("note") or "").strip()
            if not isinstance(passed, bool):
                errors[f"criterion_{criterion_id}"] = [_("Say whether the proposal passed.")]
            elif not note or len(note) > NOTE_LIMIT:
                errors[f"criterion_{criterion_id}"] = [
                    _("Write a note (up to %(limit)d characters) for this result.")
                    % {"limit": NOTE_LIMIT}
                ]
            else:
                cleaned[criterion_id] = (passed, note)
        for criterion_id, criterion in mandatory.items():
            if criterion_id not in cleaned and f"criterion_{criterion_id}" not in errors:
                errors[f"criterion_{criterion_id}"] = [
                    _("Record a result for “%(criterion)s”.") % {"criterion": criterion.name}
                ]
        if errors:
            raise InvalidInput([m for ms in errors.values() for m in ms], field_errors=errors)
        ScreeningResult.objects.bulk_create(
            ScreeningResult(
                evaluation=evaluation,
                proposal=proposal,
                criterion_id=criterion_id,
                passed=passed,
                note=note,
                recorded_by=actor,
            )
            for criterion_id, (passed, note) in cleaned.items()
        )
        audit_change(
            obj=proposal,
            actor=actor,
            action="screen",
            changes={
                f"criterion {mandatory[criterion_id].name}": (
                    None,
                    {"passed": passed, "note": note},
                )
                for criterion_id, (passed, note) in cleaned.items()
            },
            metadata={"challenge_id": evaluation.challenge_id},
        )
        failed = [
            f"{mandatory[criterion_id].name}: {note}"
            for criterion_id, (passed, note) in sorted(
                cleaned.items(), key=lambda item: mandatory[item[0]].order
            )
            if not passed
        ]
        if failed:
            reason = _("Failed mandatory criteria. %(failed)s") % {"failed": " ".join(failed)}
            return proposal_evaluate(
                proposal=proposal, actor=actor, name="disqualify", reason=reason
            )
        return proposal_evaluate(proposal=proposal, actor=actor, name="qualify")
