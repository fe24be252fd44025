"""Every write to the municipality's documents: attach, remove (a draft) or withdraw (a published
one). Each is one transaction with its audit entry; the file is checked by content (core.files).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import files
from core.audit import audit_change, audit_created, audit_deleted, audit_diff, audit_values
from core.errors import InvalidInput, TransitionRefused
from core.permissions import require

from ..models import Addendum, Challenge, Document
from .attachments import (
    AttachedTo,
    addendum_state,
    challenge_states,
    document_state,
    may_attach_late,
)

MANAGE_DENIED = gettext_lazy(
    "Only the challenge's owner attaches, removes or withdraws its documents."
)

# What the audit trail keeps of a document: enough to know, after a deletion, what it was.
AUDITED_FIELDS = (
    "attached_to",
    "addendum",
    "title",
    "kind",
    "language",
    "confidential",
    "confidential_reason",
    "original_name",
    "content_type",
    "size",
    "sha256",
)
TITLE_MAX = Document._meta.get_field("title").max_length
REASON_MAX = Document._meta.get_field("confidential_reason").max_length


def _clean_text(value) -> str:
    return " ".join(str(value or "").split())


def _locked_challenge(challenge: Challenge, actor) -> Challenge:
    # The challenge's row is the lock: publishing, issuing an addendum or another upload cannot
    # change what is public while a document is added or withdrawn.
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    require(actor, "challenges.manage_documents", challenge, str(MANAGE_DENIED))
    return challenge


@transaction.atomic
def document_attach(
    *,
    challenge: Challenge,
    actor,
    attached_to: str,
    title: str,
    kind: str,
    language: str,
    upload,
    addendum: Addendum | None = None,
    confidential: bool = False,
    confidential_reason: str = "",
) -> Document:
    """Attach a checked file to the challenge, one of its addenda (a draft), its data governance
    record (while the statement is editable; a privacy impact assessment at any time), its
    contract or its pilot (once they exist).

    Field errors: attached_to, addendum, title, kind, language, confidential_reason, file.
    Refused (409) when the place does not take documents now."""
    challenge = _locked_challenge(challenge, actor)
    errors: dict[str, list[str]] = {}
    if attached_to not in AttachedTo.values:
        errors["attached_to"] = [_("Choose what the document is attached to.")]
    elif attached_to == AttachedTo.ADDENDUM:
        if addendum is None:
            errors["addendum"] = [_("Choose the addendum the document belongs to.")]
        else:
            addendum = Addendum.objects.select_for_update().filter(pk=addendum.pk).first()
            if addendum is None or addendum.challenge_id != challenge.pk:
                errors["addendum"] = [_("Choose one of this challenge's addenda.")]
    else:
        addendum = None
    if errors:
        raise InvalidInput([m for ms in errors.values() for m in ms], field_errors=errors)

    if attached_to == AttachedTo.ADDENDUM:
        state = addendum_state(addendum)
    else:
        state = challenge_states(challenge)[attached_to]
    if not state.open and not may_attach_late(kind, attached_to):
        raise TransitionRefused(state.closed_reason)

    title = _clean_text(title)
    confidential_reason = _clean_text(confidential_reason)
    if not title:
        errors["title"] = [_("Give the document a title, for example “Traffic counts 2025”.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("Keep the title to 200 characters or fewer.")]
    if kind not in Document.Kind.values:
        errors["kind"] = [_("Choose the type of document.")]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose the language the document is written in.")]
    confidential = bool(confidential)
    if confidential and not confidential_reason:
        errors["confidential_reason"] = [
            _("Say why this document is confidential, for example “personal information”.")
        ]
    elif len(confidential_reason) > REASON_MAX:
        errors["confidential_reason"] = [_("Keep the reason to 300 characters or fewer.")]
    if not confidential:
        confidential_reason = ""
    checked = None
    if upload is None:
        errors["file"] = [_("Choose a file to upload.")]
    else:
        try:
            checked = files.check_upload(upload, data_files=True)
        except ValidationError as exc:
            errors["file"] = [m for messages in exc.message_dict.values() for m in messages]
    if errors:
        raise InvalidInput([m for ms in errors.values() for m in ms], field_errors=errors)

    document = Document(
        challenge=challenge,
        attached_to=attached_to,
        addendum=addendum,
        title=title,
        kind=kind,
        language=language,
        confidential=confidential,
        confidential_reason=confidential_reason,
        original_name=checked.name,
        content_type=checked.document_type.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    name = files.storage_name(
        folder=f"documents/{challenge.reference}", document_type=checked.document_type
    )
    upload.seek(0)
    document.file.save(name, upload, save=False)
    try:
        document.save()
        audit_created(obj=document, actor=actor, fields=AUDITED_FIELDS)
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def document_removal(document: Document, states: dict | None = None) -> str:
    """What removing `document` does now: "withdraw" (its place is public: it stays listed as
    withdrawn), "delete" (never public and its place still open), or "" (neither: fixed)."""
    if document.withdrawn_at is not None:
        return ""
    state = document_state(document, states)
    if state.public:
        return "withdraw"
    if state.open or may_attach_late(document.kind, document.attached_to):
        return "delete"
    return ""


@transaction.atomic
def document_remove(*, document: Document, actor, reason: str = "") -> Document:
    """Delete a document nobody outside staff could read yet, or withdraw one that was public
    (with a reason): it stays listed as withdrawn and is no longer served to the public.

    Returns the document: withdrawn (`withdrawn_at` set), or deleted (`pk` None)."""
    challenge = _locked_challenge(document.challenge, actor)
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("addendum")
        .filter(pk=document.pk, challenge=challenge)
        .first()
    )
    if document is None:
        raise TransitionRefused(_("This document was removed in the meantime; reload the page."))
    document.challenge = challenge
    if document.withdrawn_at is not None:
        raise TransitionRefused(_("This document is already withdrawn."))
    removal = document_removal(document)
    if removal == "withdraw":
        reason = _clean_text(reason)
        if not reason:
            message = _(
                "Say why the document is withdrawn: it stays listed, with your reason, because "
                "it was public."
            )
            raise InvalidInput(message, field_errors={"reason": [message]})
        if len(reason) > Document._meta.get_field("withdrawal_reason").max_length:
            message = _("Keep the reason to 300 characters or fewer.")
            raise InvalidInput(message, field_errors={"reason": [message]})
        before = audit_values(document, ("withdrawn_at", "withdrawal_reason"))
        document.withdrawn_at = timezone.now()
        document.withdrawal_reason = reason
        document.save(update_fields=["withdrawn_at", "withdrawal_reason"])
        audit_change(
            obj=document,
            actor=actor,
            action="withdraw",
            changes=audit_diff(before, document),
            reason=reason,
        )
        return document
    if removal == "delete":
        audit_deleted(obj=document, actor=actor, fields=AUDITED_FIELDS, reason=_clean_text(reason))
        stored = document.file.name
        storage = document.file.storage
        document.delete()
        # The file goes only once the deletion is committed: a rollback keeps both.
        transaction.on_commit(lambda: storage.delete(stored))
        return document
    raise TransitionRefused(document_state(document).closed_reason or _("This document is fixed."))


def addendum_documents_delete(*, addendum: Addendum, actor) -> None:
    """The documents of a draft addendum being deleted go with it, each audited like a deletion
    here (the caller holds the addendum's lock and transaction)."""
    for document in Document.objects.select_for_update().filter(addendum=addendum):
        audit_deleted(obj=document, actor=actor, fields=AUDITED_FIELDS, reason="addendum deleted")
        stored, storage = document.file.name, document.file.storage
        document.delete()
        transaction.on_commit(lambda stored=stored, storage=storage: storage.delete(stored))
