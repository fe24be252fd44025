"""Where a municipal document hangs, and when that place takes documents and is public.

The challenge, its addenda and its data governance record belong to this app. The contract and
the pilot belong to procurement, which this app cannot import: procurement registers how to read
them (`register_attachment`) from its AppConfig.ready(). Until it does, there is no contract or
pilot to attach to.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Addendum, Challenge, Document

AttachedTo = Document.AttachedTo


@dataclass(frozen=True)
class AttachmentState:
    """One place's state for one challenge."""

    # The thing exists (there is a contract, a pilot).
    exists: bool
    # Documents may be attached (and drafts deleted) now.
    open: bool
    # Its documents that are not confidential may be read by anyone.
    public: bool
    # Why documents cannot be attached now (empty when open).
    closed_reason: str = ""


@dataclass(frozen=True)
class RegisteredAttachment:
    # challenge -> (exists, public), for one document or one challenge's page.
    state: Callable[[object], tuple[bool, bool]]
    # () -> a condition on Document rows (an Exists over OuterRef("challenge_id")) that holds
    # when the place is public: lists filter in their one query instead of asking per row.
    public_condition: Callable[[], object]


_registered: dict[str, RegisteredAttachment] = {}


def register_attachment(
    attached_to: str,
    *,
    state: Callable[[object], tuple[bool, bool]],
    public_condition: Callable[[], object],
) -> None:
    if attached_to not in (AttachedTo.CONTRACT, AttachedTo.PILOT):
        raise ValueError(f"Only the contract and the pilot are registered, not {attached_to!r}.")
    _registered[attached_to] = RegisteredAttachment(state, public_condition)


def unregister_attachment(attached_to: str) -> None:
    _registered.pop(attached_to, None)


def public_places() -> Q:
    """A condition on Document rows: the place each hangs on is public now (not the document
    itself: confidential and withdrawn are the caller's to add)."""
    condition = Q(
        attached_to__in=(AttachedTo.CHALLENGE, AttachedTo.GOVERNANCE),
        challenge__published_at__isnull=False,
    ) | Q(attached_to=AttachedTo.ADDENDUM, addendum__status=Addendum.Status.ISSUED)
    for attached_to, registered in _registered.items():
        condition |= Q(registered.public_condition(), attached_to=attached_to)
    return condition


EDITABLE_ONLY = _(
    "Documents are attached to the challenge while its statement can be edited (draft and "
    "co-design). After publication, attach them to an addendum so that every vendor sees them."
)
GOVERNANCE_FIXED = _(
    "The data governance record is fixed with the statement at review; only a privacy impact "
    "assessment can still be attached to it."
)
NO_CONTRACT = _("There is no contract for this challenge yet.")
NO_PILOT = _("There is no pilot for this challenge yet.")
ADDENDUM_ISSUED = _(
    "This addendum is issued: its documents were issued with it. Attach new documents to a new "
    "addendum."
)


def challenge_states(challenge: Challenge) -> dict[str, AttachmentState]:
    """The state of each place on the challenge itself (addenda are per addendum)."""
    editable = challenge.status in Challenge.EDITABLE_STATES
    # Published once, public for good (a cancelled challenge's page stays up).
    published = challenge.published_at is not None
    states = {
        AttachedTo.CHALLENGE: AttachmentState(
            exists=True,
            open=editable,
            public=published,
            closed_reason="" if editable else str(EDITABLE_ONLY),
        ),
        AttachedTo.GOVERNANCE: AttachmentState(
            exists=True,
            open=editable,
            public=published,
            closed_reason="" if editable else str(GOVERNANCE_FIXED),
        ),
    }
    for attached_to, missing in ((AttachedTo.CONTRACT, NO_CONTRACT), (AttachedTo.PILOT, NO_PILOT)):
        registered = _registered.get(attached_to)
        exists, public = registered.state(challenge) if registered else (False, False)
        states[attached_to] = AttachmentState(
            exists=exists, open=exists, public=public, closed_reason="" if exists else str(missing)
        )
    return states


def addendum_state(addendum: Addendum) -> AttachmentState:
    draft = addendum.status == Addendum.Status.DRAFT
    return AttachmentState(
        exists=True,
        open=draft,
        public=addendum.status == Addendum.Status.ISSUED,
        closed_reason="" if draft else str(ADDENDUM_ISSUED),
    )


def may_attach_late(kind: str, attached_to: str) -> bool:
    """The pilot's privacy gate needs the privacy impact assessment, which may be finished after
    the record is fixed: it alone may join the record later."""
    return attached_to == AttachedTo.GOVERNANCE and kind == Document.Kind.PRIVACY_ASSESSMENT


def document_state(document: Document, states: dict | None = None) -> AttachmentState:
    """The state of the place `document` hangs on; `states` from challenge_states() if known."""
    if document.attached_to == AttachedTo.ADDENDUM:
        return addendum_state(document.addendum)
    states = states if states is not None else challenge_states(document.challenge)
    return states[document.attached_to]
