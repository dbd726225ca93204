"""The agents' agendas: the day and the week of an agenda, booking for a citizen, cancelling with a reason, recording
who came, the calendar feed. bob is an agent of État civil (the identity-documents agendas); carol, of Urbanisme,
never reaches them. "Now" is Monday 1 March 2027 at 08:00; alice's appointment is on Thursday 4 March at 09:00."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from appointments.models import Agenda, Appointment
from appointments.services import appointment_book
from gru.models import Notification
from tests.appointments.conftest import at, booked, shown, slot
from tests.conftest import sign_in
from tests.factories import MembershipFactory

THURSDAY_NINE = at("2027-03-04", "09:00")
TAKEN = "This slot has just been booked by someone else: please choose another one."


@pytest.fixture
def appointment(now, passport, town_hall, alice) -> Appointment:
    return appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice)


def agenda_url(agenda: Agenda, **query) -> str:
    url = reverse("backoffice:agenda", args=[agenda.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def feed_url(agenda: Agenda, agent) -> str:
    return reverse("backoffice:agenda_feed", args=[agenda.pk, agenda.feed_key_for(agent)])


def book_slot_url(agenda: Agenda, type, start, q: str = "") -> str:
    url = reverse("backoffice:agenda_book_slot", args=[agenda.pk])
    return url + f"?type={type.pk}&creneau={slot(agenda, start)}" + (f"&q={q}" if q else "")


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# The agendas and their days


def test_an_agent_sees_the_agendas_of_their_departments_only(client, bob, carol, town_hall, annexe, planning_office):
    sign_in(client, bob)
    response = client.get(reverse("backoffice:agendas"))
    assert list(response.context["agendas"]) == [annexe, town_hall]
    assert planning_office.name not in response.content.decode()
    sign_in(client, carol)
    assert list(client.get(reverse("backoffice:agendas")).context["agendas"]) == [planning_office]


def test_the_agendas_pages_are_for_agents_only(client, alice, town_hall, appointment):
    pages = [
        reverse("backoffice:agendas"),
        agenda_url(town_hall),
        reverse("backoffice:agenda_book", args=[town_hall.pk]),
        reverse("backoffice:agenda_calendar", args=[town_hall.pk]),
        reverse("backoffice:appointment_cancel", args=[appointment.public_id]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(alice)
    assert {client.get(page).status_code for page in pages} == {403}


def test_the_day_of_an_agenda_shows_its_appointments_with_the_citizens_contact(bob_client, appointment, town_hall):
    response = bob_client.get(agenda_url(town_hall, date="2027-03-04"))
    page = response.content.decode()
    assert "Alice Martin" in page and "alice@example.org" in page and "Demande de passeport" in page
    assert reverse("backoffice:appointment_cancel", args=[appointment.public_id]) in page
    assert 'value="seen"' not in page  # not the day yet
    assert list(bob_client.get(agenda_url(town_hall, date="2027-03-03")).context["days"].values()) == [[]]


def test_the_week_of_an_agenda_has_its_seven_days(bob_client, appointment, town_hall):
    response = bob_client.get(agenda_url(town_hall, vue="semaine", date="2027-03-04"))
    days = response.context["days"]
    assert [day.isoformat() for day in days][:2] == ["2027-03-01", "2027-03-02"] and len(days) == 7
    assert [row.appointment for row in days[THURSDAY_NINE.date()]] == [appointment]
    assert "vue=semaine&date=2027-03-08" in response.context["links"]["next"]


def test_a_wrong_date_is_reported_and_today_shown(bob_client, now, town_hall):
    response = bob_client.get(agenda_url(town_hall, date="hier", vue="mois"))
    assert set(response.context["form"].errors) == {"date", "vue"}
    assert 'class="error-summary"' in response.content.decode()
    assert [day.isoformat() for day in response.context["days"]] == ["2027-03-01"]


def test_carol_cannot_see_the_etat_civil_agendas_or_their_appointments(carol_client, appointment, town_hall):
    assert carol_client.get(agenda_url(town_hall)).status_code == 404
    assert carol_client.get(reverse("backoffice:agenda_book", args=[town_hall.pk])).status_code == 404
    assert carol_client.get(reverse("backoffice:agenda_calendar", args=[town_hall.pk])).status_code == 404
    cancel = reverse("backoffice:appointment_cancel", args=[appointment.public_id])
    assert carol_client.post(cancel, {"reason": "Non"}).status_code == 404
    mark = reverse("backoffice:appointment_mark", args=[appointment.public_id])
    assert carol_client.post(mark, {"outcome": "no_show"}).status_code == 404
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"


def test_the_day_costs_the_same_queries_whatever_its_appointments(
    bob_client, bob, now, passport, town_hall, eve, alice, django_assert_max_num_queries
):
    url = agenda_url(town_hall, date="2027-03-04")
    queries(bob_client, url)  # the session and the organisation are cached from then on
    few = queries(bob_client, url)
    for n in range(6):
        booked(town_hall, passport, eve if n % 2 else alice, THURSDAY_NINE + n * passport.duration, booked_by=bob)
    assert queries(bob_client, url) == few
    with django_assert_max_num_queries(10):
        bob_client.get(url)


def test_the_agendas_list_costs_the_same_queries_whatever_the_number_of_agendas(
    bob_client, now, etat_civil, town_hall, passport, eve, django_assert_max_num_queries
):
    url = reverse("backoffice:agendas")
    queries(bob_client, url)
    few = queries(bob_client, url)
    for n in range(5):
        Agenda.objects.create(department=etat_civil, name=f"Guichet {n}", place=f"Guichet {n}")
        booked(town_hall, passport, eve, at("2027-03-01", "09:00") + n * passport.duration)
    assert queries(bob_client, url) == few
    with django_assert_max_num_queries(8):
        bob_client.get(url)


def test_the_agents_actions_ask_to_sign_in(client, appointment, town_hall):
    posts = [
        reverse("backoffice:appointment_mark", args=[appointment.public_id]),
        reverse("backoffice:appointment_cancel", args=[appointment.public_id]),
        reverse("backoffice:agenda_feed_regenerate", args=[town_hall.pk]),
        book_slot_url(town_hall, appointment.type, at("2027-03-02", "09:00"), q="martin"),
    ]
    for url in posts:
        response = client.post(url, {"outcome": "seen", "reason": "Non", "account": appointment.citizen_id})
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert Appointment.objects.get().status == "booked"
    assert Appointment.objects.count() == 1


def test_carol_cannot_book_on_an_etat_civil_agenda(carol_client, alice, passport, town_hall, now):
    url = book_slot_url(town_hall, passport, at("2027-03-02", "09:00"), q="martin")
    assert carol_client.get(url).status_code == 404
    assert carol_client.post(url, {"account": alice.pk}).status_code == 404
    assert not Appointment.objects.exists()


def test_the_agents_forms_refuse_the_wrong_method(bob_client, appointment, town_hall):
    assert bob_client.put(reverse("backoffice:appointment_cancel", args=[appointment.public_id])).status_code == 405
    assert bob_client.post(reverse("backoffice:agenda_book", args=[town_hall.pk])).status_code == 405
    assert bob_client.put(book_slot_url(town_hall, appointment.type, THURSDAY_NINE)).status_code == 405
    assert bob_client.post(reverse("backoffice:agenda_calendar", args=[town_hall.pk])).status_code == 405


def test_booking_for_a_citizen_with_a_wrong_type_or_week_is_reported(bob_client, town_hall, planning_advice, now):
    url = reverse("backoffice:agenda_book", args=[town_hall.pk])
    response = bob_client.get(f"{url}?type={planning_advice.pk}&semaine=bientot")  # a type this agenda does not take
    assert set(response.context["form"].errors) == {"type", "semaine"}
    assert 'class="error-summary"' in response.content.decode() and response.context["week"] is None


def test_the_agendas_list_refuses_a_post(bob_client, town_hall):
    assert bob_client.post(reverse("backoffice:agendas")).status_code == 405
    assert bob_client.post(agenda_url(town_hall)).status_code == 405


# Recording who came


def test_an_agent_records_that_the_citizen_came_on_the_day(bob_client, bob, appointment, town_hall, time_machine):
    mark = reverse("backoffice:appointment_mark", args=[appointment.public_id])
    response = bob_client.post(mark, {"outcome": "seen"}, follow=True)
    assert "Ce rendez-vous n’a pas encore eu lieu." in response.content.decode()
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"
    time_machine.move_to(at("2027-03-04", "09:30"), tick=False)
    bob_client.logout()  # a new session: the last one has been idle too long
    sign_in(bob_client, bob)
    response = bob_client.post(mark, {"outcome": "no_show"}, follow=True)
    assert response.redirect_chain == [(agenda_url(town_hall, date="2027-03-04"), 302)]
    assert Appointment.objects.get(pk=appointment.pk).status == "no_show"
    bob_client.post(mark, {"outcome": "seen"})  # corrected
    assert Appointment.objects.get(pk=appointment.pk).status == "seen"


def test_recording_refuses_a_wrong_outcome_or_method(bob_client, appointment):
    mark = reverse("backoffice:appointment_mark", args=[appointment.public_id])
    response = bob_client.post(mark, {"outcome": "cancelled"}, follow=True)
    assert shown(response, "Choose whether the citizen came or not.")
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"
    assert bob_client.get(mark).status_code == 405


# Cancelling with a reason


def test_an_agent_cancels_giving_the_reason_the_citizen_reads(
    bob_client, appointment, town_hall, django_capture_on_commit_callbacks, mailoutbox
):
    cancel = reverse("backoffice:appointment_cancel", args=[appointment.public_id])
    assert "id_reason" in bob_client.get(cancel).content.decode()
    response = bob_client.post(cancel, {"reason": "  "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(cancel, {"reason": "Guichet fermé : panne informatique"}, follow=True)
    assert response.redirect_chain == [(agenda_url(town_hall, date="2027-03-04"), 302)]
    cancelled = Appointment.objects.get(pk=appointment.pk)
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "Guichet fermé : panne informatique")
    (message,) = mailoutbox
    assert message.to == ["alice@example.org"] and "Guichet fermé : panne informatique" in message.body
    assert Notification.objects.filter(event="appointment_cancelled", channel="space").exists()


def test_a_cancelled_appointment_offers_no_cancellation_again(bob_client, appointment):
    cancel = reverse("backoffice:appointment_cancel", args=[appointment.public_id])
    bob_client.post(cancel, {"reason": "Absence de l'agent"})
    assert 'class="button--danger"' not in bob_client.get(cancel).content.decode()
    response = bob_client.post(cancel, {"reason": "Encore"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()


# Booking for a citizen


def test_an_agent_books_for_a_citizen_who_phoned_within_the_notice(
    bob_client, bob, alice, now, passport, town_hall, django_capture_on_commit_callbacks, mailoutbox
):
    response = bob_client.get(reverse("backoffice:agenda_book", args=[town_hall.pk]) + f"?type={passport.pk}")
    page = response.content.decode()
    nine = at("2027-03-01", "09:00")  # within the citizens' two hours' notice: agents may book it
    assert f'value="{slot(town_hall, nine)}"' in page
    assert f'action="{reverse("backoffice:agenda_book_slot", args=[town_hall.pk])}"' in page
    search = bob_client.get(book_slot_url(town_hall, passport, nine, q="martin"))
    assert list(search.context["found"]) == [alice]
    assert 'type="radio"' in search.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(book_slot_url(town_hall, passport, nine, q="martin"), {"account": alice.pk})
    appointment = Appointment.objects.get()
    assert (appointment.citizen, appointment.booked_by, appointment.start) == (alice, bob, nine)
    assert response.url == agenda_url(town_hall, date="2027-03-01")
    assert [message.to for message in mailoutbox] == [["alice@example.org"]]


def test_booking_for_a_citizen_refuses_an_account_not_found_by_the_search(
    bob_client, bob, eve, passport, town_hall, now
):
    url = book_slot_url(town_hall, passport, at("2027-03-02", "09:00"), q="martin")
    response = bob_client.post(url, {"account": eve.pk})
    assert response.status_code == 200 and "account" in response.context["form"].errors
    assert bob_client.post(url, {"account": bob.pk}).status_code == 200  # an agent is no citizen
    assert not Appointment.objects.exists()


def test_booking_for_a_citizen_a_slot_just_taken_brings_the_week_back(bob_client, alice, eve, passport, town_hall, now):
    start = at("2027-03-02", "09:00")
    appointment_book(type=passport, agenda=town_hall, start=start, citizen=eve)
    response = bob_client.post(
        book_slot_url(town_hall, passport, start, q="martin"), {"account": alice.pk}, follow=True
    )
    assert shown(response, TAKEN) and response.context["week"] is not None
    assert not Appointment.objects.filter(citizen=alice).exists()


def test_booking_for_a_citizen_a_slot_of_another_agenda_is_refused(bob_client, passport, town_hall, annexe, now):
    url = reverse("backoffice:agenda_book_slot", args=[town_hall.pk])
    response = bob_client.get(
        f"{url}?type={passport.pk}&creneau={slot(annexe, at('2027-03-02', '09:00'))}", follow=True
    )
    assert shown(response, "This slot does not exist: choose one in the week.")
    assert response.redirect_chain == [(reverse("backoffice:agenda_book", args=[town_hall.pk]), 302)]


def test_the_booking_week_costs_the_same_queries_whatever_its_bookings(
    bob_client, eve, passport, town_hall, now, django_assert_max_num_queries
):
    url = reverse("backoffice:agenda_book", args=[town_hall.pk]) + f"?type={passport.pk}"
    queries(bob_client, url)
    few = queries(bob_client, url)
    for n in range(5):
        booked(town_hall, passport, eve, at("2027-03-02", "09:00") + n * passport.duration)
    assert queries(bob_client, url) == few
    with django_assert_max_num_queries(12):
        bob_client.get(url)


# The calendar feed


def test_the_feed_page_gives_its_address_and_a_new_one_on_request(bob_client, bob, client, appointment, town_hall):
    page = bob_client.get(reverse("backoffice:agenda_calendar", args=[town_hall.pk])).content.decode()
    old = feed_url(town_hall, bob)
    assert old in page
    response = bob_client.post(reverse("backoffice:agenda_feed_regenerate", args=[town_hall.pk]), follow=True)
    assert shown(response, "The calendar feed has a new address: the old one no longer works.")
    town_hall.refresh_from_db()
    new = feed_url(town_hall, bob)
    assert new != old and new in response.content.decode()
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_the_feed_is_read_with_an_agents_key_and_no_session(client, bob, appointment, town_hall):
    response = client.get(feed_url(town_hall, bob))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == THURSDAY_NINE and "Alice Martin" in str(event["summary"])


def test_the_feed_with_a_wrong_key_is_not_found(client, bob, carol, town_hall, annexe):
    bobs_key = town_hall.feed_key_for(bob)
    wrong = ["pas-le-bon-jeton", f"{bob.pk}-{'0' * 64}", f"{carol.pk}{bobs_key[len(str(bob.pk)) :]}", "-", ""]
    for key in wrong:
        assert client.get(reverse("backoffice:agenda_feed", args=[town_hall.pk, key or "x"])).status_code == 404
    assert client.get(reverse("backoffice:agenda_feed", args=[annexe.pk, bobs_key])).status_code == 404  # not its


def test_an_agent_of_another_department_has_no_feed_key_that_works(client, carol, town_hall):
    assert client.get(feed_url(town_hall, carol)).status_code == 404


def test_an_agent_removed_from_the_department_loses_the_feed_at_once_the_others_keep_theirs(
    client, bob, town_hall, etat_civil
):
    colleague = MembershipFactory(department=etat_civil).user
    bobs, colleagues = feed_url(town_hall, bob), feed_url(town_hall, colleague)
    assert client.get(bobs).status_code == 200
    bob.memberships.get(department=etat_civil).delete()
    assert client.get(bobs).status_code == 404
    assert client.get(colleagues).status_code == 200


def test_the_feed_refuses_a_post_and_regenerating_a_get(client, bob_client, bob, town_hall):
    assert client.post(feed_url(town_hall, bob)).status_code == 405
    assert bob_client.get(reverse("backoffice:agenda_feed_regenerate", args=[town_hall.pk])).status_code == 405


def test_carol_cannot_give_an_etat_civil_feed_a_new_address(carol_client, town_hall):
    token = town_hall.feed_token
    assert carol_client.post(reverse("backoffice:agenda_feed_regenerate", args=[town_hall.pk])).status_code == 404
    town_hall.refresh_from_db()
    assert town_hall.feed_token == token
