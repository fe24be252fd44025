"""Back-office view of "you said, we did" (docs/engagement.md): the admin may correct a theme's
wording and outcome (audited); adding, deleting, ordering and grouping input happen in the
application, where deleting a theme ungroups its input with an audit entry each."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin

from .models import CommunityInput, InputTheme
from .theme_services import THEME_FIELDS


@admin.register(InputTheme)
class InputThemeAdmin(AuditedAdmin):
    list_display = ["title", "challenge", "outcome", "position", "published_input_count"]
    list_filter = ["outcome"]
    search_fields = ["challenge__reference", "title_en", "title_fr"]
    list_select_related = ["challenge"]
    fields = ["challenge", "position", *THEME_FIELDS, "created_by", "created_at", "updated_at"]
    readonly_fields = ["challenge", "position", "created_by", "created_at", "updated_at"]

    def get_queryset(self, request):
        published = Q(inputs__status=CommunityInput.Status.PUBLISHED)
        return (
            super()
            .get_queryset(request)
            .annotate(published_input_count=Count("inputs", filter=published))
        )

    @admin.display(description=_("published contributions"), ordering="published_input_count")
    def published_input_count(self, obj):
        return obj.published_input_count

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
