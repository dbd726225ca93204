from __future__ import annotations

import calendar
import datetime
import re
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.forms import BoundField
from django.template.defaultfilters import date as date_format
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gru.forms import NameField
from portal.geocoder import geocoder_enabled
from portal.models import HouseholdMember, User

NAME_FIELDS = {"first_name": NameField, "last_name": NameField}
BIRTH_EXAMPLE = datetime.date(1985, 7, 14)
YEARS = range(1900, 2101)  # the years a date may have: beyond, a typing mistake
# 14/07/1985, 14.07.1985, 14-07-1985, 14 07 1985, 1/7/1985; 14071985; ISO 1985-07-14.
_DAY_FIRST = re.compile(r"(\d{1,2})[\s./-]+(\d{1,2})[\s./-]+(\d+)")
_DIGITS_ONLY = re.compile(r"(\d{2})(\d{2})(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def date_hint(example: datetime.date) -> str:
    return gettext("Day/month/year, for example %(date)s.") % {"date": f"{example:%d/%m/%Y}"}


DATE_HINT = lazy(date_hint, str)(datetime.date(1989, 7, 14))


def date_parse(text: str, *, example: datetime.date = BIRTH_EXAMPLE) -> datetime.date:
    """A date typed in any of the usual French ways; ValidationError saying what is wrong (in French) otherwise."""
    text = text.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.fullmatch(text) or _DIGITS_ONLY.fullmatch(text):
        day, month, year = match.groups()
    else:
        message = gettext("Enter the date as day/month/year, for example %(date)s.")
        raise forms.ValidationError(message % {"date": f"{example:%d/%m/%Y}"}, code="invalid")
    return _date_of(int(day), int(month), year)


def _date_of(day: int, month: int, year: str) -> datetime.date:
    if len(year) != 4:
        raise forms.ValidationError(gettext("Write the year with its four digits."), code="invalid")
    if int(year) not in YEARS:
        message = gettext("Enter a year between %(first)s and %(last)s.")
        raise forms.ValidationError(message % {"first": YEARS[0], "last": YEARS[-1]}, code="invalid")
    if not 1 <= month <= 12:
        raise forms.ValidationError(gettext("The month is a number from 1 to 12."), code="invalid")
    if not 1 <= day <= 31:
        raise forms.ValidationError(gettext("The day is a number from 1 to 31."), code="invalid")
    days = calendar.monthrange(int(year), month)[1]
    if day > days:
        first = datetime.date(int(year), month, 1)
        message = gettext("The %(day)s %(month)s does not exist: that month has %(days)s days.")
        raise forms.ValidationError(
            message % {"day": day, "month": date_format(first, "F Y"), "days": days}, code="invalid"
        )
    return datetime.date(int(year), month, day)


class DateInput(forms.DateInput):
    """A French date typed as dd/mm/yyyy: predictable with a keyboard and a screen reader, unlike date pickers."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "size": 10, **(attrs or {})}, format="%d/%m/%Y")


class FrenchDateField(forms.DateField):
    """A date typed as the citizen writes it (`date_parse`): a phone's numeric keypad has no "/", so 14071985 is
    as good as 14/07/1985. What was typed stays in the field when it is refused."""

    widget = DateInput

    def __init__(self, *, example: datetime.date = BIRTH_EXAMPLE, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.example = example

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return date_parse(str(value), example=self.example)


def validate_past_date(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("The date of birth cannot be in the future."))
    if value.year < 1900:
        raise forms.ValidationError(_("Enter a date of birth after 1900."))


def phone_to_e164(value: str) -> str:
    """A French phone number as typed → E.164 ("" when empty); a French ValidationError when it is not one."""
    value = value.strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(_("Enter a valid phone number, for example 06 12 34 56 78."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """A stored number (E.164) as people write it: "06 12 34 56 78" for a French one, "+32 470 12 34 56" for another
    country's; a value that is not a number is shown as it is."""
    try:
        number = phonenumbers.parse(e164, "FR")
    except phonenumbers.NumberParseException:
        return e164
    french = phonenumbers.region_code_for_number(number) == "FR"
    kind = phonenumbers.PhoneNumberFormat.NATIONAL if french else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, kind)


class SignupForm(forms.Form):
    """Fields asked at sign-up besides email and password (allauth's ACCOUNT_SIGNUP_FORM_CLASS)."""

    first_name = NameField(
        label=_("First name"), max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = NameField(
        label=_("Family name"), max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )

    def signup(self, request: Any, user: User) -> None:
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])


def is_mobile(e164: str) -> bool:
    """Whether a number (E.164) can receive text messages."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


NOTIFICATION_FIELDS = ("notify_by_email", "notify_by_sms")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "birth_date", "phone", "preferred_channel", *NOTIFICATION_FIELDS]
        field_classes = NAME_FIELDS
        widgets = {
            "first_name": forms.TextInput({"autocomplete": "given-name"}),
            "last_name": forms.TextInput({"autocomplete": "family-name"}),
            "birth_date": DateInput({"autocomplete": "bday"}),
            "phone": forms.TextInput({"autocomplete": "tel", "type": "tel"}),
            "preferred_channel": forms.RadioSelect,
        }
        labels = {"notify_by_email": _("By email"), "notify_by_sms": _("By text message, on my mobile phone")}
        help_texts = {"phone": _("A French number, for example 06 12 34 56 78."), "birth_date": DATE_HINT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        if self.instance.is_identity_certified:
            for name in User.CERTIFIED_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Certified by FranceConnect: it cannot be changed here.")
        if not settings.SMS_ENABLED:  # no text message is sent: neither choice is offered
            del self.fields["notify_by_sms"]
            channel = self.fields["preferred_channel"]
            channel.choices = [c for c in User.Channel.choices if c[0] != User.Channel.SMS]  # type: ignore[attr-defined]
        if self.instance.phone:
            self.initial["phone"] = phone_display(self.instance.phone)

    def profile_fields(self) -> list[BoundField]:
        return [self[name] for name in self.fields if name not in NOTIFICATION_FIELDS]

    def notification_fields(self) -> list[BoundField]:
        return [self[name] for name in NOTIFICATION_FIELDS if name in self.fields]

    def clean_birth_date(self) -> datetime.date | None:
        value = self.cleaned_data["birth_date"]
        if value is not None:
            validate_past_date(value)
        return value

    def clean_phone(self) -> str:
        return phone_to_e164(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "phone" not in data:  # not a phone number: its own error says so
            return data
        wants_sms = data.get("preferred_channel") == User.Channel.SMS or data.get("notify_by_sms")
        if wants_sms and not data["phone"]:
            self.add_error("phone", _("Enter a mobile phone number to be contacted by text message."))
        elif data.get("notify_by_sms") and not is_mobile(data["phone"]):
            self.add_error("phone", _("Text messages need a mobile number, for example 06 12 34 56 78."))
        return data


class AddressStreetInput(forms.TextInput):
    """The street of an address: with a geocoder (GEOCODER_URL), static/js/address.js makes it a combobox of the
    addresses that match what is typed and fills the postcode and town of the same form when one is chosen. Without
    JavaScript or a geocoder it stays a plain text input."""

    template_name = "portal/widgets/address_street.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        lookup = geocoder_enabled()
        if lookup:
            attrs = {
                **(attrs or {}),
                "data-address-search": reverse("portal:address_search"),
                "data-address-list-label": _("Suggested addresses"),
            }
        context = super().get_context(name, value, attrs)
        context["widget"]["lookup"] = lookup
        return context


class AddressForm(forms.Form):
    street = forms.CharField(
        label=_("Street address"), max_length=255, widget=AddressStreetInput({"autocomplete": "address-line1"})
    )
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\d{5}$",
        error_messages={"invalid": _("Enter a postcode of 5 digits, for example 45190.")},
        widget=forms.TextInput({"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    city = forms.CharField(label=_("Town"), max_length=150, widget=forms.TextInput({"autocomplete": "address-level2"}))


class HouseholdCreateForm(AddressForm):
    birth_date = forms.DateField(
        label=_("Your date of birth"),
        help_text=DATE_HINT,
        widget=DateInput({"autocomplete": "bday"}),
        validators=[validate_past_date],
    )


class HouseholdMemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["first_name", "last_name", "birth_date", "relationship"]
        field_classes = NAME_FIELDS
        widgets = {"birth_date": DateInput, "relationship": forms.RadioSelect}
        help_texts = {"birth_date": DATE_HINT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relationship = self.fields["relationship"]
        relationship.choices = [  # type: ignore[attr-defined]
            c for c in HouseholdMember.Relationship.choices if c[0] != HouseholdMember.Relationship.DECLARANT
        ]
        self.fields["birth_date"].validators.append(validate_past_date)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the adult to invite"),
        help_text=_("They will receive a link to join your household with their own account."),
        widget=forms.EmailInput({"autocomplete": "off"}),
    )


ACCOUNTS_FOUND = 20


class CitizenSearchForm(forms.Form):
    """An agent looks for the account of a citizen who came to the counter, phoned or wrote (to file a request or
    book an appointment for them)."""

    q = forms.CharField(
        label=_("Find the citizen's account"),
        max_length=100,
        required=False,
        help_text=_("Name or email address; accents do not matter."),
    )

    def accounts(self) -> list[User] | None:
        """The citizens' accounts matching the search (the first ones), None when nothing was searched."""
        if not self.is_valid() or not self.cleaned_data["q"]:
            return None
        users = User.objects.citizens().search(self.cleaned_data["q"]).order_by("last_name", "first_name")
        return list(users[:ACCOUNTS_FOUND])
