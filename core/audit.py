"""The audit trail: every write, by every app, appended in the caller's transaction to one
hash-chained table (the chain itself, its verification and its published head: audit_chain).

Transitions are recorded by the `post_transition` receiver below. Plain edits are recorded by
the service that makes them, with `audit_change` (fields, before, after), and admin edits by
`core.admin.AuditedAdmin`.
"""

import json
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django_fsm.signals import post_transition

from .audit_chain import _digest, _hashed_fields
from .models import AuditChainHead, AuditEntry

SYSTEM_LABEL = "system"


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        # Full precision (DjangoJSONEncoder keeps milliseconds only): a deadline moved by less
        # than a second is still a change.
        if isinstance(o, datetime):
            return o.isoformat()
        # A stored file by its storage name (the row keeps its digest, if it has one).
        if isinstance(o, FieldFile):
            return o.name
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
    """Append one entry; must run inside the transaction of the change it records.

    Inside `audit_deferred()` the entry is only prepared here and written when that block ends.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_append must run inside the transaction it records.")
    entry = _entry(
        obj=obj,
        transition=transition,
        source=source,
        target=target,
        actor=actor,
        reason=reason,
        metadata=metadata,
    )
    deferred = _DEFERRED.get()
    if deferred is not None:
        deferred.append(entry)
        return entry
    _chain([entry])
    return entry


def audit_append_many(entries: list[dict]) -> list[AuditEntry]:
    """Append several entries (each given as audit_append's keyword arguments) in order, chained
    exactly as one audit_append after another would chain them, with one lock and one insert."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_append_many must run inside the transaction it records.")
    rows = [_entry(**fields) for fields in entries]
    deferred = _DEFERRED.get()
    if deferred is not None:
        deferred.extend(rows)
    elif rows:
        _chain(rows)
    return rows


def _entry(*, obj, transition, source, target, actor=None, reason="", metadata=None):
    return AuditEntry(
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
    )


def _chain(entries: list[AuditEntry]) -> None:
    """Give `entries` their places in the chain and write them: the head is locked from here
    until the transaction commits, so every writer of the trail waits behind it."""
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    # Microseconds dropped so the stored value and the hashed one are identical everywhere.
    occurred_at = (_DATED.get() or timezone.now()).replace(microsecond=0)
    for entry in entries:
        entry.sequence = head.last_sequence + 1
        entry.occurred_at = occurred_at
        entry.previous_digest = head.last_digest
        entry.digest = _digest(_hashed_fields(entry))
        head.last_sequence = entry.sequence
        head.last_digest = entry.digest
    if len(entries) == 1:
        entries[0].save()
    else:
        AuditEntry.objects.bulk_create(entries)
    head.save(update_fields=["last_sequence", "last_digest"])


# The moment entries appended in this thread are dated (None: when they are written).
_DATED: ContextVar[datetime | None] = ContextVar("audit_dated", default=None)


@contextmanager
def audit_dated(moment: datetime):
    """Date the entries appended inside this block `moment` instead of now: only for loading
    history that happened before it was recorded (the demo data, `seed_demo`), so that the trail
    tells the same dates as the records it describes. The entries are chained and verified like
    any other; only their time differs."""
    # In UTC, as the database gives it back: the digest hashes the time as written.
    token = _DATED.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _DATED.reset(token)


# Entries waiting for the end of an `audit_deferred()` block in this thread (None: write at once).
_DEFERRED: ContextVar[list | None] = ContextVar("audit_deferred", default=None)


@contextmanager
def audit_deferred():
    """Write the entries appended inside this block together, when it ends, as the last
    statements of the transaction: the chain head, one lock for every writer of the trail, is
    then held only from there to the commit rather than for the whole action. For a busy action
    (a proposal submitted in the last seconds before a deadline) or a batch of scheduled steps.

    Open it right inside the action's `transaction.atomic()` and around all its work, with no
    savepoint inside it that is rolled back while the block goes on (its entries would be
    written all the same). An exception leaving the block discards its entries with the
    transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_deferred must run inside the transaction it records.")
    if _DEFERRED.get() is not None:
        # Nested: the outer block writes them.
        yield
        return
    entries: list[AuditEntry] = []
    token = _DEFERRED.set(entries)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    if entries:
        _chain(entries)


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
