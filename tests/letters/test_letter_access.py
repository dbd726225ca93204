"""A letter's PDF reaches its addressee once it is sent, never before; the agents of the case see it from the draft."""

import pytest

from letters import services
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(birth_case, information_template, write_letter):
    letter = write_letter(birth_case, information_template)
    assert letter.pdf is not None
    return letter


def test_a_draft_letters_pdf_is_not_served_to_its_addressee_or_their_household(draft, alice_client, client):
    assert alice_client.get(draft.pdf.get_absolute_url()).status_code == 404


def test_the_agents_of_the_case_read_the_draft_and_the_addressee_reads_it_once_sent(draft, client, alice, bob):
    url = draft.pdf.get_absolute_url()
    sign_in(client, bob)
    assert client.get(url).status_code == 200

    services.letter_send(letter=draft, actor=bob)
    client.force_login(alice)
    assert client.get(url).status_code == 200
