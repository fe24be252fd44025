from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Challenges")

    def ready(self):
        from . import confirmations  # noqa: F401  (registers the one-way steps)
        from .steps import register_challenge_steps

        register_challenge_steps()
