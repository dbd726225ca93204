"""Administrators configure booking: appointment types, agendas with their opening hours and closures, and the
closures of whole departments. Appointments are read only here: they change through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from appointments import services
from appointments.forms import OpeningRuleForm
from appointments.models import Agenda, Appointment, AppointmentType, Closure, OpeningRule, opening_rules_overlap_check


@admin.register(AppointmentType)
class AppointmentTypeAdmin(SimpleHistoryAdmin):
    list_display = ["label", "duration_minutes", "booking", "identified_only", "teleservice", "is_active"]
    list_filter = ["booking", "is_active"]
    search_fields = ["label", "keywords"]
    prepopulated_fields = {"slug": ["label"]}
    fieldsets = [
        (None, {"fields": ["label", "slug", "duration_minutes", "is_active"]}),
        (_("Shown to citizens"), {"fields": ["description", "instructions"]}),
        (_("Before the appointment"), {"fields": ["to_bring", "asks_ants_number"]}),
        (_("Search"), {"fields": ["keywords"]}),
        (_("Who books"), {"fields": ["booking", "identified_only", "teleservice"]}),
        (
            _("Booking rules"),
            {"fields": ["min_notice_hours", "horizon_days", "change_notice_hours", "max_upcoming"]},
        ),
    ]


class OpeningRuleFormSet(BaseInlineFormSet):
    """Refuses two rules open at the same moment, as the agents' settings page does (opening_rules_overlap_check)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [form.instance for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        opening_rules_overlap_check(kept)


class OpeningRuleInline(admin.TabularInline):
    model = OpeningRule
    form = OpeningRuleForm
    formset = OpeningRuleFormSet
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    fields = ["start", "end", "reason"]
    extra = 0


@admin.register(Agenda)
class AgendaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "department", "place", "agent", "is_active"]
    list_filter = ["department", "is_active"]
    search_fields = ["name", "place"]
    list_select_related = ["department", "agent"]
    inlines = [OpeningRuleInline, ClosureInline]
    actions = ["feed_token_regenerate"]

    @admin.action(description=_("Give a new address to the calendar feed (the old one stops working)"))
    def feed_token_regenerate(self, request: HttpRequest, queryset: QuerySet[Agenda]) -> None:
        for agenda in queryset:
            services.agenda_feed_token_regenerate(agenda=agenda)
        self.message_user(request, _("The calendar feeds have new addresses."), messages.SUCCESS)


@admin.register(Closure)
class ClosureAdmin(SimpleHistoryAdmin):
    """Closures of every agenda of a department (those of one agenda are also edited on the agenda)."""

    list_display = ["reason", "start", "end", "agenda", "department"]
    list_filter = ["department", "agenda"]
    list_select_related = ["department", "agenda"]
    date_hierarchy = "start"


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Read only: citizens and agents book, move and cancel through the services, which keep the rules."""

    list_display = ["start", "type", "agenda", "citizen", "member", "status"]
    list_filter = ["status", "type", "agenda"]
    search_fields = ["citizen__email", "citizen__last_name"]
    list_select_related = ["type", "agenda", "citizen", "member"]
    date_hierarchy = "start"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
