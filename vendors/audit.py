"""What the audit trail must keep sealed about proposals (DESIGN.md §3 Two envelopes)."""

from django.db.models import Q

from .sealing import sealed_challenges

# The proposal and its envelopes: their entries say that a vendor is bidding.
SEALED_MODELS = (
    "proposal",
    "proposalanswer",
    "proposaldocument",
    "priceenvelope",
    "proposalreceipt",
)


def sealed_audit_entries() -> Q:
    """Entries about proposals whose challenge is still sealed (vendors.sealing), or that name no
    challenge: left out of every staff screen of the trail, the admin's included, until closing."""
    sealed = sealed_challenges().values_list("pk", flat=True)
    return Q(content_type__app_label="vendors", content_type__model__in=SEALED_MODELS) & (
        Q(metadata__challenge_id__in=list(sealed)) | ~Q(metadata__has_key="challenge_id")
    )


def register_audit_rules() -> None:
    from core.audit import register_audit_concealment, register_withheld_values

    register_audit_concealment(sealed_audit_entries)
    # A vendor's answers, documents and prices never go into an entry as values.
    for model in ("proposalanswer", "proposaldocument", "priceenvelope"):
        register_withheld_values(f"vendors.{model}")
    register_withheld_values("vendors.vendorinvitation", ["token_digest"])
    # A draft's writes are recorded on the proposal by envelope part, never with what was written.
    register_withheld_values("vendors.proposal", ["answers", "price", "documents"])
