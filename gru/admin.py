from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from gru.access_log import access_log_read_record
from gru.models import Access, Department, Membership, Notification, Organisation
from gru.notifications import notifications_retry


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "email", "phone"]
    fieldsets = [
        (None, {"fields": ["name", "logo", "primary_colour", "accent_colour"]}),
        (_("Contact"), {"fields": ["address", "phone", "email", "website"]}),
        (
            _("Legal texts"),
            {
                "fields": [
                    "publisher",
                    "host",
                    "dpo_contact",
                    "legal_notice",
                    "privacy_policy",
                    "accessibility_statement",
                ]
            },
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """One collectivité per instance: it is edited, not added twice."""
        return not Organisation.objects.exists()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "department", "role"]
    list_filter = ["department", "role"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user", "department"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, to follow what was sent and queue failed notifications again once their cause is fixed. Rows are
    written by the code only."""

    list_display = ["created_at", "event", "channel", "address", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["address", "recipient__email", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("gru.change_notification")

    @admin.action(description=_("Send the selected failed notifications again"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notifications_retry(notifications=queryset)
        message = ngettext("%(count)d notification queued again.", "%(count)d notifications queued again.", count) % {
            "count": count
        }
        self.message_user(request, message)


@admin.register(Access)
class AccessAdmin(admin.ModelAdmin):
    """The access log, read-only (the database refuses changes anyway); reading it is itself written in it."""

    list_display = ["at", "agent", "department", "kind", "subject", "reason", "citizen"]
    list_filter = ["kind", "department"]
    search_fields = ["subject", "reason", "agent__email", "citizen__email"]
    date_hierarchy = "at"
    list_select_related = ["agent", "department", "citizen"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        access_log_read_record(agent=request.user, department_id=None)
        return super().changelist_view(request, extra_context)
