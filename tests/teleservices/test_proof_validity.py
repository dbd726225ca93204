"""A question bound to a type of document accepts only a proof valid by that type's rule: a new upload by its issue
date, a document of the vault by its own validity, checked when the page is accepted and again at submission (it
may have expired in between)."""

import datetime
import html

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from teleservices import services
from tests.conftest import sign_in
from tests.teleservices.conftest import pdf_bytes
from tests.teleservices.test_filing import _fill_school_until_review
from tests.teleservices.test_vault_choice import ADDRESS, _document
from vault.models import Document

EXPIRED = "Ce document n'était valable que jusqu'au 31 mars 2025 : envoyez-en un plus récent."


def _upload(client, url, issued_on: str):
    upload = SimpleUploadedFile("edf.pdf", pdf_bytes(), "application/pdf")
    data = {"action": "continue", **ADDRESS, "justificatif_domicile": upload}
    return client.post(url, {**data, "justificatif_domicile__issued_on": issued_on})


def test_a_proof_of_address_issued_too_long_ago_is_refused_and_the_upload_kept(alice_client, alice, teleservices):
    case, url = _fill_school_until_review(alice_client, alice)
    response = _upload(alice_client, url, "01/01/2025")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert EXPIRED in page and 'href="#id_justificatif_domicile__issued_on"' in page
    assert 'value="01/01/2025"' in page  # the date typed is kept
    case.refresh_from_db()
    assert case.data["justificatif_domicile"]["name"] == "edf.pdf"  # and the file too
    assert not Document.objects.exists()


def test_a_proof_of_address_valid_today_goes_through(alice_client, alice, teleservices):
    _case, url = _fill_school_until_review(alice_client, alice)
    issued = timezone.localdate() - datetime.timedelta(days=30)
    assert _upload(alice_client, url, issued.strftime("%d%m%Y")).status_code == 302


def test_a_proof_with_no_expiry_is_accepted_whatever_its_age(alice_client, alice, teleservices):
    """The issue date of a proof of a type valid forever (the family record book) is only checked not to come."""
    case, url = _fill_school_until_review(alice_client, alice)
    field = teleservices["inscription-scolaire"].fields.get(key="justificatif_domicile")
    field.document_type = field.document_type.__class__.objects.get(slug="livret-famille")
    field.save(update_fields=["document_type"])
    case.version = services.teleservice_publish(teleservice=teleservices["inscription-scolaire"], user=None)
    case.save(update_fields=["version"])
    assert _upload(alice_client, url, "01/01/2001").status_code == 302


def test_an_upload_kept_from_an_earlier_visit_is_refused_once_expired(alice_client, alice, teleservices):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC), tick=False):
        _case, url = _fill_school_until_review(alice_client, alice)
        assert _upload(alice_client, url, "02/03/2026").status_code == 302  # valid until 1 June 2026
    with time_machine.travel(datetime.datetime(2026, 6, 2, 10, tzinfo=datetime.UTC), tick=False):
        alice_client.logout()  # a session ends after half an hour without activity: she signs in again
        sign_in(alice_client, alice)
        page = html.unescape(alice_client.post(url, {"action": "continue", **ADDRESS}).content.decode())
    assert "Ce document n'était valable que jusqu'au 1 juin 2026 : envoyez-en un plus récent." in page


def test_an_expired_document_of_the_vault_is_neither_offered_nor_accepted(alice_client, alice, teleservices):
    expired = _document(alice, days_ago=200, name="ancienne.pdf")
    case, url = _fill_school_until_review(alice_client, alice)
    assert str(expired.public_id) not in alice_client.get(url).content.decode()
    valid = _document(alice, name="recente.pdf")  # so that the page offers a choice
    data = {"action": "continue", **ADDRESS, "justificatif_domicile__document": str(expired.public_id)}
    response = alice_client.post(url, data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Ce document ne peut plus être utilisé (expiré ou supprimé)" in page
    assert f'value="{valid.public_id}"' in page
    case.refresh_from_db()
    assert "justificatif_domicile" not in case.data


def test_a_document_that_expired_after_it_was_chosen_stops_the_submission(alice_client, alice, teleservices):
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, tzinfo=datetime.UTC), tick=False):
        proof = _document(alice, days_ago=80)  # issued on 6 September, valid until 5 December 2026
        case, url = _fill_school_until_review(alice_client, alice)
        data = {"action": "continue", **ADDRESS, "justificatif_domicile__document": str(proof.public_id)}
        review = alice_client.post(url, data)["Location"]
    expected = (
        "« Justificatif de domicile » : Ce document n'était valable que jusqu'au "
        "5 décembre 2026 : envoyez-en un plus récent."
    )
    with time_machine.travel(datetime.datetime(2026, 12, 6, 10, tzinfo=datetime.UTC), tick=False):
        alice_client.logout()  # a session ends after half an hour without activity: she signs in again
        sign_in(alice_client, alice)
        assert expected in html.unescape(alice_client.get(review).content.decode())
        with pytest.raises(ValidationError) as refusal:
            services.case_submit(case=case)
    assert refusal.value.messages == [expected]
    case.refresh_from_db()
    assert case.is_draft
