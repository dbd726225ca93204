"""axe-core on every page of the portal, for the persona who sees it, and no horizontal scroll on a phone."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from appointments.services import appointment_book, appointment_cancel, earlier_slot_alert_register
from gru.models import Access, Membership
from teleservices import services
from tests.appointments.conftest import at, slot
from tests.browser.booking import booking  # noqa: F401 (fixture)
from tests.browser.conftest import assert_accessible, sign_in
from tests.teleservices.conftest import pdf_bytes
from vault import demo as vault_demo
from vault import services as vault_services
from vault.files import file_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANONYMOUS = [
    "/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/accessibilite/",
    "/compte/login/",
    "/compte/signup/",
    "/compte/password/reset/",
]
CITIZEN = [
    "/espace/",
    "/espace/profil/",
    "/espace/foyer/",
    "/espace/foyer/adresse/",
    "/espace/foyer/membres/ajouter/",
    "/espace/foyer/inviter/",
    "/espace/foyer/quitter/",
    "/compte/email/",
    "/compte/password/change/",
    "/compte/2fa/",
    "/espace/documents/",
    "/espace/documents/ajouter/",
    "/espace/notifications/",
    "/espace/consultations/",
    "/rendez-vous/",
    "/espace/rendez-vous/",
]


def test_anonymous_pages_have_no_accessibility_violation(page, organisation):
    for path in ANONYMOUS:
        page.goto(path)
        assert_accessible(page)


def test_citizen_pages_have_no_accessibility_violation(page, alice):
    sign_in(page, alice.email)
    for path in CITIZEN:
        page.goto(path)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
    child = alice.household_member.household.members.get(first_name="Léa")
    for path in (f"/espace/foyer/membres/{child.pk}/", f"/espace/foyer/membres/{child.pk}/retirer/"):
        page.goto(path)
        assert_accessible(page)


def test_a_form_in_error_keeps_the_focus_on_its_error_summary_and_stays_accessible(page, alice):
    sign_in(page, alice.email)
    page.goto("/espace/profil/")
    page.fill("#id_phone", "12")
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#id_phone")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


def test_the_agents_back_office_and_second_factor_pages_have_no_violation(page, bob):
    sign_in(page, bob.email, totp=True)
    page.wait_for_url("**/agents/")
    assert_accessible(page)
    page.goto("/compte/2fa/")
    assert_accessible(page)


def test_the_access_logs_of_the_citizen_and_of_the_manager_have_no_violation(page, bob, alice, etat_civil):
    Membership.objects.filter(user=bob, department=etat_civil).update(role=Membership.Role.MANAGER)
    Access.objects.create(agent=bob, department=etat_civil, citizen=alice, kind="case", subject="DEM-1", reason="DEM-1")
    sign_in(page, bob.email, totp=True)
    page.wait_for_url("**/agents/")
    page.goto("/agents/journal-des-acces/")
    expect(page.locator("tbody tr")).to_have_count(2)  # the read of alice's request, and this read of the log
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, alice.email)
    page.goto("/espace/consultations/")
    expect(page.locator(".access-log li")).to_have_count(1)
    assert_accessible(page)


def test_the_totp_enrolment_page_has_no_violation(page, alice):
    sign_in(page, alice.email)
    page.goto("/compte/2fa/totp/activate/")
    page.fill("#id_password", "correct-horse-battery-staple")
    page.keyboard.press("Enter")
    page.wait_for_url("**/2fa/totp/activate/")
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", "/compte/signup/"])
def test_public_pages_fit_a_phone_screen_without_horizontal_scroll(page, organisation, path):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_household_page_fits_a_phone_screen(page, alice):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, alice.email)
    page.goto("/espace/foyer/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def _assert_accessible_on_a_desktop_and_a_phone(page, paths: list[str]) -> None:
    """Each page at a desktop's width, then a phone's: one h1, no violation, no horizontal scroll."""
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(path)
            expect(page.locator("h1")).to_have_count(1)
            assert_accessible(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path


def _alice_requests(alice, teleservices):
    """A submitted report with a message and a draft of the occupation of the public domain (a repeatable block)."""
    report = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    answers = {"categorie": "eclairage", "localisation": "Devant le 4 rue des Tilleuls"}
    report = services.case_submit(case=services.case_page_save(case=report, answers=answers, files={}, page=0))
    services.case_message_post(case=report, author=alice, body="Le lampadaire clignote.", files=[], from_agent=False)
    draft = services.case_start(user=alice, teleservice=teleservices["occupation-domaine-public"])
    return report, draft


def test_the_procedure_pages_have_no_violation_and_fit_a_phone(page, alice, teleservices):
    report, draft = _alice_requests(alice, teleservices)
    page.goto("/demarches/")
    assert_accessible(page)
    sign_in(page, alice.email)
    paths = [
        "/demarches/?q=acte",
        "/demarches/occupation-domaine-public/",
        "/espace/demandes/",
        f"/espace/demandes/{report.reference}/",
        *[f"/brouillons/{draft.public_id}/etape/{n}/" for n in (1, 2, 3)],
        f"/brouillons/{draft.public_id}/recapitulatif/",
    ]
    _assert_accessible_on_a_desktop_and_a_phone(page, paths)


def test_the_space_with_unread_notifications_and_the_notification_choices_have_no_violation(
    page, alice, teleservices, settings
):
    settings.SMS_ENABLED = True  # the profile offers text messages too
    _alice_requests(alice, teleservices)
    sign_in(page, alice.email)
    expect(page.locator(".notification--unread")).to_have_count(1)  # the acknowledgement of her report
    for path in ("/espace/", "/espace/notifications/", "/espace/profil/"):
        page.goto(path)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
    page.goto("/espace/")
    expect(page.locator(".notification--unread")).to_have_count(0)  # seen on the notifications page


def test_the_administrators_preview_has_no_violation(page, dave, teleservices):
    sign_in(page, dave.email, totp=True)
    for number in (1, 2, 3):
        page.goto(f"/demarches/occupation-domaine-public/apercu/{number}/")
        assert_accessible(page)


def test_the_vault_with_a_document_has_no_accessibility_violation(page, alice):
    checked = file_check(SimpleUploadedFile("rib.pdf", pdf_bytes(), "application/pdf"), types=["pdf"], max_size=10**7)
    stored = vault_services.stored_file_create(owner=alice, checked=checked)
    document = vault_services.document_add(
        owner=alice, type=vault_demo.seed()["rib"], issued_on=datetime.date(2026, 1, 5), files=[stored]
    )
    sign_in(page, alice.email)
    for path in ("/espace/documents/", f"/espace/documents/ajouter/?remplace={document.public_id}"):
        page.goto(path)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
    page.goto(f"/espace/documents/{document.public_id}/supprimer/")
    assert_accessible(page)


def test_the_booking_pages_have_no_violation_and_fit_a_phone(page, alice, booking):  # noqa: F811
    passport, town_hall = booking.passport, booking.town_hall
    past = appointment_book(type=passport, agenda=town_hall, start=at("2027-03-02", "09:00"), citizen=alice)
    appointment_cancel(appointment=past, actor=alice)  # the limit is one upcoming passport appointment
    upcoming = appointment_book(type=passport, agenda=town_hall, start=at("2027-03-04", "09:00"), citizen=alice)
    earlier_slot_alert_register(appointment=upcoming, citizen=alice, any_agenda=False)
    sign_in(page, alice.email)
    paths = [
        "/rendez-vous/",
        "/rendez-vous/passeport/",
        "/rendez-vous/passeport/?semaine=2027-03-08",
        "/rendez-vous/passeport/?semaine=demain",  # with its error summary
        f"/rendez-vous/passeport/reserver/?creneau={slot(town_hall, at('2027-03-05', '09:00'))}",
        "/espace/",
        "/espace/rendez-vous/",
        f"/espace/rendez-vous/{upcoming.public_id}/",
        f"/espace/rendez-vous/{past.public_id}/",
        f"/espace/rendez-vous/{upcoming.public_id}/annuler/",
        f"/rendez-vous/passeport/?deplacer={upcoming.public_id}",
        f"/espace/rendez-vous/{upcoming.public_id}/deplacer/?creneau={slot(town_hall, at('2027-03-05', '09:00'))}",
    ]
    _assert_accessible_on_a_desktop_and_a_phone(page, paths)


def test_the_agents_agenda_pages_have_no_violation(page, bob, alice, booking):  # noqa: F811
    passport, town_hall = booking.passport, booking.town_hall
    appointment = appointment_book(type=passport, agenda=town_hall, start=at("2027-03-01", "10:00"), citizen=alice)
    sign_in(page, bob.email, totp=True)
    paths = [
        "/agents/agendas/",
        f"/agents/agendas/{town_hall.pk}/",
        f"/agents/agendas/{town_hall.pk}/?vue=semaine",
        f"/agents/agendas/{town_hall.pk}/?date=hier",
        f"/agents/agendas/{town_hall.pk}/reserver/",
        f"/agents/agendas/{town_hall.pk}/reserver/?type={passport.pk}",
        f"/agents/agendas/{town_hall.pk}/reserver/usager/?type={passport.pk}"
        f"&creneau={slot(town_hall, at('2027-03-02', '09:00'))}&q=martin",
        f"/agents/rendez-vous/{appointment.public_id}/annuler/",
        f"/agents/agendas/{town_hall.pk}/calendrier/",
    ]
    for path in paths:
        page.goto(path)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
