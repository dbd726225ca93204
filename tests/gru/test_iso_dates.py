"""The `isoformat` filter writes the `datetime` attribute of `<time>` as HTML allows it: no microseconds."""

import datetime
import zoneinfo

from django.template import Context, Template

from gru.templatetags.iso_dates import isoformat

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_an_aware_datetime_is_written_to_the_second_in_the_current_time_zone(settings):
    moment = datetime.datetime(2026, 12, 7, 9, 12, 0, 801034, tzinfo=datetime.UTC)
    assert settings.TIME_ZONE == "Europe/Paris"
    assert isoformat(moment) == "2026-12-07T10:12:00+01:00"
    assert isoformat(moment.replace(month=7)) == "2026-07-07T11:12:00+02:00"  # summer time


def test_a_date_and_anything_else():
    assert isoformat(datetime.date(2026, 12, 7)) == "2026-12-07"
    assert isoformat(None) == "" and isoformat("hier") == ""


def test_in_a_template():
    template = Template('{% load iso_dates %}<time datetime="{{ moment|isoformat }}">')
    moment = datetime.datetime(2027, 3, 1, 8, 0, 0, 457745, tzinfo=PARIS)
    assert template.render(Context({"moment": moment})) == '<time datetime="2027-03-01T08:00:00+01:00">'
