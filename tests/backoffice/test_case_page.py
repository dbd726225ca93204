"""Instructing a case from its page: answers, transitions with inputs, messages, internal notes, completion."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teleservices.models import CaseEvent
from tests.backoffice.conftest import action
from tests.conftest import sign_in


def _page(client, case):
    return client.get(reverse("backoffice:case", args=[case.reference])).content.decode()


def test_the_case_page_shows_answers_actions_and_history(bob_client, birth_case):
    page = _page(bob_client, birth_case)
    assert "Copie intégrale" in page and "Martin" in page
    assert "Prendre en charge" in page and "Refuser" in page
    assert "Classer sans suite" not in page  # managers only
    assert "Historique des modifications" in page


def test_refusing_without_the_reason_keeps_the_page_with_an_error(bob_client, birth_case):
    refuse = action(birth_case, "Refuser")
    url = reverse("backoffice:transition", args=[birth_case.reference, refuse.pk])
    response = bob_client.post(url, {f"t{refuse.pk}-comment": ""})
    assert response.status_code == 200 and "Ce champ est obligatoire." in response.content.decode()
    response = bob_client.post(url, {f"t{refuse.pk}-comment": "Personne non née dans la commune"})
    assert response.status_code == 302
    birth_case.refresh_from_db()
    assert birth_case.status.key == "refusee" and birth_case.closed_at is not None


def test_internal_notes_are_never_shown_to_the_citizen(client, bob, alice, birth_case):
    sign_in(client, bob)
    client.post(reverse("backoffice:note", args=[birth_case.reference]), {"body": "Vérifier le registre 1984"})
    assert "Vérifier le registre 1984" in _page(client, birth_case)
    client.force_login(alice)
    citizen_page = client.get(reverse("teleservices:case", args=[birth_case.reference])).content.decode()
    assert "Vérifier le registre 1984" not in citizen_page


def test_asking_for_completion_round_trip(
    client, bob, alice, birth_case, pdf_upload, django_capture_on_commit_callbacks
):
    ask = action(birth_case, "Demander des compléments")
    sign_in(client, bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("backoffice:transition", args=[birth_case.reference, ask.pk]),
            {f"t{ask.pk}-comment": "Merci de joindre votre livret de famille."},
        )
    birth_case.refresh_from_db()
    assert birth_case.status.key == "attente" and birth_case.deadline is None
    assert "Merci de joindre votre livret de famille." in mail.outbox[-1].body
    client.force_login(alice)
    url = reverse("teleservices:case", args=[birth_case.reference])
    page = client.get(url).content.decode()
    assert "Le service a besoin de compléments" in page and "Merci de joindre votre livret de famille." in page
    client.post(url, {"body": "Le voici.", "attachments": [pdf_upload("livret.pdf")]})
    birth_case.refresh_from_db()
    assert birth_case.status.key == "recue" and birth_case.deadline is not None and not birth_case.awaits_citizen
    assert birth_case.events.filter(kind=CaseEvent.Kind.COMPLETED).exists()
    sign_in(client, bob)
    assert "livret.pdf" in _page(client, birth_case)


def test_an_agent_writes_to_the_citizen(bob_client, birth_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(reverse("backoffice:message", args=[birth_case.reference]), {"body": "Bonjour"})
    assert response.status_code == 302
    assert birth_case.messages.get().from_agent
    assert (
        mail.outbox[-1].subject
        == f"Nouveau message sur votre demande « {birth_case.teleservice.title} » ({birth_case.reference})"
    )


def _queries(client, case):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("backoffice:case", args=[case.reference])).status_code == 200
    return len(context)


def test_the_case_page_query_count_does_not_grow_with_its_events(bob_client, bob, birth_case):
    before = _queries(bob_client, birth_case)
    for n in range(5):
        bob_client.post(reverse("backoffice:note", args=[birth_case.reference]), {"body": f"Note {n}"})
        bob_client.post(reverse("backoffice:message", args=[birth_case.reference]), {"body": f"Message {n}"})
    assert _queries(bob_client, birth_case) <= before <= 40
