"""Administrators build instruction workflows: statuses and actions inline, checked together before saving.

In one submission an administrator may add a status and an action leading to it, so actions name their statuses by
identifier (text) rather than by a select of saved rows. The statuses inline is saved first, then each action's
identifiers are resolved to the workflow's saved statuses. Both formsets receive one dict per request (through
`get_formset_kwargs`), so the actions formset checks the whole workflow with the statuses being submitted.
"""

from __future__ import annotations

from typing import Any

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from backoffice.workflows import StatusSpec, TransitionSpec, workflow_errors
from teleservices.workflows import Status, Transition, Workflow


def _kept(formset: forms.BaseModelFormSet) -> list[forms.ModelForm]:
    """The forms of a valid formset that will be saved (neither empty nor marked for deletion)."""
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class StatusKeysField(forms.CharField):
    """Status identifiers separated by commas, cleaned into a tuple without duplicates."""

    def prepare_value(self, value: Any) -> str:
        return ", ".join(value) if isinstance(value, list | tuple) else value or ""

    def to_python(self, value: Any) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(dict.fromkeys(key.strip() for key in (super().to_python(value) or "").split(",") if key.strip()))


class StatusInlineFormSet(CustomInlineFormSet):
    def __init__(self, *args: Any, shared: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if shared is not None:
            shared["statuses"] = self

    def save_existing_objects(self, commit: bool = True) -> list[Status]:
        # Only one status can be initial: clear the one that stops being initial before its successor is saved.
        demoted = [
            f.instance.pk
            for f in _kept(self)
            if f.instance.pk is not None and "is_initial" in f.changed_data and not f.instance.is_initial
        ]
        if commit and demoted:
            Status.objects.filter(pk__in=demoted).update(is_initial=False)
        return super().save_existing_objects(commit)


class StatusInline(SortableTabularInline):
    model = Status
    formset = StatusInlineFormSet
    fields = ["position", "key", "label", "citizen_label", "colour", "is_initial", "is_terminal", "waits_for_citizen"]
    extra = 0
    verbose_name_plural = _("Statuses (drag to reorder; actions name them by their identifier)")


class TransitionForm(forms.ModelForm):
    sources = StatusKeysField(
        label=_("from the statuses"),
        help_text=_("Identifiers of the statuses the action is offered from, separated by commas: “recue, en_cours”."),
    )
    target = forms.SlugField(label=_("to"), help_text=_("Identifier of the status the case moves to."))

    class Meta:
        model = Transition
        # The admin passes its own `fields`: only `exclude` keeps the identifiers above off the model instance.
        exclude = ["sources", "target"]  # noqa: DJ006

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resolved_sources: list[Status] = []
        if self.instance.pk is not None:
            self.initial["sources"] = tuple(status.key for status in self.instance.sources.all())
            self.initial["target"] = self.instance.target.key

    def _save_m2m(self) -> None:
        super()._save_m2m()  # type: ignore[misc]
        self.instance.sources.set(self.resolved_sources)


class TransitionInlineFormSet(CustomInlineFormSet):
    """Checks the whole workflow (statuses being submitted included) and resolves identifiers when saving."""

    def __init__(self, *args: Any, shared: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shared = shared if shared is not None else {}
        self._statuses: dict[str, Status] | None = None
        self._departments: list[Any] | None = None

    def _construct_form(self, i: int, **kwargs: Any) -> forms.ModelForm:
        form = super()._construct_form(i, **kwargs)
        field = form.fields["assigns_department"]
        if self._departments is None:  # one query for the select of every action
            self._departments = list(field.choices)
        field.choices = self._departments
        return form

    def clean(self) -> None:
        super().clean()
        statuses = self.shared.get("statuses")
        if any(self.errors) or statuses is None or not statuses.is_valid():
            return
        errors = workflow_errors(
            [
                StatusSpec(
                    key=f.cleaned_data["key"],
                    label=f.cleaned_data["label"],
                    is_initial=f.cleaned_data["is_initial"],
                    is_terminal=f.cleaned_data["is_terminal"],
                    waits_for_citizen=f.cleaned_data["waits_for_citizen"],
                )
                for f in _kept(statuses)
            ],
            [
                TransitionSpec(
                    label=f.cleaned_data["label"],
                    sources=f.cleaned_data["sources"],
                    target=f.cleaned_data["target"],
                    asks_completion=f.cleaned_data["asks_completion"],
                )
                for f in _kept(self)
            ],
        )
        if errors:
            raise ValidationError(errors)

    def _resolve(self, form: TransitionForm) -> None:
        if self._statuses is None:  # read once, after the statuses inline was saved
            self._statuses = {status.key: status for status in self.instance.statuses.all()}
        form.instance.target = self._statuses[form.cleaned_data["target"]]
        form.resolved_sources = [self._statuses[key] for key in form.cleaned_data["sources"]]

    def save_new(self, form: TransitionForm, commit: bool = True) -> Transition:
        self._resolve(form)
        return super().save_new(form, commit)

    def save_existing(self, form: TransitionForm, obj: Transition, commit: bool = True) -> Transition:
        self._resolve(form)
        return super().save_existing(form, obj, commit)


class TransitionInline(SortableTabularInline):
    model = Transition
    form = TransitionForm
    formset = TransitionInlineFormSet
    fields = [
        *["position", "label", "sources", "target", "managers_only", "comment", "comment_label"],
        *["notifies_citizen", "asks_completion", "assigns_department"],
    ]
    extra = 0
    verbose_name_plural = _("Actions (drag to reorder)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Transition]:
        return super().get_queryset(request).select_related("target").prefetch_related("sources")


@admin.register(Workflow)
class WorkflowAdmin(SortableAdminBase, SimpleHistoryAdmin):
    list_display = ["name", "status_count", "teleservice_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description"]
    inlines = [StatusInline, TransitionInline]  # in this order: actions are resolved to the statuses just saved

    def get_queryset(self, request: HttpRequest) -> QuerySet[Workflow]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                status_count=Count("statuses", distinct=True), teleservice_count=Count("teleservices", distinct=True)
            )
        )

    def get_formset_kwargs(self, request: HttpRequest, obj: Any, inline: Any, prefix: str) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if not hasattr(request, "workflow_formsets"):
            request.workflow_formsets = {}  # type: ignore[attr-defined]
        kwargs["shared"] = request.workflow_formsets  # type: ignore[attr-defined]
        return kwargs

    @admin.display(description=_("statuses"), ordering="status_count")
    def status_count(self, workflow: Any) -> int:
        return workflow.status_count

    @admin.display(description=_("online procedures"), ordering="teleservice_count")
    def teleservice_count(self, workflow: Any) -> int:
        return workflow.teleservice_count
