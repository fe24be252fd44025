from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = _("Vendors")

    def ready(self):
        from core.workflow import register_transition_effect

        from . import (
            confirmations,  # noqa: F401  (registers the one-way steps)
            rules,  # noqa: F401  (permissions used by the transitions)
        )
        from .audit import register_audit_rules
        from .challenge_page import register_challenge_page
        from .services import proposals_close, proposals_require_reconfirmation
        from .services.closing import proposals_cancel
        from .steps import register_vendor_steps

        register_audit_rules()
        register_challenge_page()
        register_vendor_steps()
        # Closing a challenge receives or lapses its proposals in the same transaction.
        register_transition_effect("challenges.Challenge", "close", proposals_close)
        # Cancelling it cancels every proposal still in play, in the same transaction, so no
        # vendor is left with a live proposal to a challenge that no longer exists.
        register_transition_effect("challenges.Challenge", "cancel", proposals_cancel)
        # A material addendum flags submitted proposals in the transaction that issues it, so
        # an addendum is never issued without its proposals asking for re-confirmation.
        register_transition_effect(
            "challenges.Addendum",
            "issue",
            lambda *, instance, actor: proposals_require_reconfirmation(addendum=instance),
        )
