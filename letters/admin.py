"""Administrators write template letters (placeholders documented beside the text, checked when saved, previewed on
a real request) and read the letters sent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from letters import pdf, rendering, services
from letters.models import NOT_EVERY_PROCEDURE, Letter, LetterTemplate, TransitionLetter
from teleservices.letters_context import letter_context
from teleservices.models import Case, Teleservice

PREVIEW_CASES = 50
# The letter's HTML shown inside the preview page: its own stylesheet and logo, its inline colour, nothing else.
PREVIEW_POLICY = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'"


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["name", "slug", "kind", "teleservices", "department", "signed", "active", "subject", "body"]
        widgets = {"body": forms.Textarea({"rows": 20, "cols": 100})}
        # The placeholders are checked by LetterTemplate.clean(), which the form runs when it validates the model.

    def clean_teleservices(self) -> QuerySet[Teleservice]:
        """Limiting the template to some procedures keeps those the actions sending it apply it on."""
        chosen = self.cleaned_data["teleservices"]
        allowed = {teleservice.pk for teleservice in chosen}
        if self.instance.pk is None or not allowed:
            return chosen
        sending = self.instance.transitions.select_related("transition__workflow")
        if any(sent.concerned_teleservice_ids() - allowed for sent in sending):
            raise ValidationError(NOT_EVERY_PROCEDURE)
        return chosen


class PreviewForm(forms.Form):
    case = forms.ModelChoiceField(queryset=Case.objects.none(), label=_("Request"))

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["case"]
        field.queryset = cases
        field.label_from_instance = lambda case: f"{case.reference} — {case.applicant_name} — {case.teleservice}"


@admin.register(LetterTemplate)
class LetterTemplateAdmin(SimpleHistoryAdmin):
    form = LetterTemplateForm
    list_display = ["name", "kind", "signed", "department", "active"]
    list_filter = ["kind", "active", "signed"]
    search_fields = ["name", "subject"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["teleservices"]
    readonly_fields = ["placeholders", "preview_link"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "teleservices", "department", "signed", "active"]}),
        (_("Text"), {"fields": ["subject", "body", "placeholders", "preview_link"]}),
    ]

    @admin.display(description=_("placeholders"))
    def placeholders(self, template: LetterTemplate | None = None) -> SafeString:
        """The documented placeholders (letters.rendering.PLACEHOLDERS), beside the text they go into."""
        rows = format_html_join("", "<tr><td><code>{{{{ {} }}}}</code></td><td>{}</td></tr>", rendering.PLACEHOLDERS)
        conditions = gettext("Conditions: %(example)s; no other tag, no filter.") % {
            "example": '{% if demande.reponses.envoi == "Par courrier" %}…{% else %}…{% endif %}'
        }
        return format_html("<table><tbody>{}</tbody></table><p>{}</p>", rows, conditions)

    @admin.display(description=_("preview"))
    def preview_link(self, template: LetterTemplate) -> str:
        if template.pk is None:
            return gettext("Save the template to preview it on a request.")
        url = reverse("admin:letters_lettertemplate_preview", args=[template.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Preview on a submitted request"))

    def get_urls(self) -> list[URLPattern]:
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:pk>/apercu/", preview, name="letters_lettertemplate_preview"), *super().get_urls()]

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The letter a submitted request would get: as HTML inside the page, or as PDF (`format=pdf`)."""
        template = self.get_object(request, str(pk))
        if template is None:
            raise Http404
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        form = PreviewForm(request.GET or None, cases=_preview_cases(template))
        context = {**self.admin_site.each_context(request), "title": template.name, "template": template, "form": form}
        if form.is_valid():
            try:
                document = self._preview_document(request, template, form.cleaned_data["case"])
            except ValidationError as error:
                return render(request, "letters/admin_preview.html", {**context, "errors": error.messages})
            if request.GET.get("format") == "pdf":
                return _preview_response(pdf.letter_pdf(document), "application/pdf")
            if request.GET.get("format") == "html":
                return _preview_response(pdf.letter_html(document).encode(), "text/html; charset=utf-8")
            context["case"] = form.cleaned_data["case"]
        return render(request, "letters/admin_preview.html", context)

    def _preview_document(self, request: HttpRequest, template: LetterTemplate, case: Case) -> pdf.LetterDocument:
        context = letter_context(case=case, agent=request.user)  # type: ignore[arg-type]
        letter = services.letter_prepare(case=case, template=template, context=context, author=None)
        return services.letter_document(letter, signed=template.signed)


def _preview_cases(template: LetterTemplate) -> QuerySet[Case]:
    """The latest submitted requests of the template's procedures, to choose from."""
    cases = Case.objects.submitted()
    if template.teleservices.exists():
        cases = cases.filter(teleservice__in=template.teleservices.all())
    latest = list(cases.order_by("-submitted_at").values_list("pk", flat=True)[:PREVIEW_CASES])
    return Case.objects.filter(pk__in=latest).select_related("teleservice").order_by("-submitted_at")


def _preview_response(content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Security-Policy"] = PREVIEW_POLICY
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    return response


class TransitionLetterForm(forms.ModelForm):
    class Meta:
        model = TransitionLetter
        fields = ["transition", "teleservice", "template"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["transition"]
        field.queryset = field.queryset.select_related("workflow")
        field.label_from_instance = lambda transition: f"{transition.workflow} — {transition}"


@admin.register(TransitionLetter)
class TransitionLetterAdmin(SimpleHistoryAdmin):
    """Which template letter an action of a workflow sends, for every procedure using the workflow or for one."""

    form = TransitionLetterForm
    list_display = ["transition", "workflow", "teleservice", "template"]
    list_filter = ["transition__workflow", "teleservice"]
    list_select_related = ["transition__workflow", "teleservice", "template"]

    @admin.display(description=_("workflow"), ordering="transition__workflow__name")
    def workflow(self, sent: TransitionLetter) -> str:
        return str(sent.transition.workflow)


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    """Letters are written from requests and frozen once sent: the admin only reads them."""

    list_display = ["display_code", "case", "kind", "subject", "status", "signature", "created_at", "sent_at"]
    list_filter = ["status", "kind", "signed"]
    search_fields = ["code", "case__reference", "subject", "recipient_name"]
    list_select_related = ["case"]
    readonly_fields = ["pdf_link", "signature"]
    exclude = ["pdf", "event"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Letter | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Letter | None = None) -> bool:
        return False

    @admin.display(description=_("verification code"), ordering="code")
    def display_code(self, letter: Letter) -> str:
        return letter.display_code

    @admin.display(description=_("signature"))
    def signature(self, letter: Letter) -> str:
        if letter.signed:
            return gettext("Signed")
        if letter.unsigned_for_want_of_certificate:
            return gettext("Not signed: no signing certificate was configured when it was generated")
        if letter.status == Letter.Status.DRAFT:
            return gettext("Generation failed: %(error)s") % {"error": letter.error}
        return "—"

    @admin.display(description="PDF")
    def pdf_link(self, letter: Letter) -> str:
        if letter.pdf_id is None:
            return "—"
        url = reverse("admin:letters_letter_pdf", args=[letter.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Open"))

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.pdf_view)
        return [path("<int:pk>/pdf/", view, name="letters_letter_pdf"), *super().get_urls()]

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = self.get_object(request, str(pk))
        if letter is None or letter.pdf is None:
            raise Http404
        if not self.has_view_permission(request, letter):
            raise PermissionDenied
        return _preview_response(letter.pdf.read(), "application/pdf")
