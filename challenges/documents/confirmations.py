"""The documents' one-way steps (core/confirm.py): deleting a draft, withdrawing a public one."""

from django.utils.translation import gettext_lazy as _

from core.confirm import OneWayStep, register


def _document(document) -> dict:
    return {"title": document.title, "name": document.original_name}


DELETE = OneWayStep(
    key="challenges.document_delete",
    title=_("Delete the document “%(title)s”?"),
    happens=(
        _("The file %(name)s is deleted; the history keeps its name, size and SHA-256 digest."),
    ),
    final=(_("A deleted document cannot be restored: upload the file again if you need it."),),
    button=_("Yes, delete the document"),
    destructive=True,
    facts=_document,
)

WITHDRAW = OneWayStep(
    key="challenges.document_withdraw",
    title=_("Withdraw the document “%(title)s”?"),
    happens=(
        _(
            "It stays listed as withdrawn, with the date and your reason, but its file is no "
            "longer offered to the public."
        ),
    ),
    final=(_("A withdrawn document cannot be put back: attach a corrected one instead."),),
    button=_("Yes, withdraw the document"),
    destructive=True,
    facts=_document,
)

register(DELETE, WITHDRAW)
