"""Django forms for one page of a request, built from its FieldDefs, and the answers they produce.

Answers are stored as JSON: text as strings, numbers as int or decimal strings, dates as ISO strings, yes/no as
booleans, choices as identifiers, addresses as {street, postcode, city}, files as {id, name, size, type}, household
members as [{id, name, birth_date}], repeatable blocks as lists of answers.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import RegexValidator
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.utils import ErrorDict
from django.template.defaultfilters import date as date_format
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from stdnum import iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret

from gru.sizes import file_size
from portal.forms import BIRTH_EXAMPLE, AddressForm, FrenchDateField, date_hint, phone_to_e164
from portal.models import Household, HouseholdMember, User
from teleservices.conditions import TRUE_WORDS, Condition
from teleservices.definition import FieldDef, FormDefinition, PageDef, members_text
from vault.files import CheckedFile, accept_hint, file_check, size_limit_attrs, types_label
from vault.models import Document, DocumentType

ADDRESS_PARTS = ("street", "postcode", "city")
MAX_ROWS = 30
EVENT_EXAMPLE_DAYS = 42  # the hint of a date to come shows one six weeks ahead
ISSUE_EXAMPLE_DAYS = 20  # that of the issue date of a proof, one three weeks ago
YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


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


@dataclass(frozen=True)
class FileLimits:
    """The files a file question accepts: their types (vault.files.FileType values) and maximum size."""

    types: list[str]
    max_size_mb: int

    @property
    def max_size(self) -> int:
        return self.max_size_mb * 1024 * 1024


def file_limits(f: FieldDef, document_type: DocumentType | None = None) -> FileLimits:
    """What a file question accepts: its own types and size, narrowed by those of the type of document it is bound
    to (the stricter of both), since its new files are filed into the vault as documents of that type. Should they
    share no file type, the document type's own apply."""
    types, size = f.option("file_types", []), f.option("max_size_mb", 10)
    if document_type is None:
        return FileLimits(types=types, max_size_mb=size)
    shared = [t for t in types if t in document_type.accepted_types]
    return FileLimits(
        types=shared or list(document_type.accepted_types), max_size_mb=min(size, document_type.max_size_mb)
    )


def _document_types(page: PageDef) -> dict[str, DocumentType]:
    """The types of document the page's file questions are bound to, by identifier (no query when there are none)."""
    slugs = {f.option("document_type") for f in page.fields if f.kind == "file" and f.option("document_type")}
    return DocumentType.objects.in_bulk(slugs, field_name="slug") if slugs else {}


def member_choices(household: Household | None, f: FieldDef) -> list[HouseholdMember]:
    """The household members a member picker offers, after its filter."""
    if household is None:
        return []
    today = timezone.localdate()
    members = list(household.members.all())
    wanted = f.option("member_filter", "all")
    if wanted == "adults":
        return [m for m in members if age(m.birth_date, today) >= 18]
    if wanted == "minors":
        return [m for m in members if age(m.birth_date, today) < 18]
    return members


def age(birth_date: datetime.date, on: datetime.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _django_fields(
    f: FieldDef, household: Household | None, document_type: DocumentType | None = None
) -> dict[str, forms.Field]:
    """The Django form field(s) that ask one FieldDef (a file question bound to a `document_type` accepts only what
    that type accepts too)."""
    # Help texts are rendered as HTML by the field template: administrators' text is escaped here.
    common: dict[str, Any] = {"label": f.label, "required": f.required, "help_text": escape(f.help_text)}
    kind = f.kind
    if kind == "address":
        parts = AddressForm.base_fields
        return {
            f"{f.key}__{part}": _copy_field(parts[part], required=f.required, label=f"{parts[part].label}")
            for part in ADDRESS_PARTS
        }
    if kind in ("text", "textarea"):
        validators = (
            [
                RegexValidator(
                    f.option("pattern"), f.option("pattern_message") or _("This answer is not in the expected form.")
                )
            ]
            if f.option("pattern")
            else []
        )
        widget: Any = forms.Textarea({"rows": 5}) if kind == "textarea" else forms.TextInput
        return {
            f.key: forms.CharField(max_length=f.option("max_length"), validators=validators, widget=widget, **common)
        }
    if kind == "email":
        return {f.key: forms.EmailField(widget=forms.EmailInput({"autocomplete": "email"}), **common)}
    if kind in ("phone", "iban", "siret"):
        attrs = {
            "phone": {"type": "tel", "autocomplete": "tel"},
            "iban": {"autocomplete": "off"},
            "siret": {"inputmode": "numeric"},
        }
        return {f.key: forms.CharField(widget=forms.TextInput(attrs[kind]), **common)}
    if kind == "integer":
        return {
            f.key: forms.IntegerField(min_value=_number(f, "min_value"), max_value=_number(f, "max_value"), **common)
        }
    if kind == "decimal":
        low, high = _decimal(f, "min_value"), _decimal(f, "max_value")
        return {
            f.key: forms.DecimalField(
                min_value=low,
                max_value=high,
                widget=forms.TextInput({"inputmode": "decimal"}),
                localize=True,
                error_messages=_bound_messages(low, high),
                **common,
            )
        }
    if kind == "date":
        example = date_example(f)
        hint = " ".join(filter(None, [escape(f.help_text), date_hint(example)]))
        return {f.key: FrenchDateField(example=example, **{**common, "help_text": hint})}
    if kind == "boolean":
        return {f.key: forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)}
    if kind == "choice":
        display: Any = forms.RadioSelect if f.option("choice_display", "radio") == "radio" else forms.Select
        choices = f.choice_list if display is forms.RadioSelect else [("", "—"), *f.choice_list]
        return {f.key: forms.ChoiceField(choices=choices, widget=display, **common)}
    if kind == "multiple":
        return {f.key: forms.MultipleChoiceField(choices=f.choice_list, widget=forms.CheckboxSelectMultiple, **common)}
    if kind == "file":
        limits = file_limits(f, document_type)
        hint = _("Accepted files: %(types)s, up to %(size)s MB.") % {
            "types": types_label(limits.types),
            "size": limits.max_size_mb,
        }
        file_input = forms.FileInput({"accept": accept_hint(limits.types), **size_limit_attrs(limits.max_size)})
        help_text = " ".join(filter(None, [escape(f.help_text), escape(hint)]))
        return {f.key: forms.FileField(**{**common, "required": False, "help_text": help_text}, widget=file_input)}
    if kind == "members":
        choices = [(str(m.pk), f"{m.first_name} {m.last_name}") for m in member_choices(household, f)]
        if f.option("multiple_members"):
            return {f.key: forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)}
        return {f.key: forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)}
    raise ValueError(kind)


def date_example(f: FieldDef) -> datetime.date:
    """A plausible answer to show in a date question's hint: a birth date for a date in the past or any date, a few
    weeks ahead for an event to come (later than its notice period; a week later for the end of a period)."""
    if f.option("date_bounds") != "future" and not f.option("notice_days") and not f.option("after"):
        return BIRTH_EXAMPLE
    ahead = max(EVENT_EXAMPLE_DAYS, f.option("notice_days", 0) + 7) + (7 if f.option("after") else 0)
    return timezone.localdate() + datetime.timedelta(days=ahead)


def document_about(f: FieldDef, answers: dict[str, Any], household: Household | None) -> HouseholdMember | None:
    """The household member a file bound to a vault document type is about: the first one chosen in the question
    it names (None: the applicant)."""
    chosen = answers.get(f.option("document_member", "")) or []
    if not chosen or household is None:
        return None
    return next((m for m in household.members.all() if m.pk == chosen[0]["id"]), None)


def vault_member(member: HouseholdMember | None, owner_id: int | None) -> HouseholdMember | None:
    """The `member` of a vault document about this person: none when it is the owner themselves."""
    return None if member is None or member.user_id == owner_id else member


def offered_documents(f: FieldDef, documents: Sequence[Document], member: HouseholdMember | None) -> list[Document]:
    """The documents of the vault a bound file question offers: of its type, about the right person, still valid
    (`documents` are the owner's valid ones)."""
    return [
        d
        for d in documents
        if d.type.slug == f.option("document_type") and d.member == vault_member(member, d.owner_id)
    ]


def _document_label(document: Document) -> str:
    validity = (
        _("valid until %(date)s") % {"date": date_format(document.valid_until, "j F Y")}
        if document.valid_until
        else _("no expiry")
    )
    issued = _("issued on %(date)s") % {"date": date_format(document.issued_on, "j F Y")}
    return f"{document.type.label} — {issued}, {validity} ({document.get_status_display()})"


def _vault_fields(f: FieldDef, upload: forms.Field, offered: list[Document], answer: Any) -> dict[str, forms.Field]:
    """Around the upload: the documents of the vault to choose from before it, the issue date of a new one after."""
    fields: dict[str, forms.Field] = {}
    if offered:
        upload.label = _("Or send a new file")
        choices = [(str(d.public_id), _document_label(d)) for d in offered]
        chosen = (answer or {}).get("document", "")
        fields[f"{f.key}__document"] = forms.ChoiceField(
            label=_("Choose from my documents"),
            choices=[*choices, ("", _("None: I send a new file below"))],
            widget=forms.RadioSelect,
            required=False,
            error_messages={
                "invalid_choice": _(
                    "This document can no longer be used (expired or deleted): choose another one or send a new file."
                )
            },
            initial=chosen if chosen in dict(choices) else choices[0][0] if not answer else "",
        )
    fields[f.key] = upload
    example = timezone.localdate() - datetime.timedelta(days=ISSUE_EXAMPLE_DAYS)
    fields[f"{f.key}__issued_on"] = FrenchDateField(
        label=_("Issue date of the new document"),
        required=False,
        example=example,
        help_text=" ".join([_("Only when you send a new file: it is kept in your documents."), date_hint(example)]),
    )
    return fields


def document_answer(document: Document) -> dict[str, Any]:
    """The answer of a bound file question answered with a document of the vault: its pages."""
    pages = [file_answer(page) for page in document.files.all()]
    return {**pages[0], "document": str(document.public_id), "pages": pages}


def _vault_answer(f: FieldDef, cleaned: dict[str, Any], previous: Any, offered: dict[str, Document]) -> Any:
    """A document chosen from the vault, or the file uploaded earlier (with the issue date given now)."""
    chosen = offered.get(cleaned.get(f"{f.key}__document") or "")
    if chosen is not None:
        return document_answer(chosen)
    if not previous or "document" in previous:
        return None
    issued_on = cleaned.get(f"{f.key}__issued_on")
    return {**previous, "issued_on": issued_on.isoformat()} if issued_on else previous


def answered_documents(definition: FormDefinition, answers: dict[str, Any]) -> list[str]:
    """The public ids of the vault documents the file questions were answered with."""
    return [
        answers[f.key]["document"]
        for f in definition.fields()
        if f.kind == "file" and isinstance(answers.get(f.key), dict) and answers[f.key].get("document")
    ]


def undated_uploads(definition: FormDefinition, answers: dict[str, Any]) -> list[FieldDef]:
    """The shown file questions bound to a type of document whose new file has no issue date yet (a page saved
    without its checks): the vault could not tell how long it is valid."""
    shown = definition.shown_answers(answers)
    return [
        f
        for f in definition.fields()
        if f.kind == "file"
        and f.option("document_type")
        and isinstance(shown.get(f.key), dict)
        and not {"document", "issued_on", "removed"} & set(shown[f.key])
    ]


@dataclass(frozen=True)
class DocumentToPrepare:
    """A document a file question asks for, as the start page announces it."""

    label: str
    need: str  # required, optional, or only in some cases
    validity: str  # how recent it must be, from its type of document ("" when it may be of any date)


def documents_to_prepare(definition: FormDefinition) -> list[DocumentToPrepare]:
    """Every document the form may ask for, in order: required, optional or depending on the answers (the question
    or its page shown only on some), with the validity rule of the type of document it is bound to."""
    questions = {f.key: f for f in definition.fields()}
    slugs = {f.option("document_type") for f in questions.values() if f.kind == "file" and f.option("document_type")}
    types = DocumentType.objects.in_bulk(slugs, field_name="slug") if slugs else {}
    documents = []
    for page in definition.pages:
        for f in page.fields:
            if f.kind != "file":
                continue
            conditions = [c for c in (Condition.from_dict(page.condition), f.shown_if) if c is not None]
            if not f.required:
                need = _("optional")
            elif conditions:
                need = _condition_words(conditions, questions)
            else:
                need = _("required")
            document_type = types.get(f.option("document_type"))
            validity = document_type.validity_hint if document_type else ""
            documents.append(DocumentToPrepare(label=f.label, need=need, validity=validity))
    return documents


def _condition_words(conditions: list[Condition], questions: dict[str, FieldDef]) -> str:
    """When a conditional document is asked, in the citizen's words: "if you answer “X” to “Question”" for a single
    choice, else "depending on your situation"."""
    rule = conditions[0].rules[0] if len(conditions) == 1 and len(conditions[0].rules) == 1 else None
    question = questions.get(rule.field) if rule is not None and rule.op == "eq" else None
    if rule is None or question is None or question.kind not in ("choice", "boolean"):
        return _("depending on your situation")
    answer = answer_text(question, rule.value in TRUE_WORDS if question.kind == "boolean" else rule.value)
    return _("if you answer “%(answer)s” to “%(question)s”") % {"answer": answer, "question": question.label}


def answer_files(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """Every file of a file answer (a document of the vault may have several pages)."""
    return answer.get("pages") or [answer]


def _copy_field(original: forms.Field, **changes: Any) -> forms.Field:
    duplicate = copy.deepcopy(original)
    for name, value in changes.items():
        setattr(duplicate, name, value)
    return duplicate


def _number(f: FieldDef, name: str) -> int | None:
    value = f.option(name)
    return None if value is None else int(Decimal(value))


def _decimal(f: FieldDef, name: str) -> Decimal | None:
    value = f.option(name)
    return None if value is None else Decimal(value)


def _bound_messages(low: Decimal | None, high: Decimal | None) -> dict[str, str]:
    """Django writes a decimal's bounds as they are stored ("0.5000"): these write them as the citizen does ("0,5")."""
    texts = {
        "min_value": (low, _("Ensure this value is at least %(limit)s.")),
        "max_value": (high, _("Ensure this value is at most %(limit)s.")),
    }
    return {
        code: text % {"limit": number_format(bound.normalize())}
        for code, (bound, text) in texts.items()
        if bound is not None
    }


class BlockRowForm(forms.Form):
    """One row of a repeatable block."""

    def __init__(self, *args: Any, children: tuple[FieldDef, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.children = children
        for child in children:
            if child.asks:
                self.fields.update(_django_fields(child, None))

    def clean(self) -> dict[str, Any]:
        super().clean()
        row: dict[str, Any] = {}  # the row's answers so far, which its date rules may compare with
        labels = {child.key: child.label for child in self.children}
        for child in self.children:
            _clean_special(self, child, row, labels)
            if child.asks and child.key not in self.errors:
                row[child.key] = _answer(child, self.cleaned_data, None)
        return self.cleaned_data

    def answer(self) -> dict[str, Any]:
        return {c.key: _answer(c, self.cleaned_data, None) for c in self.children if c.asks}

    def is_empty(self) -> bool:
        """Whether every field of this posted row was left empty (the "Delete" box aside)."""
        return self.is_bound and not any(self[name].data for name in self.fields if name != DELETION_FIELD_NAME)

    def is_kept(self) -> bool:
        """Whether this posted row is one of the block's answers: filled in, "Delete" not ticked."""
        ticked = DELETION_FIELD_NAME in self.fields and self[DELETION_FIELD_NAME].data
        return not self.is_empty() and not ticked

    def full_clean(self) -> None:
        """An empty row is no row: nothing to check."""
        if self.is_empty():
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()


class BaseBlockFormSet(forms.BaseFormSet):
    """The rows of a repeatable block, kept by what was posted: every row not empty and not ticked "Delete"."""

    error_messages: dict[str, str]  # set by Django's BaseFormSet.__init__ (its stubs do not declare it)

    def rows(self) -> list[BlockRowForm]:
        """The posted rows kept, in their order."""
        return [row for row in self.forms if row.is_kept()]

    def rows_valid(self) -> bool:
        """Whether every kept row passed its checks (however many rows there are)."""
        return all(row.is_valid() for row in self.rows())

    def clean(self) -> None:
        """Django counts the rows added after the saved ones only: the rows kept are counted here."""
        if len(self.rows()) < self.min_num:
            raise forms.ValidationError(self.error_messages["too_few_forms"] % {"num": self.min_num})

    def answer(self) -> list[dict[str, Any]]:
        """The kept rows (only the valid ones when the whole block is not)."""
        return [row.answer() for row in self.rows() if row.is_valid()]


def block_formset(
    f: FieldDef, *, data: Any, initial: list[dict[str, Any]] | None, add_row: bool = False
) -> BaseBlockFormSet:
    minimum = f.row_minimum
    formset_class = forms.formset_factory(
        BlockRowForm,
        formset=BaseBlockFormSet,
        extra=1 if add_row or not (initial or minimum) else 0,
        min_num=minimum,
        max_num=f.option("max_rows") or MAX_ROWS,
        validate_max=True,
        can_delete=True,
    )
    initial_rows = [
        {k: v for c in f.children if c.asks for k, v in _initial(c, row.get(c.key)).items()} for row in initial or []
    ]
    formset = formset_class(
        data,
        initial=initial_rows or None,
        prefix=f.key,
        form_kwargs={"children": f.children},
        error_messages=_row_count_messages(f.label, minimum=minimum, maximum=formset_class.max_num),
    )
    return cast(BaseBlockFormSet, formset)


def too_few_rows_message(label: str, minimum: int) -> str:
    few = ngettext("Add at least %(num)d row to “%(label)s”.", "Add at least %(num)d rows to “%(label)s”.", minimum)
    return few % {"num": minimum, "label": label}


def _row_count_messages(label: str, *, minimum: int, maximum: int) -> dict[str, str]:
    """Django's messages on the number of rows speak of "forms": these name the question. Django formats them once
    more with `% {"num": …}`, hence the doubled "%"."""
    many = ngettext("Give at most %(num)d row for “%(label)s”.", "Give at most %(num)d rows for “%(label)s”.", maximum)
    return {
        "too_few_forms": too_few_rows_message(label, minimum).replace("%", "%%"),
        "too_many_forms": (many % {"num": maximum, "label": label}).replace("%", "%%"),
    }


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
        self.document_types = _document_types(page)
        page_keys = {f.key for f in page.fields if f.asks}
        for f in page.fields:
            item = Item(field=f, names=[], conditional=bool(f.shown_if and f.shown_if.fields & page_keys))
            if f.kind == "block":
                item.formset = block_formset(f, data=data, initial=answers.get(f.key), add_row=add_row == f.key)
            elif f.asks:
                new = _django_fields(f, household, self.document_types.get(f.option("document_type")))
                if f.kind == "file" and f.option("document_type"):
                    offered = offered_documents(f, documents, document_about(f, answers, household))
                    self.offered[f.key] = {str(d.public_id): d for d in offered}
                    new = _vault_fields(f, new[f.key], offered, answers.get(f.key))
                self.fields.update(new)
                item.names = list(new)
                self.initial.update(_initial(f, answers.get(f.key)))
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
            _clean_special(self, f, answers, self.labels)
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
            return _vault_answer(f, self.cleaned_data, previous, self.offered[f.key])
        return _answer(f, self.cleaned_data, self.household, previous=previous)

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


def _clean_special(form: forms.Form, f: FieldDef, answers: dict[str, Any], labels: dict[str, str]) -> None:
    """Checks that need more than the Django field: French identifiers, date rules, selections, files. `answers`:
    those given before this question, which its rules may compare with; `labels`: their questions' labels."""
    name = f.key
    value = form.cleaned_data.get(name)
    try:
        if f.kind == "phone" and value:
            form.cleaned_data[name] = phone_to_e164(value)
        elif f.kind == "iban" and value:
            form.cleaned_data[name] = _identifier(
                iban.validate, value, _("Enter a valid IBAN, for example FR76 3000 6000 0112 3456 7890 189.")
            )
        elif f.kind == "siret" and value:
            form.cleaned_data[name] = _identifier(siret.validate, value, _("Enter a valid SIRET number of 14 digits."))
        elif f.kind == "date" and value:
            _check_date_bounds(f, value, answers, labels)
        elif f.kind == "multiple" and value is not None:
            _check_selections(f, value)
        elif f.kind == "file" and name not in form.errors:  # an upload Django refused already has its message
            _clean_file(form, f)
        elif f.kind == "address":
            _check_address_complete(form, f)
    except forms.ValidationError as error:
        form.add_error(name, error)


def _check_address_complete(form: forms.Form, f: FieldDef) -> None:
    """An optional address, once started, needs its three parts."""
    names = [f"{f.key}__{part}" for part in ADDRESS_PARTS]
    if any(form.cleaned_data.get(n) for n in names):
        for n in names:
            if not form.cleaned_data.get(n) and n not in form.errors:
                form.add_error(n, forms.Field.default_error_messages["required"])


def _identifier(validate: Any, value: str, message: str) -> str:
    try:
        return validate(value)
    except StdnumError:
        raise forms.ValidationError(message) from None


def _check_date_bounds(f: FieldDef, value: datetime.date, answers: dict[str, Any], labels: dict[str, str]) -> None:
    """The rules administrators set on a date: in the past or to come, a notice period (at least so many days from
    today), on or after the date answered to another question (the end of a period after its start)."""
    today = timezone.localdate()
    bounds = f.option("date_bounds", "any")
    if bounds == "past" and value > today:
        raise forms.ValidationError(_("Enter a date that is not in the future."))
    if bounds == "future" and value < today:
        raise forms.ValidationError(_("Enter a date that is not in the past."))
    notice = f.option("notice_days")
    if notice and value < today + datetime.timedelta(days=notice):
        message = ngettext(
            "This must be asked at least %(days)s day ahead: choose %(date)s or a later date.",
            "This must be asked at least %(days)s days ahead: choose %(date)s or a later date.",
            notice,
        )
        earliest = today + datetime.timedelta(days=notice)
        raise forms.ValidationError(message % {"days": notice, "date": date_format(earliest, "j F Y")})
    start = answers.get(f.option("after", ""))
    if start and value < datetime.date.fromisoformat(start):
        raise forms.ValidationError(
            _("“%(label)s” cannot be before “%(start)s” (%(date)s): give a date on or after it.")
            % {
                "label": f.label,
                "start": labels.get(f.option("after"), f.option("after")),
                "date": date_format(datetime.date.fromisoformat(start), "j F Y"),
            }
        )


def _check_selections(f: FieldDef, value: list[str]) -> None:
    low, high = f.option("min_choices"), f.option("max_choices")
    if value and low and len(value) < low:
        message = ngettext("Choose at least %(count)s option.", "Choose at least %(count)s options.", low)
        raise forms.ValidationError(message % {"count": low})
    if high and len(value) > high:
        message = ngettext("Choose at most %(count)s option.", "Choose at most %(count)s options.", high)
        raise forms.ValidationError(message % {"count": high})


def _clean_file(form: forms.Form, f: FieldDef) -> None:
    uploaded = form.cleaned_data.get(f.key)
    previous = getattr(form, "answers", {}).get(f.key)
    chosen = form.cleaned_data.get(f"{f.key}__document")
    if uploaded:
        limits = file_limits(f, getattr(form, "document_types", {}).get(f.option("document_type")))
        checked = file_check(uploaded, types=limits.types, max_size=limits.max_size)
        form.checked_files[f.key] = checked  # type: ignore[attr-defined]
    elif f.required and not previous and not chosen:
        raise forms.ValidationError(
            _("Add a file or choose one from your documents.") if f.option("document_type") else _("Add a file.")
        )
    if f.option("document_type") and (uploaded or (previous and not chosen and "document" not in previous)):
        _check_issue_date(form, f, None if uploaded else previous)


def _check_issue_date(form: forms.Form, f: FieldDef, previous: dict[str, Any] | None) -> None:
    """A new document filed into the vault needs its issue date, which sets its validity (a new file, its own): one
    no longer valid by its type's rule is refused."""
    name = f"{f.key}__issued_on"
    if name in form.errors:
        return
    earlier = (previous or {}).get("issued_on")
    issued_on = form.cleaned_data.get(name) or (datetime.date.fromisoformat(earlier) if earlier else None)
    document_type = getattr(form, "document_types", {}).get(f.option("document_type"))
    until = document_type.valid_until(issued_on) if document_type and issued_on else None
    today = timezone.localdate()
    if issued_on is None:
        form.add_error(name, _("Give the issue date written on the document."))
    elif issued_on > today:
        form.add_error(name, _("The issue date cannot be in the future."))
    elif until is not None and until < today:
        form.add_error(name, proof_expired(until))


def proof_expired(until: datetime.date) -> str:
    """What a citizen is told of a proof no longer valid."""
    return _("This document was valid until %(date)s only: send a more recent one.") % {
        "date": date_format(until, "j F Y")
    }


def _answer(f: FieldDef, cleaned: dict[str, Any], household: Household | None, previous: Any = None) -> Any:
    """The JSON answer of a field from its form's cleaned data."""
    if f.kind == "address":
        return {part: cleaned.get(f"{f.key}__{part}", "") for part in ADDRESS_PARTS}
    value = cleaned.get(f.key)
    if f.kind == "file":
        return previous if previous and not value else None
    if f.kind == "boolean":
        return None if not value else value == "yes"
    if f.kind == "decimal":
        return None if value is None else str(value)
    if f.kind == "date":
        return value.isoformat() if value else None
    if f.kind == "members":
        chosen = value if isinstance(value, list) else [value] if value else []
        members = {str(m.pk): m for m in member_choices(household, f)}
        return [
            {
                "id": int(pk),
                "name": f"{members[pk].first_name} {members[pk].last_name}",
                "birth_date": members[pk].birth_date.isoformat(),
            }
            for pk in chosen
            if pk in members
        ]
    return value


def _initial(f: FieldDef, answer: Any) -> dict[str, Any]:
    """Form initial values from a stored answer."""
    if answer in (None, "", []):
        return {}
    if f.kind == "address":
        return {f"{f.key}__{part}": answer.get(part, "") for part in ADDRESS_PARTS}
    if f.kind == "boolean":
        return {f.key: "yes" if answer else "no"}
    if f.kind == "date":
        return {f.key: datetime.date.fromisoformat(answer)}
    if f.kind == "members":
        ids = [str(m["id"]) for m in answer]
        return {f.key: ids if f.option("multiple_members") else ids[0]}
    if f.kind == "file":
        return {}
    return {f.key: answer}


def file_answer(stored: Any) -> dict[str, Any]:
    return {"id": str(stored.public_id), "name": stored.name, "size": stored.size, "type": stored.content_type}


def answer_text(f: FieldDef, answer: Any) -> str:
    """An answer as a citizen or an agent reads it."""
    if answer in (None, "", [], {}):
        return ""
    if f.kind == "address":
        return f"{answer.get('street', '')}, {answer.get('postcode', '')} {answer.get('city', '')}"
    if f.kind == "boolean":
        return _("Yes") if answer else _("No")
    if f.kind == "date":
        return date_format(datetime.date.fromisoformat(answer), "j F Y")
    if f.kind == "decimal":
        return number_format(Decimal(answer))
    if f.kind in ("choice", "multiple"):
        labels = dict(f.choice_list)
        values = answer if isinstance(answer, list) else [answer]
        return ", ".join(labels.get(v) or v for v in values)
    if f.kind == "members":
        return members_text(answer)
    if f.kind == "file":
        return _file_text(answer)
    if f.kind == "phone":
        return re.sub(r"^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$", r"0\1 \2 \3 \4 \5", answer)
    return str(answer)


def _file_text(answer: dict[str, Any]) -> str:
    if answer.get("removed"):
        return _("%(name)s (deleted at the end of the instruction: identity document)") % {"name": answer["name"]}
    text = ", ".join(f"{page['name']} ({file_size(page['size'])})" for page in answer_files(answer))
    return _("%(files)s, from the vault") % {"files": text} if answer.get("document") else text


@dataclass
class SummaryLine:
    field: FieldDef
    text: str
    rows: list[list[tuple[str, str]]] = dataclasses.field(default_factory=list)
    files: list[dict[str, Any]] = dataclasses.field(default_factory=list)


def summary(definition: FormDefinition, answers: dict[str, Any]) -> list[tuple[int, PageDef, list[SummaryLine]]]:
    """The shown pages with their answered questions, for the review page and the request page."""
    shown = definition.shown_answers(answers)
    pages = []
    for index in definition.shown_pages(shown):
        page = definition.pages[index]
        lines = []
        for f in page.fields:
            if f.asks and f.key in shown:
                rows = (
                    [[(c.label, answer_text(c, row.get(c.key))) for c in f.children if c.asks] for row in shown[f.key]]
                    if f.kind == "block"
                    else []
                )
                attached = f.kind == "file" and shown[f.key] and not shown[f.key].get("removed")  # None: left out
                files = answer_files(shown[f.key]) if attached else []
                text = answer_text(f, shown[f.key]) if f.kind != "block" else ""
                lines.append(SummaryLine(field=f, text=text, rows=rows, files=files))
        pages.append((index, page, lines))
    return pages


PREFILL = {
    "first_name": lambda user, household: user.first_name,
    "last_name": lambda user, household: user.last_name,
    "email": lambda user, household: user.email,
    "phone": lambda user, household: user.phone,
    "birth_date": lambda user, household: user.birth_date.isoformat() if user.birth_date else None,
    "address": lambda user, household: (
        {"street": household.street, "postcode": household.postcode, "city": household.city} if household else None
    ),
}


def prefill_answers(definition: FormDefinition, *, user: User, household: Household | None) -> dict[str, Any]:
    """Answers known from the profile and the household ("dites-le-nous une fois")."""
    answers = {}
    for f in definition.fields():
        source = f.option("prefill", "")
        if source in PREFILL:
            value = PREFILL[source](user, household)
            if value:
                answers[f.key] = value
    return answers
