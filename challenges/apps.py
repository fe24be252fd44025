from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Challenges")

    def ready(self):
        from . import (
            confirmations,  # noqa: F401  (registers the one-way steps)
            partner_rules,  # noqa: F401  (who works with partners and records offline input)
            theme_rules,  # noqa: F401  (who may record "you said, we did")
        )
        from .copying import register_copy_link
        from .documents import (  # noqa: F401  (the documents' permissions and one-way steps)
            confirmations as document_confirmations,
        )
        from .documents import rules as document_rules  # noqa: F401
        from .documents.steps import register_document_steps
        from .governance_page import register_governance_page
        from .governance_proposals import register_review_section
        from .partner_page import register_partner_page
        from .reach_page import register_reach_page
        from .steps import register_challenge_steps
        from .theme_page import register_theme_page

        register_challenge_steps()
        register_document_steps()
        register_governance_page()
        # In review, the approver sees the record's proposals the owner dismissed.
        register_review_section()
        register_copy_link()
        register_theme_page()
        register_reach_page()
        register_partner_page()
