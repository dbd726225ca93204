"""Form rendering shared by every page: one field template with label, hint, errors and aria-describedby; the
widgets of HTML's date, time and local date-and-time inputs; the fields for a person's name and a day to show."""

import datetime
import re
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from gru.validators import validate_one_line


class GruFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


class _HtmlTypedValue:
    """An input whose value HTML wants in one form (`yyyy-mm-dd` for a date, …), whatever the language of the page:
    a value sent that is not in that form ("hier" in `?date=hier`) is not written back into the input, where HTML does
    not allow it (the browser would show nothing anyway); the form's error says what was wrong."""

    value_pattern: re.Pattern[str]
    value_type: type[datetime.date | datetime.time]
    html_format: str  # how a date or time object is written into the input

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=self.html_format)  # type: ignore[call-arg]

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str):
            try:
                self.value_type.fromisoformat(value)  # a real day or time (not 2027-02-30)
            except ValueError:
                return None
            return value if self.value_pattern.fullmatch(value) else None
        return super().format_value(value)  # type: ignore[misc]


class HtmlDateInput(_HtmlTypedValue, forms.DateInput):
    input_type = "date"
    value_pattern = re.compile(r"\d{4}-\d{2}-\d{2}")
    value_type = datetime.date
    html_format = "%Y-%m-%d"


class HtmlTimeInput(_HtmlTypedValue, forms.TimeInput):
    input_type = "time"
    value_pattern = re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?")
    value_type = datetime.time
    html_format = "%H:%M"


class HtmlDateTimeInput(_HtmlTypedValue, forms.DateTimeInput):
    input_type = "datetime-local"
    value_pattern = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?")
    value_type = datetime.datetime
    html_format = "%Y-%m-%dT%H:%M"


# The days a page may be asked to show: far beyond any appointment or request, near enough that the weeks and months
# around them stay within the years Python's dates hold (1 to 9999).
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2999, 12, 31)
DAY_OUT_OF_RANGE = _("Enter a date between 1900 and 2999.")


class DayField(forms.DateField):
    """A day to show (a week of slots, an agenda's day), entered in an HTML date input: a day out of range is a form
    error, never a date the page's arithmetic cannot hold."""

    widget = HtmlDateInput
    default_validators = [
        MinValueValidator(EARLIEST_DAY, message=DAY_OUT_OF_RANGE),
        MaxValueValidator(LATEST_DAY, message=DAY_OUT_OF_RANGE),
    ]


class NameField(forms.CharField):
    """A person's first or family name: one line, since it reaches emails' subjects and headers, exports and letters."""

    default_validators = [validate_one_line]
