"""The Django form fields that ask a question of a form (a FieldDef): their widgets, bounds, hints and choices."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.forms import BIRTH_EXAMPLE, AddressForm, FrenchDateField, date_hint
from portal.models import Household, HouseholdMember
from teleservices.definition import FieldDef
from vault.files import accept_hint, size_limit_attrs, types_label
from vault.models import DocumentType

ADDRESS_PARTS = ("street", "postcode", "city")
EVENT_EXAMPLE_DAYS = 42  # the hint of a date to come shows one six weeks ahead
YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


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


def member_choices(household: Household | None, f: FieldDef) -> list[HouseholdMember]:
    """The household members a member picker offers, after its filter."""
    if household is None:
        return []
    members = list(household.members.all())
    wanted = f.option("member_filter", "all")
    if wanted == "adults":
        return [m for m in members if m.is_adult]
    if wanted == "minors":
        return [m for m in members if not m.is_adult]
    return members


def django_fields(
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
