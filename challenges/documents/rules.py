"""Who may read and manage the municipality's documents (docs/documents.md).

Municipal staff (owners, other staff, approvers) read every document, confidential ones too.
Everyone else reads a document that is not confidential once what it hangs on is public: the
challenge published, the addendum issued, the contract signed, the pilot started. A withdrawn
document stays listed, with why, but its file is no longer served outside staff.
"""

import rules

from ..rules import is_internal, owns_it
from .attachments import document_state


@rules.predicate
def is_confidential(user, document):
    return document is not None and document.confidential


@rules.predicate
def is_withdrawn(user, document):
    return document is not None and document.withdrawn_at is not None


@rules.predicate
def is_attachment_public(user, document):
    return document is not None and document_state(document).public


rules.add_perm("challenges.view_document", is_internal | (~is_confidential & is_attachment_public))
rules.add_perm(
    "challenges.download_document",
    is_internal | (~is_confidential & ~is_withdrawn & is_attachment_public),
)
# The challenge's owner attaches, removes and withdraws its documents.
rules.add_perm("challenges.manage_documents", owns_it)
