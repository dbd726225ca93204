"""The forms of the citizens' pages: a page of a request (PageForm, built from its definition), the search box,
certifying, messages and the documents shown to the department."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Household
from teleservices.answers import form_initial, stored_answer
from teleservices.blocks import BaseBlockFormSet, block_formset
from teleservices.checks import clean_special
from teleservices.definition import FieldDef, FormDefinition, PageDef
from teleservices.fields import django_fields
from teleservices.offers import bound_document_types, document_about, offered_documents, vault_answer, vault_fields
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


@dataclass
class Item:
    """A field of the page with the names of its Django form fields (an address has three) or its formset."""

    field: FieldDef
    names: list[str]
    formset: BaseBlockFormSet | None = None
    bound: list[forms.BoundField] = dataclasses.field(default_factory=list)
    conditional: bool = False
    hidden: bool = False
    answer: Any = None


class PageForm(forms.Form):
    """The questions of one page; hidden questions (their condition does not hold) are neither checked nor kept."""

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        page: PageDef,
        answers: dict[str, Any],
        household: Household | None,
        add_row: str = "",
        documents: Sequence[Document] = (),
        definition: FormDefinition | None = None,
    ) -> None:
        """`definition`, the whole form: its labels name the questions of earlier pages in the messages (without
        it, those of this page only)."""
        super().__init__(data, files)
        self.page, self.answers, self.household = page, answers, household
        asked = definition.fields() if definition is not None else page.fields
        self.labels = {f.key: f.label for f in asked}
        self.items: list[Item] = []
        self.checked_files: dict[str, CheckedFile] = {}
        # Bound file questions: the documents of the vault they offer, by public id.
        self.offered: dict[str, dict[str, Document]] = {}
        self.document_types = bound_document_types(page.fields)
        page_keys = {f.key for f in page.fields if f.asks}
        for f in page.fields:
            item = Item(field=f, names=[], conditional=bool(f.shown_if and f.shown_if.fields & page_keys))
            if f.kind == "block":
                item.formset = block_formset(f, data=data, initial=answers.get(f.key), add_row=add_row == f.key)
            elif f.asks:
                new = django_fields(f, household, self.document_types.get(f.option("document_type")))
                if f.kind == "file" and f.option("document_type"):
                    offered = offered_documents(f, documents, document_about(f, answers, household))
                    self.offered[f.key] = {str(d.public_id): d for d in offered}
                    new = vault_fields(f, new[f.key], offered, answers.get(f.key))
                self.fields.update(new)
                item.names = list(new)
                self.initial.update(form_initial(f, answers.get(f.key)))
                if f.option("prefill_locked") and f.option("prefill"):
                    for name in new:
                        self.fields[name].disabled = True
            self.items.append(item)
        for item in self.items:
            item.bound = [self[name] for name in item.names]

    def rows_valid(self, key: str) -> bool:
        """Whether the kept rows of the block `key` passed their checks."""
        return all(item.formset.rows_valid() for item in self.items if item.formset and item.field.key == key)

    @property
    def formsets(self) -> list[forms.BaseFormSet]:
        return [item.formset for item in self.items if item.formset is not None]

    def shown_items(self, answers: dict[str, Any] | None = None) -> list[Item]:
        """The items whose condition holds on these answers (earlier pages and this page's answers so far)."""
        current = dict(self.answers if answers is None else answers)
        shown = []
        for item in self.items:
            if item.field.is_shown(current):
                shown.append(item)
            else:
                current.pop(item.field.key, None)
        return shown

    @property
    def sound_files(self) -> dict[str, CheckedFile]:
        """The uploads that passed their checks (kept even when another answer of the page is wrong)."""
        return {key: checked for key, checked in self.checked_files.items() if key not in self.errors}

    @property
    def has_conditions(self) -> bool:
        """Whether some questions depend on other answers of this page (shown or hidden as the citizen answers)."""
        return any(item.conditional for item in self.items)

    def mark_shown(self, answers: dict[str, Any]) -> None:
        """Hide the items whose condition does not hold on these answers; give each its current answer."""
        shown = {id(item) for item in self.shown_items(answers)}
        for item in self.items:
            item.hidden = id(item) not in shown
            item.answer = answers.get(item.field.key)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        shown_keys = {item.field.key for item in self.shown_items(self.page_answers(partial=True))}
        return valid and all(
            item.formset.is_valid() for item in self.items if item.formset is not None and item.field.key in shown_keys
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        answers = dict(self.answers)
        for item in self.items:
            f = item.field
            if not f.is_shown(answers):
                for name in item.names:
                    self.errors.pop(name, None)
                    data.pop(name, None)
                answers.pop(f.key, None)
                continue
            clean_special(self, f, answers, self.labels)
            if f.asks and not any(name in self.errors for name in item.names):
                answers[f.key] = self._answer_of(item)
        return data

    def error_links(self) -> list[tuple[str, str, str]]:
        """(field id, label, error) of every problem on the page, block rows included, for the error summary."""
        links: list[tuple[str, str, str]] = [("", "", str(error)) for error in self.non_field_errors()]
        links += [
            (self[name].auto_id, str(self[name].label), str(e))
            for name in self.errors
            if name in self.fields
            for e in self.errors[name]
        ]
        for formset in self.formsets:
            if not formset.is_bound or formset.is_valid():
                continue
            links += [(f"id_{formset.prefix}-TOTAL_FORMS", "", str(e)) for e in formset.non_form_errors()]
            for row in formset.forms:
                links += [
                    (row[name].auto_id, str(row[name].label), str(e))
                    for name in row.errors
                    if name in row.fields
                    for e in row.errors[name]
                ]
        return links

    def _answer_of(self, item: Item) -> Any:
        if item.formset is not None:
            return item.formset.answer()
        f, previous = item.field, self.answers.get(item.field.key)
        if f.key in self.offered:
            return vault_answer(f, self.cleaned_data, previous, self.offered[f.key])
        return stored_answer(f, self.cleaned_data, self.household, previous=previous)

    def _omitted(self, item: Item) -> bool:
        """Whether the request carried nothing of this question (not a question left empty: a page saved by a request
        that did not hold it), as Django's widgets tell."""
        if item.formset is not None:
            return f"{item.formset.prefix}-TOTAL_FORMS" not in self.data
        return all(
            self.fields[name].widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
            for name in item.names
        )

    def page_answers(self, *, partial: bool = False) -> dict[str, Any]:
        """The answers of the page's shown questions, merged into the previous ones; hidden ones removed.

        With partial, only the questions that passed their checks and were posted (to keep what is right when leaving
        a page, or saving it unchecked: a stored answer is never replaced by nothing)."""
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        answers = dict(self.answers)
        for item in self.items:
            f = item.field
            if not f.asks:
                continue
            if not f.is_shown(answers):
                answers.pop(f.key, None)
                continue
            failed = any(name in self.errors for name in item.names) or (
                item.formset is not None and not item.formset.rows_valid()
            )
            if partial and (failed or self._omitted(item)):
                continue
            if f.kind == "file" and f.key in self.checked_files:
                # stored by the service, which then records the answer (with the issue date of a vault document)
                issued_on = self.cleaned_data.get(f"{f.key}__issued_on")
                if f.key in self.offered:
                    date = issued_on.isoformat() if issued_on else None
                    answers[f.key] = {**(answers.get(f.key) or {}), "issued_on": date}
                continue
            answers[f.key] = self._answer_of(item)
        return answers
