"""The audit trail's hash chain: each entry's digest, the verification of the whole chain, and
the chain head published at checkpoints for outsiders to keep (docs/audit.md)."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from .models import AuditChainHead, AuditEntry


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


def _checkpoints_at(times: list[datetime]) -> list[Checkpoint]:
    """`audit_checkpoint_at` for each time, in one query (a scalar subquery per time)."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    digest, occurred_at, sequence = (
        connection.ops.quote_name(AuditEntry._meta.get_field(name).column)
        for name in ("digest", "occurred_at", "sequence")
    )
    # Only the model's own, quoted names are put in the text; the times are parameters.
    head = (
        f"(SELECT {digest} FROM {table} WHERE {occurred_at} < %s ORDER BY {sequence} DESC LIMIT 1)"  # noqa: S608, E501
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join([head] * len(times)),
            [connection.ops.adapt_datetimefield_value(t) for t in times],
        )
        row = cursor.fetchone()
    return [Checkpoint(taken_at=t, digest=d or "") for t, d in zip(times, row, strict=True)]


def audit_checkpoints(*, count: int = 1, now: datetime | None = None) -> list[Checkpoint]:
    """The latest `count` checkpoints, newest first, one per interval (a setting); a checkpoint
    whose digest is the same as the one before it is left out (nothing was written)."""
    latest = _checkpoint_time(now or timezone.now())
    checkpoints = _checkpoints_at([latest - i * _interval() for i in range(count + 1)])
    kept = [
        checkpoint
        for checkpoint, older in zip(checkpoints, checkpoints[1:], strict=False)
        if checkpoint.digest != older.digest
    ]
    return kept or checkpoints[:1]
