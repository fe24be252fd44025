from django.contrib import admin

from core.admin import ViewOnlyAdmin

from .models import Release


@admin.register(Release)
class ReleaseAdmin(ViewOnlyAdmin):
    """Stored releases, to read: they are public and never change."""

    list_display = ["release_id", "challenge", "date", "tags"]
    list_select_related = ["challenge"]
    search_fields = ["release_id", "ocid"]
    readonly_fields = ["challenge", "ocid", "release_id", "tags", "date", "data", "created_at"]
