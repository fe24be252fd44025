from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        from .services import register_release_effects

        register_release_effects()
        from .links import register_challenge_links

        register_challenge_links()
