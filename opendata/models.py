"""A stored OCDS release: what was published at one stage, frozen (DESIGN.md §2, §6).

Open data must not rewrite history: a release says what was public when its stage happened,
so it is written once, in the transaction of that stage, and never changed. The JSON is kept as
the text that is served, so every fetch returns the same bytes.
"""

import json

from django.db import models
from django.utils.translation import gettext_lazy as _

from challenges.models import Challenge


class ReleaseQuerySet(models.QuerySet):
    def in_order(self):
        """Oldest first; releases of the same instant in the order they were stored."""
        return self.order_by("date", "pk")


class Release(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="ocds_releases")
    ocid = models.CharField(max_length=100, db_index=True)
    release_id = models.CharField(_("release id"), max_length=200, unique=True)
    tags = models.JSONField(_("tags"))
    date = models.DateTimeField(_("date"))
    data = models.TextField(_("release (JSON)"), editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")

    def __str__(self):
        return self.release_id

    def save(self, *args, **kwargs):
        # A release is what was published then; a later change would rewrite history.
        if self.pk is not None and not self._state.adding:
            raise ValueError("A stored OCDS release never changes.")
        super().save(*args, **kwargs)

    @property
    def release(self) -> dict:
        return json.loads(self.data)
