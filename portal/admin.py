from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from gru.validators import validate_one_line
from portal import second_factor
from portal.models import Household, HouseholdInvitation, HouseholdMember, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["identity_certified_at", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identity"), {"fields": ["first_name", "last_name", "birth_date", "identity_certified_at"]}),
        (_("Contact"), {"fields": ["phone", "preferred_channel"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["second_factor_enrolment_send"]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Names and phone on one line, as in the portal's own forms (they reach email headers)."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("first_name", "last_name", "phone"):
            field.validators.append(validate_one_line)
        return field

    @admin.action(description=_("Send a second-factor enrolment link"), permissions=["change"])
    def second_factor_enrolment_send(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Email each selected agent or administrator without a second factor the link to enrol one."""
        sent = 0
        for user in queryset:
            try:
                second_factor.enrolment_link_send(user=user)
            except ValidationError as error:
                reason = _("%(email)s: %(reason)s") % {"email": user.email, "reason": error.messages[0]}
                self.message_user(request, reason, messages.WARNING)
            else:
                sent += 1
        if sent:
            message = ngettext("%(count)d enrolment link sent.", "%(count)d enrolment links sent.", sent)
            self.message_user(request, message % {"count": sent})


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "postcode", "city", "created_at"]
    search_fields = ["members__last_name", "members__user__email", "city"]
    inlines = [HouseholdMemberInline]


@admin.register(HouseholdInvitation)
class HouseholdInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "household", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["token"]
