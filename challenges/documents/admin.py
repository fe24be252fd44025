"""Back-office view of the municipality's documents.

Files arrive only through the documents page or the API, where they are checked by content; a
document is removed there too (deleted while never public, withdrawn once it was). Here the admin
finds documents, reads their file facts, and may correct a title, type or language: audited.
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin

from ..models import Document


@admin.register(Document)
class DocumentAdmin(AuditedAdmin):
    list_display = [
        "title",
        "challenge",
        "attached_to",
        "kind",
        "confidential",
        "uploaded_at",
        "withdrawn_at",
    ]
    list_filter = ["attached_to", "kind", "confidential", "language"]
    search_fields = ["title", "original_name", "sha256", "challenge__reference"]
    list_select_related = ["challenge"]
    fields = [
        "challenge",
        "attached_to",
        "addendum",
        "title",
        "kind",
        "language",
        "confidential",
        "confidential_reason",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "download",
        "uploaded_by",
        "uploaded_at",
        "withdrawn_at",
        "withdrawal_reason",
    ]
    # What may be corrected: how the document is described. What it is, where it hangs, who may
    # read it and whether it was withdrawn are the services' to decide.
    readonly_fields = [name for name in fields if name not in ("title", "kind", "language")]

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_download_url(), obj.original_name)

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
