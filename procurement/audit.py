"""The audit trail: append entries in the caller's transaction, verify the chain."""

import hashlib
import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEntry

SYSTEM_LABEL = "system"


def _digest(fields: dict) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict:
    return {
        "sequence": entry.sequence,
        "occurred_at": entry.occurred_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "content_type": f"{entry.content_type.app_label}.{entry.content_type.model}",
        "object_id": entry.object_id,
        "object_label": entry.object_label,
        "transition": entry.transition,
        "source": entry.source,
        "target": entry.target,
        "reason": entry.reason,
        "metadata": entry.metadata,
        "previous_digest": entry.previous_digest,
    }


def audit_append(
    *,
    obj,
    transition: str,
    source: str,
    target: str,
    actor=None,
    reason: str = "",
    metadata: dict | None = None,
) -> AuditEntry:
    """Append one entry; must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_append must run inside the transaction it records.")
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    entry = AuditEntry(
        sequence=head.last_sequence + 1,
        # Microseconds dropped so the stored value and the hashed one are identical everywhere.
        occurred_at=timezone.now().replace(microsecond=0),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor.get_username() if getattr(actor, "pk", None) else SYSTEM_LABEL,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        transition=transition,
        source=str(source),
        target=str(target),
        reason=reason or "",
        metadata=json.loads(json.dumps(metadata or {}, default=str)),
        previous_digest=head.last_digest,
    )
    entry.digest = _digest(_hashed_fields(entry))
    entry.save()
    head.last_sequence = entry.sequence
    head.last_digest = entry.digest
    head.save(update_fields=["last_sequence", "last_digest"])
    return entry


def last_reason(obj, transition: str) -> str:
    """The reason given the last time `obj` went through `transition` ("" if never). For steps
    whose model keeps no field for it (a challenge ending without an award)."""
    entry = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=str(obj.pk),
            transition=transition,
        )
        .order_by("-sequence")
        .first()
    )
    return entry.reason if entry else ""


@dataclass
class ChainBreak:
    sequence: int
    problem: str


def audit_verify(*, batch_size: int = 2000) -> tuple[int, list[ChainBreak]]:
    """Recompute every digest in order; return the number of entries and every break found."""
    breaks: list[ChainBreak] = []
    previous_digest = ""
    expected_sequence = 1
    count = 0
    entries = AuditEntry.objects.select_related("content_type").order_by("sequence")
    for entry in entries.iterator(chunk_size=batch_size):
        count += 1
        if entry.sequence != expected_sequence:
            breaks.append(
                ChainBreak(
                    entry.sequence, f"expected sequence {expected_sequence} (entries missing)"
                )
            )
        if entry.previous_digest != previous_digest:
            breaks.append(ChainBreak(entry.sequence, "does not link to the previous entry"))
        if _digest(_hashed_fields(entry)) != entry.digest:
            breaks.append(ChainBreak(entry.sequence, "content does not match its digest"))
        previous_digest = entry.digest
        expected_sequence = entry.sequence + 1
    # The head remembers where the chain ended, so entries deleted from the end (or all of them)
    # show up too.
    head = AuditChainHead.objects.filter(pk=1).first()
    last_sequence = expected_sequence - 1
    if head is None:
        if count:
            breaks.append(ChainBreak(last_sequence, "the chain's head is missing"))
    elif head.last_sequence != last_sequence or head.last_digest != previous_digest:
        breaks.append(
            ChainBreak(
                head.last_sequence,
                f"the chain's head is at entry {head.last_sequence} but the entries end at "
                f"{last_sequence} (entries missing at the end)",
            )
        )
    return count, breaks
