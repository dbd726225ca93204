from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from vault.models import Document, DocumentType


@admin.register(DocumentType)
class DocumentTypeAdmin(SimpleHistoryAdmin):
    list_display = ["label", "validity", "validity_months", "sensitive", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["label"]}
    fieldsets = [
        (None, {"fields": ["label", "slug", "position"]}),
        (_("Validity"), {"fields": ["validity", "validity_months"]}),
        (_("Files"), {"fields": ["accepted_types", "max_size_mb", "sensitive"]}),
    ]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    """Read only: citizens add their documents and agents verify them from the requests."""

    list_display = ["type", "owner", "issued_on", "valid_until", "status", "source"]
    list_filter = ["type", "status", "source"]
    search_fields = ["owner__email", "owner__last_name"]
    list_select_related = ["type", "owner"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
