"""The header's menus, assembled from what each app registers (gru/navigation.py): who sees which entry, in which
order, which one is current, and no query for an anonymous page."""

import re

from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import MembershipFactory


def _menu(response) -> list[tuple[str, bool]]:
    """The menu's links, in order: (label, whether it is the current page)."""
    nav = re.search(r'<nav class="site-nav".*?</nav>', response.content.decode(), re.S).group(0)
    return [
        (label, bool(current))
        for current, label in re.findall(r'<a href="[^"]+"( aria-current="page")?>([^<]+)</a>', nav)
    ]


def test_visitors_see_the_catalogues_and_signing_in(client, organisation):
    response = client.get(reverse("appointments:catalogue"))
    assert _menu(response) == [
        ("Démarches", False),
        ("Rendez-vous", True),
        ("Se connecter", False),
        ("Créer un compte", False),
    ]
    assert "Se déconnecter" not in response.content.decode()


def test_a_signed_in_citizen_sees_their_space_with_its_page_current_and_signs_out(alice_client):
    response = alice_client.get(reverse("vault:documents"))
    assert _menu(response) == [
        ("Démarches", False),
        ("Rendez-vous", False),
        ("Mes demandes", False),
        ("Mon espace", False),
        ("Mes documents", True),
        ("Mon foyer", False),
        ("Mon profil", False),
    ]
    assert 'action="/compte/logout/"' in response.content.decode()


def test_agents_see_the_back_office_pages_and_administrators_the_admin_too(client, bob, dave, etat_civil):
    sign_in(client, bob)
    agent_menu = [
        ("Accueil", False),
        ("Nouvelle demande", False),
        ("Agendas", True),
        ("Tableau de bord", False),
        ("Courriers à poster", False),
        ("Sécurité", False),
    ]
    assert _menu(client.get(reverse("backoffice:agendas"))) == agent_menu
    MembershipFactory(user=dave, department=etat_civil)
    sign_in(client, dave)
    assert _menu(client.get(reverse("backoffice:agendas"))) == [
        *agent_menu[:5],
        ("Administration", False),
        agent_menu[5],
    ]


def test_the_menu_of_an_anonymous_page_reads_nothing(organisation, django_assert_num_queries):
    request = RequestFactory().get(reverse("teleservices:catalogue"))
    request.resolver_match = None
    with django_assert_num_queries(0):
        html = Template('{% load navigation %}{% navigation "citizen" "Menu" %}').render(
            Context({"request": request, "user": AnonymousUser()})
        )
    assert html.count("<li>") == 4
