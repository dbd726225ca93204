"""Account emails written as the portal's own, signed by the collectivité; the account's dead ends (issue 19)."""

import re

from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.portal.test_accounts import STRONG_PASSWORD, _signup


def _link(message, path: str) -> str:
    return re.search(rf"https?://[^/\s]+({path}\S+/)", message.body).group(1)


def _assert_ours(message, organisation, french: str) -> None:
    assert french in message.body
    assert message.body.rstrip().endswith(organisation.name)
    assert "127.0.0.1" not in message.body and "testserver" not in message.subject
    assert message.from_email.startswith(f"{organisation.name} <")
    html = message.alternatives[0][0]
    assert french in html.replace("&#x27;", "’") and organisation.name in html


def test_the_confirmation_email_is_french_signed_by_the_collectivite(client, organisation, mailoutbox):
    _signup(client)
    _assert_ours(mailoutbox[0], organisation, "Pour confirmer qu’elle est la vôtre")


def test_a_fresh_confirmation_link_opened_in_another_browser_signs_in(client, organisation, mailoutbox):
    _signup(client)
    other = Client()
    response = other.post(_link(mailoutbox[0], "/compte/confirm-email/"))
    assert response.status_code == 302
    assert other.get(reverse("portal:space")).status_code == 200


def test_the_reset_email_and_a_used_link_say_it_in_words_with_a_new_one(client, alice, organisation, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": alice.email})
    _assert_ours(mailoutbox[0], organisation, "Pour le choisir, ouvrez ce lien")
    link = _link(mailoutbox[0], "/compte/password/reset/key/")
    page = client.get(link, follow=True)
    done = client.post(
        page.request["PATH_INFO"], {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD}, follow=True
    )
    assert f'href="{reverse("account_login")}"' in done.content.decode()
    assert "Mauvais jeton" not in done.content.decode()
    assert "Votre mot de passe a été modifié" in mailoutbox[-1].subject
    _assert_ours(mailoutbox[-1], organisation, "a été réinitialisé")
    used = client.get(link, follow=True).content.decode()
    assert "Ce lien ne fonctionne plus" in used and "Mauvais jeton" not in used
    assert f'href="{reverse("account_reset_password")}"' in used


def test_changing_the_password_sends_the_password_changed_email(alice_client, alice, organisation, mailoutbox):
    data = {"oldpassword": PASSWORD, "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD}
    assert alice_client.post(reverse("account_change_password"), data).status_code == 302
    assert mailoutbox[-1].to == [alice.email]
    _assert_ours(mailoutbox[-1], organisation, "a été modifié")


def test_signing_up_with_a_known_address_sends_our_already_exists_email(client, alice, organisation, mailoutbox):
    _signup(client, email=alice.email)
    _assert_ours(mailoutbox[0], organisation, "un compte l’utilise déjà")


def test_a_reset_for_an_unknown_address_sends_our_unknown_account_email(client, organisation, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": "personne@example.org"})
    _assert_ours(mailoutbox[0], organisation, "aucun compte ne l’utilise")
