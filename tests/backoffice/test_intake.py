"""Multichannel intake: bob files a request for someone who came to the counter, phoned or wrote."""

import datetime

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from teleservices import services
from teleservices.models import Case
from tests.conftest import sign_in

INTAKE = reverse("backoffice:intake")
PAGE_1 = {
    "action": "continue",
    "personne": "moi",
    "nom": "Durand",
    "prenoms": "Jeanne",
    "date_naissance": "1950-03-02",
    "type_copie": "integrale",
    "nombre": "1",
}
PAGE_2 = {"action": "continue", "envoi": "mairie"}


def _start(client, teleservices, **data):
    fields = {"teleservice": teleservices["acte-de-naissance"].pk, "channel": "counter", **data}
    response = client.post(INTAKE + ("?q=" + data.pop("q") if "q" in data else ""), fields)
    assert response.status_code == 302, response.content.decode()
    return Case.objects.drafts().latest("created_at"), response["Location"]


def _fill_and_file(client, url):
    for data in (PAGE_1, PAGE_2):
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()
        url = response["Location"]
    assert "recapitulatif" in url
    return client.post(url)


def test_bob_files_a_request_for_someone_without_an_account_at_the_counter(
    bob_client, bob, teleservices, django_capture_on_commit_callbacks
):
    draft, url = _start(
        bob_client,
        teleservices,
        first_name="Jeanne",
        last_name="Durand",
        email="jeanne@example.net",
        phone="0600000000",
    )
    assert url == reverse("backoffice:intake_fill", args=[draft.public_id, 1])
    assert "site-header--agent" in bob_client.get(url).content.decode()  # the citizen's pages, framed for agents
    with django_capture_on_commit_callbacks(execute=True):
        response = _fill_and_file(bob_client, url)
    case = Case.objects.get(pk=draft.pk)
    assert response["Location"] == reverse("backoffice:case", args=[case.reference])
    assert (case.channel, case.filed_by, case.user, case.applicant_name) == ("counter", bob, None, "Jeanne Durand")
    assert case.status.key == "recue" and case.department.slug == "etat-civil" and case.deadline
    assert case.applicant_phone == "0600000000" and case.data["nom"] == "Durand"
    assert mail.outbox[-1].to == ["jeanne@example.net"] and case.reference in mail.outbox[-1].body
    board = bob_client.get(reverse("backoffice:home")).content.decode()
    assert case.reference in board


def test_bob_files_for_alice_found_by_search_and_her_answers_are_prefilled(bob_client, bob, alice, teleservices):
    page = bob_client.get(INTAKE, {"q": "alice"}).content.decode()
    assert "a•••@e•••.org" in page and alice.email not in page
    draft, url = _start(bob_client, teleservices, q="alice", account=alice.pk, channel="phone")
    assert draft.user == alice and draft.household == alice.household_member.household
    assert draft.data["nom"] == alice.last_name  # prefilled from her profile
    _fill_and_file(bob_client, url)
    case = Case.objects.get(pk=draft.pk)
    assert (case.channel, case.applicant_email, case.filed_by) == ("phone", alice.email, bob)


def test_the_citizen_does_not_see_the_agents_draft_until_it_is_filed(bob_client, client, alice, teleservices):
    draft, url = _start(bob_client, teleservices, q="alice", account=alice.pk)
    client.force_login(alice)
    assert draft.public_id.hex not in client.get(reverse("teleservices:my_requests")).content.decode().replace("-", "")
    assert client.get(reverse("teleservices:fill", args=[draft.public_id, 1])).status_code == 404
    sign_in(client, draft.filed_by)
    _fill_and_file(client, url)
    client.force_login(alice)
    case = Case.objects.get(pk=draft.pk)
    assert client.get(reverse("teleservices:case", args=[case.reference])).status_code == 200


def test_another_agent_cannot_fill_bobs_draft(bob_client, carol, teleservices, client):
    draft, url = _start(bob_client, teleservices, first_name="Jeanne", last_name="Durand")
    sign_in(client, carol)
    assert client.get(url).status_code == 404
    assert client.post(reverse("backoffice:intake_delete", args=[draft.public_id])).status_code == 404


def test_carol_cannot_file_a_procedure_of_another_department(carol_client, teleservices):
    fields = {"teleservice": teleservices["acte-de-naissance"].pk, "channel": "counter", "first_name": "J"}
    response = carol_client.post(INTAKE, {**fields, "last_name": "D"})
    assert response.status_code == 200 and "Sélectionnez un choix valide" in response.content.decode()
    assert not Case.objects.exists()


def test_a_person_without_account_needs_a_name_and_nothing_typed_is_lost(bob_client, teleservices):
    data = {"teleservice": teleservices["acte-de-naissance"].pk, "channel": "mail", "email": "jeanne@example.net"}
    response = bob_client.post(INTAKE, data)
    page = response.content.decode()
    assert response.status_code == 200 and "Indiquez les prénom et nom" in page
    assert 'value="jeanne@example.net"' in page and not Case.objects.exists()


def test_the_web_channel_is_not_offered_to_agents(bob_client, teleservices):
    response = bob_client.post(
        INTAKE,
        {"teleservice": teleservices["acte-de-naissance"].pk, "channel": "web", "first_name": "J", "last_name": "D"},
    )
    assert response.status_code == 200 and not Case.objects.exists()


def test_a_request_filed_without_account_joins_the_account_that_confirms_its_email(
    bob_client, bob, eve, teleservices, rf
):
    draft, url = _start(bob_client, teleservices, first_name="Ève", last_name="Martin", email=eve.email.upper())
    _fill_and_file(bob_client, url)
    address, _created = EmailAddress.objects.update_or_create(user=eve, email=eve.email, defaults={"verified": True})
    email_confirmed.send(sender=EmailAddress, request=rf.get("/"), email_address=address)
    case = Case.objects.get(pk=draft.pk)
    assert case.user == eve


def test_an_unsubmitted_agents_draft_is_never_reminded_to_the_citizen(bob_client, alice, teleservices):
    draft, _url = _start(bob_client, teleservices, q="alice", account=alice.pk)
    later = timezone.now() + datetime.timedelta(days=365)
    assert services.drafts_remind(now=later) == 0
    assert services.drafts_purge(now=later) == 1


def test_intake_pages_are_for_agents_only(client, alice, birth_case):
    assert client.get(INTAKE).status_code == 302
    client.force_login(alice)
    assert client.get(INTAKE).status_code == 403
    assert client.put(INTAKE).status_code in (403, 405)


def test_the_intake_page_query_count_does_not_grow_with_drafts(
    bob_client, alice, teleservices, django_assert_max_num_queries
):
    for _ in range(3):
        _start(bob_client, teleservices, q="alice", account=alice.pk)
    with django_assert_max_num_queries(12):
        assert bob_client.get(INTAKE, {"q": "alice"}).status_code == 200
