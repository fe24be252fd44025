from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self):
        from core.workflow import register_transition_effect, register_transition_guard

        from . import (
            confirmations,  # noqa: F401  (registers the one-way steps)
            receivers,
            rules,  # noqa: F401  (registers the award and pilot permissions)
        )
        from .audiences import register_builtin_audiences
        from .calendar import register_builtin_sources
        from .challenge_page import register_challenge_page
        from .chronograph import register_builtin_steps
        from .documents import register_document_attachments
        from .evaluation_hooks import register_evaluation_hooks
        from .notifications import register_builtin_events
        from .steps import register_procurement_steps

        register_builtin_steps()
        register_builtin_audiences()
        register_builtin_events()
        from .services.follow_news import register_follow_news

        register_follow_news()
        register_builtin_sources()
        register_evaluation_hooks()
        register_challenge_page()
        register_procurement_steps()
        register_document_attachments()
        # Residents give feedback on the challenge page and the API while the pilot runs.
        from .pilot_feedback import register_pilot_feedback

        register_pilot_feedback()
        # Cancelling a challenge, or ending it without an award, withdraws the award under way
        # in the same transaction, so none is left for the chronograph to finalise.
        from .services.award import (
            awards_withdraw,
            challenge_award_problems,
            challenge_end_without_award_problems,
        )

        register_transition_effect("challenges.Challenge", "cancel", awards_withdraw)
        # Every e-mail of the lower apps (receipts, invitations) goes through the outbox.
        from core.outbox import register_email_outbox

        from .services.notifications import outgoing_email_create

        register_email_outbox(outgoing_email_create)
        register_transition_effect("challenges.Challenge", "end_without_award", awards_withdraw)
        # A challenge is awarded, or ends without an award, only through this app's services: a
        # final award, or `challenge_end_without_award` (never an owner's button on the challenge).
        register_transition_guard("challenges.Challenge", "award", challenge_award_problems)
        register_transition_guard(
            "challenges.Challenge", "end_without_award", challenge_end_without_award_problems
        )
        # Residents are engaged on a challenge until its pilot ends.
        from challenges.reach import register_engagement_end

        from .models import Pilot

        register_engagement_end(
            lambda challenge: (
                challenge.status == "awarded"
                and Pilot.objects.filter(
                    challenge=challenge, status__in=Pilot.ENDED_STATES
                ).exists()
            )
        )
        # Last: it listens to the models every registered step and audience depends on.
        receivers.connect_schedule_receivers()
