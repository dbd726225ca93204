"""The public verification page: a sent letter's issuer, date, kind and masked holder, nothing more (not its subject,
text or request reference); nothing for anything else; limited per client; writing nothing for anonymous visitors."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from letters import services
from letters.views import VERIFY_LIMIT, masked


@pytest.fixture
def sent_letter(bob, birth_case, decision_template, write_letter):
    return services.letter_send(letter=write_letter(birth_case, decision_template), actor=bob)


def _main(response) -> str:
    """The page's content, without the per-response nonces of the layout."""
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def test_a_sent_letter_shows_its_issuer_date_kind_and_masked_holder(client, sent_letter):
    response = client.get(reverse("letters:verify", args=[sent_letter.display_code]))
    assert response.status_code == 200
    page = _main(response)
    dated_on = date_format(timezone.localdate(sent_letter.created_at), "j F Y")
    for expected in ["Ville de Beaulieu-sur-Loire — État civil", dated_on, "Décision", "A**** M*****"]:
        assert expected in page


def test_a_sent_letter_discloses_neither_its_subject_nor_its_text_nor_the_request(client, sent_letter):
    page = _main(client.get(reverse("letters:verify", args=[sent_letter.display_code])))
    assert sent_letter.subject not in page and "Objet" not in page
    assert sent_letter.case.reference not in page
    assert "acceptée" not in page  # the text of the letter
    assert "Alice" not in page and "Martin" not in page and "rue Haute" not in page


def test_the_code_may_be_typed_in_lower_case_without_dashes(client, sent_letter):
    response = client.get(reverse("letters:verify", args=[sent_letter.code.lower()]))
    assert response.status_code == 200


def test_an_unknown_code_and_a_letter_not_sent_answer_the_same(client, birth_case, decision_template, write_letter):
    draft = write_letter(birth_case, decision_template)
    unknown = client.get(reverse("letters:verify", args=["2222-3333-4444"]))
    not_sent = client.get(reverse("letters:verify", args=[draft.display_code]))
    assert unknown.status_code == not_sent.status_code == 404
    assert _main(unknown) == _main(not_sent)
    assert "Aucun courrier n’a ce code" in _main(unknown)


def test_lookups_are_limited_per_client(client, sent_letter):
    url = reverse("letters:verify", args=[sent_letter.display_code])
    for _ in range(VERIFY_LIMIT):
        assert client.get(url).status_code == 200
    limited = client.get(url)
    assert limited.status_code == 429 and limited["Retry-After"]
    assert "Trop de vérifications" in _main(limited) and "Décision" not in _main(limited)
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_lookups_behind_the_proxy_are_counted_per_citizen(client, sent_letter, settings):
    settings.TRUSTED_PROXIES = 1
    url = reverse("letters:verify", args=[sent_letter.display_code])
    behind = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(VERIFY_LIMIT):
        assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.5", **behind).status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.5", **behind).status_code == 429
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.6", **behind).status_code == 200


def test_an_anonymous_visit_writes_nothing_and_reads_once(client, sent_letter, django_assert_max_num_queries):
    url = reverse("letters:verify", args=[sent_letter.display_code])
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200
    assert not [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert "sessionid" not in client.cookies


def test_the_form_leads_to_the_codes_page(client):
    response = client.get(reverse("letters:verify_start"), {"code": " 2222 3333 4444 "})
    assert response.status_code == 302 and response.url == reverse("letters:verify", args=["2222-3333-4444"])


def test_a_malformed_code_is_explained_on_the_form(client, organisation):
    response = client.get(reverse("letters:verify_start"), {"code": "ABC"})
    assert response.status_code == 200
    assert "12 lettres et chiffres" in response.content.decode()


def test_the_page_offers_the_form_with_a_label(client, organisation):
    page = client.get(reverse("letters:verify_start")).content.decode()
    assert '<label class="field__label" for="id_code">' in page


def test_the_page_only_answers_get(client, sent_letter):
    assert client.post(reverse("letters:verify", args=[sent_letter.display_code])).status_code == 405
    assert client.post(reverse("letters:verify_start")).status_code == 405


@pytest.mark.parametrize(
    ("name", "shown"), [("Alice Martin", "A**** M*****"), ("Jean-Luc  Le Goff", "J******* L* G***"), ("", "")]
)
def test_the_holders_name_is_masked_word_by_word(name, shown):
    assert masked(name) == shown
