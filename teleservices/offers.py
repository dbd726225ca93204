"""The vault at a file question bound to a type of document: the documents it offers (of that type, about the right
person), the choice among them, and the answer a chosen document gives."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.template.defaultfilters import date as date_format
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.forms import FrenchDateField, date_hint
from portal.models import Household, HouseholdMember
from teleservices.answers import file_answer
from teleservices.definition import FieldDef
from vault.models import Document, DocumentType

ISSUE_EXAMPLE_DAYS = 20  # the hint of the issue date of a proof shows one three weeks ago


def bound_document_types(fields: Iterable[FieldDef]) -> dict[str, DocumentType]:
    """The types of document these file questions are bound to, by identifier (no query when there are none)."""
    slugs = {f.option("document_type") for f in fields if f.kind == "file" and f.option("document_type")}
    return DocumentType.objects.in_bulk(slugs, field_name="slug") if slugs else {}


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


def vault_fields(f: FieldDef, upload: forms.Field, offered: list[Document], answer: Any) -> dict[str, forms.Field]:
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


def vault_answer(f: FieldDef, cleaned: dict[str, Any], previous: Any, offered: dict[str, Document]) -> Any:
    """A document chosen from the vault, or the file uploaded earlier (with the issue date given now)."""
    chosen = offered.get(cleaned.get(f"{f.key}__document") or "")
    if chosen is not None:
        return document_answer(chosen)
    if not previous or "document" in previous:
        return None
    issued_on = cleaned.get(f"{f.key}__issued_on")
    return {**previous, "issued_on": issued_on.isoformat()} if issued_on else previous
