"""Forms of the vault: several files in one field, and a document with its pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import HouseholdMember, User
from vault.files import CheckedFile, accept_hint, file_check
from vault.models import DocumentType

MEGABYTE = 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class DocumentForm(forms.Form):
    """A proof for the vault: its type, whom it is about, its issue date and its pages, each checked by content."""

    type = forms.ModelChoiceField(label=_("Type of document"), queryset=DocumentType.objects.all())
    member = forms.ModelChoiceField(
        label=_("The document is about"),
        queryset=HouseholdMember.objects.none(),
        required=False,
        empty_label=_("Myself"),
    )
    issued_on = forms.DateField(label=_("Issue date"), help_text=_("As written on the document, e.g. 15/03/2026."))
    pages = MultipleFileField(
        label=_("Pages"),
        help_text=_("One file per page, or one PDF with every page: PDF, JPEG or PNG."),
        widget=MultipleFileInput({"accept": accept_hint(["pdf", "jpeg", "png"])}),
    )

    def __init__(self, *args: Any, owner: User, by_agent: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = HouseholdMember.objects.of(owner).exclude(user=owner)
        if by_agent:
            self.fields["member"].empty_label = owner.get_full_name()
        self.checked_files: list[CheckedFile] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind: DocumentType | None = data.get("type")
        if kind is not None and data.get("pages"):
            try:
                self.checked_files = [
                    file_check(page, types=kind.accepted_types, max_size=kind.max_size_mb * MEGABYTE)
                    for page in data["pages"]
                ]
            except forms.ValidationError as error:
                self.add_error("pages", error)
        return data
