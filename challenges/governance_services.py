"""Every write to a challenge's data governance record (docs/data-governance.md).

The record is part of the statement: only the challenge's owner changes it, and only while the
statement may change (draft, co-design); review fixes it with the statement. Each write locks the
challenge's row first, so two tabs of the owner cannot interleave, and is audited in its
transaction, filed under the challenge (metadata challenge_id) so the challenge's history shows it.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_change, audit_created, audit_deleted, audit_diff, audit_values
from core.errors import InvalidInput, TransitionRefused
from core.permissions import require
from core.validation import full_clean_or_invalid

from .models import Challenge, DataAsset, DataGovernanceRecord, DataSharing, GovernanceDecision

RECORD_FIELDS = (
    "legal_authority",
    "retention_period",
    "storage_location",
    "storage_reason",
    "assessment_status",
    "assessment_completed_on",
    "open_standards",
    "automated_decisions",
    "impact_level",
    "impact_explanation",
    "accessibility_standard",
    "exit_data_return",
    "exit_formats",
    "source_code",
    "exit_plan",
)
ASSET_FIELDS = (
    "name",
    "description",
    "sensitivity",
    "about_residents_location_or_devices",
    "provided_by",
    "produced_data_owner",
    "open_data",
    "licence",
    "open_format",
    "confidential",
    "confidential_reason",
)
SHARING_FIELDS = (
    "party",
    "data",
    "purpose",
    "agreement_status",
    "confidential",
    "confidential_reason",
)
DECISION_FIELDS = (
    "topic",
    "decision",
    "reason",
    "decided_by",
    "decided_on",
    "confidential",
    "confidential_reason",
)
MOVE_DIRECTIONS = ("up", "down")
# Set by the service, not by the writer: never reported as input errors.
_NOT_INPUT = ("record", "challenge", "recorded_by", "updated_by")

GOVERNANCE_DENIED = gettext_lazy(
    "Only the challenge's owner can change its data governance record, and only in draft or "
    "co-design: the record is fixed with the statement when it goes to review."
)


def _assign(instance, data: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be set here: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(instance, name, value)


def _metadata(record: DataGovernanceRecord) -> dict:
    return {"challenge_id": record.challenge_id, "governance_record_id": record.pk}


def _lock(challenge: Challenge, actor) -> Challenge:
    # The challenge's row is the lock: review takes it too, so nothing changes while it freezes.
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    require(actor, "challenges.change_datagovernance", challenge, str(GOVERNANCE_DENIED))
    return challenge


def _record_of(challenge: Challenge, actor) -> DataGovernanceRecord:
    """The locked challenge's record, created (and audited) on the first write."""
    record = DataGovernanceRecord.objects.filter(challenge=challenge).first()
    if record is None:
        record = DataGovernanceRecord.objects.create(challenge=challenge, updated_by=actor)
        audit_created(obj=record, actor=actor, fields=("challenge",), metadata=_metadata(record))
    record.challenge = challenge
    return record


def _touch(record: DataGovernanceRecord, actor) -> None:
    record.updated_by = actor
    record.save(update_fields=["updated_by", "updated_at"])


def _clean(instance, errors: dict[str, list[str]]) -> None:
    """Model validation plus the rules checked above it, every message on its field (the
    database constraints would report them for the row as a whole)."""
    try:
        full_clean_or_invalid(instance, exclude=[*errors, *_NOT_INPUT])
    except InvalidInput as exc:
        for name, messages in exc.field_errors.items():
            if name == "__all__" and errors:
                continue  # the same rule, already said on its field
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise InvalidInput(
            [m for messages in errors.values() for m in messages], field_errors=errors
        )


def _confidential_errors(row) -> dict[str, list[str]]:
    if row.confidential and not (row.confidential_reason or "").strip():
        return {
            "confidential_reason": [
                _("Say why this part is confidential: the public page shows the reason.")
            ]
        }
    return {}


# The record ----------------------------------------------------------------------------------


def _record_errors(record: DataGovernanceRecord) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if record.impact_level is not None and not record.automated_decisions:
        errors["impact_level"] = [
            _(
                "An algorithmic impact level applies only to automated decisions: tick that the "
                "solution makes or supports them, or leave the level empty."
            )
        ]
    if (
        record.assessment_completed_on is not None
        and record.assessment_status != DataGovernanceRecord.AssessmentStatus.COMPLETED
    ):
        errors["assessment_completed_on"] = [
            _("A completion date applies only to a completed privacy impact assessment.")
        ]
    return errors


@transaction.atomic
def governance_record_update(*, challenge: Challenge, actor, **data) -> DataGovernanceRecord:
    """Change the record's fields given (created on the first save)."""
    challenge = _lock(challenge, actor)
    record = _record_of(challenge, actor)
    before = audit_values(record, RECORD_FIELDS)
    _assign(record, data, RECORD_FIELDS)
    _clean(record, _record_errors(record))
    record.updated_by = actor
    record.save()
    audit_change(
        obj=record,
        actor=actor,
        action="update",
        changes=audit_diff(before, record),
        metadata=_metadata(record),
    )
    return record


# Rows: data assets, sharings, decisions ------------------------------------------------------


def _locked_row(model, row, actor):
    """The row, re-read under its challenge's lock; refused if it was removed meanwhile."""
    record = DataGovernanceRecord.objects.get(pk=row.record_id)
    challenge = _lock(Challenge(pk=record.challenge_id), actor)
    locked = model.objects.filter(pk=row.pk, record_id=record.pk).first()
    if locked is None:
        raise TransitionRefused(
            _("This row was removed in the meantime; reload the page to see the record.")
        )
    record.challenge = challenge
    locked.record = record
    return locked


def _asset_errors(asset: DataAsset) -> dict[str, list[str]]:
    errors = _confidential_errors(asset)
    if asset.open_data and not asset.licence:
        errors["licence"] = [_("Open data needs a licence: choose one.")]
    if asset.open_data and asset.sensitivity == DataAsset.Sensitivity.IDENTIFIABLE:
        errors.setdefault("open_data", []).append(
            _("Identifiable personal information is never published as open data.")
        )
    if asset.open_data and asset.confidential:
        errors.setdefault("open_data", []).append(
            _("A confidential dataset cannot also be published as open data.")
        )
    return errors


def _add_row(model, fields, errors_of, *, challenge, actor, data, **extra):
    challenge = _lock(challenge, actor)
    record = _record_of(challenge, actor)
    row = model(record=record, **extra)
    _assign(row, data, fields)
    _clean(row, errors_of(row))
    row.save()
    audit_created(obj=row, actor=actor, fields=fields, metadata=_metadata(record))
    _touch(record, actor)
    return row


def _change_row(model, fields, errors_of, *, row, actor, data):
    row = _locked_row(model, row, actor)
    before = audit_values(row, fields)
    _assign(row, data, fields)
    _clean(row, errors_of(row))
    row.save()
    audit_change(
        obj=row,
        actor=actor,
        action="update",
        changes=audit_diff(before, row),
        metadata=_metadata(row.record),
    )
    _touch(row.record, actor)
    return row


def _remove_row(model, fields, *, row, actor):
    row = _locked_row(model, row, actor)
    audit_deleted(obj=row, actor=actor, fields=fields, metadata=_metadata(row.record))
    row.delete()
    _touch(row.record, actor)


@transaction.atomic
def data_asset_add(*, challenge: Challenge, actor, **data) -> DataAsset:
    """Add a dataset or data category at the end of the list."""
    challenge = _lock(challenge, actor)
    record = _record_of(challenge, actor)
    last = max((asset.order for asset in record.assets.all()), default=0)
    return _add_row(
        DataAsset,
        ASSET_FIELDS,
        _asset_errors,
        challenge=challenge,
        actor=actor,
        data=data,
        order=last + 1,
    )


@transaction.atomic
def data_asset_change(*, asset: DataAsset, actor, **data) -> DataAsset:
    return _change_row(DataAsset, ASSET_FIELDS, _asset_errors, row=asset, actor=actor, data=data)


@transaction.atomic
def data_asset_remove(*, asset: DataAsset, actor) -> None:
    _remove_row(DataAsset, (*ASSET_FIELDS, "order"), row=asset, actor=actor)


@transaction.atomic
def data_asset_move(*, asset: DataAsset, actor, direction: str) -> DataAsset:
    """Swap the asset with the one before it ("up") or after it ("down"), renumbering the list
    1, 2, 3... on the way so rows that share a position end up in a definite order."""
    asset = _locked_row(DataAsset, asset, actor)
    if direction not in MOVE_DIRECTIONS:
        raise InvalidInput(
            _("Choose whether to move the dataset up or down."),
            field_errors={"direction": [_("Choose “up” or “down”.")]},
        )
    assets = list(DataAsset.objects.filter(record_id=asset.record_id).order_by("order", "pk"))
    index = next(i for i, row in enumerate(assets) if row.pk == asset.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(assets):
        message = (
            _("This is already the first dataset; it cannot move up.")
            if direction == "up"
            else _("This is already the last dataset; it cannot move down.")
        )
        raise InvalidInput(message, field_errors={"direction": [message]})
    assets[index], assets[target] = assets[target], assets[index]
    before = audit_values(asset, ("order",))
    changed = []
    for position, row in enumerate(assets, start=1):
        if row.order != position:
            row.order = position
            changed.append(row)
    DataAsset.objects.bulk_update(changed, ["order"])
    moved = next(row for row in assets if row.pk == asset.pk)
    moved.record = asset.record
    audit_change(
        obj=moved,
        actor=actor,
        action="move",
        changes=audit_diff(before, moved),
        metadata=_metadata(asset.record),
    )
    _touch(asset.record, actor)
    return moved


@transaction.atomic
def data_sharing_add(*, challenge: Challenge, actor, **data) -> DataSharing:
    return _add_row(
        DataSharing,
        SHARING_FIELDS,
        _confidential_errors,
        challenge=challenge,
        actor=actor,
        data=data,
    )


@transaction.atomic
def data_sharing_change(*, sharing: DataSharing, actor, **data) -> DataSharing:
    return _change_row(
        DataSharing, SHARING_FIELDS, _confidential_errors, row=sharing, actor=actor, data=data
    )


@transaction.atomic
def data_sharing_remove(*, sharing: DataSharing, actor) -> None:
    _remove_row(DataSharing, SHARING_FIELDS, row=sharing, actor=actor)


@transaction.atomic
def governance_decision_add(*, challenge: Challenge, actor, **data) -> GovernanceDecision:
    return _add_row(
        GovernanceDecision,
        DECISION_FIELDS,
        _confidential_errors,
        challenge=challenge,
        actor=actor,
        data=data,
        recorded_by=actor,
    )


@transaction.atomic
def governance_decision_change(
    *, governance_decision: GovernanceDecision, actor, **data
) -> GovernanceDecision:
    return _change_row(
        GovernanceDecision,
        DECISION_FIELDS,
        _confidential_errors,
        row=governance_decision,
        actor=actor,
        data=data,
    )


@transaction.atomic
def governance_decision_remove(*, governance_decision: GovernanceDecision, actor) -> None:
    _remove_row(GovernanceDecision, DECISION_FIELDS, row=governance_decision, actor=actor)
