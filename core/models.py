"""The platform's own tables: the audit trail every app writes to (DESIGN.md §2, §5)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class AppendOnlyError(Exception):
    pass


class AuditChainHead(models.Model):
    """One row holding the chain's last digest; locking it orders concurrent appends."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_digest = models.CharField(max_length=64, default="")

    def __str__(self):
        return f"audit chain head at {self.last_sequence}"


class AuditEntry(models.Model):
    """An append-only, hash-chained record of one write: a transition, or a plain change whose
    fields (before, after) are in `metadata["changes"]` (DESIGN.md §5)."""

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    actor_label = models.CharField(max_length=200, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, editable=False)
    object_id = models.CharField(max_length=64, editable=False)
    object_label = models.CharField(max_length=300, editable=False)
    transition = models.CharField(max_length=64, editable=False)
    source = models.CharField(max_length=32, editable=False)
    target = models.CharField(max_length=32, editable=False)
    reason = models.TextField(blank=True, editable=False)
    metadata = models.JSONField(default=dict, blank=True, editable=False)
    previous_digest = models.CharField(max_length=64, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "sequence"], name="core_audit_object_idx"
            )
        ]

    def __str__(self):
        return f"#{self.sequence} {self.object_label}: {self.source} → {self.target}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")


class ApiToken(AbstractAuthToken):
    """A personal API token (django-rest-knox, KNOX_TOKEN_MODEL): only its digest is stored; the
    token itself is shown once, when it is created. Revoking deletes it."""

    # A number names the token (in the audit trail, in the page's revoke form), not its digest.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=128, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.token_key}…) of {self.user}"

    @property
    def is_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()
