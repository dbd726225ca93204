"""A household's storage quota on the files of requests: an upload that does not fit is refused in French, and the
rest of what the citizen typed is kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teleservices import services
from tests.teleservices.conftest import pdf_bytes, png_bytes
from vault.models import StoredFile

FULL = "Il ne reste pas assez de place dans votre espace de stockage"
REPORT = {"categorie": "eclairage", "localisation": "Devant le 4 rue des Tilleuls"}


@pytest.fixture
def report_page(alice, teleservices):
    case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    return case, reverse("teleservices:fill", args=[case.public_id, 1])


@pytest.mark.parametrize("category", ["eclairage", ""], ids=["page-right", "another-answer-wrong"])
def test_a_form_file_past_the_quota_is_refused_and_the_other_answers_are_kept(
    alice_client, report_page, settings, category
):
    settings.HOUSEHOLD_STORAGE_QUOTA = len(png_bytes()) - 1
    case, url = report_page
    photo = SimpleUploadedFile("lampadaire.png", png_bytes(), "image/png")
    data = {"action": "continue", "categorie": category, "localisation": "Place du marché", "photo": photo}
    response = alice_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert FULL in page and "Place du marché" in page
    case.refresh_from_db()
    assert case.data["localisation"] == "Place du marché" and not case.data.get("photo")
    assert not StoredFile.objects.exists()


def test_a_message_attachment_past_the_quota_is_refused_and_the_text_kept(alice_client, alice, teleservices, settings):
    case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    case = services.case_submit(case=services.case_page_save(case=case, answers=REPORT, files={}, page=0))
    settings.HOUSEHOLD_STORAGE_QUOTA = len(pdf_bytes()) - 1
    url = reverse("teleservices:case", args=[case.reference])
    attachment = SimpleUploadedFile("photo.pdf", pdf_bytes(), "application/pdf")
    response = alice_client.post(url, {"body": "Voici la photo demandée.", "attachments": [attachment]})
    page = response.content.decode()
    assert response.status_code == 200
    assert FULL in page and "Voici la photo demandée.</textarea>" in page
    assert not case.messages.exists() and not StoredFile.objects.exists()
