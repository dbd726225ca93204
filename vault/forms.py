"""Forms of the vault: several files in one field, and a document with its pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.models import HouseholdMember, User
from vault.files import CheckedFile, accept_hint, file_check, types_label
from vault.models import DocumentType

MEGABYTE = 1024 * 1024
# Files one field takes at once: a form asking for more is answered with its answers kept, well before the request's
# own limit (DATA_UPLOAD_MAX_NUMBER_FILES), past which nothing of it can be read.
MAX_FILES_PER_FIELD = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES_PER_FIELD:
            message = ngettext(
                "Send at most %(count)s file at once.", "Send at most %(count)s files at once.", MAX_FILES_PER_FIELD
            )
            raise forms.ValidationError(message % {"count": MAX_FILES_PER_FIELD}, code="too_many_files")
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
        kind = self._chosen_type()
        if kind is not None:
            pages = self.fields["pages"]
            pages.widget.attrs["accept"] = accept_hint(kind.accepted_types)
            pages.help_text = _("One file per page, or one PDF with every page: %(types)s, up to %(size)s MB each.") % {
                "types": types_label(kind.accepted_types),
                "size": kind.max_size_mb,
            }
        self.checked_files: list[CheckedFile] = []

    def _chosen_type(self) -> DocumentType | None:
        """The type of document known already (posted, or that of the document replaced): the pages are asked in
        its accepted types."""
        try:
            return self.fields["type"].clean(self["type"].value())
        except forms.ValidationError:
            return None

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
