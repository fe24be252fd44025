"""The audit trail: every write, by every app, appended in the caller's transaction to one
hash-chained table; a verification of the chain; the chain head published for outsiders to keep.

Transitions are recorded by the `post_transition` receiver below. Plain edits are recorded by
the service that makes them, with `audit_change` (fields, before, after), and admin edits by
`core.admin.AuditedAdmin`.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_fsm.signals import post_transition

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


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        # Full precision (DjangoJSONEncoder keeps milliseconds only): a deadline moved by less
        # than a second is still a change.
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def _json_ready(value):
    return json.loads(json.dumps(value, cls=_Encoder))


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
        metadata=_json_ready(metadata or {}),
        previous_digest=head.last_digest,
    )
    entry.digest = _digest(_hashed_fields(entry))
    entry.save()
    head.last_sequence = entry.sequence
    head.last_digest = entry.digest
    head.save(update_fields=["last_sequence", "last_digest"])
    return entry


# Plain edits ---------------------------------------------------------------------------------

# Models whose field values never go into an entry, only the names of the fields that changed:
# a vendor's answers and prices are sealed when written, and an entry is kept for ever. Filled by
# the owning apps' AppConfig.ready() (imports run one way). Keyed by "app_label.modelname".
_WITHHELD_VALUES: dict[str, set[str] | None] = {}


def register_withheld_values(model_label: str, fields: Iterable[str] | None = None) -> None:
    """Never write the values of `fields` of this model (all its fields when None)."""
    _WITHHELD_VALUES[model_label.lower()] = None if fields is None else set(fields)


def _withheld(obj, field: str) -> bool:
    label = obj._meta.concrete_model._meta.label_lower
    if label not in _WITHHELD_VALUES:
        return False
    fields = _WITHHELD_VALUES[label]
    return fields is None or field in fields


def audit_values(obj, fields: Iterable[str] | None = None) -> dict:
    """The current values of `fields` (every concrete field when None), as an entry stores them:
    a related row by its primary key."""
    # By default a last-modified stamp is left out: it only repeats the entry's own time.
    names = (
        list(fields)
        if fields is not None
        else [
            f.name
            for f in obj._meta.concrete_fields
            if not f.primary_key and not getattr(f, "auto_now", False)
        ]
    )
    values = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            related = field.value_from_object(obj) if obj.pk else []
            values[name] = sorted(str(row.pk) for row in related)
        else:
            values[name] = field.value_from_object(obj)
    return _json_ready(values)


def audit_diff(before: dict, obj) -> dict[str, tuple]:
    """The fields of `before` (from audit_values) whose value `obj` no longer has."""
    after = audit_values(obj, before.keys())
    return {name: (before[name], after[name]) for name in before if before[name] != after[name]}


def audit_change(
    *,
    obj,
    actor,
    action: str,
    changes: dict[str, tuple],
    reason: str = "",
    metadata: dict | None = None,
) -> AuditEntry | None:
    """Record a plain write to `obj` (action: e.g. "create", "update", "delete", "schedule") with
    each changed field's value before and after; nothing when nothing changed. Values of sealed
    fields are never written, only that they changed. Rows that belong to a challenge are filed
    under it (metadata challenge_id), so the challenge's history shows them."""
    if not changes:
        return None
    recorded = {}
    for name, (before, after) in changes.items():
        if _withheld(obj, name):
            recorded[name] = {"withheld": True}
        else:
            recorded[name] = {"before": before, "after": after}
    metadata = {"changes": recorded, **(metadata or {})}
    if getattr(obj, "challenge_id", None) and "challenge_id" not in metadata:
        metadata["challenge_id"] = obj.challenge_id
    return audit_append(
        obj=obj,
        transition=action,
        # A plain edit has no state to go from or to.
        source="",
        target="",
        actor=actor,
        reason=reason,
        metadata=metadata,
    )


def audit_created(*, obj, actor, fields: Iterable[str] | None = None, **kwargs):
    """audit_change for a new row: every field in `fields` from nothing to its value."""
    values = audit_values(obj, fields)
    changes = {name: (None, value) for name, value in values.items()}
    return audit_change(obj=obj, actor=actor, action="create", changes=changes, **kwargs)


def audit_deleted(*, obj, actor, fields: Iterable[str] | None = None, **kwargs):
    """audit_change for a row about to be deleted (call before the delete: it needs the pk)."""
    values = audit_values(obj, fields)
    changes = {name: (value, None) for name, value in values.items()}
    return audit_change(obj=obj, actor=actor, action="delete", changes=changes, **kwargs)


# Transitions ---------------------------------------------------------------------------------

# Arguments a transition takes that describe who and why, not what to record as metadata.
_NOT_METADATA = {"by", "reason"}


def audit_transition(sender, instance, name, source, target, **kwargs):
    method_kwargs = kwargs.get("method_kwargs") or {}
    metadata = {k: v for k, v in method_kwargs.items() if k not in _NOT_METADATA}
    # Rows that belong to a challenge carry it, so the challenge's history shows them too.
    if getattr(instance, "challenge_id", None):
        metadata["challenge_id"] = instance.challenge_id
    audit_append(
        obj=instance,
        transition=name,
        source=source,
        target=target,
        actor=method_kwargs.get("by"),
        reason=method_kwargs.get("reason", ""),
        metadata=metadata,
    )


def connect_audit_receivers() -> None:
    post_transition.connect(audit_transition, dispatch_uid="core_audit_transition")


# Reading the trail ---------------------------------------------------------------------------


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


def audit_history(*, obj, include_related_to_challenge: bool = False) -> QuerySet[AuditEntry]:
    """The entries about `obj`; for a challenge, optionally those of the challenge's own
    records (questions, addenda, input, plan, evaluation) filed under it.

    Proposals (the vendors app) are never part of a challenge's history: their steps would
    reveal, before closing, that proposals exist and how many (sealing). Nor are scores: who may
    see them is the evaluation's rule, and the consensus sheet shows their history.
    """
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    condition = Q(content_type=content_type, object_id=str(obj.pk))
    if include_related_to_challenge:
        condition |= (
            Q(metadata__challenge_id=obj.pk)
            & ~Q(content_type__app_label="vendors")
            & ~Q(content_type__app_label="evaluation", content_type__model__contains="score")
        )
    return (
        audit_entries_visible()
        .filter(condition)
        .select_related("content_type")
        .order_by("sequence")
    )


# What staff screens (the admin included) must not show yet: each function returns a Q of
# entries to leave out now. The vendors app registers the sealing rule for proposals.
_CONCEALMENTS: list[Callable[[], Q]] = []


def register_audit_concealment(concealed: Callable[[], Q]) -> None:
    if concealed not in _CONCEALMENTS:
        _CONCEALMENTS.append(concealed)


def audit_entries_visible() -> QuerySet[AuditEntry]:
    """The whole trail as back-office screens may show it: sealed entries (a proposal before its
    challenge closes) are left out, for admins too."""
    entries = AuditEntry.objects.all()
    for concealed in _CONCEALMENTS:
        entries = entries.exclude(concealed())
    return entries


def audit_history_of(objects: list) -> dict:
    """The entries about each of `objects` (rows of one model), oldest first, by primary key; in
    one query."""
    if not objects:
        return {}
    content_type = ContentType.objects.get_for_model(objects[0], for_concrete_model=True)
    by_id = {str(obj.pk): obj.pk for obj in objects}
    history: dict = {}
    entries = AuditEntry.objects.filter(
        content_type=content_type, object_id__in=list(by_id)
    ).order_by("sequence")
    for entry in entries:
        history.setdefault(by_id[entry.object_id], []).append(entry)
    return history


def audit_changes(entry: AuditEntry) -> list[dict]:
    """An entry's field changes as rows (field, before, after, withheld) for pages."""
    changes = (entry.metadata or {}).get("changes") or {}
    return [
        {
            "field": name,
            "before": change.get("before"),
            "after": change.get("after"),
            "withheld": bool(change.get("withheld")),
        }
        for name, change in changes.items()
    ]


# Verification --------------------------------------------------------------------------------


class Problem(models.TextChoices):
    MODIFIED = "modified"
    DELETED = "deleted"
    INSERTED = "inserted"
    HEAD = "head"


@dataclass
class ChainBreak:
    sequence: int
    kind: str
    problem: str

    def __str__(self):
        if not self.sequence:
            return f"{self.kind.capitalize()}: {self.problem}"
        return f"Entry {self.sequence} {self.kind}: {self.problem}"


def audit_verify(
    *, against: str | None = None, batch_size: int = 2000
) -> tuple[int, list[ChainBreak]]:
    """Recompute every digest and follow every link in order; return the number of entries and
    every break found, each classed as a modified, deleted or inserted entry (or a head that no
    longer matches). With `against`, a digest kept from the published chain head must still be
    the digest of an entry of the chain.

    How each kind shows: a modified entry no longer matches its digest, or (digest recomputed)
    the entry after it links to another digest; an entry whose own link was rewritten too breaks
    the links on both its sides. A deleted entry leaves a gap in the numbers. An inserted entry
    is one its successor links past, or one after the chain's head.
    """
    breaks: list[ChainBreak] = []
    head = AuditChainHead.objects.filter(pk=1).first()
    previous: AuditEntry | None = None
    before_previous_digest = ""
    # An entry whose incoming link broke with no gap: its predecessor's digest changed, unless
    # its outgoing link breaks too (then it is the entry that was rewritten).
    suspect: tuple[AuditEntry, int] | None = None
    head_seen_at = None
    against_found = against is None
    count = 0
    entries = AuditEntry.objects.select_related("content_type").order_by("sequence")
    for entry in entries.iterator(chunk_size=batch_size):
        count += 1
        expected_sequence = previous.sequence + 1 if previous else 1
        previous_digest = previous.digest if previous else ""
        if _digest(_hashed_fields(entry)) != entry.digest:
            breaks.append(
                ChainBreak(entry.sequence, Problem.MODIFIED, "content does not match its digest")
            )
        linked = entry.previous_digest == previous_digest
        if suspect is not None:
            rewritten, predecessor = suspect
            suspect = None
            if not linked and entry.sequence == expected_sequence:
                breaks.append(
                    ChainBreak(rewritten.sequence, Problem.MODIFIED, "its link was rewritten")
                )
                linked = True  # this break is the rewritten entry's, reported just above
            else:
                breaks.append(ChainBreak(predecessor, Problem.MODIFIED, _DIGEST_CHANGED))
        if head_seen_at is not None:
            breaks.append(
                ChainBreak(
                    entry.sequence,
                    Problem.INSERTED,
                    f"after the chain's head (entry {head_seen_at})",
                )
            )
        elif not linked:
            if previous is not None and entry.previous_digest == before_previous_digest:
                breaks.append(
                    ChainBreak(
                        previous.sequence,
                        Problem.INSERTED,
                        "the next entry links past it, to the entry before it",
                    )
                )
            elif entry.sequence > expected_sequence:
                missing = (
                    f"entry {expected_sequence} is"
                    if entry.sequence == expected_sequence + 1
                    else f"entries {expected_sequence} to {entry.sequence - 1} are"
                )
                breaks.append(
                    ChainBreak(entry.sequence, Problem.DELETED, f"{missing} missing before it")
                )
            elif previous is None:
                breaks.append(
                    ChainBreak(entry.sequence, Problem.INSERTED, "it links to an unknown entry")
                )
            else:
                suspect = (entry, previous.sequence)
        if head is not None and entry.digest == head.last_digest:
            head_seen_at = entry.sequence
        if entry.digest == against:
            against_found = True
        before_previous_digest = previous_digest
        previous = entry
    last_sequence = previous.sequence if previous else 0
    if suspect is not None:
        rewritten, predecessor = suspect
        if head_seen_at is None:
            breaks.append(
                ChainBreak(rewritten.sequence, Problem.MODIFIED, "its link was rewritten")
            )
            head_seen_at = rewritten.sequence  # the head's mismatch is this entry's
        else:
            breaks.append(ChainBreak(predecessor, Problem.MODIFIED, _DIGEST_CHANGED))
    # The head remembers where the chain ended, so entries deleted from the end (or all of them)
    # show up too.
    if head is None:
        if count:
            breaks.append(ChainBreak(last_sequence, Problem.HEAD, "the chain's head is missing"))
    elif head_seen_at is None and head.last_sequence > last_sequence:
        breaks.append(
            ChainBreak(
                head.last_sequence,
                Problem.DELETED,
                f"the chain's head is at entry {head.last_sequence} but the entries end at "
                f"{last_sequence} (entries missing at the end)",
            )
        )
    elif head_seen_at is None and count and head.last_sequence == last_sequence:
        breaks.append(
            ChainBreak(
                last_sequence,
                Problem.MODIFIED,
                "its digest changed: the chain's head names another one",
            )
        )
    elif head_seen_at is None and (head.last_sequence or count):
        breaks.append(
            ChainBreak(
                head.last_sequence, Problem.HEAD, "the chain's head names a digest no entry has"
            )
        )
    if not against_found:
        breaks.append(
            ChainBreak(
                0,
                Problem.DELETED,
                f"no entry has the kept digest {against}: history was rewritten since it was "
                "published, or the digest is not from this trail",
            )
        )
    return count, breaks


_DIGEST_CHANGED = "its digest changed: the next entry links to another one"


# The published head --------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head as it was at `taken_at`: the digest of the last entry written before.
    No sequence number: a count of entries would tell, before a deadline, that proposals came in.
    """

    taken_at: datetime
    digest: str


def _interval() -> timedelta:
    return timedelta(minutes=settings.AUDIT_CHECKPOINT_MINUTES)


def _checkpoint_time(now: datetime) -> datetime:
    # A checkpoint is published only once transactions running at its time have committed, so
    # a published checkpoint never changes afterwards.
    lagged = now - timedelta(minutes=settings.AUDIT_CHECKPOINT_GRACE_MINUTES)
    step = int(_interval().total_seconds())
    return datetime.fromtimestamp(int(lagged.timestamp()) // step * step, tz=UTC)


def audit_checkpoint_at(taken_at: datetime) -> Checkpoint:
    entry = (
        AuditEntry.objects.filter(occurred_at__lt=taken_at)
        .order_by("-sequence")
        .values("digest")
        .first()
    )
    return Checkpoint(taken_at=taken_at, digest=entry["digest"] if entry else "")


def audit_checkpoints(*, count: int = 1, now: datetime | None = None) -> list[Checkpoint]:
    """The latest `count` checkpoints, newest first, one per interval (a setting); a checkpoint
    whose digest is the same as the one before it is left out (nothing was written)."""
    latest = _checkpoint_time(now or timezone.now())
    checkpoints = [audit_checkpoint_at(latest - i * _interval()) for i in range(count + 1)]
    kept = [
        checkpoint
        for checkpoint, older in zip(checkpoints, checkpoints[1:], strict=False)
        if checkpoint.digest != older.digest
    ]
    return kept or checkpoints[:1]
