"""A message refused for its text keeps its attachments: said "Fichier conservé", sent with the next message."""

import html

from django.urls import reverse

from teleservices import services
from teleservices.forms import MESSAGE_FILE_MAX
from vault.models import StoredFile

REPORT = {"categorie": "eclairage", "localisation": "Devant le 4 rue des Tilleuls"}


def _case_url(alice, teleservices):
    case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    case = services.case_submit(case=services.case_page_save(case=case, answers=REPORT, files={}, page=0))
    return case, reverse("teleservices:case", args=[case.reference])


def test_an_attachment_is_kept_when_the_message_is_empty_and_sent_with_the_next(
    alice_client, alice, teleservices, pdf_upload
):
    case, url = _case_url(alice, teleservices)
    response = alice_client.post(url, {"body": "", "attachments": [pdf_upload("photo.pdf")]})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Fichier conservé : photo.pdf (" in page
    assert f'data-max-size="{MESSAGE_FILE_MAX}"' in page
    response = alice_client.post(url, {"body": "Voici la photo."})
    assert response.status_code == 302
    message = case.messages.get()
    assert list(message.attachments.values_list("name", flat=True)) == ["photo.pdf"]
    assert not StoredFile.objects.unfiled().exists()


def test_viewing_the_request_again_lets_a_kept_attachment_go(alice_client, alice, teleservices, pdf_upload):
    case, url = _case_url(alice, teleservices)
    alice_client.post(url, {"body": "", "attachments": [pdf_upload("photo.pdf")]})
    assert "conservé" not in html.unescape(alice_client.get(url).content.decode())
    assert not StoredFile.objects.unfiled().exists()
    alice_client.post(url, {"body": "Sans pièce jointe."})
    assert not case.messages.get().attachments.exists()
