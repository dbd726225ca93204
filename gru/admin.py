from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from gru.models import Department, Membership, Organisation


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
