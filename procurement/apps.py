from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self):
        from core.workflow import register_transition_effect

        from . import (
            receivers,
            rules,  # noqa: F401  (registers the award and pilot permissions)
        )
        from .audiences import register_builtin_audiences
        from .calendar import register_builtin_sources
        from .chronograph import register_builtin_steps
        from .evaluation_hooks import register_evaluation_hooks
        from .notifications import register_builtin_events

        register_builtin_steps()
        register_builtin_audiences()
        register_builtin_events()
        register_builtin_sources()
        register_evaluation_hooks()
        # Cancelling a challenge, or ending it without an award, withdraws the award under way
        # in the same transaction, so none is left for the chronograph to finalise.
        from .services.award import awards_withdraw

        register_transition_effect("challenges.Challenge", "cancel", awards_withdraw)
        register_transition_effect("challenges.Challenge", "end_without_award", awards_withdraw)
        # Last: it listens to the models every registered step and audience depends on.
        receivers.connect_schedule_receivers()
