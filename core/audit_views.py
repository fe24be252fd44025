"""The published head of the audit chain: a page, JSON and an Atom feed, for anyone to keep
(DESIGN.md §2: outsiders vouch for history). No sequence numbers: see audit_chain.Checkpoint."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from .audit_chain import audit_checkpoints

FEED_LENGTH = 24


@cache_control(public=True, max_age=60)
def audit_head(request):
    return render(
        request,
        "core/audit_head.html",
        {"interval_minutes": settings.AUDIT_CHECKPOINT_MINUTES},
    )


@cache_control(public=True, max_age=60)
def audit_head_json(request):
    checkpoint = audit_checkpoints(count=1)[0]
    return JsonResponse(
        {
            "taken_at": checkpoint.taken_at.isoformat(),
            "digest": checkpoint.digest,
            "algorithm": "sha256",
            "interval_minutes": settings.AUDIT_CHECKPOINT_MINUTES,
        }
    )


class AuditHeadFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("%(municipality)s: audit chain head") % {
            "municipality": settings.MUNICIPALITY_NAME
        }

    def link(self):
        return reverse("audit:head")

    def subtitle(self):
        return _("The digest of the audit chain's last entry, at each checkpoint where it changed.")

    def items(self):
        return [c for c in audit_checkpoints(count=FEED_LENGTH) if c.digest]

    def item_title(self, item):
        return item.digest

    def item_description(self, item):
        return _("Audit chain head at %(time)s: %(digest)s") % {
            "time": item.taken_at.isoformat(),
            "digest": item.digest,
        }

    def item_link(self, item):
        return reverse("audit:head")

    def item_guid(self, item):
        return f"urn:sha256:{item.digest}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.taken_at

    def item_updateddate(self, item):
        return item.taken_at
