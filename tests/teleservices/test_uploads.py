"""Uploads are checked by content and size, kept privately, and never lost when the rest of the page is wrong."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teleservices import services
from tests.teleservices.conftest import pdf_bytes, png_bytes
from vault.models import StoredFile


@pytest.fixture
def report_page(alice_client, alice, teleservices):
    case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    return case, reverse("teleservices:fill", args=[case.public_id, 1])


def _post(client, url, photo, **answers):
    data = {"action": "continue", "categorie": "proprete", "localisation": "Place du marché", "photo": photo, **answers}
    return client.post(url, data)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>"),
            "n&#x27;est pas d&#x27;un type accepté",
        ),
        (SimpleUploadedFile("photo.jpg", png_bytes()), "n&#x27;est pas d&#x27;un type accepté"),
        (SimpleUploadedFile("photo.png", pdf_bytes()), "n&#x27;est pas d&#x27;un type accepté"),
        (SimpleUploadedFile("photo.png", png_bytes() + b"<html><script>alert(1)</script></html>"), "endommagé"),
        (SimpleUploadedFile("photo.png", png_bytes()[:40]), "endommagé"),
        (SimpleUploadedFile("photo.png", b""), "est vide"),
        (SimpleUploadedFile("photo.png", b"PK\x03\x04" + b"\x00" * 200), "n&#x27;est pas d&#x27;un type accepté"),
    ],
    ids=["html-named-png", "png-named-jpg", "pdf-named-png", "png-with-html-appended", "truncated-png", "empty", "zip"],
)
def test_a_file_that_is_not_what_it_claims_is_refused_in_french(alice_client, report_page, upload, message):
    case, url = report_page
    response = _post(alice_client, url, upload)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Place du marché"' in page or "Place du marché</textarea>" in page
    assert not StoredFile.objects.exists()


def test_a_file_over_the_size_limit_is_refused(alice_client, report_page, settings):
    case, url = report_page
    big = SimpleUploadedFile("photo.png", png_bytes() + b"\x00" * (8 * 1024 * 1024))
    response = _post(alice_client, url, big)
    assert response.status_code == 200
    assert "trop volumineux" in response.content.decode()


def test_a_good_file_is_kept_even_when_another_answer_is_wrong(alice_client, report_page):
    case, url = report_page
    response = _post(alice_client, url, SimpleUploadedFile("lampadaire.png", png_bytes()), categorie="")
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.data["photo"]["name"] == "lampadaire.png"
    assert "lampadaire.png" in response.content.decode()
    stored = StoredFile.objects.get()
    assert stored.content_type == "image/png" and stored.owner == case.user
    assert "lampadaire" not in stored.file.name


def test_stored_files_are_served_only_by_the_permission_checked_view(alice_client, report_page, settings):
    case, url = report_page
    _post(alice_client, url, SimpleUploadedFile("lampadaire.png", png_bytes()))
    stored = StoredFile.objects.get()
    assert not stored.file.path.startswith(str(settings.MEDIA_ROOT))
    assert not stored.file.path.startswith(str(settings.STATIC_ROOT))
    response = alice_client.get(stored.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == stored.read()


def test_the_upload_field_announces_accepted_types(alice_client, report_page):
    _case, url = report_page
    page = alice_client.get(url).content.decode()
    assert 'accept="image/jpeg,image/png,.jpg,.jpeg,.png"' in page
    assert "Fichiers acceptés : JPEG, PNG, jusqu&#x27;à 8 Mo." in page


def test_a_request_whose_optional_file_was_left_out_is_reviewed_and_submitted(alice_client, report_page):
    case, url = report_page
    response = alice_client.post(
        url, {"action": "continue", "categorie": "proprete", "localisation": "Place du marché"}
    )
    assert response.status_code == 302
    review = alice_client.get(response["Location"])
    assert review.status_code == 200 and "Place du marché" in review.content.decode()
    assert alice_client.post(response["Location"]).status_code == 302
    case.refresh_from_db()
    assert case.submitted_at is not None and case.data["photo"] is None
