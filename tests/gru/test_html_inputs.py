"""The date, time and local date-and-time inputs write back only values HTML allows in them ("hier" is left out)."""

import datetime

import pytest
from django import forms

from gru.forms import HtmlDateInput, HtmlDateTimeInput, HtmlTimeInput


class _Form(forms.Form):
    day = forms.DateField(required=False, widget=HtmlDateInput)
    at = forms.TimeField(required=False, widget=HtmlTimeInput)
    start = forms.DateTimeField(required=False, widget=HtmlDateTimeInput)


def test_valid_values_are_written_back_in_the_form_html_wants():
    form = _Form({"day": "2027-03-08", "at": "09:30", "start": "2027-03-08T09:30"})
    html = str(form["day"]), str(form["at"]), str(form["start"])
    assert 'type="date" name="day" value="2027-03-08"' in html[0]
    assert 'type="time" name="at" value="09:30"' in html[1]
    assert 'type="datetime-local" name="start" value="2027-03-08T09:30"' in html[2]


def test_initial_values_are_written_in_the_form_html_wants_whatever_the_language(settings):
    settings.LANGUAGE_CODE = "fr"
    form = _Form(initial={"day": datetime.date(2027, 3, 8), "at": datetime.time(9, 30)})
    assert 'value="2027-03-08"' in str(form["day"]) and 'value="09:30"' in str(form["at"])


@pytest.mark.parametrize(
    "data",
    [
        {"day": "hier"},
        {"day": "08/03/2027"},
        {"day": "2027-02-30"},
        {"day": "20270308"},
        {"at": "9h30"},
        {"at": "25:00"},
        {"start": "2027-03-08 09:30"},
        {"start": "demain"},
    ],
)
def test_a_value_html_does_not_allow_is_not_written_back(data):
    (name,) = data
    assert "value=" not in str(_Form(data)[name])


def test_a_wrong_value_is_still_reported():
    form = _Form({"day": "hier"})
    assert not form.is_valid() and "day" in form.errors
