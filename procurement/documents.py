"""Tells the challenges app when the contract and the pilot exist and are public, so documents
can be attached to them and read (challenges/documents/attachments.py)."""

from django.db.models import Exists, OuterRef

from challenges.documents.attachments import register_attachment

from .models import Contract, Pilot


def _contract(challenge) -> tuple[bool, bool]:
    statuses = set(Contract.objects.filter(challenge=challenge).values_list("status", flat=True))
    return bool(statuses), Contract.Status.SIGNED in statuses


def _pilot(challenge) -> tuple[bool, bool]:
    # A pilot is public once it started (a pilot cancelled before it started never was).
    started = Pilot.objects.filter(challenge=challenge).values_list("started_at", flat=True)
    rows = list(started[:1])
    return bool(rows), bool(rows) and rows[0] is not None


def register_document_attachments() -> None:
    register_attachment(
        "contract",
        state=_contract,
        public_condition=lambda: Exists(
            Contract.objects.filter(
                challenge_id=OuterRef("challenge_id"), status=Contract.Status.SIGNED
            )
        ),
    )
    register_attachment(
        "pilot",
        state=_pilot,
        public_condition=lambda: Exists(
            Pilot.objects.filter(challenge_id=OuterRef("challenge_id"), started_at__isnull=False)
        ),
    )
