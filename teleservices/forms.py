from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vault.files import CheckedFile, FileType, accept_hint, file_check, size_limit_attrs
from vault.forms import KeptFilesForm, MultipleFileField, MultipleFileInput
from vault.models import Document, StoredFile

MESSAGE_FILE_TYPES = [FileType.PDF, FileType.JPEG, FileType.PNG]
MESSAGE_FILE_MAX = 10 * 1024 * 1024


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search a procedure or an appointment"), max_length=100, required=False)


class CertificationForm(forms.Form):
    """The box the applicant ticks before sending, when the téléservice asks them to certify their answers."""

    certified = forms.BooleanField(
        label=_("I certify that the information given is accurate."),
        error_messages={"required": _("Tick the box certifying that your information is accurate to send it.")},
    )


class MessageForm(KeptFilesForm):
    """A message of the thread of a request, with attachments refused in the browser past their size (gru.js) and
    kept when the message itself is refused (vault/uploads.py)."""

    body = forms.CharField(label=_("Your message"), max_length=5000, widget=forms.Textarea({"rows": 5}))
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 10 MB each."),
        widget=MultipleFileInput({"accept": accept_hint(MESSAGE_FILE_TYPES)}),
    )

    kept_field = "attachments"

    def __init__(self, *args: Any, kept: Sequence[StoredFile] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].widget.attrs.update(size_limit_attrs(MESSAGE_FILE_MAX))
        self.checked_files: list[CheckedFile] = []
        self.keep(kept)

    def clean_attachments(self) -> None:
        for uploaded in self.cleaned_data["attachments"]:
            self.checked_files.append(file_check(uploaded, types=MESSAGE_FILE_TYPES, max_size=MESSAGE_FILE_MAX))


class DocumentShareForm(forms.Form):
    """The documents of their vault a citizen shows the department instructing one of their requests."""

    documents = forms.ModelMultipleChoiceField(
        label=_("Documents of your vault shown to the department"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the documents ticked here, and those you answered the form with, are seen by its agents."),
    )

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = Document.objects.filter(owner=owner).select_related("type", "member")
        self.fields["documents"].label_from_instance = _document_label


def _document_label(document: Document) -> str:
    about = f" — {document.member}" if document.member else ""
    return f"{document.type.label}{about} ({document.issued_on:%d/%m/%Y})"
