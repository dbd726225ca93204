"""Hostile input never makes a page fail: a NUL byte anywhere in the query string or a form is refused with a 400,
a date out of range is a French form error; names that could reach an email header refuse line breaks."""

import pytest
from django.contrib.admin import site as admin_site
from django.core.exceptions import ValidationError
from django.urls import reverse

from appointments.models import Agenda, AppointmentType
from gru.emails import email_subject
from portal import franceconnect
from portal.models import HouseholdMember, User
from teleservices.models import Case
from tests.appointments.conftest import rule
from tests.conftest import sign_in

HOSTILE_DATES = ["9999-12-31", "0001-01-01", "99999-01-01", "0000-00-00"]


@pytest.fixture
def town_hall(etat_civil) -> Agenda:
    passport = AppointmentType.objects.create(slug="passeport", label="Demande de passeport", duration_minutes=20)
    agenda = Agenda.objects.create(department=etat_civil, name="Hôtel de ville", place="Hôtel de ville")
    rule(agenda, [passport])
    return agenda


def _pages(agenda: Agenda) -> dict[str, list[tuple[str, list[str]]]]:
    """Per persona, the pages that read a query string, with the parameters each reads."""
    type_pk = str(AppointmentType.objects.get(slug="passeport").pk)
    return {
        "anonymous": [
            (reverse("teleservices:catalogue"), ["q"]),
            (reverse("appointments:slots", args=["passeport"]), ["semaine", "lieu"]),
            (reverse("appointments:book", args=["passeport"]), ["creneau", "lieu"]),
            (reverse("letters:verify_start"), ["code"]),
        ],
        "alice": [
            (reverse("portal:notifications"), ["page"]),
            (reverse("teleservices:my_requests"), ["page"]),
            (reverse("letters:mine"), ["page"]),
        ],
        "bob": [
            (reverse("backoffice:home"), ["q", "since", "until", "status", "teleservice", "apres"]),
            (reverse("backoffice:dashboard"), ["department", "period"]),
            (reverse("backoffice:intake"), ["q"]),
            (reverse("backoffice:agenda", args=[agenda.pk]) + "?vue=semaine&", ["date"]),
            (reverse("backoffice:agenda", args=[agenda.pk]), ["date"]),
            (reverse("backoffice:agenda_book", args=[agenda.pk]) + f"?type={type_pk}&", ["semaine", "type"]),
        ],
    }


def _client(client, persona: str, request):
    if persona != "anonymous":
        sign_in(client, request.getfixturevalue(persona))
    return client


def _hostile_queries(persona, agenda, values):
    return [
        f"{path}{'&' if '?' in path else '?'}{parameter}={value}"
        for path, parameters in _pages(agenda)[persona]
        for parameter in parameters
        for value in values
    ]


@pytest.mark.parametrize("persona", ["anonymous", "alice", "bob"])
def test_a_nul_byte_in_the_query_string_is_refused_with_a_400(client, request, persona, town_hall):
    client = _client(client, persona, request)
    answers = {url: client.get(url).status_code for url in _hostile_queries(persona, town_hall, ["%00", "a%00b"])}
    assert answers == dict.fromkeys(answers, 400)


@pytest.mark.parametrize("persona", ["anonymous", "alice", "bob"])
def test_a_date_out_of_range_is_a_form_error_not_a_server_error(client, request, persona, town_hall):
    client = _client(client, persona, request)
    answers = {url: client.get(url).status_code for url in _hostile_queries(persona, town_hall, HOSTILE_DATES)}
    assert {url: status for url, status in answers.items() if status not in (200, 302)} == {}


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_week_out_of_range_is_reported_in_french_and_the_first_free_week_shown(client, town_hall, day):
    response = client.get(reverse("appointments:slots", args=["passeport"]), {"semaine": day})
    assert response.status_code == 200
    assert "Saisissez une date entre 1900 et 2999." in response.content.decode()


def test_an_agendas_day_out_of_range_is_reported_in_french(client, bob, town_hall):
    sign_in(client, bob)
    response = client.get(reverse("backoffice:agenda", args=[town_hall.pk]), {"date": "9999-12-31", "vue": "semaine"})
    assert response.status_code == 200
    assert "Saisissez une date entre 1900 et 2999." in response.content.decode()


def test_a_nul_byte_in_a_form_is_refused_with_a_400(client, alice):
    client.force_login(alice)
    response = client.post(reverse("portal:profile"), {"first_name": "Alice\x00", "last_name": "Martin"})
    assert response.status_code == 400


def test_a_nul_byte_in_a_field_name_is_refused_with_a_400(client, organisation):
    assert client.get(reverse("teleservices:catalogue"), {"q\x00": "acte"}).status_code == 400


INJECTED_NAME = "Martin\r\nBcc: liste@example.net"
ONE_LINE_ERROR = "Écrivez-le sur une seule ligne, sans retour à la ligne ni caractère de contrôle."


def _refused_with_the_french_error(response) -> bool:
    return response.status_code == 200 and ONE_LINE_ERROR in response.content.decode()


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_a_name_with_a_line_break_is_refused_at_signup(client, organisation, field):
    data = {"email": "sam@example.org", "first_name": "Sam", "last_name": "Leroy"}
    data |= {"password1": "Loire-en-automne-2026", "password2": "Loire-en-automne-2026", field: INJECTED_NAME}
    assert _refused_with_the_french_error(client.post(reverse("account_signup"), data))
    assert not User.objects.filter(email="sam@example.org").exists()


@pytest.mark.parametrize("name", [INJECTED_NAME, "Martin\nBcc: liste@example.net", "Martin\u2028Bcc", "Mar\ttin"])
def test_a_name_with_a_line_break_or_a_control_character_is_refused_in_the_profile(client, alice, name):
    client.force_login(alice)
    data = {"first_name": "Alice", "last_name": name, "birth_date": "1986-04-12", "preferred_channel": "email"}
    assert _refused_with_the_french_error(client.post(reverse("portal:profile"), data))
    alice.refresh_from_db()
    assert alice.last_name == "Martin"


def test_a_household_member_named_with_a_line_break_is_refused(client, alice):
    client.force_login(alice)
    data = {"first_name": INJECTED_NAME, "last_name": "Martin", "birth_date": "2023-01-15", "relationship": "child"}
    assert _refused_with_the_french_error(client.post(reverse("portal:member_add"), data))
    assert not HouseholdMember.objects.filter(birth_date="2023-01-15").exists()


def test_a_citizen_filed_for_at_the_counter_cannot_be_named_with_a_line_break(client, bob, teleservices):
    sign_in(client, bob)
    data = {"teleservice": teleservices["acte-de-naissance"].pk, "channel": "counter"}
    data |= {"first_name": "Jeanne", "last_name": INJECTED_NAME}
    assert _refused_with_the_french_error(client.post(reverse("backoffice:intake"), data))
    assert not Case.objects.exists()


def test_an_email_subject_stays_on_one_line_whatever_its_context_holds():
    context = {"organisation": {"name": f"Beaulieu{INJECTED_NAME}"}}
    subject = email_subject(template="portal/emails/household_invitation", context=context)
    assert subject.endswith("BeaulieuMartin Bcc: liste@example.net")


@pytest.mark.parametrize("path", ["/verifier/AB%00CD/", "/espace/demandes/DEM-2026%00/", "/demarches/acte%00/"])
def test_a_nul_byte_in_the_path_is_refused_with_a_400(client, alice, path):
    client.force_login(alice)
    assert client.get(path).status_code == 400


@pytest.mark.parametrize("field", ["first_name", "last_name", "phone"])
def test_the_admin_refuses_a_name_or_phone_on_two_lines(rf, dave, alice, field):
    request = rf.get("/")
    request.user = dave
    form = admin_site._registry[User].get_form(request, alice)
    with pytest.raises(ValidationError):
        form.base_fields[field].clean("Martin\r\nBcc: someone@example.net")


def test_names_given_by_franceconnect_are_kept_on_one_line():
    claims = {"sub": "s", "birthdate": "1990-01-01", "email": "a@example.org"}
    identity = franceconnect.identity_of({**claims, "given_name": "Angela\r\nBcc: x@y", "family_name": "Dupont\t\n"})
    assert (identity.given_name, identity.family_name) == ("Angela Bcc: x@y", "Dupont")
