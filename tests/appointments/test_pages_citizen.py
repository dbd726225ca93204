"""The citizens' booking pages: the catalogue, the week of free slots, booking, "Mes rendez-vous", cancelling and
moving. "Now" is Monday 1 March 2027 at 08:00: with two hours' notice, the first passport slot is at 10:00."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import AppointmentType
from appointments.services import appointment_book
from tests.appointments.conftest import at, booked, rule, shown, slot
from tests.backoffice.conftest import submit

TEN = at("2027-03-01", "10:00")
THURSDAY_NINE = at("2027-03-04", "09:00")
TAKEN = "This slot has just been booked by someone else: please choose another one."


def slots_url(type, **query) -> str:
    url = reverse("appointments:slots", args=[type.slug])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def book_url(type, agenda, start) -> str:
    return reverse("appointments:book", args=[type.slug]) + f"?creneau={slot(agenda, start)}"


@pytest.fixture
def appointment(now, passport, town_hall, alice):
    """alice's passport appointment on Thursday 4 March 2027 at 09:00."""
    return appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice)


# The catalogue


def test_anyone_sees_the_types_bookable_online_that_an_agenda_offers(client, now, passport, town_hall, etat_civil):
    AppointmentType.objects.create(slug="mariage", label="Dossier de mariage", booking=AppointmentType.Booking.AGENTS)
    unoffered = AppointmentType.objects.create(slug="recensement", label="Recensement citoyen")
    response = client.get(reverse("appointments:catalogue"))
    assert response.status_code == 200
    labels = [type.label for type in response.context["types"]]
    assert labels == ["Demande de passeport"]
    assert unoffered.label not in response.content.decode()
    assert f'href="{slots_url(passport)}"' in response.content.decode()


def test_the_catalogue_costs_the_same_queries_whatever_the_number_of_types(
    client, now, town_hall, django_assert_max_num_queries
):
    for n in range(10):
        type = AppointmentType.objects.create(slug=f"motif-{n}", label=f"Motif {n}")
        town_hall.rules.first().types.add(type)
    with django_assert_max_num_queries(3):
        client.get(reverse("appointments:catalogue"))


def test_the_catalogue_refuses_a_post(client, organisation):
    assert client.post(reverse("appointments:catalogue")).status_code == 405


# The week of free slots


def test_the_week_shows_the_free_slots_by_day_from_the_minimum_notice(client, now, passport, town_hall):
    response = client.get(slots_url(passport))
    assert response.status_code == 200
    week = response.context["week"]
    assert week.monday == datetime.date(2027, 3, 1)
    monday = week.days[0]
    assert [f"{timezone.localtime(s.start):%H:%M}" for s in monday.places[0].slots][:2] == ["10:00", "10:20"]
    assert week.count == 6 + 4 * 9  # from 10:00 on Monday, then 09:00 to 11:40 each day
    page = response.content.decode()
    assert f'value="{slot(town_hall, TEN)}"' in page
    assert f'value="{slot(town_hall, at("2027-03-01", "09:40"))}"' not in page  # within the two hours' notice
    assert f'action="{reverse("appointments:book", args=[passport.slug])}"' in page
    assert page.count("<h3>") == 7 and page.count("<h1>") == 1


def test_a_taken_slot_is_not_offered_and_the_next_available_day_is_given(client, now, passport, town_hall, eve):
    rule_ = town_hall.rules.get()
    rule_.weekdays = [2]  # Wednesdays only
    rule_.save()
    booked(town_hall, passport, eve, at("2027-03-03", "09:00"))
    response = client.get(slots_url(passport))
    week = response.context["week"]
    assert timezone.localtime(week.next_free.start) == at("2027-03-03", "09:20")
    assert f'value="{slot(town_hall, at("2027-03-03", "09:00"))}"' not in response.content.decode()


def test_the_week_links_to_the_weeks_around_within_the_horizon(client, now, passport, town_hall):
    response = client.get(slots_url(passport, semaine="2027-03-10"))  # a Wednesday: its week
    week = response.context["week"]
    assert week.monday == datetime.date(2027, 3, 8)
    links = response.context["links"]
    assert "semaine=2027-03-01" in links["previous"] and "semaine=2027-03-15" in links["next"]
    first = client.get(slots_url(passport)).context
    assert first["week"].previous is None  # never before this week
    last = client.get(slots_url(passport, semaine="2027-05-24")).context["week"]  # the 90 days end on 30 May
    assert last.next is None


def test_an_empty_week_points_to_the_next_free_slot(client, now, passport, town_hall):
    town_hall.rules.update(valid_from=datetime.date(2027, 3, 15))
    response = client.get(slots_url(passport))  # the first week with a free slot
    assert response.context["week"].monday == datetime.date(2027, 3, 15)
    response = client.get(slots_url(passport, semaine="2027-03-01"))
    week = response.context["week"]
    assert week.count == 0 and week.next_free_elsewhere
    assert "semaine=2027-03-15" in response.context["links"]["next_free"]
    assert shown(response, "No free slot this week.")


def test_the_week_of_one_place_or_of_any_place_of_the_type(client, now, passport, town_hall, annexe):
    everywhere = client.get(slots_url(passport)).content.decode()
    assert f'value="{slot(town_hall, TEN)}"' in everywhere and f'value="{slot(annexe, TEN)}"' in everywhere
    assert 'name="lieu"' in everywhere
    at_the_annexe = client.get(slots_url(passport, lieu=annexe.pk)).content.decode()
    assert f'value="{slot(annexe, TEN)}"' in at_the_annexe and f'value="{slot(town_hall, TEN)}"' not in at_the_annexe


def test_a_wrong_week_or_place_is_reported_and_the_first_week_shown(client, now, passport, town_hall, annexe):
    response = client.get(slots_url(passport, semaine="demain", lieu="999"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"semaine", "lieu"}
    assert 'class="error-summary"' in response.content.decode()
    assert response.context["week"].count == 2 * 42  # both places, the first week


def test_the_week_of_an_unknown_inactive_or_agents_only_type_is_not_found(client, now, passport, town_hall):
    assert client.get(reverse("appointments:slots", args=["inconnu"])).status_code == 404
    AppointmentType.objects.filter(pk=passport.pk).update(booking=AppointmentType.Booking.AGENTS)
    assert client.get(slots_url(passport)).status_code == 404


def test_the_week_costs_the_same_queries_whatever_its_bookings_and_places(
    client, now, passport, town_hall, annexe, etat_civil, eve, django_assert_max_num_queries
):
    for n in range(5):
        booked(town_hall, passport, eve, at("2027-03-02", "09:00") + n * passport.duration)
    for n in range(3):
        agenda = type(town_hall).objects.create(department=etat_civil, name=f"Guichet {n}", place=f"Guichet {n}")
        rule(agenda, [passport])
    # the type, the agendas, then one search (rules, closures, bookings), and the organisation (the layout)
    with django_assert_max_num_queries(6):
        response = client.get(slots_url(passport))
    assert response.context["week"].count > 42


def test_the_week_refuses_a_post(client, now, passport, town_hall):
    assert client.post(slots_url(passport)).status_code == 405


# Booking


def test_booking_asks_to_sign_in_first(client, now, passport, town_hall):
    url = book_url(passport, town_hall, TEN)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert client.post(url).status_code == 302
    assert not passport.appointments.exists()


def test_the_confirmation_page_shows_the_slot_and_what_to_know_before(alice_client, now, passport, town_hall):
    passport.description = "Faites d'abord votre pré-demande ANTS."
    passport.save()
    response = alice_client.get(book_url(passport, town_hall, TEN))
    assert response.status_code == 200
    page = response.content.decode()
    assert "lundi 1 mars 2027" in page and "10:00" in page and "10:20" in page
    assert "Hôtel de ville, guichet 1" in page and "1 place de la Mairie" in page
    assert "Faites d&#x27;abord votre pré-demande ANTS." in page
    assert passport.instructions not in page  # shown once booked
    assert not passport.appointments.exists()  # a GET books nothing


def test_a_citizen_books_and_reads_the_confirmation_at_once(
    alice_client, alice, now, passport, town_hall, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(book_url(passport, town_hall, TEN), follow=True)
    appointment = passport.appointments.get()
    assert (appointment.citizen, appointment.start, appointment.booked_by) == (alice, TEN, None)
    assert response.redirect_chain == [(reverse("appointments:appointment", args=[appointment.public_id]), 302)]
    assert shown(response, "Your appointment is booked: a confirmation is on its way to %(email)s.", email=alice.email)
    assert "Apportez votre pré-demande ANTS et une photo d&#x27;identité." in response.content.decode()
    assert [message.to for message in mailoutbox] == [[alice.email]]


def test_a_slot_just_taken_brings_the_week_back_with_a_clear_message(alice_client, eve, now, passport, town_hall):
    url = book_url(passport, town_hall, THURSDAY_NINE)
    assert alice_client.get(url).status_code == 200
    appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=eve)  # meanwhile
    response = alice_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == slots_url(passport, semaine="2027-03-01", lieu=town_hall.pk)
    assert shown(response, TAKEN)
    assert response.context["week"].count > 0
    assert not passport.appointments.filter(citizen__email="alice@example.org").exists()
    response = alice_client.get(url, follow=True)  # and when it is opened again
    assert shown(response, TAKEN)


def test_a_slot_value_that_names_no_slot_of_the_type_is_refused(
    alice_client, now, passport, town_hall, planning_office
):
    for value in ("n-importe-quoi", f"{planning_office.pk}-{int(TEN.timestamp())}", "1-99999999999999"):
        url = reverse("appointments:book", args=[passport.slug]) + f"?creneau={value}"
        response = alice_client.post(url, follow=True)
        assert response.redirect_chain[-1][0] == slots_url(passport)
        assert shown(response, "This slot does not exist: choose one in the week.")
    assert not passport.appointments.exists()


def test_a_slot_at_an_odd_time_is_refused_as_taken(alice_client, now, passport, town_hall):
    response = alice_client.post(book_url(passport, town_hall, at("2027-03-02", "09:05")), follow=True)
    assert shown(response, TAKEN) and not passport.appointments.exists()


def test_the_limit_of_upcoming_appointments_is_explained(alice_client, appointment, passport, town_hall):
    response = alice_client.post(book_url(passport, town_hall, at("2027-03-05", "09:00")))
    assert response.status_code == 200
    assert "La limite de rendez-vous à venir pour ce motif (1) est atteinte" in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert passport.appointments.count() == 1


def test_an_identified_only_type_needs_franceconnect(alice_client, alice, now, passport, town_hall):
    AppointmentType.objects.filter(pk=passport.pk).update(identified_only=True)
    url = book_url(passport, town_hall, TEN)
    response = alice_client.get(url)
    assert "Ce rendez-vous demande une identité certifiée par FranceConnect." in response.content.decode()
    assert 'method="post"' not in response.content.decode().split("<main", 1)[1].split("</main>")[0]
    response = alice_client.post(url)
    assert "Ce rendez-vous demande une identité certifiée par FranceConnect." in response.content.decode()
    assert not passport.appointments.exists()
    type(alice).objects.filter(pk=alice.pk).update(identity_certified_at=timezone.now())
    alice_client.post(url)
    assert passport.appointments.count() == 1


def test_the_appointment_may_be_linked_to_one_of_the_citizens_requests(
    alice_client, alice, eve, now, planning_advice, planning_office, teleservices
):
    teleservice = teleservices["acte-de-naissance"]
    AppointmentType.objects.filter(pk=planning_advice.pk).update(teleservice=teleservice)
    mine, theirs = submit(alice, teleservice), submit(eve, teleservice)
    url = book_url(planning_advice, planning_office, at("2027-03-02", "14:00"))
    page = alice_client.get(url).content.decode()
    assert mine.reference in page and theirs.reference not in page
    response = alice_client.post(url, {"demande": theirs.pk})
    assert response.status_code == 200 and "demande" in response.context["form"].errors
    assert not planning_advice.appointments.exists()
    alice_client.post(url, {"demande": mine.pk})
    assert planning_advice.appointments.get().case == mine


def test_booking_refuses_a_put(alice_client, now, passport, town_hall):
    assert alice_client.put(book_url(passport, town_hall, TEN)).status_code == 405


def test_booking_costs_a_bounded_number_of_queries(
    alice_client, now, passport, town_hall, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        alice_client.post(book_url(passport, town_hall, TEN))
    assert passport.appointments.count() == 1
