"""Writing a proposal: start, answer, price, documents, and its vendor-side transitions.

Lock order everywhere: the challenge row, then the proposal. A vendor's step (submit,
re-confirm, withdraw, revise) takes the challenge row in SHARE mode: such steps never wait for
one another, however many vendors press Submit at the deadline, but closing, which takes the
row exclusively, waits until those running have committed, and any that starts after it sees
the challenge closed. Nothing slips in between. The challenge closes a grace period after its
deadline (Challenge.closes_at), so that a submission that reached the server in time has
finished before then; whether it was in time is decided on its arrival (DESIGN.md §4).
"""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.models import Challenge, ResponseQuestion
from core import files
from core.audit import audit_change, audit_created, audit_deferred
from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from core.numfmt import format_money
from core.permissions import can
from core.workflow import allowed_transitions, transition_run

from ..models import (
    PriceEnvelope,
    Proposal,
    ProposalAnswer,
    ProposalDocument,
    VendorOrganization,
)
from ..rules import members_only
from ..validators import parse_amount, parse_breakdown
from . import emails
from .receipts import (
    receipt_digest,
    receipt_issue,
    receipt_payload,
    receipt_salt_new,
    with_receipt_content,
)

EVALUATION_STEPS = (
    "qualify",
    "disqualify",
    "shortlist",
    "not_select",
    "award",
    "mark_unsuccessful",
)
ANSWER_MAX_LENGTH = ProposalAnswer._meta.get_field("text").max_length


def _share_challenge(challenge_id) -> Challenge:
    """The challenge row, locked in SHARE mode until the transaction ends: other vendors' steps
    share it, closing (and any other change to the challenge) waits for them (module doc)."""
    if connection.vendor != "postgresql":
        # SQLite (the zero-setup run) has no row locks; it runs one writer at a time anyway.
        return Challenge.objects.get(pk=challenge_id)
    # The table's name is the model's own, never input; the id is a parameter.
    table = connection.ops.quote_name(Challenge._meta.db_table)
    sql = f"SELECT * FROM {table} WHERE id = %s FOR SHARE"  # noqa: S608
    found = list(Challenge.objects.raw(sql, [challenge_id]))
    if not found:
        raise Challenge.DoesNotExist
    return found[0]


def _lock_proposal(proposal: Proposal) -> Proposal:
    # OF self: the challenge is read with it, but locked (or shared) on its own.
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("challenge")
        .get(pk=proposal.pk)
    )


def _require_member(actor, proposal: Proposal) -> None:
    if not can(actor, "vendors.submit_proposal", proposal):
        raise PermissionDenied(members_only(actor, proposal))


def _refuse_if_cancelled(proposal: Proposal) -> None:
    # Said plainly rather than as "not possible in this state": the vendor did nothing wrong.
    if proposal.status == Proposal.Status.CANCELLED:
        raise TransitionRefused(
            _(
                "The municipality cancelled this challenge, so this proposal can no longer be "
                "changed, submitted, re-confirmed or withdrawn. The challenge page gives the "
                "reason."
            )
        )


def _editable(proposal: Proposal, actor) -> Proposal:
    """The locked draft, or an error saying why it cannot be changed now."""
    proposal = _lock_proposal(proposal)
    _require_member(actor, proposal)
    _refuse_if_cancelled(proposal)
    if proposal.status != Proposal.Status.DRAFT:
        raise TransitionRefused(
            _(
                "This proposal is %(state)s; only a draft can be changed. Withdraw it first "
                "(before the deadline) to revise it."
            )
            % {"state": proposal.get_status_display().lower()},
            allowed=allowed_transitions(proposal, actor),
        )
    problems = proposal.submission_period_problems()
    if problems:
        raise TransitionRefused(problems, allowed=allowed_transitions(proposal, actor))
    return proposal


@transaction.atomic
def proposal_start(*, challenge: Challenge, vendor: VendorOrganization, actor) -> Proposal:
    """Start the one proposal `vendor` may make to `challenge` (a draft)."""
    challenge = _share_challenge(challenge.pk)
    if not can(actor, "vendors.start_proposal", vendor):
        raise PermissionDenied(
            members_only(
                actor,
                vendor,
                _("Only members of %(vendor)s can start a proposal for it.") % {"vendor": vendor},
            )
        )
    probe = Proposal(challenge=challenge, vendor=vendor)
    problems = probe.submission_period_problems()
    if problems:
        raise InvalidInput(problems)
    duplicate = _("%(vendor)s already has a proposal for this challenge; continue that one.") % {
        "vendor": vendor
    }
    if Proposal.objects.filter(challenge=challenge, vendor=vendor).exists():
        raise InvalidInput(duplicate)
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(challenge=challenge, vendor=vendor, created_by=actor)
    except IntegrityError as exc:
        raise InvalidInput(duplicate) from exc
    audit_created(obj=proposal, actor=actor, fields=["challenge", "vendor", "status"])
    return proposal


def _audit_envelope(
    proposal: Proposal, actor, action: str, part: str, metadata: dict | None = None
) -> None:
    # What was written stays sealed in the entry (vendors.audit withholds these values), and
    # the entry itself is hidden from staff screens until the challenge closes.
    audit_change(
        obj=proposal, actor=actor, action=action, changes={part: (None, None)}, metadata=metadata
    )


def _question_id(key) -> int | None:
    if isinstance(key, ResponseQuestion):
        return key.pk
    try:
        return int(key)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def proposal_save_answers(*, proposal: Proposal, actor, answers: Mapping) -> Proposal:
    """Save answers of the technical envelope: {response question (or its id): text}.

    An empty text removes the answer. Word limits are checked at submission, so a draft that is
    too long is kept rather than lost. Field errors are keyed `answer_<question id>`.
    """
    proposal = _editable(proposal, actor)
    questions = {q.pk: q for q in proposal.challenge.response_questions.all()}
    cleaned: dict[int, str] = {}
    errors: dict[str, list[str]] = {}
    for key, text in answers.items():
        question_id = _question_id(key)
        if question_id not in questions:
            errors[f"answer_{key}"] = [_("This question is not part of the challenge.")]
            continue
        text = str(text or "").strip()
        if len(text) > ANSWER_MAX_LENGTH:
            errors[f"answer_{question_id}"] = [
                _("An answer can be at most %(limit)d characters long.")
                % {"limit": ANSWER_MAX_LENGTH}
            ]
            continue
        cleaned[question_id] = text
    if errors:
        raise InvalidInput(
            [m for messages in errors.values() for m in messages], field_errors=errors
        )
    for question_id, text in cleaned.items():
        if text:
            ProposalAnswer.objects.update_or_create(
                proposal=proposal, question_id=question_id, defaults={"text": text}
            )
        else:
            ProposalAnswer.objects.filter(proposal=proposal, question_id=question_id).delete()
    proposal.save(update_fields=["updated_at"])
    if cleaned:
        _audit_envelope(
            proposal, actor, "save_answers", "answers", metadata={"questions": sorted(cleaned)}
        )
    return proposal


@transaction.atomic
def price_envelope_save(*, proposal: Proposal, actor, amount, breakdown=None) -> PriceEnvelope:
    """Set the price envelope: a total in CAD and an optional breakdown [{label, amount}]."""
    proposal = _editable(proposal, actor)
    errors: dict[str, list[str]] = {}
    total = lines = None
    try:
        total = parse_amount(amount, field_label=_("the total price"))
    except ValidationError as exc:
        errors["amount"] = exc.messages
    try:
        lines = parse_breakdown(breakdown)
    except ValidationError as exc:
        errors["breakdown"] = exc.messages
    if total is not None and lines:
        summed = sum((Decimal(line["amount"]) for line in lines), start=Decimal("0.00"))
        if summed != total:
            errors["breakdown"] = [
                _(
                    "The breakdown adds up to %(sum)s but the total price is %(total)s; "
                    "make them match."
                )
                % {"sum": format_money(summed), "total": format_money(total)}
            ]
    if errors:
        raise InvalidInput(
            [m for messages in errors.values() for m in messages], field_errors=errors
        )
    envelope, _created = PriceEnvelope.objects.update_or_create(
        proposal=proposal,
        defaults={"amount": total, "breakdown": lines, "updated_by": actor},
    )
    proposal.save(update_fields=["updated_at"])
    _audit_envelope(proposal, actor, "save_price", "price")
    return envelope


@transaction.atomic
def document_upload(*, proposal: Proposal, actor, title: str, upload) -> ProposalDocument:
    """Add a document to the technical envelope; checked by content (see core.files).

    A document with the same title (any case) supersedes the current one, which is kept.
    Field errors: `title`, `file`.
    """
    proposal = _editable(proposal, actor)
    title = " ".join(str(title or "").split())
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the document a title, for example “Work plan”.")]
    elif len(title) > ProposalDocument._meta.get_field("title").max_length:
        errors["title"] = [_("Keep the title to 200 characters or fewer.")]
    checked = None
    if upload is None:
        errors["file"] = [_("Choose a file to upload.")]
    else:
        try:
            checked = files.check_upload(upload)
        except ValidationError as exc:
            errors["file"] = [m for messages in exc.message_dict.values() for m in messages]
    if errors:
        raise InvalidInput(
            [m for messages in errors.values() for m in messages], field_errors=errors
        )
    now = timezone.now()
    ProposalDocument.objects.filter(
        proposal=proposal,
        title__iexact=title,
        superseded_at__isnull=True,
        removed_at__isnull=True,
    ).update(superseded_at=now)
    document = ProposalDocument(
        proposal=proposal,
        title=title,
        original_name=checked.name,
        content_type=checked.document_type.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    name = files.storage_name(
        folder=f"proposals/{proposal.public_id}", document_type=checked.document_type
    )
    upload.seek(0)
    document.file.save(name, upload, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    proposal.save(update_fields=["updated_at"])
    _audit_envelope(
        proposal, actor, "add_document", "documents", metadata={"document": document.pk}
    )
    return document


@transaction.atomic
def document_remove(*, document: ProposalDocument, actor) -> ProposalDocument:
    """Take a document out of a draft's technical envelope (the stored version is kept)."""
    _editable(document.proposal, actor)
    document = ProposalDocument.objects.select_for_update().get(pk=document.pk)
    if not document.is_current:
        raise InvalidInput(_("This version of the document was already replaced or removed."))
    document.removed_at = timezone.now()
    document.save(update_fields=["removed_at"])
    _audit_envelope(
        document.proposal, actor, "remove_document", "documents", metadata={"document": document.pk}
    )
    return document


def _submit(*, proposal: Proposal, actor, name: str, arrived_at=None) -> Proposal:
    # Taken before any lock: the time the request reached the server, or now for a caller
    # that is not a request (a shell, a task).
    arrived_at = arrived_at or timezone.now()
    # The audit entries are written last (audit_deferred): the trail's one lock, which every
    # writer shares, is held only from there to the commit.
    with transaction.atomic(), audit_deferred():
        challenge = _share_challenge(proposal.challenge_id)
        # The content is read once, under the lock: the completeness check and the receipt's
        # digest see the same answers, documents and price.
        locked = with_receipt_content(Proposal.objects.select_for_update(of=("self",))).get(
            pk=proposal.pk
        )
        prefetch_related_objects([challenge], "response_questions")
        locked.challenge = challenge
        _require_member(actor, locked)
        _refuse_if_cancelled(locked)
        # The one deadline check, on the arrival time: the transition's guard reads it.
        locked.arrived_at = arrived_at
        salt = receipt_salt_new()
        digest = receipt_digest(receipt_payload(locked, submitted_at=arrived_at, salt=salt))
        # Saved with the transition, outside its arguments, so the salt never enters the audit
        # entry's metadata.
        locked.receipt_salt = salt
        locked = transition_run(
            instance=locked,
            name=name,
            actor=actor,
            locked=True,
            submitted_at=arrived_at,
            receipt_digest=digest,
        )
        receipt = receipt_issue(proposal=locked, actor=actor)
        emails.queue_receipt(proposal=locked, receipt=receipt, user=actor)
    return locked


def proposal_submit(*, proposal: Proposal, actor, arrived_at=None) -> Proposal:
    """Submit a complete draft before the deadline; stores and emails the receipt.

    `arrived_at`: when the request reached the server (core.middleware; default now). The
    submission is on time when that is before the deadline, however long it then waited; the
    receipt records it. Refused (TransitionRefused) when it arrived at or after the deadline,
    when the challenge is not open, or when required answers, word limits or the price are not
    right.
    """
    return _submit(proposal=proposal, actor=actor, name="submit", arrived_at=arrived_at)


def proposal_reconfirm(*, proposal: Proposal, actor, arrived_at=None) -> Proposal:
    """Confirm a proposal again after a material addendum; issues a new receipt. `arrived_at`
    decides as for `proposal_submit`."""
    return _submit(proposal=proposal, actor=actor, name="reconfirm", arrived_at=arrived_at)


def _vendor_step(*, proposal: Proposal, actor, name: str, reason: str = "") -> Proposal:
    with transaction.atomic():
        _share_challenge(proposal.challenge_id)
        _require_member(actor, proposal)
        _refuse_if_cancelled(_lock_proposal(proposal))
        return transition_run(instance=proposal, name=name, actor=actor, reason=reason)


def proposal_withdraw(*, proposal: Proposal, actor, reason: str = "") -> Proposal:
    """Withdraw a submitted (or to-be-reconfirmed) proposal before the deadline."""
    return _vendor_step(proposal=proposal, actor=actor, name="withdraw", reason=reason)


def proposal_revise(*, proposal: Proposal, actor) -> Proposal:
    """Turn a withdrawn proposal back into a draft, before the deadline, to change and resubmit."""
    return _vendor_step(proposal=proposal, actor=actor, name="revise")


def proposal_evaluate(*, proposal: Proposal, actor, name: str, reason: str = "") -> Proposal:
    """Run an evaluation step (qualify, disqualify, shortlist, not_select, award,
    mark_unsuccessful); the evaluation app calls this."""
    if name not in EVALUATION_STEPS:
        raise InvalidInput(_("This is not an evaluation step."))
    return transition_run(instance=proposal, name=name, actor=actor, reason=reason)
