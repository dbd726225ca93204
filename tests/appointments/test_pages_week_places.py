"""The places of the citizens' week of free slots: each agenda offering the type, and "every counter" of a department
that has several; every place when agendas of several departments offer it. Moving an appointment offers the same
choices, and the place chosen is kept through the confirmation page. "Now" is Monday 1 March 2027 at 08:00."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from appointments.models import Agenda
from appointments.services import appointment_book
from tests.appointments.conftest import at, rule, slot

TEN = at("2027-03-01", "10:00")
THURSDAY_NINE = at("2027-03-04", "09:00")


def slots_url(type, **query) -> str:
    url = reverse("appointments:slots", args=[type.slug])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def every_counter(department) -> str:
    return escape(gettext("Every counter — %(department)s") % {"department": department.name})


def department_place(department) -> str:
    return f"service-{department.pk}"


@pytest.fixture
def elsewhere(urbanisme, passport) -> Agenda:
    """Urbanisme's front desk also takes passports (one agenda of that department)."""
    agenda = Agenda.objects.create(department=urbanisme, name="Accueil du centre technique", place="Centre technique")
    rule(agenda, [passport])
    return agenda


def offered(response, agenda, start=TEN) -> bool:
    return f'value="{slot(agenda, start)}"' in response.content.decode()


def test_one_department_with_two_counters_offers_each_and_both(client, now, passport, town_hall, annexe, etat_civil):
    response = client.get(slots_url(passport))
    choices = [value for value, _label in response.context["form"].fields["lieu"].choices]
    assert choices == [department_place(etat_civil), str(annexe.pk), str(town_hall.pk)]
    page = response.content.decode()
    assert every_counter(etat_civil) in page and escape(gettext("Any place")) not in page
    assert offered(response, town_hall) and offered(response, annexe)


def test_every_counter_of_a_department_shows_its_agendas_only(
    client, now, passport, town_hall, annexe, elsewhere, etat_civil
):
    everywhere = client.get(slots_url(passport))
    assert offered(everywhere, elsewhere) and offered(everywhere, town_hall)
    response = client.get(slots_url(passport, lieu=department_place(etat_civil)))
    assert not response.context["form"].errors
    assert offered(response, town_hall) and offered(response, annexe) and not offered(response, elsewhere)
    assert response.context["places"] is True  # each slot names its place
    page = response.content.decode()
    assert f'<option value="{department_place(etat_civil)}" selected>' in page
    assert f"lieu={department_place(etat_civil)}" in response.context["links"]["next"]


def test_several_departments_are_grouped_after_every_place(
    client, now, passport, town_hall, annexe, elsewhere, etat_civil, urbanisme
):
    choices = client.get(slots_url(passport)).context["form"].fields["lieu"].choices
    assert choices[0] == ("", gettext("Any place"))
    groups = {group: [value for value, _label in options] for group, options in choices[1:]}
    assert groups == {
        "État civil": [department_place(etat_civil), str(annexe.pk), str(town_hall.pk)],
        "Urbanisme": [str(elsewhere.pk)],  # one agenda: no "every counter" of its own
    }
    page = client.get(slots_url(passport)).content.decode()
    assert '<optgroup label="État civil">' in page


def test_a_department_with_one_agenda_or_of_another_type_is_no_place(
    client, now, passport, town_hall, annexe, elsewhere, urbanisme, planning_office
):
    for place in (department_place(urbanisme), "service-999", "service-", f"{planning_office.pk}"):
        response = client.get(slots_url(passport, lieu=place, semaine="2027-03-08"))
        assert set(response.context["form"].errors) == {"lieu"}
        assert offered(response, town_hall, at("2027-03-08", "09:00"))  # every place, the week asked for kept
        assert response.context["week"].monday.isoformat() == "2027-03-08"


def test_the_place_chosen_goes_along_with_the_slot_and_back(alice_client, now, passport, town_hall, annexe, etat_civil):
    place = department_place(etat_civil)
    page = alice_client.get(slots_url(passport, lieu=place)).content.decode()
    assert f'<input type="hidden" name="lieu" value="{place}">' in page
    book = reverse("appointments:book", args=[passport.slug]) + f"?lieu={place}&creneau={slot(annexe, TEN)}"
    response = alice_client.get(book)
    assert response.context["back"] == slots_url(passport, semaine="2027-03-01", lieu=place)


def test_a_slot_taken_meanwhile_brings_back_the_week_of_the_place_chosen(
    alice_client, eve, now, passport, town_hall, annexe, etat_civil
):
    place = department_place(etat_civil)
    appointment_book(type=passport, agenda=annexe, start=THURSDAY_NINE, citizen=eve)
    book = reverse("appointments:book", args=[passport.slug]) + f"?lieu={place}&creneau={slot(annexe, THURSDAY_NINE)}"
    response = alice_client.post(book)
    assert response.url == slots_url(passport, semaine="2027-03-01", lieu=place)


def test_moving_offers_the_same_places_and_keeps_the_one_chosen(
    alice_client, alice, eve, now, passport, town_hall, annexe, elsewhere, etat_civil
):
    appointment = appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice)
    booking = alice_client.get(slots_url(passport)).context["form"].fields["lieu"].choices
    moving = alice_client.get(slots_url(passport, deplacer=appointment.public_id))
    assert moving.context["form"].fields["lieu"].choices == booking
    place = department_place(etat_civil)
    response = alice_client.get(slots_url(passport, deplacer=appointment.public_id, lieu=place))
    assert offered(response, annexe) and not offered(response, elsewhere)
    page = response.content.decode()
    assert f'<input type="hidden" name="lieu" value="{place}">' in page
    friday = at("2027-03-05", "09:00")
    move = reverse("appointments:move", args=[appointment.public_id]) + f"?lieu={place}&creneau={slot(annexe, friday)}"
    assert f"lieu={place}" in alice_client.get(move).context["back"]
    appointment_book(type=passport, agenda=annexe, start=friday, citizen=eve)  # meanwhile
    response = alice_client.post(move)
    assert f"lieu={place}" in response.url and f"deplacer={appointment.public_id}" in response.url
    appointment.refresh_from_db()
    assert appointment.start == THURSDAY_NINE


def test_the_week_of_a_department_costs_the_same_queries(
    client, now, passport, town_hall, annexe, elsewhere, etat_civil, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get(slots_url(passport, lieu=department_place(etat_civil)))
    assert response.context["week"].count > 0
