""" "Mes rendez-vous": the citizen's appointments to come and past, one appointment, its calendar file; cancelling
and moving until the deadline (then whom to call); the earlier-slot alert. eve, the outsider, never reaches alice's.
"Now" is Monday 1 March 2027 at 08:00; alice's passport appointment is on Thursday 4 March at 09:00."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from appointments.models import Appointment, EarlierSlotAlert
from appointments.services import appointment_book, appointment_cancel
from tests.appointments.conftest import at, booked, shown, slot

THURSDAY_NINE = at("2027-03-04", "09:00")
FRIDAY_TEN = at("2027-03-05", "10:00")
TAKEN = "This slot has just been booked by someone else: please choose another one."


@pytest.fixture
def appointment(now, passport, town_hall, alice) -> Appointment:
    return appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice)


def url(name: str, appointment: Appointment) -> str:
    return reverse(f"appointments:{name}", args=[appointment.public_id])


def move_url(appointment: Appointment, agenda, start) -> str:
    return url("move", appointment) + f"?creneau={slot(agenda, start)}"


def status_of(appointment: Appointment) -> str:
    return Appointment.objects.get(pk=appointment.pk).status


@pytest.fixture
def too_late(appointment, time_machine):
    """Wednesday 3 March at 10:00: less than 24 hours before the appointment, too late to change it online."""
    time_machine.move_to(at("2027-03-03", "10:00"), tick=False)


# Mes rendez-vous and one appointment


def test_my_appointments_lists_those_to_come_and_those_past_or_cancelled(
    alice_client, alice, appointment, passport, identity_card, town_hall
):
    town_hall.rules.get().types.add(identity_card)
    past = booked(town_hall, passport, alice, at("2027-02-01", "09:00"), status=Appointment.Status.SEEN)
    cancelled = appointment_book(type=identity_card, agenda=town_hall, start=FRIDAY_TEN, citizen=alice)
    cancelled.refresh_from_db()
    appointment_cancel(appointment=cancelled, actor=alice)
    response = alice_client.get(reverse("appointments:my_appointments"))
    assert list(response.context["upcoming"]) == [appointment]
    assert set(response.context["past"]) == {past, cancelled}
    page = response.content.decode()
    assert url("cancel", appointment) in page and f"?deplacer={appointment.public_id}" in page
    assert url("alert", appointment) in page
    assert url("cancel", past) not in page


def test_my_appointments_shows_none_of_another_citizens(eve_client, appointment):
    response = eve_client.get(reverse("appointments:my_appointments"))
    assert list(response.context["upcoming"]) == [] and list(response.context["past"]) == []
    assert str(appointment.public_id) not in response.content.decode()


def test_my_appointments_costs_the_same_queries_whatever_their_number(
    alice_client, alice, appointment, passport, identity_card, town_hall, django_assert_max_num_queries
):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            alice_client.get(reverse("appointments:my_appointments"))
        return len(queries)

    count()  # the session and the organisation are cached from then on
    few = count()
    for n in range(5):
        booked(town_hall, identity_card, alice, at("2027-03-08", "09:00") + n * identity_card.duration)
        booked(town_hall, passport, alice, at("2027-02-01", "09:00") + n * passport.duration, status="seen")
    EarlierSlotAlert.objects.create(appointment=appointment)
    assert count() == few
    with django_assert_max_num_queries(10):
        alice_client.get(reverse("appointments:my_appointments"))


def test_the_appointment_page_gives_the_instructions_and_the_calendar_file(alice_client, appointment, passport):
    response = alice_client.get(url("appointment", appointment))
    page = response.content.decode()
    assert "jeudi 4 mars 2027" in page and "09:00" in page
    assert "Apportez votre pré-demande ANTS et une photo d&#x27;identité." in page
    calendar = alice_client.get(url("calendar", appointment))
    assert calendar["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="rendez-vous.ics"' in calendar["Content-Disposition"]
    event = Calendar.from_ical(calendar.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == THURSDAY_NINE


@pytest.mark.parametrize("name", ["appointment", "calendar", "cancel", "move", "alert"])
def test_another_citizen_cannot_reach_the_appointment(eve_client, appointment, name):
    response = eve_client.post(url(name, appointment)) if name == "alert" else eve_client.get(url(name, appointment))
    assert response.status_code == 404


def test_another_citizen_cannot_cancel_move_or_watch_it(eve_client, appointment, town_hall):
    assert eve_client.post(url("cancel", appointment)).status_code == 404
    assert eve_client.post(move_url(appointment, town_hall, FRIDAY_TEN)).status_code == 404
    assert eve_client.post(url("alert", appointment), {"action": "register", "retour": "liste"}).status_code == 404
    response = eve_client.get(reverse("appointments:slots", args=["passeport"]) + f"?deplacer={appointment.public_id}")
    assert response.status_code == 404
    assert status_of(appointment) == "booked" and Appointment.objects.get(pk=appointment.pk).start == THURSDAY_NINE
    assert not EarlierSlotAlert.objects.exists()


@pytest.mark.parametrize("name", ["my_appointments", "appointment", "calendar", "cancel", "move", "alert"])
def test_the_citizens_pages_ask_to_sign_in(client, appointment, name):
    target = reverse("appointments:my_appointments") if name == "my_appointments" else url(name, appointment)
    response = client.post(target) if name == "alert" else client.get(target)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("my_appointments", "post"),
        ("appointment", "post"),
        ("calendar", "post"),
        ("cancel", "put"),
        ("move", "put"),
        ("alert", "get"),
    ],
)
def test_the_citizens_pages_refuse_the_wrong_method(alice_client, appointment, name, method):
    target = reverse("appointments:my_appointments") if name == "my_appointments" else url(name, appointment)
    assert getattr(alice_client, method)(target).status_code == 405


def test_the_appointment_page_costs_a_bounded_number_of_queries(
    alice_client, appointment, django_assert_max_num_queries
):
    EarlierSlotAlert.objects.create(appointment=appointment)
    with django_assert_max_num_queries(8):
        assert alice_client.get(url("appointment", appointment)).status_code == 200


def test_the_space_shows_the_next_appointment(alice_client, appointment):
    page = alice_client.get(reverse("portal:space")).content.decode()
    assert url("appointment", appointment) in page and reverse("appointments:my_appointments") in page


# Cancelling


def test_a_citizen_confirms_then_cancels_before_the_deadline(alice_client, appointment):
    page = alice_client.get(url("cancel", appointment)).content.decode()
    assert 'class="button--danger"' in page
    assert status_of(appointment) == "booked"  # a GET changes nothing
    response = alice_client.post(url("cancel", appointment), follow=True)
    assert response.redirect_chain == [(reverse("appointments:my_appointments"), 302)]
    assert shown(response, "Your appointment is cancelled: the slot is offered to others again.")
    assert status_of(appointment) == "cancelled"


def test_after_the_deadline_the_buttons_give_way_to_the_phone(alice_client, appointment, etat_civil, too_late):
    etat_civil.phone = "02 38 00 00 00"
    etat_civil.save()
    for name in ("appointment", "cancel"):
        page = alice_client.get(url(name, appointment)).content.decode()
        assert "02 38 00 00 00" in page
        assert url("cancel", appointment) not in page.split("<main", 1)[1] or name == "cancel"
        assert 'class="button--danger"' not in page and "?deplacer=" not in page
    response = alice_client.post(url("cancel", appointment), follow=True)
    assert "Il est trop tard pour modifier ce rendez-vous en ligne" in response.content.decode()
    assert status_of(appointment) == "booked"


def test_a_cancelled_appointment_cannot_be_cancelled_again(alice_client, alice, appointment):
    appointment_cancel(appointment=appointment, actor=alice)
    assert alice_client.post(url("cancel", appointment)).status_code == 404


# Moving


def test_moving_shows_the_week_with_the_current_slot_kept_out_of_the_buttons(alice_client, appointment, passport):
    response = alice_client.get(
        reverse("appointments:slots", args=[passport.slug]) + f"?deplacer={appointment.public_id}"
    )
    page = response.content.decode()
    assert response.context["moving"] == appointment
    assert f'action="{url("move", appointment)}"' in page
    assert f'value="{slot(appointment.agenda, THURSDAY_NINE)}"' not in page  # shown as "your appointment"
    assert f'value="{slot(appointment.agenda, at("2027-03-04", "09:20"))}"' in page
    assert "semaine=" in response.context["links"]["next"] and "deplacer=" in response.context["links"]["next"]


def test_a_citizen_moves_an_appointment_and_the_old_slot_is_free(alice_client, appointment, town_hall, passport, eve):
    target = move_url(appointment, town_hall, FRIDAY_TEN)
    page = alice_client.get(target).content.decode()
    assert "vendredi 5 mars 2027" in page and "jeudi 4 mars 2027" in page
    assert Appointment.objects.get(pk=appointment.pk).start == THURSDAY_NINE  # a GET changes nothing
    response = alice_client.post(target, follow=True)
    assert response.redirect_chain == [(url("appointment", appointment), 302)]
    assert shown(
        response, "Your appointment is moved: a confirmation is on its way to %(email)s.", email="alice@example.org"
    )
    moved = Appointment.objects.get(pk=appointment.pk)
    assert (moved.start, moved.sequence) == (FRIDAY_TEN, 1)
    assert appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=eve)


def test_a_move_to_a_slot_just_taken_keeps_the_old_one(alice_client, appointment, town_hall, passport, eve):
    target = move_url(appointment, town_hall, FRIDAY_TEN)
    appointment_book(type=passport, agenda=town_hall, start=FRIDAY_TEN, citizen=eve)
    response = alice_client.post(target, follow=True)
    assert shown(response, TAKEN)
    assert response.context["moving"] == appointment  # the week again, still moving
    assert Appointment.objects.get(pk=appointment.pk).start == THURSDAY_NINE


def test_a_move_to_another_place_of_the_type(alice_client, appointment, annexe):
    alice_client.post(move_url(appointment, annexe, FRIDAY_TEN))
    assert Appointment.objects.get(pk=appointment.pk).agenda == annexe


def test_a_move_to_a_slot_that_does_not_exist_is_refused(alice_client, appointment, planning_office):
    response = alice_client.post(move_url(appointment, planning_office, FRIDAY_TEN), follow=True)
    assert shown(response, "This slot does not exist: choose one in the week.")
    assert response.context["moving"] == appointment
    assert Appointment.objects.get(pk=appointment.pk).start == THURSDAY_NINE


def test_a_citizen_cannot_move_after_the_deadline(alice_client, appointment, town_hall, too_late):
    response = alice_client.post(move_url(appointment, town_hall, FRIDAY_TEN), follow=True)
    assert "Il est trop tard pour modifier ce rendez-vous en ligne" in response.content.decode()
    assert Appointment.objects.get(pk=appointment.pk).start == THURSDAY_NINE


def test_moving_asks_to_sign_in_first(client, appointment, passport):
    response = client.get(reverse("appointments:slots", args=[passport.slug]) + f"?deplacer={appointment.public_id}")
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_moving_an_appointment_of_another_type_or_a_wrong_id_is_not_found(alice_client, appointment, identity_card):
    slots = reverse("appointments:slots", args=[identity_card.slug])
    identity_card_agenda = appointment.agenda.rules.get()
    identity_card_agenda.types.add(identity_card)
    assert alice_client.get(f"{slots}?deplacer={appointment.public_id}").status_code == 404
    assert alice_client.get(f"{slots}?deplacer=pas-un-identifiant").status_code == 404


# The earlier-slot alert


def test_a_citizen_asks_to_be_told_of_an_earlier_slot_then_stops(alice_client, appointment):
    response = alice_client.post(
        url("alert", appointment), {"action": "register", "any_agenda": "on", "retour": "detail"}, follow=True
    )
    assert response.redirect_chain == [(url("appointment", appointment), 302)]
    assert shown(response, "We will tell you if an earlier slot frees up.")
    assert EarlierSlotAlert.objects.get(appointment=appointment).any_agenda is True
    assert 'value="delete"' in response.content.decode()
    response = alice_client.post(url("alert", appointment), {"action": "delete", "retour": "liste"}, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("appointments:my_appointments"))
    assert not EarlierSlotAlert.objects.exists()


def test_a_wrong_alert_choice_is_refused_clearly(alice_client, appointment):
    response = alice_client.post(url("alert", appointment), {"action": "toujours", "retour": "liste"}, follow=True)
    assert shown(response, "This choice is not valid: please try again.")
    assert not EarlierSlotAlert.objects.exists()


def test_the_cancel_page_offers_to_keep_the_appointment_in_good_french(alice_client, appointment):
    page = alice_client.get(url("cancel", appointment)).content.decode()
    assert "Conserver le rendez-vous" in page and "La conserver" not in page
