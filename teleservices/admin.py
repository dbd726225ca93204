"""Administrators build téléservices: pages and fields inline (drag to reorder), eligibility rules, publication."""

from __future__ import annotations

from typing import Any

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableAdminMixin, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from teleservices import services
from teleservices.conditions import Condition
from teleservices.definition import definition_errors, definition_from_rows
from teleservices.models import Case, Category, EligibilityRule, Field, FormVersion, Teleservice
from vault.files import FileType

CONDITION_HELP = _(
    "For example “statut = entreprise”, “surface > 10 et commune = oui”, “age parmi 3, 4, 5”, “siret est rempli”; "
    "join rules with « et » or « ou ». Identifiers are those of earlier questions."
)


class ConditionField(forms.CharField):
    """A condition written in the administrators' syntax (teleservices.conditions), stored as JSON."""

    widget = forms.Textarea(attrs={"rows": 2, "cols": 40})

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, dict):
            condition = Condition.from_dict(value)
            return condition.to_text() if condition else ""
        return value or ""

    def to_python(self, value: Any) -> dict[str, Any]:
        condition = Condition.parse(super().to_python(value))
        return condition.to_dict() if condition else {}


class FieldForm(forms.ModelForm):
    condition = ConditionField(label=_("shown only if"), required=False, help_text=CONDITION_HELP)
    file_types = forms.TypedMultipleChoiceField(
        label=_("accepted files"), choices=FileType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Field
        fields = [
            *["teleservice", "block", "position", "kind", "key", "label", "help_text", "required", "condition"],
            *["max_length", "pattern", "pattern_message", "min_value", "max_value", "date_bounds", "after"],
            *["notice_days", "choices"],
            *["choice_display", "min_choices", "max_choices", "file_types", "max_size_mb", "document_type"],
            *["document_member", "member_filter"],
            *["multiple_members", "min_rows", "max_rows", "prefill", "prefill_locked"],
        ]


class FieldInlineFormSet(CustomInlineFormSet):
    """Refuses a form that cannot work: conditions on later questions, duplicate identifiers, empty choices…"""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        rows = sorted((f.instance for f in kept), key=lambda row: row.position)
        children: dict[int, list[Field]] = {}
        for child in Field.objects.filter(block__in=[row.pk for row in rows if row.pk]).order_by("position"):
            children.setdefault(child.block_id, []).append(child)  # type: ignore[arg-type]
        definition = definition_from_rows(title=self.instance.title, rows=rows, children=children, rules=[])
        errors = definition_errors(definition, complete=False)
        if errors:
            raise ValidationError(errors)


class FieldInline(SortableTabularInline):
    model = Field
    form = FieldForm
    formset = FieldInlineFormSet
    fk_name = "teleservice"
    fields = ["position", "kind", "key", "label", "required", "condition", "choices"]
    extra = 0
    show_change_link = True
    verbose_name = _("page or field")
    verbose_name_plural = _("Form: pages and fields (drag to reorder; the link opens all the options of a field)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Field]:
        return super().get_queryset(request).filter(block__isnull=True)


class EligibilityRuleForm(forms.ModelForm):
    condition = ConditionField(label=_("not eligible if"), help_text=CONDITION_HELP)

    class Meta:
        model = EligibilityRule
        fields = ["position", "condition", "message"]


class EligibilityRuleInline(SortableTabularInline):
    model = EligibilityRule
    form = EligibilityRuleForm
    extra = 0
    verbose_name_plural = _("Eligibility (rules on the questions of the first page)")


@admin.register(Category)
class CategoryAdmin(SortableAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Teleservice)
class TeleserviceAdmin(SortableAdminBase, SimpleHistoryAdmin):
    list_display = ["title", "category", "department", "is_published", "current_version"]
    list_filter = ["is_published", "category", "department"]
    search_fields = ["title", "summary", "keywords"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["publication"]
    inlines = [FieldInline, EligibilityRuleInline]
    actions = ["publish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description", "category", "department", "audience"]}),
        (_("Search"), {"fields": ["keywords"]}),
        (
            _("Opening and deadlines"),
            {"fields": ["opens_at", "closes_at", "processing_days", "draft_lifetime_days", "retention_months"]},
        ),
        (_("Start page and sending"), {"fields": ["estimated_minutes", "asks_certification"]}),
        (_("Instruction"), {"fields": ["workflow", "silence", "silence_transition"]}),
        (_("Publication"), {"fields": ["is_published", "publication"]}),
    ]

    @admin.display(description=_("versions and preview"))
    def publication(self, teleservice: Teleservice) -> str:
        if teleservice.pk is None:
            return "—"
        version = teleservice.current_version
        return format_html(
            '{} · <a href="{}" target="_blank">{}</a>',
            _("Published version: %(number)s") % {"number": version.number} if version else _("Never published"),
            reverse("teleservices:preview", args=[teleservice.slug, 1]),
            _("Preview the form being edited"),
        )

    @admin.action(description=_("Publish the form being edited as a new version"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Teleservice]) -> None:
        for teleservice in queryset:
            try:
                version = services.teleservice_publish(teleservice=teleservice, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{teleservice}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(title)s: version %(number)s published.") % {"title": teleservice, "number": version.number},
                )


class ChildInline(SortableTabularInline):
    model = Field
    form = FieldForm
    fk_name = "block"
    fields = ["position", "kind", "key", "label", "required", "max_length", "min_value", "max_value", "choices"]
    extra = 0
    verbose_name_plural = _("Fields of each row of the block")


@admin.register(Field)
class FieldAdmin(SortableAdminBase, admin.ModelAdmin):
    """All the options of one field (and the fields of a repeatable block)."""

    form = FieldForm
    list_display = ["label", "kind", "key", "teleservice"]
    list_filter = ["teleservice", "kind"]
    search_fields = ["label", "key"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "teleservice",
                    "block",
                    "position",
                    "kind",
                    "key",
                    "label",
                    "help_text",
                    "required",
                    "condition",
                ]
            },
        ),
        (_("Text"), {"fields": ["max_length", "pattern", "pattern_message"], "classes": ["collapse"]}),
        (
            _("Numbers and dates"),
            {"fields": ["min_value", "max_value", "date_bounds", "after", "notice_days"], "classes": ["collapse"]},
        ),
        (
            _("Choices"),
            {"fields": ["choices", "choice_display", "min_choices", "max_choices"], "classes": ["collapse"]},
        ),
        (
            _("Files"),
            {"fields": ["file_types", "max_size_mb", "document_type", "document_member"], "classes": ["collapse"]},
        ),
        (_("Household members"), {"fields": ["member_filter", "multiple_members"], "classes": ["collapse"]}),
        (_("Repeatable block"), {"fields": ["min_rows", "max_rows"], "classes": ["collapse"]}),
        (_("Prefill (“dites-le-nous une fois”)"), {"fields": ["prefill", "prefill_locked"], "classes": ["collapse"]}),
    ]

    def get_inlines(self, request: HttpRequest, obj: Field | None) -> list[type]:
        return [ChildInline] if obj is not None and obj.kind == Field.Kind.BLOCK else []

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for row in formset.forms:
            row.instance.teleservice = form.instance.teleservice
        super().save_formset(request, form, formset, change)


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    list_display = ["teleservice", "number", "published_at", "published_by"]
    list_filter = ["teleservice"]
    readonly_fields = ["teleservice", "number", "definition", "published_at", "published_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "teleservice", "user", "status", "channel", "submitted_at"]
    list_filter = ["status", "channel", "teleservice"]
    search_fields = ["reference", "user__email", "user__last_name"]
    readonly_fields = ["reference", "teleservice", "version", "user", "household", "channel", "data", "submitted_at"]
    exclude = ["files"]
