"""Forms of the vault: several files in one field, a document with its pages, and an agent's refusal of one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Max
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gru.sizes import file_size
from portal.models import HouseholdMember, User
from vault.files import CheckedFile, accept_hint, file_check, size_limit_attrs, types_label
from vault.models import Document, DocumentType, StoredFile

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


class KeptFilesForm(forms.Form):
    """A form whose file field `kept_field` may hold files kept from an earlier sending (vault/uploads.py): the
    field is not required then, its hint names them ("Fichier conservé : nom.pdf (1,2 Mo)"), and files chosen
    again replace them."""

    kept_field = ""
    kept: list[StoredFile]
    _hint: str

    def keep(self, files: Sequence[StoredFile]) -> None:
        """Show `files` as kept (after a refusal, the ones just stored)."""
        self.kept = list(files)
        field = self.fields[self.kept_field]
        self._bound_fields_cache.pop(self.kept_field, None)  # a BoundField copies its field's hint when made
        if not hasattr(self, "_hint"):  # the hint of the field as built, before any file was kept
            self._hint = field.help_text
        if not files:
            field.help_text = self._hint
            return
        field.required = False
        names = format_html_join(", ", "{} ({})", ((f.name, file_size(f.size)) for f in files))
        field.help_text = format_html(
            '<span class="file-current">{} {}. {}</span> {}',
            ngettext("File kept:", "Files kept:", len(files)),
            names,
            ngettext("Choose another file only to replace it.", "Choose other files only to replace them.", len(files)),
            self._hint,
        )


class DocumentForm(KeptFilesForm):
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

    kept_field = "pages"

    def __init__(
        self, *args: Any, owner: User, by_agent: bool = False, kept: Sequence[StoredFile] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = HouseholdMember.objects.of(owner).exclude(user=owner)
        if by_agent:
            self.fields["member"].empty_label = owner.get_full_name()
        kind = self._chosen_type()
        pages = self.fields["pages"]
        if kind is not None:
            pages.widget.attrs["accept"] = accept_hint(kind.accepted_types)
            pages.help_text = _("One file per page, or one PDF with every page: %(types)s, up to %(size)s MB each.") % {
                "types": types_label(kind.accepted_types),
                "size": kind.max_size_mb,
            }
        # Checked in the browser against the chosen type's limit, or before one is chosen the largest of any type.
        largest = kind.max_size_mb if kind else DocumentType.objects.aggregate(mb=Max("max_size_mb"))["mb"]
        pages.widget.attrs.update(size_limit_attrs((largest or 10) * MEGABYTE))
        self.checked_files: list[CheckedFile] = []
        self.keep(kept)

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


class DocumentRefusalForm(forms.Form):
    """The reason an agent refuses a document, one form per document of the page (hence the prefix)."""

    reason = forms.CharField(
        label=_("Reason of the refusal"),
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Sent to the citizen."),
    )

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, prefix=f"document-{document.pk}", **kwargs)
