"""Drafts do not pile up: "Commencer" offers to resume the draft the citizen has (also on coming back from signing
in), a new one is made on purpose only; each draft says when it was started, how far it got and whom it is about;
deleting one asks first."""

import datetime
import html

import time_machine
from django.urls import reverse

from teleservices import services
from teleservices.conditions import Condition
from teleservices.definition import FormDefinition
from teleservices.models import Case
from teleservices.views import START_AFTER_LOGIN_KEY
from tests.conftest import sign_in

DECEMBER_3 = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)


def _start_url(slug: str = "acte-de-naissance") -> str:
    return reverse("teleservices:start", args=[slug])


def _sign_in_keeping(client, user, start_key: str) -> None:
    """Sign in as the login does, which keeps the start the anonymous visit asked for in the new session."""
    client.force_login(user)
    session = client.session
    session[START_AFTER_LOGIN_KEY] = start_key
    session.save()


def _draft_on(alice, teleservices, slug: str = "acte-de-naissance", when=DECEMBER_3) -> Case:
    with time_machine.travel(when, tick=False):
        return services.case_start(user=alice, teleservice=teleservices[slug])


def test_start_offers_to_resume_the_draft_instead_of_making_another(alice_client, alice, teleservices):
    draft = _draft_on(alice, teleservices)
    response = alice_client.post(_start_url())
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert Case.objects.filter(user=alice).count() == 1
    assert "Reprendre mon brouillon du 3 décembre" in page and draft.get_absolute_url() in page
    assert "Commencer une nouvelle demande" in page


def test_a_new_draft_is_made_on_purpose(alice_client, alice, teleservices):
    draft = _draft_on(alice, teleservices)
    response = alice_client.post(_start_url(), {"action": "new"})
    new = Case.objects.drafts().exclude(pk=draft.pk).get(user=alice)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()


def test_signing_in_from_start_lands_on_the_offer_when_a_draft_exists(client, alice, teleservices):
    _draft_on(alice, teleservices)
    response = client.post(_start_url())
    assert response["Location"].startswith(reverse("account_login"))
    session_key = client.session[START_AFTER_LOGIN_KEY]
    _sign_in_keeping(client, alice, session_key)
    response = client.get(_start_url())
    assert response.status_code == 200
    assert "Reprendre mon brouillon du 3 décembre" in html.unescape(response.content.decode())
    assert Case.objects.filter(user=alice).count() == 1


def test_signing_in_from_start_without_a_draft_makes_one(client, alice, teleservices):
    client.post(_start_url())
    session_key = client.session[START_AFTER_LOGIN_KEY]
    _sign_in_keeping(client, alice, session_key)
    response = client.get(_start_url())
    assert response.status_code == 302
    assert response["Location"] == Case.objects.get(user=alice).get_absolute_url()


def test_only_the_citizens_own_drafts_of_that_procedure_are_offered(alice_client, alice, eve, bob, teleservices):
    _draft_on(eve, teleservices)
    _draft_on(alice, teleservices, "signalement-voirie")
    services.case_start_for(
        agent=bob, teleservice=teleservices["acte-de-naissance"], channel="counter", citizen=alice, applicant={}
    )
    assert Case.objects.resumable(alice, teleservices["acte-de-naissance"]).count() == 0
    response = alice_client.post(_start_url())
    assert response.status_code == 302  # a new draft, nothing to resume


def test_a_draft_of_a_household_the_citizen_left_is_not_offered(alice_client, alice, teleservices):
    draft = _draft_on(alice, teleservices)
    Case.objects.filter(pk=draft.pk).update(household=None)
    assert not Case.objects.resumable(alice, teleservices["acte-de-naissance"]).exists()


def test_my_requests_says_when_each_draft_was_started_how_far_it_got_and_for_whom(
    alice_client, alice, teleservices, django_assert_max_num_queries
):
    lea = alice.household_member.household.members.get(first_name="Léa")
    draft = _draft_on(alice, teleservices, "inscription-scolaire")
    child = [{"id": lea.pk, "name": f"Léa {lea.last_name}", "birth_date": lea.birth_date.isoformat()}]
    answers = {**draft.data, "domicile": True, "age": True, "enfant": child, "niveau": "CP"}
    services.case_page_save(case=draft, answers=answers, files={}, page=2)
    _draft_on(alice, teleservices, "acte-de-naissance")
    with django_assert_max_num_queries(9):
        page = html.unescape(alice_client.get(reverse("teleservices:my_requests")).content.decode())
    assert "Commencé le 3 décembre 2026, étape 3 sur 4" in page
    assert f"pour Léa {lea.last_name}" in page
    assert "Commencé le 3 décembre 2026, étape 1 sur 2" in page
    assert page.count("pour ") == 1  # the birth certificate asks for no member


def test_the_number_of_queries_of_the_draft_list_does_not_grow_with_the_drafts(
    alice_client, alice, teleservices, django_assert_max_num_queries
):
    _draft_on(alice, teleservices)
    with django_assert_max_num_queries(9) as few:
        alice_client.get(reverse("teleservices:my_requests"))
    for slug in ["inscription-scolaire", "signalement-voirie", "occupation-domaine-public", "acte-de-naissance"]:
        _draft_on(alice, teleservices, slug)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = alice_client.get(reverse("teleservices:my_requests")).content.decode()
    assert page.count("Commencé le") == 5


def test_the_space_says_how_far_a_draft_got(alice_client, alice, teleservices):
    _draft_on(alice, teleservices)
    page = html.unescape(alice_client.get(reverse("portal:space")).content.decode())
    assert "Commencé le 3 décembre 2026, étape 1 sur 2" in page


def test_the_agents_drafts_say_how_far_they_got(client, alice, bob, teleservices):
    services.case_start_for(
        agent=bob, teleservice=teleservices["acte-de-naissance"], channel="counter", citizen=alice, applicant={}
    )
    sign_in(client, bob)
    page = html.unescape(client.get(reverse("backoffice:intake")).content.decode())
    assert "étape 1 sur 2" in page


def test_progress_counts_only_the_pages_the_answers_show():
    definition = FormDefinition.from_dict(
        {
            "pages": [
                {"title": "A", "condition": {}, "fields": []},
                {"title": "B", "condition": Condition.parse("x = oui").to_dict(), "fields": []},
                {"title": "C", "condition": {}, "fields": []},
            ]
        }
    )
    assert definition.step_of({"x": "non"}, 2) == (2, 2)
    assert definition.step_of({"x": "oui"}, 2) == (3, 3)


def test_delete_asks_first_then_deletes(alice_client, alice, teleservices):
    draft = _draft_on(alice, teleservices)
    url = reverse("teleservices:draft_delete", args=[draft.public_id])
    listing = alice_client.get(reverse("teleservices:my_requests")).content.decode()
    assert f'href="{url}"' in listing  # a link to the question, not a button that deletes at once
    page = html.unescape(alice_client.get(url).content.decode())
    assert "Supprimer le brouillon « Demande d'acte de naissance » ?" in page
    assert Case.objects.filter(pk=draft.pk).exists()
    response = alice_client.post(url)
    assert response["Location"] == reverse("teleservices:my_requests")
    assert not Case.objects.filter(pk=draft.pk).exists()


def test_another_citizen_cannot_reach_the_delete_question(eve_client, alice, teleservices):
    draft = _draft_on(alice, teleservices)
    assert eve_client.get(reverse("teleservices:draft_delete", args=[draft.public_id])).status_code == 404
