"""What a booking records besides its slot: whom it is for (the citizen or a member of their own household), the ANTS
pre-application number when the type asks for it, and what to bring, shown before booking and in the emails. "Now" is
Monday 1 March 2027 at 08:00; the passport counter opens 09:00–12:00, Monday to Friday."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from appointments.models import Appointment
from appointments.services import appointment_book, appointment_reminders_send
from portal.models import HouseholdMember
from tests.appointments.conftest import at, shown, slot
from tests.conftest import sign_in

THURSDAY_NINE = at("2027-03-04", "09:00")
FRIDAY_TEN = at("2027-03-05", "10:00")
NUMBER = "1234AB5678"
FORMAT = "The ANTS pre-application number has 10 characters, letters and digits, like 1234AB5678."


@pytest.fixture
def ants_passport(passport):
    passport.asks_ants_number = True
    passport.to_bring = "Une photo d'identité de moins de six mois\n\n- Un justificatif de domicile\n"
    passport.save()
    return passport


@pytest.fixture
def lea(alice) -> HouseholdMember:
    return HouseholdMember.objects.get(household__members__user=alice, first_name="Léa")


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def book_url(type, agenda, start) -> str:
    return reverse("appointments:book", args=[type.slug]) + f"?creneau={slot(agenda, start)}"


# Whom it is for


def test_a_citizen_books_for_a_member_of_their_household(now, passport, town_hall, alice, lea):
    appointment = appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice, member=lea)
    assert (appointment.citizen, appointment.member, appointment.person) == (alice, lea, "Léa Martin")


def test_nobody_books_for_a_member_of_another_household(now, passport, town_hall, eve, lea):
    with pytest.raises(ValidationError) as refused:
        appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=eve, member=lea)
    assert refused.value.code == "member"
    assert not Appointment.objects.exists()


def test_the_limit_of_upcoming_appointments_counts_each_person_apart(now, passport, town_hall, alice, lea):
    appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice)
    appointment_book(type=passport, agenda=town_hall, start=FRIDAY_TEN, citizen=alice, member=lea)
    with pytest.raises(ValidationError) as refused:
        appointment_book(type=passport, agenda=town_hall, start=at("2027-03-05", "11:00"), citizen=alice, member=lea)
    assert refused.value.code == "limit"


def test_the_booking_page_offers_the_citizen_and_the_other_members_of_their_household_only(
    alice_client, now, passport, town_hall, eve, lea
):
    response = alice_client.get(book_url(passport, town_hall, THURSDAY_NINE))
    choices = [str(label) for _value, label in response.context["form"].fields["pour"].choices]
    assert choices[0] == "Moi-même (Alice Martin)"
    assert sorted(choices[1:]) == [
        "Hugo Martin (enfant)",
        "Julien Martin (conjoint ou conjointe)",
        "Léa Martin (enfant)",
    ]
    eves = HouseholdMember.objects.get(user=eve)
    response = alice_client.post(book_url(passport, town_hall, THURSDAY_NINE), {"pour": eves.pk})
    assert response.status_code == 200 and response.context["form"].errors["pour"]
    assert not Appointment.objects.exists()


def test_a_citizen_without_household_is_not_asked_for_whom(client, now, passport, town_hall, bob):
    sign_in(client, bob)
    response = client.get(book_url(passport, town_hall, THURSDAY_NINE))
    assert "pour" not in response.context["form"].fields


def test_the_member_is_shown_on_the_confirmation_the_list_the_calendar_file_and_the_agenda(
    alice_client, client, now, passport, town_hall, lea, bob
):
    response = alice_client.post(book_url(passport, town_hall, THURSDAY_NINE), {"pour": lea.pk}, follow=True)
    appointment = Appointment.objects.get()
    assert appointment.member == lea
    assert "Léa Martin" in response.content.decode()
    listed = alice_client.get(reverse("appointments:my_appointments")).content.decode()
    assert "<dt>Pour</dt>" in listed and "Léa Martin" in listed
    ics = alice_client.get(reverse("appointments:calendar", args=[appointment.public_id])).content
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert "Pour : Léa Martin" in str(event["description"])
    sign_in(client, bob)
    agenda = client.get(reverse("backoffice:agenda", args=[town_hall.pk]) + "?date=2027-03-04").content.decode()
    assert "Pour Léa Martin (enfant)" in agenda


# The ANTS pre-application number


def test_the_number_is_asked_with_where_to_find_it_and_a_link_to_the_ants(alice_client, now, ants_passport, town_hall):
    page = alice_client.get(book_url(ants_passport, town_hall, THURSDAY_NINE)).content.decode()
    assert 'name="predemande"' in page and 'href="https://passeport.ants.gouv.fr"' in page


def test_the_number_is_required_online_and_its_format_checked_keeping_what_was_typed(
    alice_client, now, ants_passport, town_hall, lea
):
    url = book_url(ants_passport, town_hall, THURSDAY_NINE)
    response = alice_client.post(url, {"pour": lea.pk})
    assert response.context["form"].errors["predemande"] == ["Ce champ est obligatoire."]
    response = alice_client.post(url, {"pour": lea.pk, "predemande": "12-34"})
    assert shown(response, FORMAT)
    assert 'value="12-34"' in response.content.decode()
    assert response.context["form"]["pour"].value() == str(lea.pk)
    assert not Appointment.objects.exists()


def test_the_number_is_kept_in_capitals_without_spaces_and_shown_to_agents(
    alice_client, client, now, ants_passport, town_hall, bob
):
    alice_client.post(book_url(ants_passport, town_hall, THURSDAY_NINE), {"predemande": " 1234 ab-5678 "})
    appointment = Appointment.objects.get()
    assert appointment.ants_number == NUMBER
    page = alice_client.get(reverse("appointments:appointment", args=[appointment.public_id])).content.decode()
    assert NUMBER in page
    sign_in(client, bob)
    agenda = client.get(reverse("backoffice:agenda", args=[town_hall.pk]) + "?date=2027-03-04").content.decode()
    assert f"Pré-demande ANTS : {NUMBER}" in agenda


def test_the_service_refuses_a_missing_or_malformed_number_online_and_agents_may_leave_it(
    now, ants_passport, town_hall, alice, bob
):
    for number in ("", "12ab", "1234ab5678"):
        with pytest.raises(ValidationError) as refused:
            appointment_book(
                type=ants_passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice, ants_number=number
            )
        assert refused.value.code == "ants_number"
    booked = appointment_book(type=ants_passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice, booked_by=bob)
    assert booked.ants_number == ""


def test_a_type_that_does_not_ask_for_the_number_neither_shows_nor_keeps_it(alice_client, now, passport, town_hall):
    url = book_url(passport, town_hall, THURSDAY_NINE)
    assert "predemande" not in alice_client.get(url).context["form"].fields
    alice_client.post(url, {"predemande": NUMBER})
    assert Appointment.objects.get().ants_number == ""


# What to bring


def test_what_to_bring_is_listed_on_the_slots_and_the_booking_pages(alice_client, now, ants_passport, town_hall):
    for url in (reverse("appointments:slots", args=["passeport"]), book_url(ants_passport, town_hall, THURSDAY_NINE)):
        page = alice_client.get(url).content.decode()
        assert "<li>Une photo d&#x27;identité de moins de six mois</li>" in page
        assert "<li>Un justificatif de domicile</li>" in page
    assert ants_passport.to_bring_items == ["Une photo d'identité de moins de six mois", "Un justificatif de domicile"]


def test_what_to_bring_and_for_whom_are_in_the_confirmation_and_the_reminder(
    now, ants_passport, town_hall, alice, lea, sent, time_machine
):
    sent(
        lambda: appointment_book(
            type=ants_passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice, member=lea, ants_number=NUMBER
        )
    )
    time_machine.move_to(at("2027-03-02", "09:00"), tick=False)
    assert sent(lambda: appointment_reminders_send(now=at("2027-03-02", "09:00"))) == 1
    confirmation, reminder = mail.outbox
    for message in (confirmation, reminder):
        assert (
            "À apporter :\n- Une photo d'identité de moins de six mois\n- Un justificatif de domicile" in message.body
        )
        assert "Pour : Léa Martin" in message.body
        html = message.alternatives[0][0]
        assert "<li>Un justificatif de domicile</li>" in html and "Pour : Léa Martin" in html
