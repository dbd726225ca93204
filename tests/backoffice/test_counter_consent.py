"""At the counter, the agent finds the person in front of them by what identifies them only; the citizen's household
and vault are offered for the request only after the citizen gives the code sent to them; the filing is recorded and
the citizen is told."""

import datetime
import re

import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teleservices.models import Case, CounterConsent
from tests.conftest import sign_in
from tests.teleservices.test_filing import ELIGIBLE
from tests.teleservices.test_vault_choice import _document

INTAKE = reverse("backoffice:intake")


def _school_draft_for(client, alice, teleservices):
    fields = {"teleservice": teleservices["inscription-scolaire"].pk, "channel": "counter", "account": alice.pk}
    assert client.post(f"{INTAKE}?q=alice", fields).status_code == 302
    draft = Case.objects.drafts().latest("created_at")
    response = client.post(reverse("backoffice:intake_fill", args=[draft.public_id, 1]), ELIGIBLE)
    return draft, response["Location"]


def _code_sent(client, draft, capture):
    with capture(execute=True):
        response = client.post(reverse("backoffice:intake_consent", args=[draft.public_id]), {"action": "send"})
    assert response.status_code == 302
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def _confirm(client, draft, code):
    return client.post(
        reverse("backoffice:intake_consent", args=[draft.public_id]), {"action": "confirm", "code": code}
    )


def test_the_search_shows_the_name_the_year_of_birth_and_a_masked_email_only(bob_client, alice, teleservices):
    page = bob_client.get(INTAKE, {"q": "alice"}).content.decode()
    assert f"Alice Martin (a•••@e•••.org, né·e en {alice.birth_date.year})" in page
    assert alice.email not in page and f"{alice.birth_date:%d/%m/%Y}" not in page and "rue Haute" not in page


def test_without_consent_the_agent_is_offered_neither_the_children_nor_the_vault(
    bob_client, alice, teleservices, django_capture_on_commit_callbacks
):
    _document(alice)
    draft, url = _school_draft_for(bob_client, alice, teleservices)
    page = bob_client.get(url).content.decode()
    assert "Léa" not in page and "Hugo" not in page
    assert reverse("backoffice:intake_consent", args=[draft.public_id]) in page
    code = _code_sent(bob_client, draft, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == [alice.email] and "Bob" in mail.outbox[-1].body
    wrong = "000000" if code != "000000" else "111111"
    response = _confirm(bob_client, draft, wrong)
    assert response.status_code == 200 and "n’est pas le code" in response.content.decode()
    response = _confirm(bob_client, draft, code)
    assert response["Location"] == url
    assert "Léa" in bob_client.get(url).content.decode()
    consent = CounterConsent.objects.get()
    assert (consent.agent.email, consent.attempts, consent.granted_at is not None) == ("bob@example.org", 2, True)


def test_the_code_lasts_ten_minutes_and_five_tries(bob_client, alice, teleservices, django_capture_on_commit_callbacks):
    draft, url = _school_draft_for(bob_client, alice, teleservices)
    code = _code_sent(bob_client, draft, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        response = _confirm(bob_client, draft, code)
    assert "n’est plus valable" in response.content.decode()
    code = _code_sent(bob_client, draft, django_capture_on_commit_callbacks)
    for _ in range(5):
        _confirm(bob_client, draft, "999999" if code != "999999" else "888888")
    assert "n’est plus valable" in _confirm(bob_client, draft, code).content.decode()
    assert "Léa" not in bob_client.get(url).content.decode()


def test_another_agent_can_neither_ask_nor_use_the_consent(
    bob_client, carol, alice, teleservices, django_capture_on_commit_callbacks
):
    draft, _url = _school_draft_for(bob_client, alice, teleservices)
    code = _code_sent(bob_client, draft, django_capture_on_commit_callbacks)
    other = Client()
    sign_in(other, carol)
    assert _confirm(other, draft, code).status_code == 404
    assert not CounterConsent.objects.granted().exists()


def _birth_filed_for(client, alice, teleservices, capture):
    """bob files a birth certificate request in alice's name at the counter, without her consent."""
    fields = {"teleservice": teleservices["acte-de-naissance"].pk, "channel": "counter", "account": alice.pk}
    client.post(f"{INTAKE}?q=alice", fields)
    url = reverse("backoffice:intake_fill", args=[Case.objects.drafts().latest("created_at").public_id, 1])
    identity = {"personne": "moi", "nom": "Martin", "prenoms": "Alice", "date_naissance": "1984-01-22"}
    pages = (
        {"action": "continue", **identity, "type_copie": "integrale", "nombre": "1"},
        {"action": "continue", "envoi": "mairie"},
    )
    for data in pages:
        url = client.post(url, data)["Location"]
    with capture(execute=True):
        client.post(url)
    return Case.objects.submitted().get(filed_by__isnull=False)


def test_a_request_filed_without_consent_opens_neither_her_household_nor_her_vault(
    bob_client, alice, teleservices, django_capture_on_commit_callbacks
):
    proof = _document(alice)
    _birth_filed_for(bob_client, alice, teleservices, django_capture_on_commit_callbacks)
    page = bob_client.get(reverse("backoffice:citizen", args=[alice.pk])).content.decode()
    assert "Léa" not in page and "Hugo" not in page
    assert bob_client.get(proof.files.get().get_absolute_url()).status_code == 404


def test_the_citizen_is_told_of_a_request_filed_in_her_name(
    bob_client, alice, teleservices, django_capture_on_commit_callbacks
):
    case = _birth_filed_for(bob_client, alice, teleservices, django_capture_on_commit_callbacks)
    (email,) = [m for m in mail.outbox if m.to == [alice.email]]
    assert "Un agent de l’accueil de État civil a déposé cette demande en votre nom le" in email.body
    assert case.events.get(kind="submitted").actor.email == "bob@example.org"
