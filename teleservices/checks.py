"""The checks of an answer beyond its Django field (French identifiers, date rules, selections, files and the issue
date of a proof), on a page and once more before a request is sent."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.template.defaultfilters import date as date_format
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from stdnum import iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret

from portal.forms import phone_to_e164
from teleservices.definition import FieldDef, FormDefinition
from teleservices.fields import ADDRESS_PARTS, file_limits
from vault.files import file_check


def clean_special(form: forms.Form, f: FieldDef, answers: dict[str, Any], labels: dict[str, str]) -> None:
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
