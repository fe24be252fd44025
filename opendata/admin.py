from django.contrib import admin

from .models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Stored releases, to read: they are public and never change."""

    list_display = ["release_id", "challenge", "date", "tags"]
    list_select_related = ["challenge"]
    search_fields = ["release_id", "ocid"]
    readonly_fields = ["challenge", "ocid", "release_id", "tags", "date", "data", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
