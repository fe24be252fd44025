from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        from . import rules  # noqa: F401  (who may read open data)
        from .challenge_page import register_challenge_page
        from .services import register_release_effects

        register_release_effects()
        register_challenge_page()
