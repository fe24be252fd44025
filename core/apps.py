from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_roles(sender, using="default", apps=global_apps, **kwargs):
    """The role groups exist after every migrate, and after a flush (transactional tests)."""
    from .roles import ROLE_LABELS

    Group = apps.get_model("auth", "Group")
    for name in ROLE_LABELS:
        Group.objects.using(using).get_or_create(name=name)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from .audit import connect_audit_receivers

        connect_audit_receivers()
        # Sent per app with models; core has none, so hang on auth, which owns the groups.
        post_migrate.connect(
            ensure_roles,
            sender=global_apps.get_app_config("auth"),
            dispatch_uid="core_ensure_roles",
        )
