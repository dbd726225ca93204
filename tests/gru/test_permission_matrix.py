"""Every named URL × every persona, with the answer each one gets: built from the URL configuration, so that a new
URL missing from the table fails `test_every_named_url_is_in_the_matrix`.

The objects are alice's (her household's, État civil's); the outsiders are a citizen of another household (eve) and
an agent of another department (carol). Each persona's request runs in a savepoint rolled back afterwards: what one
persona does (deleting a draft, signing out) never changes what the next one gets. Pages are read with GET, actions
(views that take POST only) are posted empty. The Django admin's own pages follow the admin's rule, checked on every
model's list.

Answers: "2" 200, "R" a redirect elsewhere than to the login page (the action was taken, or the next step), "L" a
redirect to the login page, "B" 400 (a link that is not one), "3" 403, "4" 404, "5" 405 (that method is refused
before anything is read), "U" 503 (not ready).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.admin import site
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from appointments.models import Agenda, Appointment, AppointmentType, Closure, OpeningRule
from backoffice import exports
from backoffice import services as backoffice_services
from backoffice.models import Export, SavedView
from gru.models import Membership
from letters import services as letter_services
from letters.models import Kind, Letter, LetterTemplate
from portal import services as portal_services
from teleservices import services as teleservice_services
from teleservices.letters_context import letter_context
from tests.backoffice.conftest import action, submit
from tests.conftest import TOTP_SECRET, sign_in
from tests.factories import HouseholdMemberFactory, MembershipFactory, UserFactory
from tests.teleservices.test_vault_choice import _document

PERSONAS = ["anonymous", "alice", "marc", "eve", "bob", "carol", "mia", "olga", "dave"]


def _world(alice, eve, bob, carol, dave, teleservices, etat_civil) -> dict[str, Any]:
    """alice's household (marc is its other adult with an account), her requests, documents, letter and appointment;
    bob instructs them at État civil, mia manages it, olga (Voirie) was asked her opinion on the request."""
    household = alice.household_member.household
    marc = UserFactory(email="marc@example.org", first_name="Marc", last_name="Martin")
    HouseholdMemberFactory(household=household, user=marc, first_name="Marc", relationship="partner")
    mia = UserFactory(email="mia@example.org", first_name="Mia", last_name="Manager")
    portal_services.user_totp_enroll(user=mia, secret=TOTP_SECRET)
    MembershipFactory(user=mia, department=etat_civil, role=Membership.Role.MANAGER)
    olga = UserFactory(email="olga@example.org", first_name="Olga", last_name="Voirie")
    portal_services.user_totp_enroll(user=olga, secret=TOTP_SECRET)
    MembershipFactory(user=olga, department=teleservices["signalement-voirie"].department)
    case = submit(alice, teleservices["acte-de-naissance"])
    backoffice_services.case_share(case=case, agent=olga, actor=bob)
    document = _document(alice)
    case.shared_documents.add(document)
    template = LetterTemplate.objects.create(name="Information", slug="info", kind=Kind.INFORMATION, body="Bonjour.")
    letter = letter_services.letter_create(
        case=case, template=template, context=letter_context(case=case, agent=bob), author=bob
    )
    pdf = _document(alice, slug="rib").files.get()
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.SENT, sent_at=timezone.now(), pdf=pdf)
    passport = AppointmentType.objects.create(slug="passeport", label="Passeport", duration_minutes=20)
    agenda = Agenda.objects.create(department=etat_civil, name="Hôtel de ville", place="Guichet 1")
    opening = OpeningRule.objects.create(
        agenda=agenda, weekdays=[0, 1, 2, 3, 4], start_time=datetime.time(9), end_time=datetime.time(12)
    )
    opening.types.set([passport])
    closure = Closure.objects.create(
        agenda=agenda, start=timezone.now(), end=timezone.now() + datetime.timedelta(hours=2)
    )
    start = timezone.now() + datetime.timedelta(days=10)
    appointment = Appointment.objects.create(
        agenda=agenda, type=passport, citizen=alice, start=start, end=start + passport.duration, desk=0
    )
    return {
        "users": {"alice": alice, "marc": marc, "eve": eve, "bob": bob, "carol": carol, "mia": mia, "olga": olga}
        | {"dave": dave},
        "case": case,
        "draft": teleservice_services.case_start(user=alice, teleservice=teleservices["inscription-scolaire"]),
        "counter_draft": teleservice_services.case_start_for(
            agent=bob, teleservice=teleservices["acte-de-naissance"], channel="counter", citizen=alice, applicant={}
        ),
        "transition": action(case, "Accepter"),
        "document": document,
        "child": household.members.get(first_name="Léa"),
        "letter": letter,
        "agenda": agenda,
        "opening": opening,
        "closure": closure,
        "appointment": appointment,
        "export": exports.export_create(owner=bob, format=Export.Format.CSV, query="state=all"),
        "saved_view": SavedView.objects.create(user=bob, name="Mes dossiers", query="vue=mine"),
        "teleservice": teleservices["acte-de-naissance"],
    }


def _case(w):
    return [w["case"].reference]


def _agenda(w):
    return [w["agenda"].pk]


def _appointment(w):
    return [w["appointment"].public_id]


# name: (arguments of the URL, answers of the personas in PERSONAS' order)
Args = Callable[[dict[str, Any]], list[Any]]
MATRIX: dict[str, tuple[Args, str]] = {
    # Public pages
    "home": (lambda w: [], "222222222"),
    "healthz": (lambda w: [], "222222222"),
    "readyz": (lambda w: [], "UUUUUUUUU"),  # no worker nor beat runs beside the tests
    "metrics": (lambda w: [], "444444444"),
    "organisation_logo": (lambda w: [], "444444444"),
    "security_txt": (lambda w: [], "222222222"),
    "legal_notice": (lambda w: [], "222222222"),
    "privacy": (lambda w: [], "222222222"),
    "accessibility": (lambda w: [], "222222222"),
    "set_language": (lambda w: [], "RRRRRRRRR"),
    "letters:verify_start": (lambda w: [], "222222222"),
    "letters:verify": (lambda w: [w["letter"].code], "222222222"),
    "teleservices:catalogue": (lambda w: [], "222222222"),
    "teleservices:start": (lambda w: [w["teleservice"].slug], "222222222"),
    "appointments:catalogue": (lambda w: [], "222222222"),
    "appointments:slots": (lambda w: ["passeport"], "222222222"),
    # Accounts (allauth): sign-in pages for anyone, account pages for the signed-in
    "account_unlock": (lambda w: ["nope"], "444444444"),
    "account_login": (lambda w: [], "2RRRRRRRR"),
    "account_logout": (lambda w: [], "R22222222"),
    "account_inactive": (lambda w: [], "222222222"),
    "account_signup": (lambda w: [], "2RRRRRRRR"),
    "account_reauthenticate": (lambda w: [], "L22222222"),
    "account_request_reauthentication_code": (lambda w: [], "L22222222"),
    "account_confirm_reauthentication_code": (lambda w: [], "LRRRRRRRR"),
    "account_email": (lambda w: [], "L22222222"),
    "account_email_verification_sent": (lambda w: [], "222222222"),
    "account_change_password": (lambda w: [], "L22222222"),
    "account_set_password": (lambda w: [], "LRRRRRRRR"),
    "account_reset_password": (lambda w: [], "222222222"),
    "account_confirm_login_code": (lambda w: [], "LRRRRRRRR"),
    "account_confirm_email": (lambda w: ["nope"], "222222222"),
    "account_reset_password_from_key_done": (lambda w: [], "222222222"),
    "account_reset_password_from_key": (lambda w: ["0", "nope"], "222222222"),
    "account_reset_password_done": (lambda w: [], "222222222"),
    "mfa_index": (lambda w: [], "L22222222"),
    "mfa_authenticate": (lambda w: [], "LRRRRRRRR"),
    "mfa_reauthenticate": (lambda w: [], "LRRR22222"),
    "mfa_activate_totp": (lambda w: [], "LRRRRRRRR"),
    "mfa_deactivate_totp": (lambda w: [], "L444RRRRR"),
    "mfa_view_recovery_codes": (lambda w: [], "L444RRRRR"),
    "mfa_generate_recovery_codes": (lambda w: [], "LRRRRRRRR"),
    "mfa_download_recovery_codes": (lambda w: [], "L444RRRRR"),
    "mfa_list_webauthn": (lambda w: [], "L22222222"),
    "mfa_add_webauthn": (lambda w: [], "LRRRRRRRR"),
    "mfa_reauthenticate_webauthn": (lambda w: [], "LRRRRRRRR"),
    "mfa_remove_webauthn": (lambda w: [1], "LRRRRRRRR"),
    "mfa_edit_webauthn": (lambda w: [1], "LRRRRRRRR"),
    "franceconnect:login": (lambda w: [], "444444444"),
    "franceconnect:callback": (lambda w: [], "444444444"),
    # Citizen space
    "portal:space": (lambda w: [], "L22222222"),
    "portal:profile": (lambda w: [], "L22222222"),
    "portal:notifications": (lambda w: [], "L22222222"),
    "portal:access_log": (lambda w: [], "L22222222"),
    "portal:address_search": (lambda w: [], "L22222222"),
    "portal:household": (lambda w: [], "L22222222"),
    "portal:household_address": (lambda w: [], "L22244444"),
    "portal:member_add": (lambda w: [], "L22244444"),
    "portal:member_edit": (lambda w: [w["child"].pk], "L22444444"),
    "portal:member_remove": (lambda w: [w["child"].pk], "L22444444"),
    "portal:invite": (lambda w: [], "L22244444"),
    "portal:leave": (lambda w: [], "L22244444"),
    "portal:second_factor_needed": (lambda w: [], "L22222222"),
    "portal:second_factor_enrolment": (lambda w: ["nope"], "LBBBBBBBB"),
    "portal:invitation_accept": (lambda w: ["nope"], "L44444444"),
    "teleservices:fill": (lambda w: [w["draft"].public_id, 1], "L24444444"),
    "teleservices:review": (lambda w: [w["draft"].public_id], "L24444444"),
    "teleservices:draft_delete": (lambda w: [w["draft"].public_id], "L24444444"),
    "teleservices:my_requests": (lambda w: [], "L22222222"),
    "teleservices:case": (_case, "L22444444"),
    "teleservices:confirmation": (_case, "L22444444"),
    "teleservices:case_documents": (_case, "LRR444444"),
    "teleservices:preview": (lambda w: [w["teleservice"].slug, 1], "RRRRRRRR2"),
    "vault:file": (lambda w: [w["document"].files.get().public_id], "L24424224"),
    "vault:documents": (lambda w: [], "L22222222"),
    "vault:document_add": (lambda w: [], "L22222222"),
    "vault:document_delete": (lambda w: [w["document"].public_id], "L24444444"),
    "letters:mine": (lambda w: [], "L22222222"),
    "appointments:book": (lambda w: ["passeport"], "LRRRRRRRR"),
    "appointments:my_appointments": (lambda w: [], "L22222222"),
    "appointments:appointment": (_appointment, "L24444444"),
    "appointments:calendar": (_appointment, "L24444444"),
    "appointments:cancel": (_appointment, "L24444444"),
    "appointments:move": (_appointment, "LR4444444"),
    "appointments:alert": (_appointment, "LR4444444"),
    # Back office
    "backoffice:home": (lambda w: [], "L33322223"),
    "backoffice:dashboard": (lambda w: [], "L33322223"),
    "backoffice:access_log": (lambda w: [], "L33333233"),
    "backoffice:bulk": (lambda w: [], "L333RRRR3"),
    "backoffice:saved_view_create": (lambda w: [], "L333RRRR3"),
    "backoffice:saved_view_delete": (lambda w: [w["saved_view"].pk], "L333R4443"),
    "backoffice:export_create": (lambda w: [], "L333RRRR3"),
    "backoffice:export": (lambda w: [w["export"].pk], "L33324443"),
    "backoffice:export_download": (lambda w: [w["export"].pk], "L33344443"),
    "backoffice:intake": (lambda w: [], "L33322223"),
    "backoffice:intake_fill": (lambda w: [w["counter_draft"].public_id, 1], "L33324443"),
    "backoffice:intake_review": (lambda w: [w["counter_draft"].public_id], "L33324443"),
    "backoffice:intake_consent": (lambda w: [w["counter_draft"].public_id], "L33324443"),
    "backoffice:intake_delete": (lambda w: [w["counter_draft"].public_id], "L333R4443"),
    "backoffice:citizen": (lambda w: [w["users"]["alice"].pk], "L33324243"),
    "backoffice:document_add": (lambda w: [w["users"]["alice"].pk], "L33324243"),
    "backoffice:document_verify": (lambda w: [w["users"]["alice"].pk, w["document"].public_id], "L333R4R43"),
    "backoffice:document_refuse": (lambda w: [w["users"]["alice"].pk, w["document"].public_id], "L333R4RR3"),
    "backoffice:agendas": (lambda w: [], "L33322223"),
    "backoffice:agenda": (_agenda, "L33324243"),
    "backoffice:agenda_book": (_agenda, "L33324243"),
    "backoffice:agenda_book_slot": (_agenda, "L333R4R43"),
    "backoffice:agenda_calendar": (_agenda, "L33324243"),
    "backoffice:agenda_feed_regenerate": (_agenda, "L333R4R43"),
    "backoffice:agenda_feed": (lambda w: [w["agenda"].pk, "0-nope"], "444444444"),
    "backoffice:agenda_settings": (_agenda, "L33324243"),
    "backoffice:opening_rule_add": (_agenda, "L33334243"),
    "backoffice:opening_rule_edit": (lambda w: [w["agenda"].pk, w["opening"].pk], "L33334243"),
    "backoffice:opening_rule_delete": (lambda w: [w["agenda"].pk, w["opening"].pk], "L33334243"),
    "backoffice:closure_add": (_agenda, "L33334243"),
    "backoffice:closure_delete": (lambda w: [w["agenda"].pk, w["closure"].pk], "L33334R43"),
    "backoffice:appointment_cancel": (_appointment, "L33324243"),
    "backoffice:appointment_mark": (_appointment, "L333R4R43"),
    "backoffice:case": (_case, "L33324223"),
    "backoffice:transition": (lambda w: [w["case"].reference, w["transition"].pk], "L333R4R23"),
    "backoffice:assign": (_case, "L33324R23"),
    "backoffice:message": (_case, "L33324233"),
    "backoffice:note": (_case, "L33324223"),
    "backoffice:share": (_case, "L33324223"),
    "backoffice:letter_new": (_case, "L333R4R43"),
    "backoffice:letter": (lambda w: [w["case"].reference, w["letter"].code], "L33324243"),
    "backoffice:letter_send": (lambda w: [w["case"].reference, w["letter"].code], "L333R4R43"),
    "backoffice:letter_status": (lambda w: [w["case"].reference, w["letter"].code], "L333R4RR3"),
    "backoffice:letters_print": (lambda w: [], "L33322223"),
}


def _named_urls(patterns: list[Any], namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            found += _named_urls(pattern.url_patterns, inner)
        elif pattern.name:
            found.append((f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern))
    return found


NAMED = dict(_named_urls(get_resolver().url_patterns))
ADMIN = sorted(name for name in NAMED if name.startswith("admin:"))


def test_every_named_url_is_in_the_matrix():
    """A URL added without its row in MATRIX (or a row left for a URL gone) fails here."""
    assert sorted(set(NAMED) - set(ADMIN) - set(MATRIX)) == []
    assert sorted(set(MATRIX) - set(NAMED)) == []


def _takes_post_only(pattern: URLPattern) -> bool:
    """Views wrapped by require_POST answer GET with 405; they are tried with an empty POST instead."""
    allowed = getattr(pattern.callback, "allowed_methods", None) or _allowed_methods(pattern.callback)
    return allowed == ["POST"]


def _allowed_methods(view: Any) -> list[str] | None:
    closure = getattr(view, "__closure__", None) or ()
    for cell in closure:
        value = cell.cell_contents
        if isinstance(value, list) and value and all(isinstance(item, str) and item.isupper() for item in value):
            return value
        if callable(value) and value is not view:
            inner = _allowed_methods(value)
            if inner is not None:
                return inner
    return None


def _answer(response: Any) -> str:
    if response.status_code in (301, 302, 303):
        return "L" if response["Location"].startswith(reverse("account_login")) else "R"
    return {200: "2", 400: "B", 403: "3", 404: "4", 405: "5", 503: "U"}[response.status_code]


def _client_of(persona: str, world: dict[str, Any]) -> Client:
    client = Client()
    if persona != "anonymous":
        sign_in(client, world["users"][persona])
    return client


@pytest.fixture
def world(alice, eve, bob, carol, dave, teleservices, etat_civil, settings):
    settings.SECURITY_CONTACT = ["mailto:securite@example.org"]
    return _world(alice, eve, bob, carol, dave, teleservices, etat_civil)


def _answers(name: str, world: dict[str, Any]) -> str:
    arguments, _expected = MATRIX[name]
    url = reverse(name, args=arguments(world))
    post = _takes_post_only(NAMED[name])
    answers = ""
    for persona in PERSONAS:
        client = _client_of(persona, world)
        with transaction.atomic():
            response = client.post(url) if post else client.get(url)
            transaction.set_rollback(True)
        answers += _answer(response)
    return answers


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_the_expected_answer(name, world):
    expected = MATRIX[name][1]
    assert f"{name}: {_answers(name, world)}" == f"{name}: {expected}"


def test_the_admin_is_for_administrators_only(world):
    """Every model's list in the admin: the administrator reads it, an agent or a citizen is sent to sign in as
    one, and the admin's other pages (add, change, history) sit behind the same check of the admin site."""
    lists = [f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist" for m in site._registry]
    assert set(lists) <= set(ADMIN)
    for persona in PERSONAS:
        client = _client_of(persona, world)
        for name in lists:
            response = client.get(reverse(name))
            expected = 200 if persona == "dave" else 302
            assert (name, persona, response.status_code) == (name, persona, expected)
