"""The slot choice: the first free slots whatever week they fall in, and the morning / afternoon filter kept across
the weeks. "Now" is Monday 1 March 2027 at 08:00; the passport counter opens 09:00–12:00 and 14:00–17:00."""

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import Closure
from appointments.weeks import FIRST_FREE, week_of
from tests.appointments.conftest import at, rule


@pytest.fixture
def afternoons(town_hall, passport):
    rule(town_hall, [passport], opens="14:00", closes="17:00")
    return town_hall


def slots_url(**query) -> str:
    return reverse("appointments:slots", args=["passeport"]) + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_the_first_free_slots_are_found_in_later_weeks_when_this_one_is_closed(
    client, now, passport, afternoons, django_assert_max_num_queries
):
    Closure.objects.create(agenda=afternoons, start=at("2027-03-01"), end=at("2027-03-08"), reason="Travaux")
    with django_assert_max_num_queries(8):
        response = client.get(slots_url(semaine="2027-03-01"))
    week = response.context["week"]
    assert week.count == 0
    assert [timezone.localtime(slot.start) for slot in week.first_free] == [
        at("2027-03-08", time) for time in ("09:00", "09:20", "09:40", "10:00", "10:20")
    ]
    page = response.content.decode()
    assert "Premiers créneaux disponibles" in page
    assert "semaine=2027-03-08" in response.context["links"]["next_free"]


def test_the_first_free_slots_stop_at_the_horizon(now, passport, town_hall):
    passport.horizon_days = 1
    passport.save()
    Closure.objects.create(agenda=town_hall, start=at("2027-03-01", "10:00"), end=at("2027-03-01", "11:20"), reason="")
    week = week_of(type=passport, agendas=[town_hall], monday=None, now=now)
    assert len(week.first_free) == 2 < FIRST_FREE
    assert all(slot.start <= now + passport.horizon for slot in week.first_free)


@pytest.mark.parametrize(("moment", "hours"), [("matin", {9, 10, 11}), ("apres-midi", {14, 15, 16})])
def test_the_day_part_keeps_the_slots_starting_then(client, now, passport, afternoons, moment, hours):
    response = client.get(slots_url(moment=moment))
    week = response.context["week"]
    starts = [slot.start for day in week.days for place in day.places for slot in place.slots]
    assert starts and {timezone.localtime(start).hour for start in starts} == hours
    assert {timezone.localtime(slot.start).hour for slot in week.first_free} <= hours
    assert all(f"moment={moment}" in link for link in response.context["links"].values())
    page = response.content.decode()
    assert f'<input type="hidden" name="moment" value="{moment}">' in page
    assert f'value="{moment}" required id' not in page  # the radios are optional
    assert 'type="radio" name="moment"' in page


def test_the_whole_day_is_the_default_and_a_wrong_part_of_the_day_is_reported(client, now, passport, afternoons):
    whole = client.get(slots_url()).context["week"].count
    response = client.get(slots_url(moment="nuit"))
    assert response.context["form"].errors["moment"]
    assert response.context["week"].count == whole


def test_the_day_part_is_kept_when_going_back_from_the_booking_page(alice_client, now, passport, afternoons):
    start = at("2027-03-02", "14:00")
    url = reverse("appointments:book", args=["passeport"])
    response = alice_client.get(url, {"creneau": f"{afternoons.pk}-{int(start.timestamp())}", "moment": "apres-midi"})
    assert "moment=apres-midi" in response.context["back"]
