"""alice books a passport appointment, asks for an earlier slot, moves the appointment and cancels it, with the
keyboard only; axe-core on every page she visits, no console error. And a slot taken meanwhile brings the week back
with a clear message."""

import pytest
from django.core import mail
from django.utils.translation import gettext
from playwright.sync_api import expect

from appointments.models import Appointment, EarlierSlotAlert
from appointments.services import appointment_book
from tests.appointments.conftest import at, slot
from tests.browser.booking import booking  # noqa: F401 (fixture)
from tests.browser.conftest import assert_accessible, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TUESDAY_NINE = at("2027-03-02", "09:00")
WEDNESDAY_TEN = at("2027-03-03", "10:00")


def _press(page, selector: str, url: str, limit: int = 100) -> None:
    """Reach the link or button with Tab, press Enter, and wait for the page it opens; then check it."""
    tab_to(page, selector, limit=limit)
    page.keyboard.press("Enter")
    page.wait_for_url(url)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_alice_books_moves_and_cancels_an_appointment_with_the_keyboard_only(page, alice, booking):  # noqa: F811
    town_hall = booking.town_hall
    sign_in(page, alice.email)
    page.wait_for_url("**/espace/")
    assert_accessible(page)

    _press(page, "main a[href='/rendez-vous/']", "**/rendez-vous/")
    _press(page, "main a[href='/rendez-vous/passeport/']", "**/rendez-vous/passeport/")
    expect(page.locator("main")).to_contain_text("pré-demande en ligne")

    _press(page, f"button[value='{slot(town_hall, TUESDAY_NINE)}']", "**/rendez-vous/passeport/reserver/?creneau=*")
    expect(page.locator("main")).to_contain_text("mardi 2 mars 2027")

    _press(page, "main form[method='post'] button[type='submit']", "**/espace/rendez-vous/*/")
    appointment = Appointment.objects.get(citizen=alice)
    assert appointment.start == TUESDAY_NINE
    expect(page.locator("main")).to_contain_text("Apportez votre pré-demande ANTS")
    assert [message.to for message in mail.outbox] == [[alice.email]]
    assert mail.outbox[0].attachments[0][0] == "rendez-vous.ics"

    tab_to(page, "#any-agenda-" + str(appointment.public_id))
    page.keyboard.press("Space")
    _press(page, "main form.earlier-slot button[type='submit']", f"**/espace/rendez-vous/{appointment.public_id}/")
    assert EarlierSlotAlert.objects.get(appointment=appointment).any_agenda is True

    _press(page, "main a[href*='deplacer=']", "**/rendez-vous/passeport/?deplacer=*")
    expect(page.locator(".slot--current")).to_have_count(1)
    _press(page, f"button[value='{slot(town_hall, WEDNESDAY_TEN)}']", "**/deplacer/?creneau=*")
    expect(page.locator("main")).to_contain_text("mercredi 3 mars 2027")
    _press(page, "main form[method='post'] button[type='submit']", f"**/espace/rendez-vous/{appointment.public_id}/")
    appointment.refresh_from_db()
    assert (appointment.start, appointment.sequence) == (WEDNESDAY_TEN, 1)
    expect(page.locator("main")).to_contain_text("mercredi 3 mars 2027")

    _press(page, "main a[href$='/annuler/']", "**/annuler/")
    _press(page, "main button.button--danger", "**/espace/rendez-vous/")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    expect(page.locator("main")).to_contain_text(gettext("You have no upcoming appointment."))
    assert len(mail.outbox) == 3  # confirmed, moved, cancelled


def test_a_slot_taken_meanwhile_brings_the_week_back_with_a_clear_message(page, alice, eve, booking):  # noqa: F811
    passport, town_hall = booking.passport, booking.town_hall
    sign_in(page, alice.email)
    page.goto(f"/rendez-vous/passeport/reserver/?creneau={slot(town_hall, TUESDAY_NINE)}")
    assert_accessible(page)
    appointment_book(type=passport, agenda=town_hall, start=TUESDAY_NINE, citizen=eve)
    _press(page, "main form[method='post'] button[type='submit']", "**/rendez-vous/passeport/?*")
    expect(page.locator(".messages")).to_contain_text(
        gettext("This slot has just been booked by someone else: please choose another one.")
    )
    expect(page.locator(f"button[value='{slot(town_hall, TUESDAY_NINE)}']")).to_have_count(0)
    expect(page.locator(f"button[value='{slot(town_hall, at('2027-03-02', '09:20'))}']")).to_have_count(1)
    assert not Appointment.objects.filter(citizen=alice).exists()
