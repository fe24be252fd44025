from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self):
        from . import (
            receivers,  # (connects the audit trail)
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
        # Last: it listens to the models every registered step and audience depends on.
        receivers.connect_schedule_receivers()
